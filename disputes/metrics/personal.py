"""A mediator's or an arbitrator's own figures (their work page): this year so far, over the rows they are the
person of (sources.person_clause)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from disputes.metrics.compute import compute
from disputes.metrics.scope import Period, Scope
from disputes.metrics.sources import ARBITRATION, MEDIATION
from disputes.models import Role, User

OWN_FIGURES = {
    Role.ARBITRATOR: (
        (ARBITRATION,),
        (
            "arbitration.accepted",
            "arbitration.closed",
            "arbitration.pending_end",
            "arbitration.on_time_rate",
            "arbitration.mediation_rate",
            "arbitration.average_days",
        ),
    ),
    Role.MEDIATOR: ((MEDIATION,), ("mediation.closed", "mediation.success_rate", "mediation.performance_rate")),
}


def own_figures(session: Session, user: User, today: date) -> dict:
    """{'period', 'values'}: the figures of the user's roles, counting only their track tables."""
    period = Period(date(today.year, 1, 1), today)
    sources, keys = (), ()
    for role, (role_sources, role_keys) in OWN_FIGURES.items():
        if user.has_role(role):
            sources, keys = sources + role_sources, keys + role_keys
    values = compute(session, Scope(person_id=user.id), period, today, sources=sources)
    return {"period": period, "values": [values[key] for key in keys]}
