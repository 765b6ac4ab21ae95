"""Who answers for a deadline (issue 16: every timer has an owner), no Flask.

The track's holder — the sole or presiding arbitrator, else the case's arbitrator (承办仲裁员) before the tribunal
is formed; the mediator; the legal-aid officer who decided — and, where the track has nobody yet (a case not yet
allocated, a court's or a party's period), the supervisor of the timer's unit, the nearest one up the tree. A
party's own period (RuleKind.PERIOD) runs for the party; its owner is the staff member who follows it.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.models import Case, Role, Unit, User, UserRole
from disputes.models.sla import SlaTimer
from disputes.sla import events
from disputes.sla.states import OPEN_STATUSES, RuleKind
from disputes.workflow.states import TribunalSeat

ARBITRATION_TRACKS = ("arbitration.", "green.", "collective.")


def holder_of(case: Case, rule_id: str, row=None) -> int | None:
    """The person holding the track the rule belongs to, or None while nobody does."""
    track = events.track_of(rule_id)
    if track == "arbitration":
        return _arbitrator(case)
    if track == "mediation":
        return _mediator(case)
    if track == "case":  # the worker's period to claim (时效): followed by whoever holds the case
        return _mediator(case) or _arbitrator(case)
    if track == "legal_aid":
        application = row if row is not None and hasattr(row, "decided_by_id") else None
        if application is not None and application.decided_by_id is not None:
            return application.decided_by_id
        return _assigned(case, Role.LEGAL_AID_OFFICER)
    return None


def _mediator(case: Case) -> int | None:
    mediation = case.mediation
    if mediation is None:
        return None
    # Read through the relationship: a mediator just set has no id in the column until the flush.
    return mediation.mediator.id if mediation.mediator is not None else mediation.mediator_id


def _assigned(case: Case, role: Role) -> int | None:
    """The first active assignee in `role` (a new assignment, unflushed, has neither user_id nor active set)."""
    held = [a for a in case.assignments if a.active is not False and a.role == role]
    return (held[0].user.id if held[0].user is not None else held[0].user_id) if held else None


def _arbitrator(case: Case) -> int | None:
    """The sole or presiding arbitrator, else the case's arbitrator (承办仲裁员) before the tribunal is formed."""
    if case.arbitration is None:
        return None
    seats = {m.seat: m.user_id for m in case.arbitration.tribunal}
    seated = seats.get(TribunalSeat.SOLE) or seats.get(TribunalSeat.PRESIDING)
    if seated is not None:
        return seated
    return _assigned(case, Role.ARBITRATOR)


def supervisor_of(session: Session, unit_id: int) -> int | None:
    """The active supervisor of the unit, else of the nearest unit above it (the lowest id where several)."""
    path = session.scalar(sa.select(Unit.path).where(Unit.id == unit_id))
    if path is None:
        return None
    above = _prefix_of(path)
    return session.scalar(
        sa.select(User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .join(Unit, Unit.id == User.unit_id)
        .where(UserRole.role == Role.SUPERVISOR, User.active.is_(True), above)
        .order_by(sa.func.length(Unit.path).desc(), User.id)
        .limit(1)
    )


def _prefix_of(path: str) -> sa.ColumnElement[bool]:
    """Units whose path is a prefix of `path` ("/1/11/" is above "/1/11/13/"): the unit and its ancestors."""
    parts = [p for p in path.strip("/").split("/") if p]
    prefixes = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    return Unit.path.in_(prefixes)


def owner_of(session: Session, case: Case, rule_id: str, row, unit_id: int) -> int | None:
    return holder_of(case, rule_id, row) or supervisor_of(session, unit_id)


def refresh(session: Session, case: Case) -> None:
    """Point the case's open timers at their track's holder (after an allocation, a reassignment or a tribunal
    formed); a timer whose track has nobody keeps the supervisor it had, or gets one."""
    for timer in case.timers:
        if timer.status not in OPEN_STATUSES:
            continue
        holder = holder_of(case, timer.rule_id)
        if holder is not None:
            timer.responsible_id = holder
        elif timer.responsible_id is None:
            timer.responsible_id = supervisor_of(session, timer.unit_id)


# The same decision as one statement, for open timers nobody answers for (loaded in bulk by the ledger or the
# demo, or written before issue 16): copied into migration 0028, which must not import the application.
FILL_MISSING_SQL = """
UPDATE sla_timers SET responsible_id = COALESCE(
  CASE WHEN rule_id LIKE 'mediation.%' OR rule_id LIKE 'limitation.%' THEN
    (SELECT m.mediator_id FROM mediations m WHERE m.case_id = sla_timers.case_id AND m.mediator_id IS NOT NULL
     ORDER BY m.id DESC LIMIT 1)
  WHEN rule_id LIKE 'legal_aid.%' THEN
    COALESCE(
      (SELECT la.decided_by_id FROM legal_aid_applications la
       WHERE la.case_id = sla_timers.case_id AND la.decided_by_id IS NOT NULL ORDER BY la.id DESC LIMIT 1),
      (SELECT ca.user_id FROM case_assignments ca
       WHERE ca.case_id = sla_timers.case_id AND ca.active AND ca.role = 'legal_aid_officer' ORDER BY ca.id LIMIT 1))
  END,
  CASE WHEN rule_id LIKE 'arbitration.%' OR rule_id LIKE 'green.%' OR rule_id LIKE 'collective.%'
    OR rule_id LIKE 'limitation.%' THEN
    COALESCE(
      (SELECT tm.user_id FROM tribunal_members tm JOIN arbitrations a ON a.id = tm.arbitration_id
       WHERE a.case_id = sla_timers.case_id AND tm.seat IN ('sole', 'presiding') ORDER BY tm.id LIMIT 1),
      (SELECT ca.user_id FROM case_assignments ca
       WHERE ca.case_id = sla_timers.case_id AND ca.active AND ca.role = 'arbitrator' ORDER BY ca.id LIMIT 1))
  END,
  (SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id JOIN units su ON su.id = u.unit_id
   JOIN units tu ON tu.id = sla_timers.unit_id
   WHERE r.role = 'supervisor' AND u.active AND tu.path LIKE su.path || '%'
   ORDER BY length(su.path) DESC, u.id LIMIT 1))
WHERE responsible_id IS NULL AND status IN ('running', 'paused', 'breached')
"""


def fill_missing(session: Session) -> int:
    """Give every open timer nobody answers for its owner; how many were given one."""
    before = session.scalar(
        sa.select(sa.func.count()).where(SlaTimer.responsible_id.is_(None), SlaTimer.status.in_(OPEN_STATUSES))
    )
    session.execute(sa.text(FILL_MISSING_SQL))
    after = session.scalar(
        sa.select(sa.func.count()).where(SlaTimer.responsible_id.is_(None), SlaTimer.status.in_(OPEN_STATUSES))
    )
    return before - after


# A party's own period runs for a side: the respondent's to defend, the others for whoever asks (the applicant).
RESPONDENT_PERIODS = frozenset({"arbitration.defence"})


def period_party(timer):
    """The party a period (RuleKind.PERIOD) runs for: the one it names, else the first of the side it is for; None
    for a staff task. Reads the case's parties already loaded (the board loads them)."""
    if timer.rule.kind != RuleKind.PERIOD:
        return None
    named = events.party_of(timer)
    if named is not None:
        return named
    side = timer.case.respondents if timer.rule_id in RESPONDENT_PERIODS else timer.case.applicants
    return side[0] if side else None
