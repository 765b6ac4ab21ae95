"""The rows behind a figure's numerator or denominator: the same conditions as the counts, as a row list.

One row per counted item (case_id, source, row_id): an arbitration, a mediation, a case, a legal-aid
application, a timer; `overall.mediation_rate` counts rows of two tracks, so a case may appear twice, exactly
as often as it is counted."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from disputes.metrics import figures as F
from disputes.metrics.scope import Period, Scope
from disputes.metrics.sources import SOURCES
from disputes.models import Case

PARTS = ("numerator", "denominator")


def terms(figure: F.Figure, part: str) -> tuple[F.Term, ...]:
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}")
    chosen = figure.numerator if part == "numerator" else figure.denominator
    # The days' sum is over the closed cases: its rows are the denominator's.
    return tuple(F.Term(t.source, "closed") if t.condition == F.DAYS else t for t in chosen)


def rows(figure: F.Figure, part: str, scope: Scope, period: Period, as_of: date) -> sa.Subquery | None:
    """A subquery (case_id, source, row_id) of the counted rows; None for a count's denominator."""
    selects = []
    for term in terms(figure, part):
        source = SOURCES[term.source]
        condition = source.conditions(period, as_of)[term.condition]
        selects.append(
            sa.select(
                source.case_col.label("case_id"),
                sa.literal(term.source).label("source"),
                source.row_col.label("row_id"),
            )
            .select_from(source.model)
            .where(source.base(period.start, period.end), condition, *source.scope_clauses(scope))
        )
    if not selects:
        return None
    return (selects[0] if len(selects) == 1 else sa.union_all(*selects)).subquery("counted")


def count(session, subquery: sa.Subquery) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(subquery))


def page(session, subquery: sa.Subquery, number: int, size: int) -> list[sa.Row]:
    """One page of the counted rows as (Case, source, row_id), in a stable order."""
    return session.execute(
        sa.select(Case, subquery.c.source, subquery.c.row_id)
        .join(subquery, Case.id == subquery.c.case_id)
        .order_by(Case.id, subquery.c.source, subquery.c.row_id)
        .limit(size)
        .offset((number - 1) * size)
    ).all()
