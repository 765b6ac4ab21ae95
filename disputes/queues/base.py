"""What a work queue is made of: items (a case, what waits, when it is due) in sections, most urgent first.

Plain data, no Flask: the view renders it, the tests read it. An item's due date is the deadline of the open
timer of the rule it is about (`sla.due`), never computed here; an item whose rule has no open timer shows none.

Every section is bounded by what it shows (issue 18): one COUNT and one statement for its first LIMIT rows, in
urgency order computed by the database (`due_sql`, the SQL twin of `sla.due.due_on`), with what the items show
loaded alongside (a fixed number of statements whatever the queue's length). A role's section counts are sent
together, as the columns of one statement (`Context.count_ahead`), and a section with nothing to show reads
nothing more (issue 18 part 8).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import StrEnum
from functools import cached_property

import sqlalchemy as sa
from sqlalchemy.orm import Session, contains_eager, selectinload

from disputes import clock, policy
from disputes.models import Case, Role, User
from disputes.models.sla import SlaTimer
from disputes.sla.states import OPEN_STATUSES

LIMIT = 25  # items shown per section (issue 18: bounded by what it shows); the section counts them (to COUNT_CAP)
COUNT_CAP = 1000  # a section counts its items to this (a queue is worked, not paged through; issue 18)


@dataclass(frozen=True)
class Item:
    case: Case
    anchor: str  # the track's anchor on the case page: mediation, arbitration, legal-aid-3, lawsuit-7
    what: str  # message id (English), translated when shown
    due: date | datetime | None = None
    since: date | None = None  # when the wait began, for items without a legal due date
    overdue: bool = False
    note: str | None = None  # stored text shown as it is: a number, a room, a reason
    state: StrEnum | None = None  # a stored value shown by its label (a state, a ground, a closure type)
    params: dict = field(default_factory=dict)  # placeholders of `what`
    reasons: tuple = ()  # (message id, placeholders) pairs saying why, e.g. an allocation's explanation

    @property
    def due_is_time(self) -> bool:
        return isinstance(self.due, datetime)


@dataclass
class Section:
    key: str
    role: Role
    title: str  # message id
    empty: str  # message id shown when nothing waits
    items: list[Item]
    total: int = 0  # at most COUNT_CAP + 1: more than COUNT_CAP is shown as such

    @property
    def capped(self) -> bool:
        """More items wait than the count goes to (COUNT_CAP)."""
        return self.total > COUNT_CAP


@dataclass(frozen=True)
class Context:
    """One user's queue request: the database, who asks, when, and the cases they may read."""

    session: Session
    user: User
    now: datetime  # UTC
    totals: dict[str, int] = field(default_factory=dict)  # section counts read ahead (`count_ahead`), by key

    @property
    def today(self) -> date:
        return clock.to_local(self.now).date()

    @cached_property
    def scope(self) -> sa.ColumnElement[bool]:
        """The user's reading scope, built once a request (a clause is reused by every statement)."""
        return policy.case_scope(self.user)

    @cached_property
    def row_scope(self) -> sa.ColumnElement[bool]:
        """The same cases, probed per row (`policy.case_scope(per_row=True)`)."""
        return policy.case_scope(self.user, per_row=True)

    def local_start(self, day: date) -> datetime:
        """The first instant of a local day, in UTC."""
        return datetime.combine(day, time(0), clock.LOCAL_TZ).astimezone(UTC)

    def is_overdue(self, due: date | datetime | None) -> bool:
        if due is None:
            return False
        if isinstance(due, datetime):
            return due < self.now
        return due < self.today

    def item(self, case: Case, anchor: str, what: str, *, due=None, **extra) -> Item:
        return Item(case=case, anchor=anchor, what=what, due=due, overdue=self.is_overdue(due), **extra)

    def scoped(self, stmt: sa.Select, per_row: bool = False) -> sa.Select:
        """`stmt` (joined to Case) restricted to the cases the user may read; `per_row`: probed per row."""
        return stmt.where(self.row_scope if per_row else self.scope)

    def capped_count(self, stmt: sa.Select, per_row: bool = False) -> sa.ScalarSelect:
        """How many rows `stmt` has within the user's scope, counted to COUNT_CAP + 1 at most (issue 18): a queue's
        length beyond that is "more than COUNT_CAP"."""
        counted = self.scoped(stmt, per_row).order_by(None).limit(COUNT_CAP + 1).subquery()
        return sa.select(sa.func.count()).select_from(counted).scalar_subquery()

    def count_ahead(self, counts: dict[str, sa.ScalarSelect]) -> None:
        """Several sections' counts (`capped_count`s, by section key) in one statement, one column each: the
        sections then read only their rows (`page(counted=key)`), and none when their count is 0."""
        if not counts:
            return
        values = self.session.execute(sa.select(*(count.label(f"n{i}") for i, count in enumerate(counts.values()))))
        self.totals.update(zip(counts, values.one(), strict=True))

    def counted(self, key: str, count: sa.ScalarSelect) -> int:
        """The count read ahead for section `key`, else `count` on its own."""
        if key in self.totals:
            return self.totals[key]
        return self.session.scalar(count.element) or 0

    def page(
        self,
        stmt: sa.Select,
        *path,
        key,
        due=None,
        since=None,
        options=(),
        limit: int | None = None,
        since_set: bool = False,
        per_row: bool = False,
        counted: str | None = None,
    ) -> tuple[list, int]:
        """The first `limit` rows of `stmt` (joined to Case) within the user's scope, most urgent first, and how
        many there are: a COUNT and one or two statements for the rows, plus the loaders' (`path` to the case,
        with its parties and timers; `options`). Urgency as `urgency` orders items: rows with a `due` first,
        soonest first; then by `since` (today when NULL); then by case and `key` (the row's id). `due` is a
        `TimerDue` (a rule's open timer, joined: no per-row lookup) or an SQL expression. `since_set`: `since` is
        never NULL on these rows, so they are ordered by it as it stands (an index on it gives them in order).
        `per_row`: the rows are the user's own few, so the scope is probed per row (`policy.case_scope`), a
        `TimerDue` is outer-joined (one statement for the rows with a deadline and those without) and, unless
        counted ahead, the rows statement counts them (`count(*) OVER ()`, capped as `capped_count`): one
        statement for the section.
        `counted`: the section's key, whose count `count_ahead` may have read already (the same `capped_count`).
        The case (`path`'s last step) is read with the rows: the statement joins it already."""
        limit = LIMIT if limit is None else limit
        # The user's own few rows are all read to order them: the rows statement counts them as it goes (a window).
        windowed = per_row and limit > 0 and counted not in self.totals
        total = None
        if not windowed:
            if counted in self.totals:
                total = self.totals[counted]
            else:
                total = self.session.scalar(self.capped_count(stmt, per_row).element) or 0
            if not total or limit <= 0:
                return [], total or 0
        stmt = self.scoped(stmt, per_row)
        waited = [since if since_set else sa.func.coalesce(since, self.now.date())] if since is not None else []
        loaders = (_case_loader(path), *options)
        if isinstance(due, TimerDue) and per_row:  # the user's own few rows: read once, with or without a timer
            stmt, due = stmt.outerjoin(DUE_TIMER, due.last_open(DUE_TIMER)), DUE_TIMER.due_on
        if isinstance(due, TimerDue):
            rows = list(
                self.session.scalars(
                    stmt.join(DUE_TIMER, due.last_open(DUE_TIMER))
                    .order_by(DUE_TIMER.due_on, Case.id, key)
                    .limit(limit)
                    .options(*loaders)
                ).unique()
            )
            if len(rows) < limit and len(rows) < total:  # then those without a deadline, waiting longest first
                rest = stmt.where(~sa.exists().where(due.last_open(DUE_TIMER)))
                rows += self.session.scalars(
                    rest.order_by(*waited, Case.id, key).limit(limit - len(rows)).options(*loaders)
                ).unique()
            return rows, total
        order = []
        if due is not None:
            order += [due.is_(None), due]
            if waited:
                order.append(sa.case((due.is_(None), waited[0]), else_=None))
        else:
            order += waited
        stmt = stmt.order_by(*order, Case.id, key).limit(limit).options(*loaders)
        if not windowed:
            return list(self.session.scalars(stmt).unique()), total
        rows = self.session.execute(stmt.add_columns(sa.func.count().over())).unique().all()
        return [row[0] for row in rows], min(rows[0][1], COUNT_CAP + 1) if rows else 0


