"""The holiday calendar as stored: building the `WorkCalendar` the computations use, and editing it."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock
from disputes.models.sla import CalendarDay, CalendarYear
from disputes.sla import settings
from disputes.sla.calendar import DayInfo, WorkCalendar

WARN_BEFORE_END_DAYS = 60  # issue 4: warn 60 days before the calendar data runs out


CACHE_KEY = "sla.calendar"


def load_calendar(session: Session, makeup_workday_ends_period: bool | None = None) -> WorkCalendar:
    """The stored calendar, read once per session (a request, a command) until `forget()` is called."""
    ends = settings.MAKEUP_WORKDAY_ENDS_PERIOD if makeup_workday_ends_period is None else makeup_workday_ends_period
    cached = session.info.get(CACHE_KEY)
    if cached is None:
        days = {row.day: DayInfo(row.kind.value, row.name) for row in session.scalars(sa.select(CalendarDay))}
        cached = session.info[CACHE_KEY] = (days, tuple(session.scalars(sa.select(CalendarYear.year))))
    days, years = cached
    return WorkCalendar(days, years, makeup_workday_ends_period=ends)


def forget(session: Session) -> None:
    """Drop the cached calendar after the calendar was edited."""
    session.info.pop(CACHE_KEY, None)


def last_covered_day(session: Session) -> date | None:
    """The last day of the last year on record with no gap from the current year."""
    years = set(session.scalars(sa.select(CalendarYear.year)))
    year = clock.today_local().year
    if year not in years:
        return None
    while year + 1 in years:
        year += 1
    return date(year, 12, 31)


def running_out(session: Session, today: date | None = None) -> date | None:
    """The end of the calendar data when it is less than 60 days away (or already past), else None."""
    today = today or clock.today_local()
    end = last_covered_day(session)
    if end is None:
        return date(today.year - 1, 12, 31)
    return end if (end - today).days <= WARN_BEFORE_END_DAYS else None
