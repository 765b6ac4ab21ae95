"""What a work queue is made of: items (a case, what waits, when it is due) in sections, most urgent first.

Plain data, no Flask: the view renders it, the tests read it. An item's due date is the deadline of the open
timer of the rule it is about (`sla.due`), never computed here; an item whose rule has no open timer shows none.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from disputes import clock, policy
from disputes.models import Case, Role, User

LIMIT = 100  # items shown per section; the section still counts them all


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
    total: int = 0


@dataclass(frozen=True)
class Context:
    """One user's queue request: the database, who asks, when, and the cases they may read."""

    session: Session
    user: User
    now: datetime  # UTC

    @property
    def today(self) -> date:
        return clock.to_local(self.now).date()

    @property
    def scope(self) -> sa.ColumnElement[bool]:
        return policy.case_scope(self.user)

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

    def rows(self, stmt: sa.Select, *path) -> list:
        """Run `stmt` (already joined to Case) within the user's scope; `path` leads from a row to its case,
        which is loaded with its parties."""
        stmt = stmt.where(self.scope)
        if path:
            loader = selectinload(path[0])
            for step in path[1:]:
                loader = loader.selectinload(step)
            stmt = stmt.options(loader.selectinload(Case.parties))
        return list(self.session.scalars(stmt).unique())


def urgency(item: Item, now: datetime) -> tuple:
    """Due items first, soonest (or most overdue) first; then items waiting since longest."""
    if item.due is not None:
        due = item.due
        moment = due if isinstance(due, datetime) else datetime.combine(due, time(0), clock.LOCAL_TZ)
        return (0, moment.astimezone(UTC), item.case.id)
    since = item.since or now.date()
    return (1, datetime.combine(since, time(0), clock.LOCAL_TZ).astimezone(UTC), item.case.id)


def section(ctx: Context, key: str, role: Role, title: str, empty: str, items: list[Item],
            *, sort: bool = True) -> Section:
    if sort:
        items = sorted(items, key=lambda i: urgency(i, ctx.now))
    return Section(key=key, role=role, title=title, empty=empty, items=items[:LIMIT], total=len(items))

