"""Online applications (issue 20): what the portal files, and the clerk's check (补正 / 受理 / 不予受理).

Acceptance runs the counter's own intake operation (`workflow.intake.register_case`), so the number, the warnings,
the flags, the timers and the wait for a route are the same as for a case registered at the counter."""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from disputes import clock, identity
from disputes.i18n import N_, DomainError
from disputes.models import (
    Case,
    ClaimCategory,
    OnlineApplication,
    PartyKind,
    PartySide,
    User,
)
from disputes.models.enums import ApplicationStatus
from disputes.workflow import intake

COLLECTIVE_MINIMUM = intake.COLLECTIVE_THRESHOLD
REPRESENTATIVES = 2  # elected online for a collective application (Law Art 7: representatives; the rules: 3–5 max)


def new_reference() -> str:
    return "WS" + clock.today_local().strftime("%Y%m%d") + secrets.token_hex(3).upper()


def submit(session: Session, draft: dict, uploads: list[dict]) -> OnlineApplication:
    who = draft["who"]
    application = OnlineApplication(
        reference=new_reference(),
        kind=who["kind"],
        unit_id=int(who["unit_id"]),
        data=draft,
        contact_phone=who["phone"],
        contact_email=who.get("email") or None,
        drafted_by=who.get("drafted_by") or None,
        collective_token=secrets.token_urlsafe(16) if who.get("collective") else None,
    )
    from disputes.models import ApplicationUpload, CollectiveMember

    application.uploads = [ApplicationUpload(**upload) for upload in uploads]
    if application.collective_token:  # the worker who files is the first of the workers (counted, may be elected)
        application.members = [
            CollectiveMember(name=who["name"], id_number=identity.normalise(who["id_number"]), phone=who["phone"])
        ]
    session.add(application)
    session.flush()
    return application


def _amount(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def intake_input(application: OnlineApplication, on: date) -> intake.IntakeInput:
    """The counter's intake data from the application (and, for a collective one, its members)."""
    data = application.data
    who, employer = data["who"], data["employer"]
    parties = [
        intake.PartyInput(
            PartySide.APPLICANT,
            PartyKind.WORKER,
            who["name"],
            id_number=who["id_number"],
            phone=who["phone"],
            address=who.get("address") or None,
            migrant_worker=bool(who.get("migrant_worker")),
        )
    ]
    elected = elected_ids(application)
    for member in application.members:
        if identity.normalise(member.id_number) == identity.normalise(who["id_number"]):
            parties[0].is_representative = member.id in elected
            continue
        parties.append(
            intake.PartyInput(
                PartySide.APPLICANT,
                PartyKind.WORKER,
                member.name,
                id_number=member.id_number,
                phone=member.phone,
                is_representative=member.id in elected,
            )
        )
    parties.append(
        intake.PartyInput(
            PartySide.RESPONDENT,
            PartyKind.EMPLOYER,
            employer["name"],
            credit_code=employer.get("credit_code") or None,
            address=employer.get("address") or None,
        )
    )
    for party in parties:
        if party.id_number:
            intake.derive_from_id(party)
    known_on = employer.get("known_on")
    return intake.IntakeInput(
        unit_id=application.unit_id,
        cause=data.get("cause") or data["claims"][0]["category"],
        parties=parties,
        claims=[
            intake.ClaimInput(ClaimCategory(c["category"]), _amount(c.get("amount")), c.get("description") or "")
            for c in data["claims"]
        ],
        registered_on=on,
        dispute_known_on=date.fromisoformat(known_on) if known_on else None,
        facts=data.get("facts") or "",
        still_employed=bool(employer.get("still_employed")),
    )


def _open(application: OnlineApplication) -> None:
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.CORRECTION):
        raise DomainError(N_("This application has already been decided."))


def accept(session: Session, actor: User, application: OnlineApplication) -> Case:
    _open(application)
    if application.collective_token and len(application.members) < COLLECTIVE_MINIMUM:
        raise DomainError(
            N_("A collective application needs at least %(count)s workers; %(joined)s have joined."),
            count=COLLECTIVE_MINIMUM,
            joined=len(application.members),
        )
    case = intake.register_case(session, actor, intake_input(application, clock.today_local()))
    _decide(application, actor, ApplicationStatus.ACCEPTED, None)
    application.case_id = case.id
    session.flush()
    return case


def ask_correction(session: Session, actor: User, application: OnlineApplication, reason: str) -> None:
    _open(application)
    _decide(application, actor, ApplicationStatus.CORRECTION, _reason(reason))
    session.flush()


def refuse(session: Session, actor: User, application: OnlineApplication, reason: str) -> None:
    _open(application)
    _decide(application, actor, ApplicationStatus.REFUSED, _reason(reason))
    session.flush()


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(N_("Say why, for the applicant."), field="reason")
    return reason


def _decide(application: OnlineApplication, actor: User, status: ApplicationStatus, reason: str | None) -> None:
    application.status = status
    application.decision_reason = reason
    application.decided_at = clock.now_utc()
    application.decided_by_id = actor.id


def join(session: Session, application: OnlineApplication, name: str, id_number: str, phone: str):
    """A worker joins a collective application by its shared link (once per ID number)."""
    from disputes.models import CollectiveMember

    if application.collective_token is None or application.status != ApplicationStatus.SUBMITTED:
        raise DomainError(N_("This application no longer collects workers."))
    number = identity.normalise(id_number)
    if any(m.id_number == number for m in application.members):
        raise DomainError(N_("This ID number has already joined."), field="id_number")
    member = CollectiveMember(name=name.strip(), id_number=number, phone=phone)
    application.members.append(member)
    session.flush()
    return member


def vote(session: Session, application: OnlineApplication, id_number: str, candidate_id: int) -> None:
    """A member elects a representative among the members (one vote each, changeable until the check)."""
    if application.status != ApplicationStatus.SUBMITTED:
        raise DomainError(N_("This application no longer collects workers."))
    number = identity.normalise(id_number)
    voter = next((m for m in application.members if m.id_number == number), None)
    if voter is None:
        raise DomainError(N_("Only a worker who joined can vote."), field="id_number")
    if not any(m.id == candidate_id for m in application.members):
        raise DomainError(N_("Choose one of the workers who joined."), field="candidate")
    voter.vote_for_id = candidate_id
    session.flush()


def tally(application: OnlineApplication) -> list[tuple[object, int]]:
    counts = {m.id: 0 for m in application.members}
    for m in application.members:
        if m.vote_for_id in counts:
            counts[m.vote_for_id] += 1
    return sorted(((m, counts[m.id]) for m in application.members), key=lambda pair: (-pair[1], pair[0].id))


def elected_ids(application: OnlineApplication) -> set[int]:
    """The REPRESENTATIVES members with the most votes (ties: who joined first); none before any vote."""
    return {m.id for m, votes in tally(application)[:REPRESENTATIVES] if votes > 0}
