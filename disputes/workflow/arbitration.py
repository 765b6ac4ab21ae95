"""Arbitration operations (domain.md, “Arbitration 仲裁”): from receipt to the supervisor's closure approval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from disputes import clock, numbering
from disputes.i18n import N_, DomainError
from disputes.models import (
    Arbitration,
    Case,
    PartySide,
    Role,
    StatementTerm,
    TribunalMember,
    Unit,
    UnitKind,
    User,
)
from disputes.workflow import appointments, approvals, claim_items, eservice_guard
from disputes.workflow.actions import TRACK_RULES, TrackRules, action, assign, begin, checked_date, finish
from disputes.workflow.states import (
    ARBITRATION_RUNNING,
    CLOSURES_WITH_DOCUMENT,
    MEDIATION_OPEN,
    ArbitrationState,
    ClosureType,
    HearingState,
    RefusalGround,
    Track,
    TribunalKind,
    TribunalSeat,
)

S = ArbitrationState
R = Role
STAFF = (R.CLERK, R.SUPERVISOR)  # with the assigned arbitrators
TRACK_RULES[Track.ARBITRATION] = TrackRules(
    rank={
        S.CORRECTION_REQUESTED: 0,
        S.RECEIVED: 1,
        S.REFUSED: 2,
        S.ACCEPTED: 2,
        S.SERVED: 3,
        S.TRIBUNAL_FORMED: 4,
        S.HEARD: 5,
        S.CLOSING: 6,
        S.CLOSED: 7,
    },
    not_yet={
        S.RECEIVED: N_("The application is waiting for corrected materials."),
        S.ACCEPTED: N_("The application has not been accepted yet."),
        S.SERVED: N_("The respondent has not been served yet."),
        S.TRIBUNAL_FORMED: N_("The tribunal has not been formed yet."),
        S.HEARD: N_("No hearing has been held yet."),
        S.CLOSING: N_("No closure has been requested."),
        S.CLOSED: N_("The arbitration has not been closed yet."),
    },
    ended={
        S.REFUSED: N_("The application was refused; the applicant may sue."),
        S.CLOSING: N_("The closure is waiting for a supervisor's approval."),
        S.CLOSED: N_("The arbitration is closed."),
    },
    absent=N_("This case has no arbitration."),
    present=N_("This case already has an arbitration."),
)


def not_suspended(case: Case, row: Arbitration) -> DomainError | None:
    if row.suspended:
        return DomainError(N_("The case has been suspended since %(date)s."), date=row.suspended_since)
    return None


def _mediation_not_open(case: Case, _row) -> DomainError | None:
    if case.mediation is not None and case.mediation.state in MEDIATION_OPEN:
        return DomainError(N_("Mediation is still open: record its end (failure, withdrawal or lapse) first."))
    return None


def _defence_not_received(case: Case, row: Arbitration) -> DomainError | None:
    if row.defence_received_on is not None:
        return DomainError(N_("The defence was received on %(date)s."), date=row.defence_received_on)
    return None


def _defence_to_serve(case: Case, row: Arbitration) -> DomainError | None:
    if row.defence_received_on is None:
        return DomainError(N_("No defence has been received."))
    if row.defence_served_on is not None:
        return DomainError(N_("The defence was served on the applicant on %(date)s."), date=row.defence_served_on)
    return None


def _tribunal_not_notified(case: Case, row: Arbitration) -> DomainError | None:
    if row.tribunal_notified_on is not None:
        return DomainError(N_("The tribunal notice was served on %(date)s."), date=row.tribunal_notified_on)
    return None


def _not_simplified(case: Case, row: Arbitration) -> DomainError | None:
    if row.simplified:
        return DomainError(N_("The case already follows the simplified procedure."))
    return None


RECEIVE = action(
    "arbitration.receive",
    Track.ARBITRATION,
    None,
    S.RECEIVED,
    (R.CLERK, R.ARBITRATOR, R.SUPERVISOR),
    guards=(_mediation_not_open,),
    required=("unit_id", "received_on"),
    dated_by="complete_on",
    label=N_("Receive an arbitration application"),
)
REQUEST_CORRECTION = action(
    "arbitration.request_correction",
    Track.ARBITRATION,
    {S.RECEIVED},
    S.CORRECTION_REQUESTED,
    STAFF,
    required=("note",),
    dated_by="correction_requested_on",
    label=N_("Request corrections"),
)
CORRECTED = action(
    "arbitration.corrected",
    Track.ARBITRATION,
    {S.CORRECTION_REQUESTED},
    S.RECEIVED,
    STAFF,
    dated_by="complete_on",
    label=N_("Corrected materials received"),
)
CORRECTION_LAPSED = action(
    "arbitration.correction_lapsed",
    Track.ARBITRATION,
    {S.CORRECTION_REQUESTED},
    S.CLOSED,
    STAFF,
    dated_by="closed_on",
    label=N_("Not corrected in time: deemed withdrawn"),
)
ACCEPT = action(
    "arbitration.accept",
    Track.ARBITRATION,
    {S.RECEIVED},
    S.ACCEPTED,
    STAFF,
    dated_by="accepted_on",
    label=N_("Accept the case"),
)
REFUSE = action(
    "arbitration.refuse",
    Track.ARBITRATION,
    {S.RECEIVED},
    S.REFUSED,
    STAFF,
    required=("ground", "reason"),
    dated_by="refused_on",
    label=N_("Refuse to accept"),
)
SERVE = action(
    "arbitration.serve_respondent",
    Track.ARBITRATION,
    {S.ACCEPTED},
    S.SERVED,
    STAFF,
    assigned=(R.ARBITRATOR,),
    guards=(not_suspended,),
    required=("served_on",),
    dated_by="served_on",
    label=N_("Record service on the respondent"),
)
SERVED_STATES = {S.SERVED, S.TRIBUNAL_FORMED, S.HEARD}
DEFENCE = action(
    "arbitration.defence",
    Track.ARBITRATION,
    SERVED_STATES,
    None,
    STAFF,
    assigned=(R.ARBITRATOR,),
    guards=(_defence_not_received,),
    required=("received_on",),
    dated_by="defence_received_on",
    label=N_("Record the defence"),
)
SERVE_DEFENCE = action(
    "arbitration.serve_defence",
    Track.ARBITRATION,
    SERVED_STATES,
    None,
    STAFF,
    assigned=(R.ARBITRATOR,),
    guards=(_defence_to_serve,),
    required=("served_on",),
    dated_by="defence_served_on",
    label=N_("Record service of the defence on the applicant"),
)
FORM_TRIBUNAL = action(
    "arbitration.form_tribunal",
    Track.ARBITRATION,
    {S.SERVED},
    S.TRIBUNAL_FORMED,
    STAFF,
    guards=(not_suspended,),
    required=("kind", "arbitrator_ids"),
    label=N_("Form the tribunal"),
)
NOTIFY_TRIBUNAL = action(
    "arbitration.tribunal_notice",
    Track.ARBITRATION,
    {S.TRIBUNAL_FORMED, S.HEARD},
    None,
    STAFF,
    assigned=(R.ARBITRATOR,),
    guards=(_tribunal_not_notified,),
    required=("served_on",),
    dated_by="tribunal_notified_on",
    label=N_("Record the tribunal notice served"),
)
SIMPLIFY = action(
    "arbitration.simplify",
    Track.ARBITRATION,
    ARBITRATION_RUNNING,
    None,
    (R.SUPERVISOR,),
    assigned=(R.ARBITRATOR,),
    guards=(_not_simplified, not_suspended),
    required=("ground",),
    label=N_("Apply the simplified procedure"),
)
PRE_HEARING = action(
    "arbitration.pre_hearing_mediation",
    Track.ARBITRATION,
    ARBITRATION_RUNNING,
    None,
    (R.SUPERVISOR,),
    assigned=(R.ARBITRATOR,),
    guards=(not_suspended,),
    required=("note",),
    label=N_("Record pre-hearing mediation"),
)
ADVANCE_EXECUTION = action(
    "arbitration.advance_execution",
    Track.ARBITRATION,
    ARBITRATION_RUNNING,
    None,
    (R.SUPERVISOR,),
    assigned=(R.ARBITRATOR,),
    guards=(not_suspended,),
    required=("note",),
    label=N_("Rule on advance execution"),
)
REQUEST_CLOSURE = action(
    "arbitration.request_closure",
    Track.ARBITRATION,
    ARBITRATION_RUNNING,
    S.CLOSING,
    (R.SUPERVISOR,),
    assigned=(R.ARBITRATOR,),
    guards=(not_suspended,),
    required=("closure_type",),
    dated_by="closure_act_on",
    label=N_("Close the case (for approval)"),
)
APPROVE_CLOSURE = action(
    "arbitration.approve_closure",
    Track.ARBITRATION,
    {S.CLOSING},
    S.CLOSED,
    (R.SUPERVISOR,),
    dated_by="closed_on",
    label=N_("Approve the closure"),
    actor_guards=(approvals.not_own_closure,),
)
REJECT_CLOSURE = action(
    "arbitration.reject_closure",
    Track.ARBITRATION,
    {S.CLOSING},
    None,
    (R.SUPERVISOR,),
    required=("note",),
    label=N_("Send the closure back"),
)


def receive_application(
    session: Session,
    case: Case,
    actor: User,
    *,
    unit_id: int | None,
    received_on: date | None,
    expected_version: int | None = None,
) -> Arbitration:
    """Open the arbitration track; the case's parties and claims are the application's."""
    begin(
        case,
        actor,
        RECEIVE.name,
        case.arbitration,
        expected_version=expected_version,
        unit_id=unit_id,
        received_on=received_on,
    )
    unit = session.get(Unit, unit_id)
    if unit is None or unit.kind != UnitKind.ARBITRATION_COMMISSION or not unit.active:
        raise DomainError(N_("Choose an arbitration commission."), field="unit_id")
    received_on = checked_date(
        received_on,
        "received_on",
        not_before=case.registered_on,
        before_message=N_("The application cannot precede the case's registration."),
    )
    arbitration = Arbitration(case=case, unit=unit, received_on=received_on, complete_on=received_on)
    session.add(arbitration)
    finish(
        session, case, actor, RECEIVE, arbitration, after={"unit": unit.code, "received_on": received_on.isoformat()}
    )
    return arbitration


def request_correction(session, case, actor, *, note: str, expected_version=None) -> Arbitration:
    arbitration = case.arbitration
    begin(case, actor, REQUEST_CORRECTION.name, arbitration, expected_version=expected_version, note=note)
    arbitration.correction_requested_on, arbitration.correction_note = clock.today_local(), note.strip()
    finish(session, case, actor, REQUEST_CORRECTION, arbitration, reason=arbitration.correction_note)
    return arbitration


def corrected(session, case, actor, *, received_on: date | None = None, expected_version=None) -> Arbitration:
    """Completed materials restart the acceptance period (Rules Art 46)."""
    arbitration = case.arbitration
    begin(case, actor, CORRECTED.name, arbitration, expected_version=expected_version)
    arbitration.complete_on = checked_date(
        received_on,
        "received_on",
        not_before=arbitration.correction_requested_on,
        before_message=N_("Corrections cannot arrive before they were requested."),
    )
    finish(session, case, actor, CORRECTED, arbitration, after={"complete_on": arbitration.complete_on.isoformat()})
    return arbitration


def correction_lapsed(session, case, actor, *, note: str = "", expected_version=None) -> Arbitration:
    """Rules Art 29: an application not corrected in time is treated as withdrawn; it was never accepted."""
    arbitration = case.arbitration
    begin(case, actor, CORRECTION_LAPSED.name, arbitration, expected_version=expected_version)
    claims = case.claims  # loaded first: loading them later autoflushes a closing date on a state not yet closed
    arbitration.closure_type, arbitration.closed_on = ClosureType.DEEMED_WITHDRAWN, clock.today_local()
    arbitration.closure_act_on = arbitration.closed_on
    arbitration.closure_note = note.strip() or None
    claim_items.after_closure(claims, arbitration.closure_type)
    finish(session, case, actor, CORRECTION_LAPSED, arbitration, reason=arbitration.closure_note)
    return arbitration


def accept(
    session: Session, case: Case, actor: User, *, accepted_on: date | None = None, expected_version: int | None = None
) -> Arbitration:
    arbitration = case.arbitration
    begin(case, actor, ACCEPT.name, arbitration, expected_version=expected_version)
    accepted_on = checked_date(
        accepted_on,
        "accepted_on",
        not_before=arbitration.complete_on,
        before_message=N_("Acceptance cannot precede the complete application."),
    )
    # The number first: its upsert autoflushes, and a row with accepted_on but no number breaks a CHECK.
    number = numbering.issue_number(session, arbitration.unit, numbering.ARBITRATION, accepted_on.year)
    arbitration.accepted_on, arbitration.number = accepted_on, number
    finish(session, case, actor, ACCEPT, arbitration, after={"number": arbitration.number})
    return arbitration


def refuse(
    session, case, actor, *, ground: RefusalGround | str | None, reason: str, expected_version=None
) -> Arbitration:
    """Refuse to accept, on one of the grounds of Rules Art 30 (the refusal notice follows the ground:
    the competent commission for jurisdiction, the court otherwise), with the reason in the applicant's terms."""
    arbitration = case.arbitration
    begin(case, actor, REFUSE.name, arbitration, expected_version=expected_version, ground=ground, reason=reason)
    arbitration.refused_on, arbitration.refusal_reason = clock.today_local(), reason.strip()
    arbitration.refusal_ground = RefusalGround(ground)
    finish(
        session,
        case,
        actor,
        REFUSE,
        arbitration,
        reason=arbitration.refusal_reason,
        after={"ground": arbitration.refusal_ground.value},
    )
    return arbitration


