"""Transfers of a case's mediation or arbitration between units and bodies (移送), and a court's delegated
mediation coming in with its result going back (no Flask).

The sending unit asks with a reason; the request waits in the receiving unit's queue until someone there accepts it
or returns it with a reason. The case keeps its number, history, documents and timers: on acceptance only the
track's unit changes (the case readers' triggers follow), the open timers of the track move to the new unit's board,
and the unit's allocation rule gives the track to one of its people (their queue tells them). An accepted transfer of
a running arbitration restarts its award period from the day of receipt (Rules Art 46 (5)), through the arbitration's
own restart step (`restarts.transfer_in`), never by recomputing dates here.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock
from disputes.i18n import N_, DomainError
from disputes.models import (
    Case,
    CaseTransfer,
    CourtDelegation,
    DelegationKind,
    DelegationResult,
    Role,
    TransferStatus,
    TransferTrack,
    Unit,
    UnitKind,
    User,
)
from disputes.sla import events
from disputes.sla.states import OPEN_STATUSES
from disputes.workflow import allocation, restarts, timeline
from disputes.workflow.actions import checked_date
from disputes.workflow.states import (
    ARBITRATION_BEFORE_ACCEPTANCE,
    ARBITRATION_RUNNING,
    MEDIATION_OPEN,
)

T = TransferTrack
KIND_FOR = {T.MEDIATION: UnitKind.MEDIATION_COMMITTEE, T.ARBITRATION: UnitKind.ARBITRATION_COMMISSION}
MOVABLE = {T.MEDIATION: MEDIATION_OPEN, T.ARBITRATION: ARBITRATION_BEFORE_ACCEPTANCE | ARBITRATION_RUNNING}
REQUESTED, ACCEPTED, RETURNED = "transfer.requested", "transfer.accepted", "transfer.returned"
DELEGATION_RECEIVED, DELEGATION_RETURNED = "delegation.received", "delegation.returned"


def track_row(case: Case, track: TransferTrack):
    return case.mediation if track == T.MEDIATION else case.arbitration


def _over(user: User, unit: Unit) -> bool:
    """Whether `unit` is the user's unit or below it."""
    return unit.path.startswith(user.unit.path)


def can_send(user: User, case: Case, track: TransferTrack) -> bool:
    """The holding unit's supervisor or clerk (its own or above it); for a mediation also the committee's mediators."""
    row = track_row(case, TransferTrack(track))
    if row is None or not user.is_authenticated:
        return False
    if user.has_role(Role.SUPERVISOR, Role.CLERK) and _over(user, row.unit):
        return True
    return track == T.MEDIATION and user.has_role(Role.MEDIATOR) and user.unit_id == row.unit_id


def can_receive(user: User, transfer: CaseTransfer) -> bool:
    """Who answers for the receiving unit: its supervisor; for a mediation also its clerk or the committee's
    mediators. A running arbitration's award period restarts on acceptance, a step for a supervisor (Rules Art 46)."""
    if not user.is_authenticated:
        return False
    unit = transfer.to_unit
    if user.has_role(Role.SUPERVISOR) and _over(user, unit):
        return True
    if transfer.track != T.MEDIATION:
        return False
    return (user.has_role(Role.CLERK) and _over(user, unit)) or (
        user.has_role(Role.MEDIATOR) and user.unit_id == unit.id
    )


def destinations(session: Session, case: Case, track: TransferTrack) -> list[Unit]:
    """The units a track can go to: every other active unit of its kind, across levels and bodies."""
    row = track_row(case, track)
    if row is None:
        return []
    return list(
        session.scalars(
            sa.select(Unit)
            .where(Unit.active.is_(True), Unit.kind == KIND_FOR[track], Unit.id != row.unit_id)
            .order_by(Unit.path)
        )
    )


def pending_of(session: Session, case: Case) -> list[CaseTransfer]:
    return list(
        session.scalars(
            sa.select(CaseTransfer).where(
                CaseTransfer.case_id == case.id, CaseTransfer.status == TransferStatus.PENDING
            )
        )
    )


def history(session: Session, case: Case) -> list[CaseTransfer]:
    return list(
        session.scalars(
            sa.select(CaseTransfer)
            .where(CaseTransfer.case_id == case.id)
            .order_by(CaseTransfer.requested_at.desc(), CaseTransfer.id.desc())
        )
    )


