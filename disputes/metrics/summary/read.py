"""The figures' counts read from metric_cells: the same {group: [{term: count} per period]} as compute.counts, in
one small statement, for what the cells can answer — whole months, a unit scope without filters, and an as-of
date on or after the latest filing and the latest performance noted (the cells count 'sued' and 'performed' as
they stand)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.metrics import figures as F
from disputes.metrics.compute import ALL, ALL_SOURCES
from disputes.metrics.scope import Period, Scope, month_period
from disputes.metrics.sources import ARBITRATION, AWARDS, CASES, DUE, LEGAL_AID, MEDIATION, TIMERS, WITHDRAWALS
from disputes.metrics.summary.cells import CATEGORY, PERSON, UNIT
from disputes.models import ClaimCategory, Lawsuit, Mediation, MetricMonth
from disputes.sla.states import TimerStatus
from disputes.workflow.states import ClosureType, MediationState

KEY_TYPES = {"person": int, "category": ClaimCategory}  # the group keys as the live counts give them
GRAINS = {ALL: UNIT, "unit": UNIT, "person": PERSON, "category": CATEGORY}
CUMULATIVE = ("accepted", "left")  # arbitration events whose whole history counts (pending at start and end)
# Terms the cells hold per unit only (the breakdowns by person and category do not show them).
PER_UNIT_ONLY = {MEDIATION: {"signed", "performed"}, ARBITRATION: {"final", "not_pending", "finality_pending"}}
OTHER_CLOSURES = {"", ClosureType.MEDIATION_STATEMENT, ClosureType.AWARD}


def whole_months(period: Period) -> bool:
    return period.start.day == 1 and month_period(period.end.year, period.end.month).end == period.end


def answerable(scope: Scope, periods: list[Period]) -> bool:
    """Whole months, and a unit scope without filters."""
    if scope.person_id is not None or scope.category or scope.green_channel or scope.collective:
        return False
    return all(whole_months(p) for p in periods)


def as_of_covered(session: Session, as_of: date) -> bool:
    """The cells count a case as sued and an agreement as performed as things stand: right for an as-of date
    on or after the latest filing and the latest performance noted."""
    latest = session.execute(
        sa.select(
            sa.select(sa.func.max(Lawsuit.filed_on)).scalar_subquery(),
            sa.select(sa.func.max(Mediation.performance_noted_on)).scalar_subquery(),
        )
    ).one()
    return all(day is None or day <= as_of for day in latest)


def usable(session: Session, scope: Scope, periods: list[Period], as_of: date) -> bool:
    return answerable(scope, periods) and as_of_covered(session, as_of)


def _terms(
    source: str,
    event: str,
    kind: str,
    flag1: int,
    flag2: int,
    inside: int,
    days: int,
    before: int,
    upto: int,
    as_of: date,
) -> dict[str, int]:
    """The terms of sources.py one group of cells adds to: `inside` rows in the period, `before` it, `upto` its end."""
    if source == ARBITRATION:
        if event == "accepted":
            return {"accepted": inside, "pending_start": before, "pending_end": upto, "opened": upto}
        if event == "left":
            return {"pending_start": -before, "pending_end": -upto}
        if event == "finality":  # closed by award: still pending when not sued and a party may sue on the as-of date
            pending = inside * (1 - flag2) * (kind != "" and kind >= as_of.isoformat())
            return {"finality_pending": pending, "final": -pending, "not_pending": -pending}
        return {
            "closed": inside,
            "on_time": inside * flag1,
            "final": inside * (1 - flag2),
            "not_pending": inside,
            F.DAYS: days,
            "by_statement": inside * (kind == ClosureType.MEDIATION_STATEMENT),
            "by_award": inside * (kind == ClosureType.AWARD),
            "by_other": inside * (kind not in OTHER_CLOSURES),
            "statement_or_withdrawal": inside * (kind in WITHDRAWALS),
        }
    if source == AWARDS:
        return {"final_award" if event.startswith("final") else "awarded": inside}
    if source == DUE:
        return {"due": inside, "due_closed": inside * flag1}
    if source == MEDIATION:
        if event == "ended":
            return {"ended": inside, "agreement": inside * (kind == MediationState.AGREEMENT)}
        return {"signed": inside, "performed": inside * flag1}
    if source == CASES:
        return {"ended": inside, "ended_without_suit": inside * (1 - flag2)}
    if source == LEGAL_AID:
        return {"decided": inside, "decided_on_time": inside * flag1, "granted": inside * flag2}
    if event == "breached":
        return {"breached": inside}
    return {"completed": inside, "completed_on_time": inside * (kind == TimerStatus.MET)}


def _rows(session: Session, scope: Scope, periods: list[Period], grain: str, sources: tuple[str, ...], group):
    c = MetricMonth
    columns = []
    for index, period in enumerate(periods):
        first, last = period.start, period.end.replace(day=1)
        inside = sa.and_(c.month >= first, c.month2 <= last)
        columns += [
            sa.func.sum(sa.case((inside, c.n), else_=0)).label(f"in{index}"),
            sa.func.sum(sa.case((inside, c.days), else_=0)).label(f"days{index}"),
            sa.func.sum(sa.case((c.month < first, c.n), else_=0)).label(f"before{index}"),
            sa.func.sum(sa.case((c.month <= last, c.n), else_=0)).label(f"upto{index}"),
        ]
    lowest, highest = min(p.start for p in periods), max(p.end for p in periods)
    where = [
        c.grain == grain,
        c.source.in_(sources),
        sa.or_(c.event.in_(CUMULATIVE), sa.and_(c.month >= lowest, c.month <= highest)),
    ]
    if scope.unit_ids is not None:
        where.append(c.unit_id.in_(scope.unit_ids))
    keys = [c.source, c.event, c.kind, c.flag1, c.flag2] + ([group] if group is not None else [])
    return session.execute(sa.select(*keys, *columns).where(*where).group_by(*keys)).mappings()


def counts(
    session: Session,
    scope: Scope,
    periods: list[Period],
    as_of: date,
    grouping: str = ALL,
    sources: tuple[str, ...] = ALL_SOURCES,
    only: tuple[str, ...] | None = None,
) -> dict[object, list[dict]]:
    """compute.counts from the cells (check `usable` first); groups with nothing counted are left out. Per person
    and per category the cells hold the arbitrations and the mediations ended, what the dashboard's tables show."""
    c = MetricMonth
    if grouping in ("person", "category") and (
        not set(sources) <= {ARBITRATION, MEDIATION}
        or any(only is None or PER_UNIT_ONLY[source] & set(only) for source in sources)
    ):
        raise ValueError(f"the cells hold no {grouping} grouping for {sources} {only}")
    group = {ALL: None, "unit": c.unit_id, "person": c.group_key, "category": c.group_key}[grouping]
    wanted = {source: [t for t in F.terms_of(source) if only is None or t in only] for source in sources}
    out: dict[object, list[dict]] = defaultdict(
        lambda: [{F.Term(s, t): 0 for s, terms in wanted.items() for t in terms} for _ in periods]
    )
    if grouping == ALL:
        out[ALL]
    for row in _rows(session, scope, periods, GRAINS[grouping], sources, group):
        key = ALL if group is None else KEY_TYPES.get(grouping, lambda k: k)(row[group.key])
        for index, per_period in enumerate(out[key]):
            terms = _terms(
                row["source"],
                row["event"],
                row["kind"],
                row["flag1"],
                row["flag2"],
                *(int(row[f"{name}{index}"] or 0) for name in ("in", "days", "before", "upto")),
                as_of,
            )
            for name, value in terms.items():
                term = F.Term(row["source"], name)
                if term in per_period:
                    per_period[term] += value
    return {key: per for key, per in out.items() if key == ALL or any(v for p in per for v in p.values())}