def serve_respondent(session, case, actor, *, served_on: date | None, expected_version=None) -> Arbitration:
    arbitration = case.arbitration
    begin(case, actor, SERVE.name, arbitration, expected_version=expected_version, served_on=served_on)
    arbitration.served_on = checked_date(
        served_on,
        "served_on",
        not_before=arbitration.accepted_on,
        before_message=N_("Service cannot precede acceptance."),
    )
    finish(session, case, actor, SERVE, arbitration, after={"served_on": arbitration.served_on.isoformat()})
    return arbitration


def record_defence(session, case, actor, *, received_on: date | None, expected_version=None) -> Arbitration:
    arbitration = case.arbitration
    begin(case, actor, DEFENCE.name, arbitration, expected_version=expected_version, received_on=received_on)
    arbitration.defence_received_on = checked_date(
        received_on,
        "received_on",
        not_before=arbitration.served_on,
        before_message=N_("The defence cannot precede service on the respondent."),
    )
    finish(
        session, case, actor, DEFENCE, arbitration, after={"received_on": arbitration.defence_received_on.isoformat()}
    )
    return arbitration


def serve_defence(session, case, actor, *, served_on: date | None, expected_version=None) -> Arbitration:
    arbitration = case.arbitration
    begin(case, actor, SERVE_DEFENCE.name, arbitration, expected_version=expected_version, served_on=served_on)
    arbitration.defence_served_on = checked_date(
        served_on,
        "served_on",
        not_before=arbitration.defence_received_on,
        before_message=N_("The defence cannot be served before it is received."),
    )
    finish(
        session, case, actor, SERVE_DEFENCE, arbitration, after={"served_on": arbitration.defence_served_on.isoformat()}
    )
    return arbitration


