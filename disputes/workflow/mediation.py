"""Mediation operations (domain.md, “Mediation 调解”): each checks, changes, logs and flushes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from disputes import clock, numbering
from disputes.i18n import N_, DomainError
from disputes.models import (
    AgreementTerm,
    Case,
    Confirmation,
    Instalment,
    Mediation,
    MediationSession,
    Role,
    Unit,
    UnitKind,
    User,
)
from disputes.sla.due import due_on
from disputes.workflow import appointments, claim_items
from disputes.workflow.actions import TRACK_RULES, TrackRules, action, assign, begin, checked_date, finish, release
from disputes.workflow.states import (
    ARBITRATION_OPEN,
    MEDIATION_OPEN,
    ConfirmationKind,
    ConfirmationResult,
    MediationState,
    Performance,
    SessionOutcome,
    Track,
)

S = MediationState
R = Role
OPENERS = (R.CLERK, R.MEDIATOR, R.ARBITRATOR, R.SUPERVISOR)

TRACK_RULES[Track.MEDIATION] = TrackRules(
    rank={S.APPLIED: 0, S.ACCEPTED: 1, S.IN_SESSION: 2, S.AGREEMENT: 3, S.FAILED: 3, S.WITHDRAWN: 3, S.LAPSED: 3},
    not_yet={
        S.ACCEPTED: N_("The mediation has not been accepted yet."),
        S.AGREEMENT: N_("No agreement has been recorded."),
    },
    ended={
        S.AGREEMENT: N_("The mediation ended with an agreement."),
        S.FAILED: N_("The mediation has failed and is over."),
        S.WITHDRAWN: N_("The mediation was withdrawn and is over."),
        S.LAPSED: N_("The mediation has lapsed and is over."),
    },
    absent=N_("This case has no mediation."),
    present=N_("This case already has a mediation."),
)


def _not_in_arbitration(case: Case, _row) -> DomainError | None:
    if case.arbitration is not None and case.arbitration.state in ARBITRATION_OPEN:
        return DomainError(N_("The case is already in arbitration; mediation there is pre-hearing mediation."))
    if case.arbitration is not None and case.arbitration.accepted_on is not None:
        return DomainError(N_("The arbitration commission has dealt with this case; it is past mediation."))
    return None


def _period_over(case: Case, row: Mediation) -> DomainError | None:
    """Law Art 14: a party may go on to arbitration when no agreement is reached within 15 days of the application
    (the `mediation.resolve` timer's deadline, holidays rolled over)."""
    ends = due_on(case, "mediation.resolve")
    if ends is not None and clock.today_local() <= ends:
        return DomainError(N_("The 15 days of mediation run until %(date)s; it has not lapsed."), date=ends)
    return None


def _confirmation_pending(case: Case, row: Mediation) -> DomainError | None:
    if not any(c.result == ConfirmationResult.PENDING for c in row.confirmations):
        return DomainError(N_("No review or confirmation request is waiting for a result."))
    return None


def _confirmation_applied(row: Mediation, _subject) -> date | None:
    return max((c.applied_on for c in row.confirmations), default=None)


def _confirmation_decided(row: Mediation, _subject) -> date | None:
    return max((c.decided_on for c in row.confirmations if c.decided_on), default=None)


OPEN = action(
    "mediation.open",
    Track.MEDIATION,
    None,
    S.APPLIED,
    OPENERS,
    guards=(_not_in_arbitration,),
    required=("unit_id", "applied_on"),
    dated_by="applied_on",
    label=N_("Apply for mediation"),
)
ACCEPT = action(
    "mediation.accept",
    Track.MEDIATION,
    {S.APPLIED},
    S.ACCEPTED,
    (R.CLERK, R.MEDIATOR, R.SUPERVISOR),
    required=("mediator_id",),
    dated_by="accepted_on",
    label=N_("Accept and assign a mediator"),
)
LOG_SESSION = action(
    "mediation.log_session",
    Track.MEDIATION,
    {S.ACCEPTED, S.IN_SESSION},
    S.IN_SESSION,
    (R.SUPERVISOR,),
    assigned=(R.MEDIATOR,),
    required=("held_at", "attendees", "summary", "outcome"),
    label=N_("Log a session"),
)
AGREE = action(
    "mediation.agreement",
    Track.MEDIATION,
    {S.ACCEPTED, S.IN_SESSION},
    S.AGREEMENT,
    (R.SUPERVISOR,),
    assigned=(R.MEDIATOR,),
    required=("signed_on", "terms"),
    dated_by="agreement_signed_on",
    label=N_("Record the agreement"),
)
FAIL = action(
    "mediation.fail",
    Track.MEDIATION,
    {S.ACCEPTED, S.IN_SESSION},
    S.FAILED,
    (R.SUPERVISOR,),
    assigned=(R.MEDIATOR,),
    required=("reason",),
    dated_by="ended_on",
    label=N_("Record failure"),
)
WITHDRAW = action(
    "mediation.withdraw",
    Track.MEDIATION,
    MEDIATION_OPEN,
    S.WITHDRAWN,
    (R.SUPERVISOR,),
    assigned=(R.MEDIATOR,),
    required=("reason",),
    dated_by="ended_on",
    label=N_("Record withdrawal"),
)
LAPSE = action(
    "mediation.lapse",
    Track.MEDIATION,
    MEDIATION_OPEN,
    S.LAPSED,
    (R.SUPERVISOR,),
    assigned=(R.MEDIATOR,),
    guards=(_period_over,),
    dated_by="ended_on",
    label=N_("Record lapse after 15 days"),
)
PERFORMANCE = action(
    "mediation.performance",
    Track.MEDIATION,
    {S.AGREEMENT},
    None,
    (R.SUPERVISOR,),
    assigned=(R.MEDIATOR,),
    required=("performance",),
    dated_by="performance_noted_on",
    label=N_("Record performance"),
)
REQUEST_CONFIRMATION = action(
    "mediation.request_confirmation",
    Track.MEDIATION,
    {S.AGREEMENT},
    None,
    (R.SUPERVISOR,),
    assigned=(R.MEDIATOR,),
    required=("kind", "applied_on"),
    dated_by=_confirmation_applied,
    label=N_("Record a review or confirmation request"),
)
DECIDE_CONFIRMATION = action(
    "mediation.decide_confirmation",
    Track.MEDIATION,
    {S.AGREEMENT},
    None,
    (R.SUPERVISOR,),
    assigned=(R.MEDIATOR,),
    guards=(_confirmation_pending,),
    required=("result",),
    dated_by=_confirmation_decided,
    label=N_("Record the review or confirmation result"),
)


def open_mediation(
    session: Session,
    case: Case,
    actor: User,
    *,
    unit_id: int | None,
    applied_on: date | None,
    expected_version: int | None = None,
) -> Mediation:
    begin(
        case,
        actor,
        OPEN.name,
        case.mediation,
        expected_version=expected_version,
        unit_id=unit_id,
        applied_on=applied_on,
    )
    unit = session.get(Unit, unit_id)
    if unit is None or unit.kind != UnitKind.MEDIATION_COMMITTEE or not unit.active:
        raise DomainError(N_("Choose a mediation committee."), field="unit_id")
    checked_date(applied_on, "applied_on")
    if applied_on < case.registered_on:
        raise DomainError(N_("The application cannot precede the case's registration."), field="applied_on")
    mediation = Mediation(case=case, unit=unit, applied_on=applied_on)
    session.add(mediation)
    finish(session, case, actor, OPEN, mediation, after={"unit": unit.code, "applied_on": applied_on.isoformat()})
    return mediation


def accept_mediation(
    session: Session,
    case: Case,
    actor: User,
    *,
    mediator_id: int | None,
    accepted_on: date | None = None,
    expected_version: int | None = None,
) -> Mediation:
    mediation = case.mediation
    begin(case, actor, ACCEPT.name, mediation, expected_version=expected_version, mediator_id=mediator_id)
    mediator = session.get(User, mediator_id)
    if mediator is None or not mediator.active or not mediator.has_role(Role.MEDIATOR):
        raise DomainError(N_("Choose an active mediator."), field="mediator_id")
    accepted_on = accepted_on or clock.today_local()
    checked_date(accepted_on, "accepted_on")
    if accepted_on < mediation.applied_on:
        raise DomainError(N_("Acceptance cannot precede the application."), field="accepted_on")
    mediation.mediator, mediation.accepted_on = mediator, accepted_on
    mediation.number = numbering.issue_number(session, mediation.unit, numbering.MEDIATION, accepted_on.year)
    release(case, Role.MEDIATOR, keep=[mediator])
    assign(case, mediator, Role.MEDIATOR)
    finish(
        session, case, actor, ACCEPT, mediation, after={"number": mediation.number, "mediator": mediator.display_name}
    )
    return mediation


@dataclass
class SessionInput:
    held_at: datetime | None
    attendees: str
    summary: str
    outcome: SessionOutcome | None
    place: str | None = None
    online_link: str | None = None
    next_at: datetime | None = None


def log_session(
    session: Session, case: Case, actor: User, data: SessionInput, expected_version: int | None = None
) -> MediationSession:
    mediation = case.mediation
    begin(case, actor, LOG_SESSION.name, mediation, expected_version=expected_version, **vars(data))
    if not (data.place or "").strip() and not (data.online_link or "").strip():
        raise DomainError(N_("Give the place or the online room."), field="place")
    if data.held_at > clock.now_utc() + timedelta(hours=1):
        raise DomainError(N_("A session is logged after it is held."), field="held_at")
    if data.next_at is not None and data.next_at <= data.held_at:
        raise DomainError(N_("The next session must come after this one."), field="next_at")
    record = MediationSession(
        mediation=mediation,
        held_at=data.held_at,
        place=(data.place or "").strip() or None,
        online_link=(data.online_link or "").strip() or None,
        mediator=mediation.mediator or actor,
        attendees=data.attendees.strip(),
        summary=data.summary.strip(),
        outcome=data.outcome,
        next_at=data.next_at,
    )
    session.add(record)
    if record.next_at is not None:
        appointments.session_changed(session, record)  # the parties are told of the next session at once
    finish(
        session,
        case,
        actor,
        LOG_SESSION,
        mediation,
        after={"held_at": clock.to_local(data.held_at).isoformat(timespec="minutes"), "outcome": data.outcome.value},
    )
    return record


@dataclass
class TermInput:
    description: str
    amount: Decimal | None = None
    claim_id: int | None = None


@dataclass
class InstalmentInput:
    due_on: date
    amount: Decimal


def check_schedule(terms: list[TermInput], instalments: list[InstalmentInput]) -> None:
    """A payment schedule, when there is one, pays exactly the amount the terms agree (People's Mediation Law
    Art 29(3): the agreement states the manner and time of performance; Law Art 16: a worker takes the agreement
    to court for a payment order when an instalment is missed, so the two must not contradict each other)."""
    if not instalments:
        return
    agreed = sum((t.amount or Decimal(0) for t in terms), Decimal(0))
    scheduled = sum((i.amount for i in instalments), Decimal(0))
    if scheduled != agreed:
        raise DomainError(
            N_(
                "The instalments add up to %(scheduled)s yuan but the terms agree %(agreed)s yuan; "
                "the schedule must pay exactly the agreed amount."
            ),
            field="instalments",
            scheduled=f"{scheduled:,.2f}",
            agreed=f"{agreed:,.2f}",
        )


def record_agreement(
    session: Session,
    case: Case,
    actor: User,
    *,
    signed_on: date | None,
    terms: list[TermInput],
    instalments: list[InstalmentInput] = (),
    summary: str = "",
    expected_version: int | None = None,
) -> Mediation:
    mediation = case.mediation
    begin(case, actor, AGREE.name, mediation, expected_version=expected_version, signed_on=signed_on, terms=terms)
    checked_date(signed_on, "signed_on")
    if signed_on < mediation.accepted_on:
        raise DomainError(N_("The agreement cannot precede the acceptance."), field="signed_on")
    claim_ids = {c.id for c in case.claims}
    for term in terms:
        if term.claim_id is not None and term.claim_id not in claim_ids:
            raise DomainError(N_("A term refers to a claim of another case."), field="terms")
    for inst in instalments:
        if inst.due_on < signed_on:
            raise DomainError(N_("An instalment cannot fall due before the agreement is signed."), field="instalments")
    check_schedule(terms, instalments)
    mediation.terms = [AgreementTerm(position=i, **vars(t)) for i, t in enumerate(terms)]
    mediation.instalments = [Instalment(due_on=i.due_on, amount=i.amount) for i in instalments]
    for term in terms:
        if term.claim_id is not None and term.amount is not None:
            next(c for c in case.claims if c.id == term.claim_id).resolved_amount = term.amount
    claim_items.after_mediation(case.claims, {t.claim_id for t in terms if t.claim_id is not None})
    by_id = {c.id: c for c in case.claims}
    for row in mediation.terms:
        row.dispute_cause = claim_items.cause_of(by_id[row.claim_id]) if row.claim_id in by_id else None
    _plan_dropped(session, mediation)
    mediation.agreement_signed_on, mediation.ended_on = signed_on, signed_on
    mediation.agreement_summary = summary.strip() or None
    mediation.performance = Performance.PENDING
    # The case ends (if nothing else is open) on the day the agreement was signed, not the day it was typed in.
    finish(
        session,
        case,
        actor,
        AGREE,
        mediation,
        on=signed_on,
        after={"signed_on": signed_on.isoformat(), "total": str(mediation.agreed_total), "terms": len(terms)},
    )
    return mediation


def _end(
    session: Session,
    case: Case,
    actor: User,
    act,
    reason: str | None,
    expected_version: int | None,
    ended_on: date | None = None,
) -> Mediation:
    mediation = case.mediation
    begin(case, actor, act.name, mediation, expected_version=expected_version, reason=reason)
    _plan_dropped(session, mediation)  # first: it reads the sessions (an autoflush) before the end is half-set
    mediation.ended_on = ended_on or clock.today_local()
    mediation.end_reason = (reason or "").strip() or None
    finish(session, case, actor, act, mediation, reason=mediation.end_reason, on=mediation.ended_on)
    return mediation


def _plan_dropped(session: Session, mediation: Mediation) -> None:
    """The mediation ends with a next session still planned: that session will not take place, the parties are told."""
    latest = max(mediation.sessions, key=lambda s: (s.held_at, s.id or 0), default=None)
    if latest is not None and latest.next_at is not None and latest.next_at > clock.now_utc():
        appointments.session_changed(session, latest)


def fail_mediation(session, case, actor, *, reason, expected_version=None) -> Mediation:
    return _end(session, case, actor, FAIL, reason, expected_version)


def withdraw_mediation(session, case, actor, *, reason, expected_version=None) -> Mediation:
    return _end(session, case, actor, WITHDRAW, reason, expected_version)


def lapse_mediation(session, case, actor, *, reason=None, expected_version=None) -> Mediation:
    return _end(session, case, actor, LAPSE, reason, expected_version)


def record_performance(
    session: Session,
    case: Case,
    actor: User,
    *,
    performance: Performance | None,
    paid_instalment_ids: list[int] = (),
    note: str = "",
    expected_version: int | None = None,
) -> Mediation:
    mediation = case.mediation
    begin(case, actor, PERFORMANCE.name, mediation, expected_version=expected_version, performance=performance)
    if performance == Performance.PENDING:
        raise DomainError(N_("Choose performed, partly performed or defaulted."), field="performance")
    today = clock.today_local()
    for inst in mediation.instalments:
        if inst.id in paid_instalment_ids and inst.paid_on is None:
            inst.paid_on = today
    before = {"performance": mediation.performance.value}
    mediation.performance, mediation.performance_noted_on = performance, today
    paid = sum((i.amount for i in mediation.instalments if i.paid_on is not None), Decimal(0))
    claim_items.after_performance(case.claims, paid, performance == Performance.PERFORMED)
    mediation.performance_note = note.strip() or None
    finish(
        session,
        case,
        actor,
        PERFORMANCE,
        mediation,
        reason=mediation.performance_note,
        before=before,
        after={"performance": performance.value},
    )
    return mediation


def request_confirmation(
    session: Session,
    case: Case,
    actor: User,
    *,
    kind: ConfirmationKind | None,
    applied_on: date | None,
    body: str = "",
    expected_version: int | None = None,
) -> Confirmation:
    mediation = case.mediation
    begin(
        case,
        actor,
        REQUEST_CONFIRMATION.name,
        mediation,
        expected_version=expected_version,
        kind=kind,
        applied_on=applied_on,
    )
    checked_date(applied_on, "applied_on")
    if applied_on < mediation.agreement_signed_on:
        raise DomainError(N_("The request cannot precede the agreement."), field="applied_on")
    if any(c.kind == kind and c.result == ConfirmationResult.PENDING for c in mediation.confirmations):
        raise DomainError(N_("A request of this kind is already waiting for its result."), field="kind")
    request = Confirmation(mediation=mediation, kind=kind, applied_on=applied_on, body=body.strip() or None)
    session.add(request)
    finish(
        session,
        case,
        actor,
        REQUEST_CONFIRMATION,
        mediation,
        after={"kind": kind.value, "applied_on": applied_on.isoformat()},
    )
    return request


def decide_confirmation(
    session: Session,
    case: Case,
    actor: User,
    *,
    result: ConfirmationResult | None,
    note: str = "",
    expected_version: int | None = None,
) -> Confirmation:
    mediation = case.mediation
    begin(case, actor, DECIDE_CONFIRMATION.name, mediation, expected_version=expected_version, result=result)
    if result == ConfirmationResult.PENDING:
        raise DomainError(N_("Choose confirmed or refused."), field="result")
    request = next(c for c in mediation.confirmations if c.result == ConfirmationResult.PENDING)
    request.result, request.decided_on, request.note = result, clock.today_local(), note.strip() or None
    finish(
        session, case, actor, DECIDE_CONFIRMATION, mediation, after={"kind": request.kind.value, "result": result.value}
    )
    return request


def mediators_for(session: Session, mediation: Mediation) -> list[User]:
    """Active mediators of the committee's unit, offered when accepting."""
    return sorted(
        (
            u
            for u in session.query(User).filter(User.unit_id == mediation.unit_id, User.active.is_(True))
            if u.has_role(Role.MEDIATOR)
        ),
        key=lambda u: u.display_name,
    )
