"""“My cases”: the open cases a mediator or arbitrator holds, each with its stage, what waits next (the open timer
due first) and when, and why it came to them (plain data, no Flask)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from disputes.models import Allocation, Case, CaseAssignment, Mediation, Role, User
from disputes.models.sla import SlaTimer
from disputes.sla.states import OPEN_STATUSES
from disputes.workflow.states import (
    ARBITRATION_OPEN,
    MEDIATION_OPEN,
    CaseStatus,
    MediationState,
    Performance,
)

HOLDING_ROLES = (Role.MEDIATOR, Role.ARBITRATOR)


@dataclass
class MyCase:
    case: Case
    role: Role
    next_timer: SlaTimer | None
    allocation: Allocation | None

    @property
    def next_due(self) -> date | None:
        return self.next_timer.due_on if self.next_timer else None


def held_case_ids(user: User) -> sa.Select:
    """The cases `user` holds: an active assignment as mediator or arbitrator, or the mediator of its mediation."""
    assigned = sa.select(CaseAssignment.case_id).where(
        CaseAssignment.user_id == user.id, CaseAssignment.active.is_(True), CaseAssignment.role.in_(HOLDING_ROLES)
    )
    mediating = sa.select(Mediation.case_id).where(Mediation.mediator_id == user.id)
    return sa.union(assigned, mediating)


def track_open(case: Case, role: Role) -> bool:
    """Whether the holder's own track still waits on them: a mediation open or its agreement's performance to
    follow; an arbitration not yet closed. A mediator whose mediation ended no longer holds the case."""
    if role == Role.MEDIATOR:
        mediation = case.mediation
        return mediation is not None and (
            mediation.state in MEDIATION_OPEN
            or (mediation.state == MediationState.AGREEMENT and mediation.performance == Performance.PENDING)
        )
    return case.arbitration is not None and case.arbitration.state in ARBITRATION_OPEN


def next_timer(case: Case) -> SlaTimer | None:
    """The open timer due first (`sla.due` reads the same timers): what waits next on the case."""
    running = [t for t in case.timers if t.status in OPEN_STATUSES and t.due_on is not None]
    return min(running, key=lambda t: (t.due_on, t.id), default=None)


def my_cases(session: Session, user: User) -> list[MyCase]:
    cases = session.scalars(
        sa.select(Case)
        .where(Case.id.in_(held_case_ids(user)), Case.status == CaseStatus.OPEN)
        .options(selectinload(Case.parties), selectinload(Case.assignments))
    ).all()
    if not cases:
        return []
    latest: dict[int, Allocation] = {}
    for row in session.scalars(
        sa.select(Allocation)
        .where(Allocation.user_id == user.id, Allocation.case_id.in_([c.id for c in cases]))
        .order_by(Allocation.at, Allocation.id)
    ):
        latest[row.case_id] = row
    rows = []
    for case in cases:
        roles = {a.role for a in case.assignments if a.user_id == user.id and a.active and a.role in HOLDING_ROLES}
        if case.mediation is not None and case.mediation.mediator_id == user.id:
            roles.add(Role.MEDIATOR)
        held = [role for role in HOLDING_ROLES if role in roles and track_open(case, role)]
        if held:
            rows.append(MyCase(case, held[-1], next_timer(case), latest.get(case.id)))
    return sorted(rows, key=lambda r: (r.next_due is None, r.next_due or date.max, r.case.registered_on, r.case.id))