def form_tribunal(
    session: Session,
    case: Case,
    actor: User,
    *,
    kind: TribunalKind | None,
    arbitrator_ids: list[int],
    expected_version: int | None = None,
) -> Arbitration:
    """Sole arbitrator or three members, the first presiding; collective disputes need three (Rules Art 64)."""
    arbitration = case.arbitration
    begin(
        case,
        actor,
        FORM_TRIBUNAL.name,
        arbitration,
        expected_version=expected_version,
        kind=kind,
        arbitrator_ids=arbitrator_ids,
    )
    if case.collective and kind != TribunalKind.THREE_MEMBER:
        raise DomainError(N_("A collective dispute needs a three-member tribunal."), field="kind")
    ids = list(dict.fromkeys(arbitrator_ids))
    expected = 1 if kind == TribunalKind.SOLE else 3
    if len(ids) != expected:
        raise DomainError(N_("Choose %(count)s different arbitrators."), field="arbitrator_ids", count=expected)
    members = [session.get(User, i) for i in ids]
    if any(m is None or not m.active or not m.has_role(Role.ARBITRATOR) for m in members):
        raise DomainError(N_("Only active arbitrators can sit on a tribunal."), field="arbitrator_ids")
    seats = [TribunalSeat.SOLE] if kind == TribunalKind.SOLE else [TribunalSeat.PRESIDING, *[TribunalSeat.MEMBER] * 2]
    arbitration.tribunal = [TribunalMember(user=m, seat=seat) for m, seat in zip(members, seats, strict=True)]
    arbitration.tribunal_kind, arbitration.tribunal_formed_on = kind, clock.today_local()
    for member in members:
        assign(case, member, Role.ARBITRATOR)
    for hearing in arbitration.hearings:  # a hearing already set keeps its date; who hears it is news to the parties
        if hearing.state == HearingState.SCHEDULED:
            appointments.hearing_changed(session, hearing)
    finish(
        session,
        case,
        actor,
        FORM_TRIBUNAL,
        arbitration,
        after={"kind": kind.value, "members": [m.display_name for m in members]},
    )
    return arbitration