def trend(session: Session, scope: Scope, period: Period) -> tuple[dict[str, tuple[int, int]], int]:
    """({'YYYY-MM': (accepted, closed)}, pending at the period's start) for the monthly trend."""
    c = MetricMonth
    where = [c.grain == UNIT, c.source == ARBITRATION, c.event.in_(("accepted", "left", "closed"))]
    if scope.unit_ids is not None:
        where.append(c.unit_id.in_(scope.unit_ids))
    per_month: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    pending = 0
    for event, month, n in session.execute(
        sa.select(c.event, c.month, sa.func.sum(c.n)).where(*where).group_by(c.event, c.month)
    ):
        if month < period.start:
            pending += int(n) * (-1 if event == "left" else event == "accepted")
        elif month <= period.end and event != "left":
            per_month[month.strftime("%Y-%m")][event == "closed"] += int(n)
    return {k: (v[0], v[1]) for k, v in per_month.items()}, pending


def breaches_by_rule(session: Session, scope: Scope, period: Period) -> list[tuple[str, int]]:
    c = MetricMonth
    where = [c.grain == UNIT, c.source == TIMERS, c.event == "breached", c.month >= period.start, c.month <= period.end]
    if scope.unit_ids is not None:
        where.append(c.unit_id.in_(scope.unit_ids))
    total = sa.func.sum(c.n)
    return [
        (rule, int(n))
        for rule, n in session.execute(
            sa.select(c.kind, total).where(*where).group_by(c.kind).order_by(total.desc(), c.kind)
        )
    ]