# The aliases a `TimerDue` joins, made once: a fresh alias costs ~1 ms of column adaptation in every request.
DUE_TIMER = sa.orm.aliased(SlaTimer, name="due_timer")
NEWER_TIMER = sa.orm.aliased(SlaTimer, name="newer_timer")


@dataclass(frozen=True)
class TimerDue:
    """An item's deadline as `sla.due.due_on` reads it: the case's last open timer of `rule_id` for `subject` (a
    column of the row, e.g. Hearing.id; None: the case's own), when it has a due date (not suspended)."""

    rule_id: str
    subject: object = None

    def last_open(self, timer) -> sa.ColumnElement[bool]:
        """The join condition to `timer` (an alias of SlaTimer): that timer, with its due date."""
        newer = NEWER_TIMER
        of_subject = timer.subject_id.is_(None) if self.subject is None else timer.subject_id == self.subject
        open_ = sorted(OPEN_STATUSES)
        return sa.and_(
            timer.case_id == Case.id,
            timer.rule_id == self.rule_id,
            of_subject,
            timer.status.in_(open_),
            timer.due_on.is_not(None),
            ~sa.exists().where(
                newer.case_id == timer.case_id,
                newer.rule_id == timer.rule_id,
                sa.or_(
                    newer.subject_id == timer.subject_id,
                    sa.and_(newer.subject_id.is_(None), timer.subject_id.is_(None)),
                ),
                newer.status.in_(open_),
                newer.id > timer.id,
            ),
        )


