"""Recording service of issued documents on the parties (送达), and deemed service by public notice.

Domain code: the caller passes the acting user and commits. Recording a service writes the timeline
and, for the documents the workflow waits for, takes the workflow step it stands for
(`service_steps`), which starts or completes the SLA timers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock, policy
from disputes.documents import service_steps
from disputes.i18n import N_, DomainError
from disputes.models import Case, DocumentService, IssuedDocument, Party, Role, ServiceMethod, User, UserRole
from disputes.sla import timers
from disputes.workflow import timeline

PUBLIC_NOTICE_DAYS = 30  # CPL Art 95: deemed served thirty days after the notice is published
SERVED = "document_served"
DEEMED = "document_deemed_served"
STAFF_ROLES = (Role.CLERK, Role.ARBITRATOR, Role.MEDIATOR, Role.LEGAL_AID_OFFICER, Role.SUPERVISOR)


def serving_officers(session: Session, case: Case) -> list[User]:
    """Staff of the units holding the case or its tracks: who may have carried the document."""
    units = {case.unit_id, *[t.unit_id for t in (case.mediation, case.arbitration, *case.legal_aid) if t is not None]}
    staff = sa.select(UserRole.user_id).where(UserRole.role.in_(STAFF_ROLES))
    return list(
        session.scalars(
            sa.select(User)
            .where(User.unit_id.in_(units), User.active.is_(True), User.id.in_(staff))
            .order_by(User.display_name)
        )
    )


@dataclass
class ServiceInput:
    method: ServiceMethod
    served_at: datetime | None = None  # aware; not for a public notice
    place: str = ""
    tracking_number: str = ""
    address: str = ""
    published_on: date | None = None
    publication: str = ""
    recipient: str = ""
    refusal_note: str = ""
    officer_id: int | None = None


def deemed_on(published_on: date) -> date:
    return published_on + timedelta(days=PUBLIC_NOTICE_DAYS)


def _local_start(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=clock.LOCAL_TZ)


def _check(data: ServiceInput, document: IssuedDocument) -> None:
    issued_on = clock.to_local(document.issued_at).date()
    if data.method == ServiceMethod.PUBLIC_NOTICE:
        if data.published_on is None:
            raise DomainError(N_("This field is required."), field="published_on")
        if data.published_on > clock.today_local() or data.published_on < issued_on:
            raise DomainError(
                N_("The notice is published between the document's issue and today."), field="published_on"
            )
        if not data.publication.strip():
            raise DomainError(N_("This field is required."), field="publication")
        return
    if data.served_at is None:
        raise DomainError(N_("This field is required."), field="served_at")
    if data.served_at > clock.now_utc() or data.served_at < document.issued_at:
        raise DomainError(N_("A document is served between its issue and now."), field="served_at")
    if data.method == ServiceMethod.POST and not data.tracking_number.strip():
        raise DomainError(N_("Give the tracking number of the registered letter."), field="tracking_number")
    if data.method == ServiceMethod.ELECTRONIC and not data.address.strip():
        raise DomainError(N_("Give the e-mail address or mobile number the link was sent to."), field="address")
    if data.method == ServiceMethod.IN_PERSON and not (data.recipient.strip() or data.refusal_note.strip()):
        raise DomainError(N_("Name who signed for it, or describe the refusal."), field="recipient")


def served_dates(session: Session, document: IssuedDocument) -> dict[int, date]:
    """Party id → local date on which any version of this document instance first reached them."""
    rows = session.execute(
        sa.select(DocumentService.party_id, DocumentService.served_at)
        .join(IssuedDocument, IssuedDocument.id == DocumentService.document_id)
        .where(
            IssuedDocument.case_id == document.case_id,
            IssuedDocument.kind == document.kind,
            IssuedDocument.subject_key == document.subject_key,
            DocumentService.served_at.is_not(None),
        )
    )
    found: dict[int, date] = {}
    for party_id, served_at in rows:
        day = clock.to_local(served_at).date()
        found[party_id] = min(found.get(party_id, day), day)
    return found


def record_services(
    session: Session, case: Case, actor: User, documents: list[IssuedDocument], parties: list[Party], data: ServiceInput
) -> list[DocumentService]:
    """Record each of `documents` served on each of `parties` the same way (one submission of the service form):
    all of them or, on the first refusal, none (the caller rolls back)."""
    if not documents or not parties:
        raise DomainError(N_("Choose a document and a party of this case."), field="document_id")
    return [record_service(session, case, actor, d, p, data) for d in documents for p in parties]


def record_service(
    session: Session, case: Case, actor: User, document: IssuedDocument, party: Party, data: ServiceInput
) -> DocumentService:
    """Record that `document` reached `party` (or was published for them); take the workflow step it completes."""
    if not policy.can_record_service(actor, case):
        raise DomainError(N_("Your role does not allow this step."))
    if document.case_id != case.id or party.case_id != case.id:
        raise DomainError(N_("Choose a document and a party of this case."), field="document_id")
    existing = session.scalar(
        sa.select(DocumentService).where(
            DocumentService.document_id == document.id, DocumentService.party_id == party.id
        )
    )
    if existing is not None:
        raise DomainError(N_("This document has already been served on %(name)s."), field="party_id", name=party.name)
    _check(data, document)
    officer = session.get(User, data.officer_id) if data.officer_id else actor
    if officer is None or not officer.active:
        raise DomainError(N_("Choose an active member of staff."), field="officer_id")
    notice = data.method == ServiceMethod.PUBLIC_NOTICE
    service = DocumentService(
        document=document,
        case=case,
        party=party,
        method=data.method,
        served_at=None if notice else data.served_at,
        place=data.place.strip() or None,
        tracking_number=data.tracking_number.strip() or None,
        address=data.address.strip() or None,
        published_on=data.published_on if notice else None,
        publication=data.publication.strip() or None,
        recipient=data.recipient.strip() or None,
        refusal_note=data.refusal_note.strip() or None,
        officer=officer,
        recorded_by=actor,
        recorded_at=clock.now_utc(),
    )
    session.add(service)
    session.flush()
    timeline.record(session, case, actor, SERVED, after=_summary(service))
    if notice:  # the notice's 30 days do not count in the award period (Rules Art 46 (6))
        timers.notice_published(session, case, data.published_on)
    if notice and deemed_on(data.published_on) <= clock.today_local():
        _deem(session, service)  # published long enough ago: served already
    elif not notice:
        service.event = service_steps.take(session, case, actor, document, served_dates(session, document), party)
    session.flush()
    return service


def _summary(service: DocumentService) -> dict:
    return {
        "document": service.document.kind,
        "number": service.document.number,
        "party": service.party.name,
        "method": service.method.value,
        "served_at": clock.to_local(service.served_at).isoformat(timespec="minutes") if service.served_at else None,
        "published_on": service.published_on.isoformat() if service.published_on else None,
    }


def _deem(session: Session, service: DocumentService) -> None:
    service.served_at = _local_start(deemed_on(service.published_on))
    timeline.record(session, service.case, None, DEEMED, after=_summary(service))
    session.flush()
    timers.notice_deemed_served(session, service.case, service.published_on, deemed_on(service.published_on))
    # The workflow step is taken in the name of the officer who recorded the publication. When the workflow
    # refuses it now (the case is suspended, say), the service stands and the step is left to be taken by hand.
    savepoint = session.begin_nested()
    try:
        service.event = service_steps.take(
            session,
            service.case,
            service.recorded_by,
            service.document,
            served_dates(session, service.document),
            service.party,
        )
        savepoint.commit()
    except DomainError as error:
        savepoint.rollback()
        timeline.record(session, service.case, None, DEEMED, reason=str(error), after={"step": "not taken"})


def deem_public_notices(session: Session, today: date | None = None) -> list[DocumentService]:
    """Public notices published at least 30 days ago become served (idempotent; run daily)."""
    today = today or clock.today_local()
    due = session.scalars(
        sa.select(DocumentService)
        .where(
            DocumentService.method == ServiceMethod.PUBLIC_NOTICE,
            DocumentService.served_at.is_(None),
            DocumentService.published_on <= today - timedelta(days=PUBLIC_NOTICE_DAYS),
        )
        .order_by(DocumentService.published_on, DocumentService.id)
    ).all()
    for service in due:
        _deem(session, service)
    return list(due)


def services_of(session: Session, case: Case) -> list[DocumentService]:
    return list(
        session.scalars(
            sa.select(DocumentService)
            .where(DocumentService.case_id == case.id)
            .order_by(DocumentService.recorded_at, DocumentService.id)
        )
    )