def notify_tribunal(session, case, actor, *, served_on: date | None, expected_version=None) -> Arbitration:
    arbitration = case.arbitration
    begin(case, actor, NOTIFY_TRIBUNAL.name, arbitration, expected_version=expected_version, served_on=served_on)
    arbitration.tribunal_notified_on = checked_date(
        served_on,
        "served_on",
        not_before=arbitration.tribunal_formed_on,
        before_message=N_("The notice cannot precede the tribunal."),
    )
    finish(
        session,
        case,
        actor,
        NOTIFY_TRIBUNAL,
        arbitration,
        after={"served_on": arbitration.tribunal_notified_on.isoformat()},
    )
    return arbitration


def simplify(session, case, actor, *, ground: str, expected_version=None) -> Arbitration:
    """简易处理 (Rules Art 56): clear facts, a small amount, or both parties agree."""
    arbitration = case.arbitration
    begin(case, actor, SIMPLIFY.name, arbitration, expected_version=expected_version, ground=ground)
    arbitration.simplified, arbitration.simplified_ground = True, ground.strip()
    finish(session, case, actor, SIMPLIFY, arbitration, reason=arbitration.simplified_ground)
    return arbitration


def pre_hearing_mediation(session, case, actor, *, note: str, expected_version=None) -> Arbitration:
    arbitration = case.arbitration
    begin(case, actor, PRE_HEARING.name, arbitration, expected_version=expected_version, note=note)
    arbitration.pre_hearing_mediation_on, arbitration.pre_hearing_mediation_note = clock.today_local(), note.strip()
    finish(session, case, actor, PRE_HEARING, arbitration, reason=arbitration.pre_hearing_mediation_note)
    return arbitration


