"""The demo's routing and allocation: the committees' rules, an absence, and every registered case routed.

The replayed stories opened their tracks by hand, as the centre did before routing (issue 16); the cases they left
without one are routed today, as a clerk clearing the backlog would, each to the committee its parties' addresses
suggest, and given to a mediator by the committee's rule, so the allocations and their reasons show in the queues.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock
from disputes.demo.centre import Centre
from disputes.i18n import DomainError
from disputes.models import AllocationMethod, Case, Role, Route
from disputes.workflow import allocation, routing


def route_backlog(session: Session, centre: Centre) -> int:
    """Set the rules and three absences (one running), then route every open case without a track; returns how many
    were routed."""
    users, units = centre.users, centre.units
    supervisor = users["supervisor"]
    allocation.set_rule(session, supervisor, units["LGM"], AllocationMethod.ROTATION)
    allocation.set_rule(session, supervisor, units["LGA"], AllocationMethod.LEAST_LOAD)
    today = clock.today_local()
    allocation.record_absence(
        session, supervisor, users["mediator3"], today - timedelta(days=2), today + timedelta(days=10), "年休假"
    )
    # Two past absences, so the workload report's days absent show something (issue 17).
    allocation.record_absence(
        session, supervisor, users["arbitrator2"], today - timedelta(days=40), today - timedelta(days=33), "婚假"
    )
    allocation.record_absence(
        session, supervisor, users["mediator"], today - timedelta(days=20), today - timedelta(days=18), "培训"
    )
    backlog = session.scalars(sa.select(Case).where(routing.unrouted_filter()).order_by(Case.registered_on, Case.id))
    routed = 0
    for case in backlog.all():
        actor = (
            case.created_by
            if case.created_by and case.created_by.has_role(Role.CLERK, Role.MEDIATOR, Role.SUPERVISOR)
            else users["clerk"]
        )
        committees = [d for d in routing.case_destinations(session, case) if d.route == Route.MEDIATION]
        staffed = [d for d in committees if allocation.staff_of(session, d.unit, Role.MEDIATOR)]
        if not staffed:
            continue
        savepoint = session.begin_nested()
        try:
            routing.route_case(session, case, actor, Route.MEDIATION, staffed[0].unit.id)
        except DomainError:
            savepoint.rollback()
            continue
        savepoint.commit()
        routed += 1
    session.flush()
    return routed
