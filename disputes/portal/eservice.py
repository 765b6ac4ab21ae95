"""Electronic service (电子送达, issue 20; rule and sources in docs/decisions.md): only with the party's written
consent (送达地址确认书), by a link sent through the gateway to the confirmed address; service is complete when
the party opens the document after a one-time code proved the address, on that moment: the `document_services`
row (method electronic) is written then, through the counter's own `record_service`, so the workflow step it
completes (served on the respondent, award served…) is the same as for any other method."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock, messaging
from disputes.documents.service import ServiceInput, record_service
from disputes.i18n import N_, DomainError
from disputes.models import (
    DocumentService,
    ElectronicService,
    IssuedDocument,
    Party,
    ServiceConsent,
    ServiceMethod,
    User,
)

# Awards and mediation statements: by link only where the local rules allow it (ESERVICE_AWARDS setting).
AWARD_KINDS = frozenset({"arb_award", "arb_mediation_statement"})


def consent_of(session: Session, party: Party) -> ServiceConsent | None:
    return session.scalar(
        sa.select(ServiceConsent)
        .where(ServiceConsent.party_id == party.id, ServiceConsent.withdrawn_at.is_(None))
        .order_by(ServiceConsent.signed_at.desc(), ServiceConsent.id.desc())
        .limit(1)
    )


def sign_consent(
    session: Session,
    party: Party,
    address: str,
    *,
    via: str,
    actor: User | None = None,
    postal_address: str | None = None,
) -> ServiceConsent:
    """The party's consent: in the portal (the address is the one their code proved) or on paper (a clerk)."""
    if via == "paper" and actor is None:
        raise DomainError(N_("A paper consent is recorded by a member of staff."))
    address = messaging.normalise_contact(address)
    if not address:
        raise DomainError(N_("Give the mobile number or e-mail address for service."), field="address")
    previous = consent_of(session, party)
    if previous is not None:
        previous.withdrawn_at = clock.now_utc()  # replaced by the new one
    consent = ServiceConsent(
        case_id=party.case_id,
        party_id=party.id,
        address=address,
        postal_address=postal_address or None,
        signed_via=via,
        recorded_by_id=actor.id if actor is not None else None,
    )
    session.add(consent)
    session.flush()
    return consent


def send(
    session: Session, actor: User, document: IssuedDocument, party: Party, *, link_for, awards_allowed: bool
) -> ElectronicService:
    """Send the document's link to the party's confirmed address. `link_for(e_service)` is its portal address."""
    if document.case_id != party.case_id:
        raise DomainError(N_("Choose a document and a party of this case."), field="document_id")
    if document.kind in AWARD_KINDS and not awards_allowed:
        raise DomainError(
            N_(
                "The local rules do not allow serving awards and mediation statements electronically: serve it in "
                "person or by post."
            ),
            field="document_id",
        )
    consent = consent_of(session, party)
    if consent is None:
        raise DomainError(
            N_(
                "%(name)s has not consented to electronic service: serve in person or by post, or record the "
                "consent first."
            ),
            field="party_id",
            name=party.name,
        )
    served = session.scalar(
        sa.select(DocumentService.id).where(
            DocumentService.document_id == document.id, DocumentService.party_id == party.id
        )
    )
    if served is not None:
        raise DomainError(N_("This document has already been served on %(name)s."), field="party_id", name=party.name)
    existing = session.scalar(
        sa.select(ElectronicService).where(
            ElectronicService.document_id == document.id, ElectronicService.party_id == party.id
        )
    )
    if existing is not None:
        return existing
    e_service = ElectronicService(
        document_id=document.id,
        case_id=document.case_id,
        party_id=party.id,
        consent_id=consent.id,
        address=consent.address,
        sent_by_id=actor.id,
    )
    session.add(e_service)
    session.flush()
    return e_service


def open_document(session: Session, e_service: ElectronicService, party: Party) -> DocumentService:
    """The party opened it after the code: service is complete now (once)."""
    if e_service.service_id is not None:
        return session.get(DocumentService, e_service.service_id)
    now = clock.now_utc()
    document = session.get(IssuedDocument, e_service.document_id)
    service = record_service(
        session,
        party.case,
        e_service.sent_by,
        document,
        party,
        ServiceInput(
            method=ServiceMethod.ELECTRONIC,
            served_at=now,
            address=e_service.address,
            recipient=party.name,
            officer_id=e_service.sent_by_id,
        ),
    )
    e_service.opened_at = now
    e_service.service_id = service.id
    session.flush()
    return service
