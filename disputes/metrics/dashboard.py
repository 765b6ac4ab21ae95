"""What the supervisor's dashboard shows, in about a dozen statements whatever the number of units or people:
one GROUP BY per track table for the period and the previous one by unit (the totals are their sums), by person
and by category for the period, the monthly trend, breaches by rule, the oldest open cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.metrics import figures as F
from disputes.metrics.chart import TrendPoint
from disputes.metrics.compute import counts, figure_set, total, without_jit
from disputes.metrics.scope import Period, Scope, month_period
from disputes.metrics.sources import ARBITRATION, MEDIATION, SOURCES
from disputes.metrics.summary import read as summary_read
from disputes.models import Arbitration, Case, SlaTimer, Unit
from disputes.sql_dates import month_of
from disputes.workflow.states import CaseStatus

OLDEST = 10
BREAKDOWN_SOURCES = (ARBITRATION, MEDIATION)
# What the breakdown tables show (templates/reports/_macros.html): only these terms are counted per person/category.
BREAKDOWN_TERMS = ("accepted", "pending_start", "closed", "on_time", "by_statement", F.DAYS, "ended", "agreement")


@dataclass
class Dashboard:
    period: Period
    previous: Period
    as_of: date
    current: dict[str, F.Value]
    before: dict[str, F.Value]
    last_year: Period | None = None
    year_before: dict[str, F.Value] = field(default_factory=dict)  # the same period a year earlier (同比)
    by_unit: dict[int, dict[str, F.Value]] = field(default_factory=dict)
    unit_terms: dict[int, dict[F.Term, int]] = field(default_factory=dict)  # the period's counts per unit
    by_person: dict[int, dict[str, F.Value]] = field(default_factory=dict)
    by_category: dict[str, dict[str, F.Value]] = field(default_factory=dict)
    trend: list[TrendPoint] = field(default_factory=list)
    trend_year_before: list[TrendPoint] = field(default_factory=list)  # the trend's months a year earlier
    breaches_by_rule: list[tuple[str, int]] = field(default_factory=list)
    oldest: list[Case] = field(default_factory=list)


def trend_period(period: Period) -> Period:
    """The months of the period, or the twelve months up to its end when it spans fewer than three."""
    if len(period.months()) >= 3:
        return Period(month_period(period.start.year, period.start.month).start, period.end)
    year, month = period.end.year, period.end.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    return Period(month_period(year, month).start, period.end)


def trend(session: Session, scope: Scope, period: Period, cells: bool = False) -> list[TrendPoint]:
    """Accepted and closed arbitrations per month, pending carried forward."""
    per_month, pending = (summary_read.trend if cells else _trend_counts)(session, scope, period)
    points = []
    for month in period.months():
        got_in, got_out = per_month.get(month, (0, 0))
        pending += got_in - got_out
        points.append(TrendPoint(month, int(got_in), int(got_out), pending))
    return points


def _trend_counts(session: Session, scope: Scope, period: Period) -> tuple[dict[str, tuple[int, int]], int]:
    """({'YYYY-MM': (accepted, closed)}, pending at the start): one GROUP BY over both dates, one count."""
    a, source = Arbitration, SOURCES[ARBITRATION]
    where = source.scope_clauses(scope)
    accepted = sa.select(
        month_of(a.accepted_on).label("month"), sa.literal(1).label("accepted"), sa.literal(0).label("closed")
    ).where(a.accepted_on.between(period.start, period.end), *where)
    closed = sa.select(month_of(a.closed_on).label("month"), sa.literal(0), sa.literal(1)).where(
        a.accepted_on.is_not(None), a.closed_on.between(period.start, period.end), *where
    )
    both = sa.union_all(accepted, closed).subquery("moves")
    per_month = {
        row.month: (row.accepted, row.closed)
        for row in session.execute(
            sa.select(
                both.c.month, sa.func.sum(both.c.accepted).label("accepted"), sa.func.sum(both.c.closed).label("closed")
            ).group_by(both.c.month)
        )
    }
    pending = session.scalar(
        sa.select(sa.func.count())
        .select_from(a)
        .where(a.accepted_on < period.start, sa.or_(a.closed_on.is_(None), a.closed_on >= period.start), *where)
    )
    return per_month, pending


def breaches_by_rule(session: Session, scope: Scope, period: Period) -> list[tuple[str, int]]:
    t = SlaTimer
    rows = session.execute(
        sa.select(t.rule_id, sa.func.count())
        .where(t.breached_on.between(period.start, period.end), *SOURCES["timers"].scope_clauses(scope))
        .group_by(t.rule_id)
        .order_by(sa.func.count().desc(), t.rule_id)
    )
    return [(rule, n) for rule, n in rows]


def oldest_open(session: Session, scope: Scope, limit: int = OLDEST) -> list[Case]:
    """The open cases registered longest ago in the scope's units (ix_cases_unit_registered_on)."""
    where = [Case.status == CaseStatus.OPEN, *SOURCES["cases"].scope_clauses(scope)]
    return list(
        session.scalars(
            sa.select(Case)
            .where(*where)
            .order_by(Case.registered_on, Case.id)
            .limit(limit)
            .options(sa.orm.lazyload(Case.timers))
        )
    )