def _reason(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    return value


def request(
    session: Session, case: Case, actor: User, track: TransferTrack | str | None, to_unit: Unit | None, reason: str
) -> CaseTransfer:
    """Ask to move the case's track to `to_unit`; it waits in that unit's queue."""
    if track not in TransferTrack._value2member_map_:
        raise DomainError(N_("Choose the mediation or the arbitration."), field="track")
    track = TransferTrack(track)
    row = track_row(case, track)
    if row is None:
        raise DomainError(N_("This case has no such track to transfer."), field="track")
    if not can_send(actor, case, track):
        raise DomainError(N_("Only the unit holding the track may transfer it."))
    if row.state not in MOVABLE[track]:
        raise DomainError(N_("This track has ended or is closing: it can no longer be transferred."), field="track")
    if to_unit is None or not to_unit.active or to_unit.kind != KIND_FOR[track]:
        raise DomainError(N_("Choose a unit that can take this track."), field="to_unit_id")
    if to_unit.id == row.unit_id:
        raise DomainError(
            N_("%(case)s is already at %(unit)s."), field="to_unit_id", case=case.registry_no, unit=to_unit.name
        )
    if any(t.track == track for t in pending_of(session, case)):
        raise DomainError(N_("A transfer of this track is already waiting for an answer."), field="track")
    reason = _reason(reason, "reason", N_("Say why the case is transferred."))
    transfer = CaseTransfer(
        case=case,
        track=track,
        from_unit=row.unit,
        to_unit=to_unit,
        status=TransferStatus.PENDING,
        reason=reason,
        requested_at=clock.now_utc(),
        requested_by_id=actor.id,
    )
    session.add(transfer)
    timeline.record(
        session,
        case,
        actor,
        REQUESTED,
        reason=reason,
        before={"unit": row.unit.code},
        after={"unit": to_unit.code, "track": track.value},
    )
    session.flush()
    return transfer


def _pending(transfer: CaseTransfer | None) -> CaseTransfer:
    if transfer is None or transfer.status != TransferStatus.PENDING:
        raise DomainError(N_("This transfer has already been answered."))
    return transfer


def return_transfer(session: Session, transfer: CaseTransfer | None, actor: User, reason: str) -> CaseTransfer:
    """Send the request back with a reason: the sending unit keeps the track and may ask again."""
    transfer = _pending(transfer)
    if not can_receive(actor, transfer):
        raise DomainError(N_("Only the receiving unit answers this transfer."))
    reason = _reason(reason, "return_reason", N_("Say why the transfer is returned."))
    transfer.status, transfer.return_reason = TransferStatus.RETURNED, reason
    transfer.decided_at, transfer.decided_by_id = clock.now_utc(), actor.id
    timeline.record(
        session,
        transfer.case,
        actor,
        RETURNED,
        reason=reason,
        after={"unit": transfer.to_unit.code, "back_to": transfer.from_unit.code, "track": transfer.track.value},
    )
    session.flush()
    return transfer


def accept(
    session: Session, transfer: CaseTransfer | None, actor: User, received_on: date | None = None
) -> allocation.Allocation | None:
    """Take the track over: its unit changes, its open timers follow, a running arbitration's award period restarts
    from `received_on` (Rules Art 46 (5)), and the unit's rule gives it to someone (None: nobody free yet)."""
    transfer = _pending(transfer)
    if not can_receive(actor, transfer):
        raise DomainError(N_("Only the receiving unit answers this transfer."))
    case, track = transfer.case, transfer.track
    row = track_row(case, track)
    if row is None or row.state not in MOVABLE[track]:
        raise DomainError(N_("This track has ended or is closing: it can no longer be transferred."))
    received_on = checked_date(
        received_on,
        "received_on",
        not_before=clock.to_local(transfer.requested_at).date(),
        before_message=N_("The case cannot be received before the transfer was asked for (%(date)s)."),
    )
    row.unit = transfer.to_unit
    transfer.status, transfer.received_on = TransferStatus.ACCEPTED, received_on
    transfer.decided_at, transfer.decided_by_id = clock.now_utc(), actor.id
    timeline.record(
        session,
        case,
        actor,
        ACCEPTED,
        reason=transfer.reason,
        before={"unit": transfer.from_unit.code},
        after={"unit": transfer.to_unit.code, "track": track.value, "received_on": received_on.isoformat()},
    )
    session.flush()  # the track's new unit: the receiving unit reads the case from here on
    if track == T.ARBITRATION and row.state in ARBITRATION_RUNNING:
        restarts.transfer_in(
            session,
            case,
            actor,
            transferred_from=transfer.from_unit.name,
            received_on=received_on,
            note=transfer.reason,
        )
    _timers_follow(case, track, row)
    return _allocate(session, case, actor, transfer, row)


def _timers_follow(case: Case, track: TransferTrack, row) -> None:
    """The track's open deadlines now belong to the receiving unit's board (their dates are untouched)."""
    for timer in case.timers:
        if timer.status in OPEN_STATUSES and events.track_of(timer.rule_id) == track.value:
            timer.unit_id = row.unit_id


def _allocate(session: Session, case: Case, actor: User, transfer: CaseTransfer, row):
    unit = transfer.to_unit
    role = allocation.role_for(unit)
    if transfer.track == T.MEDIATION and row.accepted_on is None:
        return None  # an application not yet accepted: the committee accepts it and allocates as usual
    try:
        choice = allocation.choose(session, case, unit)
    except DomainError:
        return None  # nobody there can take it now: it waits in the unit's queue for a hand assignment
    allocation.hand_over(session, case, actor, choice.user, role)  # the track's timers follow (sla.owners)
    return allocation.record(
        session, case, actor, unit, choice.user, role, choice.method, choice.detail, transfer.reason
    )


def _receivable(user: User) -> sa.ColumnElement[bool]:
    """`can_receive` as a WHERE clause on pending transfers joined to their receiving unit."""
    below = Unit.path.startswith(user.unit.path, autoescape=True)
    clauses = []
    if user.has_role(Role.SUPERVISOR):
        clauses.append(below)
    if user.has_role(Role.CLERK):
        clauses.append(sa.and_(below, CaseTransfer.track == T.MEDIATION))
    if user.has_role(Role.MEDIATOR):
        clauses.append(sa.and_(CaseTransfer.to_unit_id == user.unit_id, CaseTransfer.track == T.MEDIATION))
    return sa.and_(CaseTransfer.status == TransferStatus.PENDING, sa.or_(sa.false(), *clauses))


def queue(session: Session, user: User, *options) -> list[CaseTransfer]:
    """Transfers awaiting acceptance by a unit the user answers for, oldest first (`options`: loaders)."""
    return list(
        session.scalars(
            sa.select(CaseTransfer)
            .join(Unit, Unit.id == CaseTransfer.to_unit_id)
            .where(_receivable(user))
            .order_by(CaseTransfer.requested_at, CaseTransfer.id)
            .options(*options)
        )
    )


def waiting_count(session: Session, user: User) -> int:
    """How many transfers wait for the user's answer: the navigation's badge."""
    return session.scalar(
        sa.select(sa.func.count())
        .select_from(CaseTransfer)
        .join(Unit, Unit.id == CaseTransfer.to_unit_id)
        .where(_receivable(user))
    )


def sent(session: Session, user: User, limit: int = 50) -> list[CaseTransfer]:
    """Transfers the user's units asked for, latest first: pending ones and the answers."""
    rows = session.scalars(
        sa.select(CaseTransfer)
        .join(Unit, Unit.id == CaseTransfer.from_unit_id)
        .where(Unit.path.startswith(user.unit.path))
        .order_by(CaseTransfer.requested_at.desc(), CaseTransfer.id.desc())
        .limit(limit)
    )
    return list(rows)


# --- A court's delegated mediation (委派/委托调解) -------------------------------------------------------------


def record_delegation(
    session: Session,
    case: Case,
    actor: User,
    *,
    kind: DelegationKind | str | None,
    court: str,
    court_reference: str,
    received_on: date | None = None,
) -> CourtDelegation:
    """Register the case as a court's delegated (委派) or entrusted (委托) mediation, with the court's reference."""
    if case.mediation is None:
        raise DomainError(N_("Open the mediation first: the court delegates a mediation."))
    if not can_send(actor, case, T.MEDIATION):
        raise DomainError(N_("Only the unit holding the mediation may record this."))
    if case.delegation is not None:
        raise DomainError(N_("This case is already registered as a court's delegated mediation."))
    if kind not in DelegationKind._value2member_map_:
        raise DomainError(N_("Choose delegated or entrusted mediation."), field="kind")
    court = _reason(court, "court", N_("Name the court."))
    court_reference = _reason(court_reference, "court_reference", N_("Give the court's reference."))
    received_on = checked_date(received_on, "received_on")
    row = CourtDelegation(
        case=case,
        kind=DelegationKind(kind),
        court=court,
        court_reference=court_reference,
        received_on=received_on,
        recorded_by_id=actor.id,
    )
    session.add(row)
    timeline.record(
        session,
        case,
        actor,
        DELEGATION_RECEIVED,
        after={"court": court, "reference": court_reference, "kind": row.kind.value},
    )
    session.flush()
    return row


def return_result(
    session: Session,
    case: Case,
    actor: User,
    *,
    returned_on: date | None = None,
    letter: str = "",
    note: str = "",
) -> CourtDelegation:
    """The mediation's result goes back to the court once it has ended: an agreement if one was signed, else none
    (read from the mediation, not chosen), with the day it was sent and the letter's reference."""
    row = case.delegation
    if row is None:
        raise DomainError(N_("This case is not a court's delegated mediation."))
    if not can_send(actor, case, T.MEDIATION):
        raise DomainError(N_("Only the unit holding the mediation may record this."))
    if row.result is not None:
        raise DomainError(N_("The result has already gone back to the court."))
    if case.mediation.state in MEDIATION_OPEN:
        raise DomainError(N_("The mediation is still open: record its end first."), field="returned_on")
    signed = case.mediation.agreement_signed_on is not None
    result = DelegationResult.AGREEMENT if signed else DelegationResult.NO_AGREEMENT
    returned_on = checked_date(
        returned_on,
        "returned_on",
        not_before=row.received_on,
        before_message=N_("The result cannot go back before the case came in (%(date)s)."),
    )
    row.result, row.returned_on, row.returned_by_id = result, returned_on, actor.id
    row.return_letter, row.return_note = letter.strip() or None, note.strip() or None
    timeline.record(
        session,
        case,
        actor,
        DELEGATION_RETURNED,
        reason=row.return_note,
        after={"court": row.court, "result": result.value, "returned_on": returned_on.isoformat()},
    )
    session.flush()
    return row
