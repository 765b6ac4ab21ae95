"""The working-day calendar (deadlines.md rules 4 and 5), pure: no Flask, no database.

Official holidays and make-up working days (调休上班日) are data announced every year, so they come in as a
mapping built by the caller (from the database table, or from the bundled `data/holidays.csv` that seeds
it). `years` says which years that data covers. In any other year the calendar does not guess what only the
State Council's notice can say (bridging days, make-up working days, substitute days): it takes the statutory
holidays that the holiday measures fix in advance (年节放假办法 Art 2, `statutory_holidays`, computed from
`data/statutory_holidays.json`, lunar dates and the solar term by `lunar_python`), and weekends as rest days;
`compute.compute_deadline` then marks the deadline provisional.
"""

import csv
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from disputes.i18n import N_, DomainError

HOLIDAY = "holiday"
WORKDAY = "workday"
KINDS = (HOLIDAY, WORKDAY)
WEEKEND = N_("weekend")  # the rest reason of an ordinary Saturday or Sunday (a holiday gives its own name)
MAX_NAME_LENGTH = 40
HEADER = ["day", "kind", "name"]
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # fromisoformat alone also takes 20250101 and 2025-W01-1
BUNDLED = Path(__file__).resolve().parent / "data" / "holidays.csv"
STATUTORY = Path(__file__).resolve().parent / "data" / "statutory_holidays.json"


@dataclass(frozen=True)
class DayInfo:
    kind: str  # HOLIDAY (an official rest day) or WORKDAY (a make-up working day)
    name: str  # e.g. 春节, 春节调休

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"day kind must be one of {KINDS}, not {self.kind!r}")