def build(session: Session, scope: Scope, period: Period, as_of: date, cells: bool = False) -> Dashboard:
    """The dashboard from the summary cells when `cells` (summary.current said they answer), else live."""
    previous, last_year = period.previous(), period.year_before()
    count = summary_read.counts if cells else counts
    with without_jit(session):
        by_unit = count(session, scope, [period, previous, last_year], as_of, grouping="unit")
        current, before, year_before = total(by_unit, 3) if by_unit else ({}, {}, {})
        dash = Dashboard(period, previous, as_of, figure_set(current), figure_set(before), last_year)
        dash.year_before = figure_set(year_before)
        dash.by_unit = {unit: figure_set(per[0]) for unit, per in by_unit.items()}
        dash.unit_terms = {unit: per[0] for unit, per in by_unit.items()}
        for grouping, target in (("person", "by_person"), ("category", "by_category")):
            groups = count(
                session, scope, [period], as_of, grouping=grouping, sources=BREAKDOWN_SOURCES, only=BREAKDOWN_TERMS
            )
            setattr(
                dash, target, {key: figure_set(groups[key][0]) for key in sorted(k for k in groups if k is not None)}
            )
        months = trend_period(period)
        dash.trend = trend(session, scope, months, cells)
        dash.trend_year_before = trend(session, scope, months.year_before(), cells)
        dash.breaches_by_rule = (summary_read.breaches_by_rule if cells else breaches_by_rule)(session, scope, period)
        dash.oldest = oldest_open(session, scope)
    return dash


def by_subtree(dash: Dashboard, units: list[Unit]) -> list[tuple[int, dict[str, F.Value]]]:
    """Each of `units` with the figures of its whole subtree (as its drill-down lists them): the per-unit groups
    summed over the subtree, so no more statements; units with nothing counted are left out."""
    unit_path = {u.id: u.path for u in units}
    rows = []
    for unit in units:
        inside = [
            terms
            for unit_id, terms in dash.unit_terms.items()
            if unit_id in unit_path and unit_path[unit_id].startswith(unit.path)
        ]
        summed = total({n: [t] for n, t in enumerate(inside)}, 1)[0]
        if any(summed.values()):
            rows.append((unit.id, figure_set(summed)))
    return rows


def change(now: F.Value, before: F.Value) -> float | None:
    """Now minus before: counts and days as such, rates in percentage points; None when either is undefined."""
    if now.value is None or before.value is None:
        return None
    if now.figure.kind == F.RATE:
        return 100 * (now.value - before.value)
    return now.value - before.value