def advance_execution(session, case, actor, *, note: str, expected_version=None) -> Arbitration:
    """先予执行 (Law Art 44): a ruling that the employer pays part now, in a wage or injury-cost case."""
    arbitration = case.arbitration
    begin(case, actor, ADVANCE_EXECUTION.name, arbitration, expected_version=expected_version, note=note)
    arbitration.advance_execution_on, arbitration.advance_execution_note = clock.today_local(), note.strip()
    finish(session, case, actor, ADVANCE_EXECUTION, arbitration, reason=arbitration.advance_execution_note)
    return arbitration


@dataclass
class TermInput:
    """One term of a mediation statement: what, how much, who pays whom, by when (Law Art 42, 51)."""

    description: str
    amount: Decimal | None = None
    claim_id: int | None = None
    obligor_id: int | None = None  # None with an amount: the respondent's first principal
    obligee_id: int | None = None  # None with an amount: the applicant's first principal
    due_on: date | None = None


def _statement_terms(case: Case, terms: list[TermInput]) -> list[StatementTerm]:
    from disputes.workflow.parties import PRINCIPAL_KINDS

    claims = {c.id: c for c in case.claims}
    principals = {p.id: p for p in case.parties if p.kind in PRINCIPAL_KINDS}
    first = {side: next((p for p in case.parties_of(side) if p.kind in PRINCIPAL_KINDS), None) for side in PartySide}
    rows = []
    for position, term in enumerate(t for t in terms if t.description.strip()):
        if term.claim_id is not None and term.claim_id not in claims:
            raise DomainError(N_("An item refers to a claim of another case."), field="terms")
        if any(i is not None and i not in principals for i in (term.obligor_id, term.obligee_id)):
            raise DomainError(N_("Choose a worker or an employer of this case."), field="terms")
        if term.amount is not None and term.amount < 0:
            raise DomainError(N_("Amounts cannot be negative."), field="terms")
        paying = term.amount is not None
        obligor = principals.get(term.obligor_id) or (first[PartySide.RESPONDENT] if paying else None)
        obligee = principals.get(term.obligee_id) or (first[PartySide.APPLICANT] if paying else None)
        if obligor is not None and obligor is obligee:
            raise DomainError(N_("A party cannot pay itself."), field="terms")
        rows.append(
            StatementTerm(
                position=position,
                claim=claims.get(term.claim_id),
                description=term.description.strip(),
                amount=term.amount,
                obligor=obligor,
                obligee=obligee,
                due_on=term.due_on,
            )
        )
    return rows


