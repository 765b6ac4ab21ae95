"""The deadline board's queries (issue 4, item 5): open timers grouped by urgency, no Flask.

Four disjoint groups, each a WHERE clause on the columns of `sla_timers` that its partial indexes hold
(status, due_on, warn_on, unit_id, responsible_id, rule_id, case_id), within the reader's `policy.deadline_scope` (also
a clause on those columns, so no count ever looks a case up):
- today:   running, due today;
- soon:    running, inside the rule's warning window (warn_on <= today < due_on);
- overdue: running or breached, due before today (tasks only: a period that ran out is not overdue);
- paused:  suspended (no deadline while the suspension lasts).
All four counts and the "by person" ones are one statement (`tally`): two index-only scans of the covering partial
indexes (running timers by warn_on; breached and suspended ones by status) with a `count(*) FILTER` per group,
grouped by person when the people are shown, never a walk over the timers or their history; the lists stop at
LIMIT rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, lazyload, selectinload

from disputes.models import Case, Unit, User
from disputes.models.sla import SlaRule, SlaTimer
from disputes.organisation import subtree, unit_tree
from disputes.paging import Paged, page_count
from disputes.sla.states import RuleKind, TimerStatus

LIMIT = 25  # timers shown per group and page (issue 18: a board page is bounded by what it shows)
GROUPS = ("today", "soon", "overdue", "paused")


@dataclass(frozen=True)
class BoardFilter:
    unit: Unit | None = None  # the unit and every unit below it
    responsible_id: int | None = None
    rule_id: str | None = None
    kind: RuleKind | None = None  # staff tasks, or the parties' own periods (defence, evidence, right to sue…)
    week_of: date | None = None  # only the timers due in the week (Monday to Sunday) of that day


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of the week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


@dataclass
class Group(Paged):
    key: str
    total: int
    timers: list[SlaTimer] = field(default_factory=list)
    page: int = 1
    size: int = LIMIT

    @property
    def pages(self) -> int:
        return page_count(self.total, self.size)


@dataclass(frozen=True)
class Bounds:
    """What the group clauses need from the (small) rules table, read once per board."""

    period_rules: tuple[str, ...]  # periods that simply run out (RuleKind.PERIOD) are never overdue


def bounds(session: Session) -> Bounds:
    periods = session.scalars(sa.select(SlaRule.rule_id).where(SlaRule.kind == RuleKind.PERIOD).distinct())
    return Bounds(period_rules=tuple(sorted(periods)))


# Which statuses each group holds, and what else it asks of a timer (of one of those statuses).
STATUSES = {
    "today": (TimerStatus.RUNNING,),
    "soon": (TimerStatus.RUNNING,),
    "overdue": (TimerStatus.RUNNING, TimerStatus.BREACHED),
    "paused": (TimerStatus.PAUSED,),
}


def condition(key: str, today: date, limits: Bounds) -> sa.ColumnElement[bool]:
    if key == "today":
        return SlaTimer.due_on == today
    if key == "soon":  # ix_sla_timers_soon (warn_on, due_on, …) where running
        return sa.and_(SlaTimer.warn_on <= today, SlaTimer.due_on > today)
    if key == "overdue":
        # A period past its end is closed by the next scan (scan.py), not overdue work.
        return sa.and_(SlaTimer.due_on < today, SlaTimer.rule_id.not_in(limits.period_rules))
    if key == "paused":
        return sa.true()
    raise ValueError(f"unknown board group {key!r}")


def group_clause(key: str, today: date, limits: Bounds) -> sa.ColumnElement[bool]:
    return sa.and_(SlaTimer.status.in_(STATUSES[key]), condition(key, today, limits))


def filter_clauses(filters: BoardFilter) -> list[sa.ColumnElement[bool]]:
    clauses = []
    if filters.unit is not None:
        clauses.append(SlaTimer.unit_id.in_(subtree(filters.unit)))
    if filters.responsible_id is not None:
        clauses.append(SlaTimer.responsible_id == filters.responsible_id)
    if filters.rule_id:
        clauses.append(SlaTimer.rule_id == filters.rule_id)
    if filters.kind is not None:
        clauses.append(SlaTimer.rule_id.in_(sa.select(SlaRule.rule_id).where(SlaRule.kind == filters.kind)))
    if filters.week_of is not None:
        clauses.append(SlaTimer.due_on.between(*week_bounds(filters.week_of)))
    return clauses


def _where(key: str, scope, filters: BoardFilter, today: date, limits: Bounds) -> list:
    return [group_clause(key, today, limits), scope, *filter_clauses(filters)]


_JIT_OFF = "board.jit_off"  # set while inside without_jit: the board's statements share one switch
# The setting as it was and off, in one round trip: the sub-select (OFFSET 0 keeps it a plan node of its own, not
# merged into the outer one) yields its row before the outer select list, which turns JIT off, is computed.
_JIT_OFF_SQL = (
    "SELECT was.setting, set_config('jit', 'off', true) FROM (SELECT current_setting('jit') AS setting OFFSET 0) AS was"
)


@contextmanager
def without_jit(session: Session) -> Iterator[None]:
    """PostgreSQL would JIT-compile these counts (their estimated cost counts every possible case probe), which
    takes far longer than the few-millisecond index scans themselves; off for them, then as it was."""
    if session.get_bind().dialect.name != "postgresql" or session.info.get(_JIT_OFF):
        yield
        return
    session.info[_JIT_OFF] = True
    previous = session.execute(sa.text(_JIT_OFF_SQL)).first()[0]
    try:
        yield
    finally:
        session.info.pop(_JIT_OFF, None)
        session.execute(sa.text("SELECT set_config('jit', :value, true)"), {"value": previous})


def _scope_clause(scope) -> sa.ColumnElement[bool]:
    return sa.or_(*scope) if isinstance(scope, tuple) else scope


def _branches(horizon: date, others: tuple[TimerStatus, ...]) -> list[tuple[tuple, sa.ColumnElement[bool]]]:
    """The open timers a count can concern, as two index ranges, each with its statuses: running timers warned
    by `horizon` (ix_sla_timers_soon: a running timer due by `horizon` has warn_on <= due_on <= horizon,
    warn_on being due_on less the rule's warning days, never negative), and those of the `others` statuses
    (ix_sla_timers_open)."""
    return [
        ((TimerStatus.RUNNING,), sa.and_(SlaTimer.status == TimerStatus.RUNNING, SlaTimer.warn_on <= horizon)),
        (others, SlaTimer.status.in_(others)),
    ]


def _within(statuses: tuple, wanted: tuple, clause: sa.ColumnElement[bool]) -> sa.ColumnElement[bool] | None:
    """`clause` for a timer of `wanted` statuses, among timers known to be of `statuses`: without naming the
    status when all of them are wanted (ix_sla_timers_soon has no status column: it would cost the
    index-only scan), None when none is."""
    common = tuple(s for s in statuses if s in wanted)
    if not common:
        return None
    return clause if common == statuses else sa.and_(SlaTimer.status.in_(common), clause)


def _tally(
    session: Session,
    groups: dict[str, tuple[tuple, sa.ColumnElement[bool]]],
    where: list,
    horizon: date,
    others: tuple[TimerStatus, ...],
    group_by=None,
) -> list[sa.Row]:
    """One statement: `count(*) FILTER (WHERE …)` per group over both branches (UNION ALL, each an index-only
    scan of its partial index); its rows (per `group_by` value if given, some perhaps all zeros)."""
    parts = []
    for statuses, branch in _branches(horizon, others):
        clauses = {key: _within(statuses, wanted, clause) for key, (wanted, clause) in groups.items()}
        columns = [
            sa.func.count().filter(c).label(k) if c is not None else sa.literal(0).label(k) for k, c in clauses.items()
        ]
        part = sa.select(*([group_by] if group_by is not None else []), *columns).select_from(SlaTimer)
        part = part.where(branch, *where)
        parts.append(part.group_by(group_by) if group_by is not None else part)
    with without_jit(session):
        return list(session.execute(sa.union_all(*parts)))


@dataclass(frozen=True)
class PersonCounts:
    """One line of the board's "by person" table; `responsible_id` None for deadlines nobody answers for."""

    responsible_id: int | None
    today: int
    within: int  # due after today, within WITHIN_DAYS days
    overdue: int

    @property
    def total(self) -> int:
        return self.today + self.within + self.overdue


WITHIN_DAYS = 3  # "due within 3 days" (metrics.md, the dashboard): calendar days after today
PERSON_GROUPS = ("today", "within", "overdue")  # the "by person" table's columns


@dataclass(frozen=True)
class Tally:
    """The four groups' totals and, when asked for, the "by person" lines: what one statement counts."""

    totals: dict[str, int]
    people: list[PersonCounts]


def within_clause(today: date) -> sa.ColumnElement[bool]:
    return sa.and_(SlaTimer.due_on > today, SlaTimer.due_on <= today + timedelta(days=WITHIN_DAYS))


def tally(
    session: Session, scope, filters: BoardFilter, today: date, limits: Bounds | None = None, *, by_person: bool = True
) -> Tally:
    """How many timers in each group among those `scope` selects (a WHERE clause on SlaTimer, or the disjoint
    parts of one, `policy.deadline_scope_parts`), and with `by_person` the due today, due within three days and
    overdue per responsible person (the dashboard's "by person"): ONE statement over the two index ranges, a
    `count(*) FILTER (WHERE group)` per group, grouped by `responsible_id` when the people are wanted (the
    totals are then the sums of the people's rows, each timer in exactly one row). People with nothing due
    today, within three days or overdue are left out of `people`, the rest by most overdue, then most due
    today, then soonest, nobody's last."""
    limits = limits or bounds(session)
    groups = {key: (STATUSES[key], condition(key, today, limits)) for key in GROUPS}
    horizon = today
    if by_person:
        groups["within"] = ((TimerStatus.RUNNING,), within_clause(today))
        horizon = today + timedelta(days=WITHIN_DAYS)
    rows = _tally(
        session,
        groups,
        [_scope_clause(scope), *filter_clauses(filters)],
        horizon,
        (TimerStatus.BREACHED, TimerStatus.PAUSED),
        group_by=SlaTimer.responsible_id if by_person else None,
    )
    totals = {key: sum(getattr(row, key) for row in rows) for key in GROUPS}
    if not by_person:
        return Tally(totals, [])
    merged: dict[int | None, list[int]] = {}
    for row in rows:
        sums = merged.setdefault(row.responsible_id, [0] * len(PERSON_GROUPS))
        for i, key in enumerate(PERSON_GROUPS):
            sums[i] += getattr(row, key)
    found = [PersonCounts(person, *sums) for person, sums in merged.items() if any(sums)]
    people = sorted(
        found, key=lambda p: (p.responsible_id is None, -p.overdue, -p.today, -p.within, p.responsible_id or 0)
    )
    return Tally(totals, people)


def counts(session: Session, scope, filters: BoardFilter, today: date, limits: Bounds | None = None) -> dict[str, int]:
    """The groups' totals alone (`tally` without the people): one statement."""
    return tally(session, scope, filters, today, limits, by_person=False).totals


def counts_by_person(
    session: Session, scope, filters: BoardFilter, today: date, limits: Bounds | None = None
) -> list[PersonCounts]:
    """The "by person" lines of `tally`: one statement."""
    return tally(session, scope, filters, today, limits).people


ORDER = {
    "today": (SlaTimer.id,),
    "soon": (SlaTimer.due_on, SlaTimer.id),
    "overdue": (SlaTimer.due_on, SlaTimer.id),
    "paused": (SlaTimer.paused_since, SlaTimer.id),
}


def rows(
    session: Session,
    key: str,
    scope: sa.ColumnElement[bool],
    filters: BoardFilter,
    today: date,
    limit: int | None = None,
    limits: Bounds | None = None,
    offset: int = 0,
) -> list[SlaTimer]:
    """`limit` timers of a group from `offset`, most urgent first, with what the board shows loaded."""
    limits = limits or bounds(session)
    pages = {key: (offset, limit or LIMIT)}
    with without_jit(session):
        return _pages(session, pages, _scope_clause(scope), filters, today, limits)[key]


def _ids_statement(key, scope, filters, today, limit, limits, offset=0) -> sa.Select:
    return (
        sa.select(SlaTimer.id)
        .where(*_where(key, scope, filters, today, limits))
        .order_by(*ORDER[key])
        .limit(limit)
        .offset(offset)
    )


def _sort_key(key: str):
    """The group's ORDER BY in Python (NULLs last, as PostgreSQL sorts them ascending)."""
    columns = [column.key for column in ORDER[key]]
    return lambda timer: tuple((getattr(timer, c) is None, getattr(timer, c)) for c in columns)


def _pages(
    session: Session, pages: dict[str, tuple[int, int]], scope, filters: BoardFilter, today: date, limits: Bounds
) -> dict[str, list[SlaTimer]]:
    """A page of timers for each group in `pages` ({group: (offset, limit)}) in a constant number of statements,
    however many groups and timers: one UNION ALL of every group's page of ids joined to the timers with what the
    board shows (their cases, rules and people: one statement), then the cases' parties (one more). The
    cases' other timers (a selectin relationship) are not shown here."""
    if not pages:
        return {}
    parts = []
    for key, (offset, limit) in pages.items():
        ids = _ids_statement(key, scope, filters, today, limit, limits, offset).subquery()
        parts.append(sa.select(sa.literal(key).label("grp"), ids.c.id))
    ids = (sa.union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
    found = session.execute(
        sa.select(SlaTimer, ids.c.grp)
        .join(ids, SlaTimer.id == ids.c.id)
        .options(
            joinedload(SlaTimer.case).options(lazyload(Case.timers), selectinload(Case.parties)),
            joinedload(SlaTimer.rule),
            joinedload(SlaTimer.responsible).lazyload(User.role_rows),
        )
    ).all()
    grouped: dict[str, list[SlaTimer]] = {key: [] for key in pages}
    for timer, grp in found:
        grouped[grp].append(timer)
    return {key: sorted(listed, key=_sort_key(key)) for key, listed in grouped.items()}


@dataclass
class Board:
    """What the board page shows from the timers: the groups (a total and a page of timers each) and, when asked
    for, the "by person" lines."""

    groups: list[Group]
    people: list[PersonCounts]


def read_board(
    session: Session,
    scope,
    filters: BoardFilter,
    today: date,
    limit: int | None = None,
    pages: dict[str, int] | None = None,
    *,
    by_person: bool = False,
) -> Board:
    """Every group with its total and a page of its timers (`pages`: the page wanted per group, else the first;
    `limit` a page), and the "by person" lines if `by_person`; `scope` as for `tally`. A constant number of
    statements: the rules' bounds, the one count (`tally`), the pages' ids and their loads (`_pages`)."""
    limit = limit or LIMIT
    limits = bounds(session)
    with without_jit(session):
        counted = tally(session, scope, filters, today, limits, by_person=by_person)
        groups = []
        for key in GROUPS:
            group = Group(key, counted.totals[key], size=limit)
            group.page = min(max((pages or {}).get(key, 1), 1), group.pages)
            groups.append(group)
        wanted = {g.key: ((g.page - 1) * limit, limit) for g in groups if g.total}
        found = _pages(session, wanted, _scope_clause(scope), filters, today, limits)
    for group in groups:
        group.timers = found.get(group.key, [])
    return Board(groups, counted.people)


def board(
    session: Session,
    scope,
    filters: BoardFilter,
    today: date,
    limit: int | None = None,
    pages: dict[str, int] | None = None,
) -> list[Group]:
    """The groups of `read_board`, without the people."""
    return read_board(session, scope, filters, today, limit, pages).groups


def units_of(session: Session, groups: list[Group]) -> dict[int, Unit]:
    """The units the listed timers belong to, by id (timers store only the id): from the transaction's unit tree
    (`organisation.unit_tree`, read once per request), a statement only for a unit it lacks."""
    ids = {timer.unit_id for group in groups for timer in group.timers}
    known = {unit.id: unit for unit, _depth in unit_tree(session) if unit.id in ids}
    missing = ids - known.keys()
    if missing:
        known.update((unit.id, unit) for unit in session.scalars(sa.select(Unit).where(Unit.id.in_(missing))))
    return known