def _case_loader(path):
    """The rows' path to their case, taken from the row statement's own joins (each step is a many-to-one the
    statement joins: no statement of its own), and the case's parties (one statement for the page)."""
    if not path:  # the rows are the cases
        return selectinload(Case.parties)
    loader = contains_eager(path[0])
    for step in path[1:]:
        loader = loader.contains_eager(step)
    return loader.selectinload(Case.parties)


def due_sql(rule_id: str, subject=None) -> sa.ScalarSelect:
    """`sla.due.due_on` in SQL, for ordering: the due date of the case's last open timer of `rule_id` for
    `subject` (a column or a value; None: the case's own), NULL when there is none (or it is suspended)."""
    of_subject = SlaTimer.subject_id.is_(None) if subject is None else SlaTimer.subject_id == subject
    return (
        sa.select(SlaTimer.due_on)
        .where(
            SlaTimer.case_id == Case.id,
            SlaTimer.rule_id == rule_id,
            of_subject,
            SlaTimer.status.in_(sorted(OPEN_STATUSES)),
        )
        .order_by(SlaTimer.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def latest_due_sql(rule_ids) -> sa.ScalarSelect:
    """`sla.due.latest_due` in SQL: the last due date of the case's open timers of these rules."""
    return (
        sa.select(sa.func.max(SlaTimer.due_on))
        .where(
            SlaTimer.case_id == Case.id,
            SlaTimer.rule_id.in_(sorted(rule_ids)),
            SlaTimer.status.in_(sorted(OPEN_STATUSES)),
        )
        .scalar_subquery()
    )


def urgency(item: Item, now: datetime) -> tuple:
    """Due items first, soonest (or most overdue) first; then items waiting since longest."""
    if item.due is not None:
        due = item.due
        moment = due if isinstance(due, datetime) else datetime.combine(due, time(0), clock.LOCAL_TZ)
        return (0, moment.astimezone(UTC), item.case.id)
    since = item.since or now.date()
    return (1, datetime.combine(since, time(0), clock.LOCAL_TZ).astimezone(UTC), item.case.id)


def section(
    ctx: Context,
    key: str,
    role: Role,
    title: str,
    empty: str,
    items: list[Item],
    *,
    sort: bool = True,
    total: int | None = None,
) -> Section:
    """A section of `items` (the first LIMIT shown); `total`: how many there are in all, when `items` are only
    the first ones (a bounded query's page); otherwise all of them were given."""
    if sort:
        items = sorted(items, key=lambda i: urgency(i, ctx.now))
    return Section(
        key=key, role=role, title=title, empty=empty, items=items[:LIMIT], total=len(items) if total is None else total
    )