def request_closure(
    session: Session,
    case: Case,
    actor: User,
    *,
    closure_type: ClosureType | None,
    note: str = "",
    act_on: date | None = None,
    terms: list[TermInput] | None = None,
    expected_version: int | None = None,
) -> Arbitration:
    """Ask for the supervisor's closure approval. An award is recorded first with `awards.record_award`.

    The closing act's date (Law Art 43: the act, not the approval, ends the proceedings) is the award's date, or
    `act_on` for the others: the mediation statement's date, the decision's for a withdrawal, termination or
    transfer (today when left empty). The award timer is met on that date."""
    arbitration = case.arbitration
    begin(case, actor, REQUEST_CLOSURE.name, arbitration, expected_version=expected_version, closure_type=closure_type)
    final_awards = [a for a in arbitration.awards if not a.partial]
    problem = eservice_guard.unconfirmed_notice_problem(session, arbitration, closure_type)  # issue 20
    if problem is not None:
        raise problem
    if closure_type == ClosureType.AWARD:
        if arbitration.state != S.HEARD:
            raise DomainError(TRACK_RULES[Track.ARBITRATION].not_yet[S.HEARD], field="closure_type")
        if not final_awards:
            raise DomainError(N_("Record the award before asking to close with it."), field="closure_type")
        act_on = max(a.awarded_on for a in final_awards)
    elif final_awards:
        raise DomainError(N_("An award has been recorded; close with the award."), field="closure_type")
    else:
        act_on = checked_date(
            act_on,
            "act_on",
            not_before=arbitration.accepted_on,
            before_message=N_("The closing act cannot precede acceptance (%(date)s)."),
        )
    if closure_type not in CLOSURES_WITH_DOCUMENT and not note.strip():
        raise DomainError(N_("Give the reason for this closure."), field="note")
    rows = _statement_terms(case, terms or []) if closure_type == ClosureType.MEDIATION_STATEMENT else []
    if closure_type == ClosureType.MEDIATION_STATEMENT and not rows and not note.strip():
        raise DomainError(N_("Give the agreed terms of the mediation statement."), field="terms")
    arbitration.statement_terms = rows
    arbitration.closure_type, arbitration.closure_note = closure_type, note.strip() or None
    if closure_type == ClosureType.MEDIATION_STATEMENT:
        claim_items.after_mediation(case.claims, {r.claim.id for r in rows if r.claim is not None})
    claim_items.after_closure(case.claims, closure_type)
    arbitration.closure_requested_on, arbitration.closure_requested_by = clock.today_local(), actor
    arbitration.closure_act_on = act_on
    finish(
        session,
        case,
        actor,
        REQUEST_CLOSURE,
        arbitration,
        reason=arbitration.closure_note,
        after={"closure_type": closure_type.value, "act_on": act_on.isoformat()},
    )
    return arbitration


