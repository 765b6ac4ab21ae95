"""The deadline board's queries (issue 4, item 5): open timers grouped by urgency, no Flask.

Four disjoint groups, each a WHERE clause on the columns of `sla_timers` that its partial indexes hold
(status, due_on, warn_on, unit_id, responsible_id, rule_id), within the reader's `policy.deadline_scope` (also
a clause on those columns, so no count ever looks a case up):
- today:   running, due today;
- soon:    running, inside the rule's warning window (warn_on <= today < due_on);
- overdue: running or breached, due before today (tasks only: a period that ran out is not overdue);
- paused:  suspended (no deadline while the suspension lasts).
Counts are COUNTs in the database, never a walk over the timers; the lists stop at LIMIT rows.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from disputes.models import Case, Unit
from disputes.models.sla import SlaRule, SlaTimer
from disputes.sla.states import RuleKind, TimerStatus

LIMIT = 100
GROUPS = ("today", "soon", "overdue", "paused")


@dataclass(frozen=True)
class BoardFilter:
    unit: Unit | None = None  # the unit and every unit below it
    responsible_id: int | None = None
    rule_id: str | None = None


@dataclass
class Group:
    key: str
    total: int
    timers: list[SlaTimer] = field(default_factory=list)


@dataclass(frozen=True)
class Bounds:
    """What the group clauses need from the (small) rules table, read once per board."""

    period_rules: tuple[str, ...]  # periods that simply run out (RuleKind.PERIOD) are never overdue


def bounds(session: Session) -> Bounds:
    periods = session.scalars(sa.select(SlaRule.rule_id).where(SlaRule.kind == RuleKind.PERIOD).distinct())
    return Bounds(period_rules=tuple(sorted(periods)))


def group_clause(key: str, today: date, limits: Bounds) -> sa.ColumnElement[bool]:
    running = SlaTimer.status == TimerStatus.RUNNING
    if key == "today":
        return sa.and_(running, SlaTimer.due_on == today)
    if key == "soon":  # ix_sla_timers_soon (warn_on, due_on) where running
        return sa.and_(running, SlaTimer.warn_on <= today, SlaTimer.due_on > today)
    if key == "overdue":
        # A period past its end is closed by the next scan (scan.py), not overdue work.
        return sa.and_(SlaTimer.status.in_([TimerStatus.RUNNING, TimerStatus.BREACHED]), SlaTimer.due_on < today,
                       SlaTimer.rule_id.not_in(limits.period_rules))
    if key == "paused":
        return SlaTimer.status == TimerStatus.PAUSED
    raise ValueError(f"unknown board group {key!r}")


def filter_clauses(filters: BoardFilter) -> list[sa.ColumnElement[bool]]:
    clauses = []
    if filters.unit is not None:
        subtree = sa.select(Unit.id).where(Unit.path.startswith(filters.unit.path, autoescape=True))
        clauses.append(SlaTimer.unit_id.in_(subtree))
    if filters.responsible_id is not None:
        clauses.append(SlaTimer.responsible_id == filters.responsible_id)
    if filters.rule_id:
        clauses.append(SlaTimer.rule_id == filters.rule_id)
    return clauses


def _where(key: str, scope, filters: BoardFilter, today: date, limits: Bounds) -> list:
    return [group_clause(key, today, limits), scope, *filter_clauses(filters)]


@contextmanager
def _without_jit(session: Session) -> Iterator[None]:
    """PostgreSQL would JIT-compile these counts (their estimated cost counts every possible case probe), which
    takes far longer than the few-millisecond index scans themselves; off for them, then as it was."""
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    previous = session.scalar(sa.text("SELECT current_setting('jit')"))
    session.execute(sa.text("SELECT set_config('jit', 'off', true)"))
    try:
        yield
    finally:
        session.execute(sa.text("SELECT set_config('jit', :value, true)"), {"value": previous})


def counts(session: Session, scope, filters: BoardFilter, today: date,
           limits: Bounds | None = None) -> dict[str, int]:
    """How many timers in each group, among those `scope` selects: a WHERE clause on SlaTimer, or disjoint
    parts of one (`policy.deadline_scope_parts`) counted apart, so that no count has to OR two indexes."""
    limits = limits or bounds(session)
    parts = scope if isinstance(scope, tuple) else (scope,)
    stmt = sa.select(sa.func.count()).select_from(SlaTimer)
    with _without_jit(session):
        return {key: sum(session.scalar(stmt.where(*_where(key, part, filters, today, limits))) for part in parts)
                for key in GROUPS}


ORDER = {
    "today": (SlaTimer.id,),
    "soon": (SlaTimer.due_on, SlaTimer.id),
    "overdue": (SlaTimer.due_on, SlaTimer.id),
    "paused": (SlaTimer.paused_since, SlaTimer.id),
}


def rows(session: Session, key: str, scope: sa.ColumnElement[bool], filters: BoardFilter, today: date,
         limit: int = LIMIT, limits: Bounds | None = None) -> list[SlaTimer]:
    """The first `limit` timers of a group, most urgent first, with what the board shows loaded."""
    limits = limits or bounds(session)
    with _without_jit(session):
        return list(session.scalars(_rows_statement(key, scope, filters, today, limit, limits)))


def _rows_statement(key, scope, filters, today, limit, limits) -> sa.Select:
    return (
        sa.select(SlaTimer)
        .where(*_where(key, scope, filters, today, limits))
        .order_by(*ORDER[key]).limit(limit)
        .options(selectinload(SlaTimer.case).selectinload(Case.parties), selectinload(SlaTimer.rule),
                 selectinload(SlaTimer.responsible))
    )


def board(session: Session, scope, filters: BoardFilter, today: date, limit: int = LIMIT) -> list[Group]:
    """Every group with its total and its first `limit` timers; `scope` as for `counts`."""
    limits = bounds(session)
    totals = counts(session, scope, filters, today, limits)
    if isinstance(scope, tuple):
        scope = sa.or_(*scope)
    return [Group(key, totals[key], rows(session, key, scope, filters, today, limit, limits)
                  if totals[key] else []) for key in GROUPS]


def units_of(session: Session, groups: list[Group]) -> dict[int, Unit]:
    """The units the listed timers belong to, by id (timers store only the id)."""
    ids = {timer.unit_id for group in groups for timer in group.timers}
    return {unit.id: unit for unit in session.scalars(sa.select(Unit).where(Unit.id.in_(ids)))} if ids else {}
