"""What a figure is computed over: a period of local dates and a scope (unit subtree, optional filters)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from sqlalchemy.orm import Session

from disputes.models import Unit
from disputes.organisation import subtree

PRESETS = ("month", "quarter", "year")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of equal length just before this one: the previous calendar month, quarter or year when
        this is one (so July–September compares with April–June), else as many days just before."""
        before = self.start - timedelta(days=1)
        for kind in PRESETS:
            if preset(kind, self.start) == self:
                return preset(kind, before)
        return Period(self.start - timedelta(days=self.days), before)

    def year_before(self) -> Period:
        """The same dates a year earlier (同比); 29 February becomes the 28th."""
        return Period(_year_before(self.start), _year_before(self.end))

    def months(self) -> list[str]:
        """'YYYY-MM' of every month the period touches."""
        out, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


def _year_before(day: date) -> date:
    return day.replace(year=day.year - 1, day=28) if (day.month, day.day) == (2, 29) else day.replace(year=day.year - 1)


def month_period(year: int, month: int) -> Period:
    first = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return Period(first, following - timedelta(days=1))


def preset(kind: str, day: date) -> Period:
    """The calendar month, quarter or year containing `day`."""
    if kind == "month":
        return month_period(day.year, day.month)
    if kind == "quarter":
        first = 3 * ((day.month - 1) // 3) + 1
        return Period(month_period(day.year, first).start, month_period(day.year, first + 2).end)
    if kind == "year":
        return Period(date(day.year, 1, 1), date(day.year, 12, 31))
    raise ValueError(f"unknown preset {kind!r}")


@dataclass(frozen=True)
class Scope:
    """A unit subtree (`unit_ids`, literal so the planner sees them; None = every unit) and optional filters."""

    unit_ids: tuple[int, ...] | None = None
    person_id: int | None = None
    category: str | None = None
    green_channel: bool = False
    collective: bool = False
    label: str = field(default="", compare=False)

    def narrowed(self, **changes) -> Scope:
        return replace(self, **changes)


def subtree_ids(session: Session, unit: Unit) -> tuple[int, ...]:
    return tuple(session.scalars(subtree(unit).order_by(Unit.id)))


def unit_scope(session: Session, unit: Unit | None, **filters) -> Scope:
    ids = subtree_ids(session, unit) if unit is not None else None
    return Scope(unit_ids=ids, label=unit.code if unit is not None else "", **filters)