def approve_closure(session, case, actor, *, note: str = "", expected_version=None) -> Arbitration:
    """结案审批: the arbitration is closed as of its closing act's date (`closed_on`); the approval keeps its own."""
    from disputes.workflow.awards import take_effect_when_made

    arbitration = case.arbitration
    begin(case, actor, APPROVE_CLOSURE.name, arbitration, expected_version=expected_version)
    number_awards(arbitration)
    take_effect_when_made([a for a in arbitration.awards if not a.partial])
    for hearing in arbitration.hearings:
        if hearing.state == HearingState.SCHEDULED:
            hearing.state = HearingState.CANCELLED
            appointments.hearing_changed(session, hearing)  # the parties are told it will not take place
    today = clock.today_local()
    # Set last: loading awards or hearings autoflushes, and closed_on without state closed breaks a CHECK.
    arbitration.closed_on = arbitration.closure_act_on or today
    arbitration.closure_approved_on, arbitration.closure_approved_by = today, actor
    finish(
        session,
        case,
        actor,
        APPROVE_CLOSURE,
        arbitration,
        reason=note.strip() or None,
        on=arbitration.closed_on,
        after={
            "closure_type": arbitration.closure_type.value,
            "closed_on": arbitration.closed_on.isoformat(),
            "approved_on": today.isoformat(),
        },
    )
    return arbitration


def reject_closure(session, case, actor, *, note: str, expected_version=None) -> Arbitration:
    """Back to where the case stood; an award recorded for this closure goes back to draft (deleted), and the
    award timer its act had met runs again."""
    arbitration = case.arbitration
    begin(case, actor, REJECT_CLOSURE.name, arbitration, expected_version=expected_version, note=note)
    before = {"state": arbitration.state.value, "closure_type": arbitration.closure_type.value}
    resumed = resumed_state(arbitration)  # before the changes: loading the hearings autoflushes
    discarded = [a for a in arbitration.awards if not a.partial]
    for item in (i for award in discarded for i in award.items if i.claim is not None):
        item.claim.resolved_amount = agreed_amount(case, item.claim)
    claim_items.undo(case.claims)
    arbitration.awards = [a for a in arbitration.awards if a.partial]
    arbitration.statement_terms = []  # loads them (autoflush) before the closure type goes
    arbitration.closure_type = arbitration.closure_note = None
    arbitration.closure_requested_on = arbitration.closure_requested_by = arbitration.closure_act_on = None
    arbitration.state = resumed
    finish(
        session,
        case,
        actor,
        REJECT_CLOSURE,
        arbitration,
        reason=note.strip(),
        before=before,
        after={"state": arbitration.state.value},
    )
    return arbitration


def agreed_amount(case: Case, claim):
    """What a mediation agreement settled for this claim, if anything (the amount before the award)."""
    terms = case.mediation.terms if case.mediation is not None else []
    return next((t.amount for t in terms if t.claim_id == claim.id and t.amount is not None), None)


def resumed_state(arbitration: Arbitration) -> ArbitrationState:
    if any(h.state == HearingState.HELD for h in arbitration.hearings):
        return S.HEARD
    if arbitration.tribunal:
        return S.TRIBUNAL_FORMED
    return S.SERVED if arbitration.served_on else S.ACCEPTED


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (for 之一, 之二… after an award number)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, units = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[units] if units else "")


def number_awards(arbitration: Arbitration) -> None:
    """An award carries the case's number; several award documents carry 之一, 之二… after it."""
    awards = arbitration.awards
    for index, award in enumerate(awards):
        if award.number is None:
            single = len(awards) == 1 and not award.partial
            award.number = arbitration.number if single else f"{arbitration.number}之{chinese_ordinal(index + 1)}"
