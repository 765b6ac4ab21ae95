"""The official statistical table of a period (上期未结, 受理 with collective cases and workers involved, 结案 by
method, 期末未结): one statement over the arbitrations joined to their cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.metrics.scope import Period, Scope
from disputes.metrics.sources import ARBITRATION, SOURCES
from disputes.models import Arbitration, Case

COLUMNS = (
    "pending_start",
    "accepted",
    "collective",
    "workers",
    "closed",
    "by_statement",
    "by_award",
    "by_other",
    "pending_end",
)


@dataclass(frozen=True)
class Table:
    pending_start: int
    accepted: int
    collective: int  # collective cases among the accepted
    workers: int  # workers involved in the accepted cases
    closed: int
    by_statement: int
    by_award: int
    by_other: int
    pending_end: int


def table(session: Session, scope: Scope, period: Period, as_of: date) -> Table:
    source = SOURCES[ARBITRATION]
    conditions = source.conditions(period, as_of)
    accepted = conditions["accepted"]

    def count(condition):
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    stmt = (
        sa.select(
            count(conditions["pending_start"]),
            count(accepted),
            count(sa.and_(accepted, Case.collective.is_(True))),
            sa.func.coalesce(sa.func.sum(sa.case((accepted, Case.worker_count), else_=0)), 0),
            count(conditions["closed"]),
            count(conditions["by_statement"]),
            count(conditions["by_award"]),
            count(conditions["by_other"]),
            count(conditions["pending_end"]),
        )
        .select_from(Arbitration)
        .join(Case, Case.id == Arbitration.case_id)
        .where(source.base(period.start, period.end), *source.scope_clauses(scope))
    )
    return Table(*(int(v) for v in session.execute(stmt).one()))