class WorkCalendar:
    """Which days are working days, given the official calendar data for some years.

    Entries for a year that is not in `years` are ignored: a half-entered year is no better than a missing
    one, and rule 5 forbids guessing; such a year is provisional and has the statutory holidays only. With
    `makeup_workday_ends_period` false (the MAKEUP_WORKDAY_ENDS_PERIOD setting), every Saturday and Sunday is a
    rest day, make-up working days included.
    """

    def __init__(self, days: Mapping[date, DayInfo], years: Iterable[int], makeup_workday_ends_period: bool = True):
        self.years = frozenset(years)
        self.days = {day: info for day, info in days.items() if day.year in self.years}
        self.makeup_workday_ends_period = makeup_workday_ends_period

    @classmethod
    def from_days(cls, days: Mapping[date, DayInfo], makeup_workday_ends_period: bool = True) -> "WorkCalendar":
        """A calendar covering exactly the years that have at least one entry."""
        return cls(days, {day.year for day in days}, makeup_workday_ends_period)

    def has_year(self, year: int) -> bool:
        return year in self.years

    def info(self, day: date) -> DayInfo | None:
        """The day's entry: from the data in a year on record, else the statutory holiday (provisional), if any."""
        if day.year in self.years:
            return self.days.get(day)
        return _statutory(day.year).get(day)

    def is_provisional_holiday(self, day: date) -> bool:
        """A statutory holiday of a year without calendar data (rule 5: known in advance, but provisional)."""
        return day.year not in self.years and day in _statutory(day.year)

    def is_working_day(self, day: date) -> bool:
        info = self.info(day)
        if info is None:
            return day.weekday() < 5
        if info.kind == HOLIDAY:
            return False
        return self.makeup_workday_ends_period or day.weekday() < 5

    def rest_reason(self, day: date) -> str | None:
        """The holiday's name, WEEKEND (a message id to translate) or None on a working day."""
        if self.is_working_day(day):
            return None
        info = self.info(day)
        return info.name if info is not None and info.kind == HOLIDAY else WEEKEND

    def roll_forward(self, day: date) -> tuple[date, list[date]]:
        """The first working day on or after `day` (rule 4), and the rest days passed over to reach it."""
        skipped = []
        while not self.is_working_day(day):  # ends: outside the data years only weekends and a few holidays rest
            skipped.append(day)
            day += timedelta(days=1)
        return day, skipped

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`-th working day after `start`; the start day itself is not counted (rule 1).

        A count of 0 gives `start` unchanged (same-day periods are not rolled, see compute.py).
        """
        if count < 0:
            raise ValueError("a working-day count cannot be negative")
        day = start
        while count:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day


def load_csv(path_or_lines: str | os.PathLike | Iterable[str | bytes]) -> dict[date, DayInfo]:
    """Parse the calendar file format: a `day,kind,name` header, then one ISO date per line.

    A str or path is a file name; anything else is an iterable of lines (text, or UTF-8 bytes as read from
    an uploaded file; for a whole text use `text.splitlines()`). Because administrators import this file,
    every problem is a DomainError naming the line, and nothing is returned unless the whole file is valid.
    """
    if isinstance(path_or_lines, str | os.PathLike):
        with open(path_or_lines, encoding="utf-8-sig", newline="") as f:
            return _parse(f.read().splitlines())
    lines = [line.decode("utf-8-sig") if isinstance(line, bytes) else line for line in path_or_lines]
    return _parse([line.rstrip("\r\n") for line in lines])


def _parse(lines: list[str]) -> dict[date, DayInfo]:
    days: dict[date, DayInfo] = {}
    header_seen = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        fields = [field.strip() for field in next(csv.reader([line.lstrip("\ufeff")]))]
        if not header_seen:
            if fields != HEADER:
                raise DomainError(N_("Line %(line)s: the first line must be the header day,kind,name."), line=number)
            header_seen = True
            continue
        day, kind, name = _parse_row(number, fields)
        if day in days:
            raise DomainError(N_("Line %(line)s: %(day)s is listed twice."), line=number, day=day.isoformat())
        days[day] = DayInfo(kind, name)
    if not header_seen:
        raise DomainError(N_("The calendar file is empty: it needs the header day,kind,name and one line per day."))
    return days


def _parse_row(number: int, fields: list[str]) -> tuple[date, str, str]:
    if len(fields) != 3:
        raise DomainError(
            N_("Line %(line)s: expected three fields (day,kind,name), found %(count)s."), line=number, count=len(fields)
        )
    text, kind, name = fields
    try:
        day = date.fromisoformat(text) if ISO_DATE.fullmatch(text) else None
    except ValueError:  # 2025-02-30
        day = None
    if day is None:
        raise DomainError(N_("Line %(line)s: %(value)s is not a date written as YYYY-MM-DD."), line=number, value=text)
    if kind not in KINDS:
        raise DomainError(
            N_("Line %(line)s: the kind must be holiday or workday, not %(value)s."), line=number, value=kind
        )
    if not name or len(name) > MAX_NAME_LENGTH:
        raise DomainError(
            N_("Line %(line)s: give the holiday's name (at most %(max)s characters)."), line=number, max=MAX_NAME_LENGTH
        )
    if kind == WORKDAY and day.weekday() < 5:
        raise DomainError(
            N_("Line %(line)s: %(day)s is a weekday; a make-up working day is a Saturday or Sunday."),
            line=number,
            day=text,
        )
    return day, kind, name


@lru_cache(maxsize=1)
def _bundled() -> tuple[tuple[date, DayInfo], ...]:
    return tuple(load_csv(BUNDLED).items())


def bundled_days() -> dict[date, DayInfo]:
    """The repository's seed data (2024–2026), a fresh dict on every call."""
    return dict(_bundled())


def bundled_calendar(makeup_workday_ends_period: bool = True) -> WorkCalendar:
    """A calendar of the bundled data alone (tests, and the seed before an administrator edits anything)."""
    return WorkCalendar.from_days(bundled_days(), makeup_workday_ends_period)


# --- statutory holidays for years without calendar data (deadlines.md rule 5) ----------------------------------

NAME_SEPARATOR = "/"  # two holidays on one day (中秋 on 1 October, as in 2031): both names


@lru_cache(maxsize=1)
def _measures() -> tuple[dict, ...]:
    return tuple(json.loads(STATUTORY.read_text(encoding="utf-8"))["holidays"])


def _lunar_day(year: int, month: int, day: int) -> date:
    from lunar_python import Lunar  # imported on first use: only years without data need it

    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _solar_term(year: int, name: str) -> date:
    from lunar_python import Solar

    # The table of the lunar year around 1 April holds that spring's terms (清明 falls on 4–6 April).
    term = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()[name]
    return date(term.getYear(), term.getMonth(), term.getDay())


def _days_of(entry: dict, year: int) -> list[date]:
    if "solar" in entry:
        month, day = entry["solar"]
        first = date(year, month, day)
        return [first + timedelta(days=n) for n in range(entry.get("days", 1))]
    if "lunar" in entry:
        return [_lunar_day(year, *entry["lunar"])]
    if "lunar_new_year" in entry:  # 正月初一 of the lunar year beginning in this solar year; -1 is 除夕
        new_year = _lunar_day(year, 1, 1)
        return [new_year + timedelta(days=offset) for offset in entry["lunar_new_year"]]
    return [_solar_term(year, entry["solar_term"])]


_STATUTORY: dict[int, dict[date, DayInfo]] = {}


def _statutory(year: int) -> dict[date, DayInfo]:
    """Shared and cached: read it, never change it (`statutory_holidays` gives a copy)."""
    found = _STATUTORY.get(year)
    if found is None:
        names: dict[date, list[str]] = {}
        for entry in _measures():
            if entry.get("from", year) <= year <= entry.get("until", year):
                for day in _days_of(entry, year):
                    names.setdefault(day, []).append(entry["name"])
        found = _STATUTORY[year] = {
            day: DayInfo(HOLIDAY, NAME_SEPARATOR.join(dict.fromkeys(names[day])))
            for day in sorted(names)
            if day.year == year
        }
    return found


def statutory_holidays(year: int) -> dict[date, DayInfo]:
    """The rest days the holiday measures (年节放假办法 Art 2, in the version in force that year) fix for `year`:
    元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆. Not the bridging days, the make-up working days nor the substitute
    days of Art 6 (a holiday on a weekend): only the State Council's notice places those."""
    return dict(_statutory(year))
