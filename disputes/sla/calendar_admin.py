"""Editing the stored holiday calendar (deadlines.md rule 5): days, years on record, CSV import.

Every change recomputes the open timers whose deadlines it could move (`recompute_open_timers`), in the
same transaction, with a timeline entry on each case whose deadline (or its provisional mark) changed; the
caller commits. With `recompute=False` the change is only made, and the caller records a background job for
it (`queue_recompute`, run by `sla.recompute_job`: issue 18, a million open timers are not recomputed inside a
web request). No Flask here: the admin pages and any script call these.
"""

from __future__ import annotations

import calendar as pycalendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, lazyload, selectinload

from disputes import clock
from disputes.i18n import N_, DomainError
from disputes.models.case import Case
from disputes.models.sla import CalendarDay, CalendarRecompute, CalendarYear, SlaTimer
from disputes.models.user import User
from disputes.sla import timers
from disputes.sla.calendar import MAX_NAME_LENGTH, DayInfo, load_csv
from disputes.sla.calendar_store import forget, load_calendar
from disputes.sla.states import OPEN_STATUSES, DayKind, TimerStatus
from disputes.workflow import timeline

# A change in year Y can move a deadline whose nominal date or due date lies early in Y + 1 (working days
# counted across New Year, a roll-over from 31 December); one month past the year covers every rule.
SPILL_OVER = timedelta(days=31)
BATCH_SIZE = 1000  # timers loaded at a time by recompute_open_timers
RECOMPUTED = "sla.calendar_recomputed"  # the timeline entry on a case whose deadlines a calendar change moved


@dataclass(frozen=True)
class ImportResult:
    years: tuple[int, ...]
    days: int  # days written
    replaced: int  # days of those years that were on record before and were replaced
    recomputed: int  # open timers recomputed


def _check(day: date, kind: DayKind, name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise DomainError(N_("Give the day's name (at most %(max)s characters)."), field="name", max=MAX_NAME_LENGTH)
    if DayKind(kind) == DayKind.WORKDAY and day.weekday() < 5:
        raise DomainError(
            N_("%(day)s is a weekday; a make-up working day is a Saturday or Sunday."), field="kind", day=day
        )
    return name


def add_day(
    session: Session, day: date, kind: DayKind, name: str, actor: User | None = None, recompute: bool = True
) -> tuple[CalendarDay, int]:
    """Add a holiday or make-up working day; returns it and the number of timers recomputed."""
    name = _check(day, kind, name)
    if session.get(CalendarDay, day) is not None:
        raise DomainError(N_("%(day)s is already in the calendar: edit it instead."), field="day", day=day)
    row = CalendarDay(day=day, kind=DayKind(kind), name=name)
    session.add(row)
    session.flush()
    return row, recompute_open_timers(session, {day.year}, actor) if recompute else _later(session)


def _later(session: Session) -> int:
    forget(session)  # the session's cached calendar predates the change
    return 0


def queue_recompute(session: Session, first: date, last: date, change: str, actor: User | None) -> CalendarRecompute:
    """Record the background recomputation of the open timers whose period meets the days `first`..`last` (the
    caller commits, then hands the job to `jobs.enqueue_calendar_recompute`)."""
    job = CalendarRecompute(
        first=first,
        last=last,
        change=change[:200],
        created_by_id=actor.id if actor else None,
        status="queued",
        heartbeat_at=clock.now_utc(),
    )
    session.add(job)
    session.flush()
    return job


def edit_day(
    session: Session, row: CalendarDay, kind: DayKind, name: str, actor: User | None = None, recompute: bool = True
) -> int:
    """Change a day's kind or name; returns the number of timers recomputed (0 when nothing changed)."""
    name = _check(row.day, kind, name)
    if (row.kind, row.name) == (DayKind(kind), name):
        return 0
    row.kind, row.name = DayKind(kind), name
    session.flush()
    return recompute_open_timers(session, {row.day.year}, actor) if recompute else _later(session)


def delete_day(session: Session, row: CalendarDay, actor: User | None = None, recompute: bool = True) -> int:
    year = row.day.year
    session.delete(row)
    session.flush()
    return recompute_open_timers(session, {year}, actor) if recompute else _later(session)


def mark_year_complete(session: Session, year: int, actor: User, recompute: bool = True) -> CalendarYear:
    """Put a year entered by hand on record: from now on its deadlines are final, not provisional."""
    if session.get(CalendarYear, year) is not None:
        raise DomainError(N_("The calendar of %(year)s is already on record."), field="year", year=year)
    first, last = date(year, 1, 1), date(year, 12, 31)
    holidays = session.scalar(
        sa.select(sa.func.count())
        .select_from(CalendarDay)
        .where(CalendarDay.day.between(first, last), CalendarDay.kind == DayKind.HOLIDAY)
    )
    if not holidays:
        raise DomainError(
            N_("Enter the official holidays of %(year)s before marking the year as complete."), field="year", year=year
        )
    today = clock.today_local()
    row = CalendarYear(
        year=year, source=f"Entered by {actor.username} on {today.isoformat()}", recorded_at=clock.now_utc()
    )
    session.add(row)
    session.flush()
    if recompute:
        recompute_open_timers(session, {year}, actor)
    else:
        _later(session)
    return row


def import_csv(
    session: Session, content: bytes | Iterable[str | bytes], actor: User, recompute: bool = True
) -> ImportResult:
    """Import a `day,kind,name` file (its bytes, or its lines): every line is checked before anything is
    written (a DomainError names the first bad line). The file is the complete calendar of each year it
    contains: the stored days of those years are replaced by the file's, and the years are put on record."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig").splitlines()
        except UnicodeDecodeError:
            raise DomainError(N_("The file is not UTF-8 text: save it as “CSV UTF-8” and import it again.")) from None
    days = load_csv(content)
    years = sorted({day.year for day in days})
    if not years:
        raise DomainError(N_("The file lists no days."))
    in_years = sa.or_(*(CalendarDay.day.between(date(y, 1, 1), date(y, 12, 31)) for y in years))
    replaced = session.execute(sa.delete(CalendarDay).where(in_years)).rowcount or 0
    session.add_all(CalendarDay(day=day, kind=DayKind(info.kind), name=info.name) for day, info in days.items())
    source = f"CSV import by {actor.username} on {clock.today_local().isoformat()}"
    for year in years:
        row = session.get(CalendarYear, year) or CalendarYear(year=year)
        row.source, row.recorded_at = source, clock.now_utc()
        session.add(row)
    session.flush()
    count = recompute_open_timers(session, years, actor) if recompute else _later(session)
    return ImportResult(tuple(years), len(days), replaced, count)


def year_span(years: Iterable[int]) -> tuple[date, date]:
    """The days a change to the calendar of `years` concerns (whole years on record or not)."""
    years = sorted(set(years))
    return date(years[0], 1, 1), date(years[-1], 12, 31)


def recompute_open_timers(
    session: Session, years: Iterable[int], actor: User | None = None, batch_size: int = BATCH_SIZE
) -> int:
    """Recompute every open timer whose deadline a change to the calendar of `years` could move; returns how many.

    Selected by date range, as the partial index ix_sla_timers_open (status, due_on, …) allows: the span
    from the nominal date to the due date meets the changed years (plus SPILL_OVER). Paused timers (no due
    date) are selected by their nominal date; their deadline is computed again when they resume anyway.
    Timers are read `batch_size` at a time in id order (keyset), so a million open timers are never loaded at
    once; each batch is flushed before the next. A case whose deadline or provisional mark changed gets one
    `sla.calendar_recomputed` timeline entry per batch, by `actor`, with each changed timer's rule, due date
    and provisional mark before and after (the official notice entered for a provisional year, rule 5).
    """
    forget(session)  # the session's cached calendar predates the change
    years = sorted(set(years))
    if not years:
        return 0
    first, last = date(years[0], 1, 1), date(years[-1], 12, 31) + SPILL_OVER
    query = (
        sa.select(SlaTimer)
        .options(selectinload(SlaTimer.adjustments), selectinload(SlaTimer.rule))
        .where(
            SlaTimer.status.in_(sorted(OPEN_STATUSES)),
            sa.or_(
                sa.and_(SlaTimer.due_on >= first, SlaTimer.nominal_on <= last),
                sa.and_(SlaTimer.due_on.is_(None), SlaTimer.nominal_on.between(first, last)),
            ),
        )
        .order_by(SlaTimer.id)
        .limit(batch_size)
    )
    calendar = load_calendar(session)
    today = clock.today_local()
    count, after_id = 0, 0
    while True:
        batch = list(session.scalars(query.where(SlaTimer.id > after_id)))
        recompute_batch(session, batch, calendar, today, actor)
        count += len(batch)
        session.flush()
        if len(batch) < batch_size:
            return count
        after_id = batch[-1].id


def recompute_batch(session: Session, batch: list[SlaTimer], calendar, today: date, actor: User | None) -> int:
    """Recompute these timers with `calendar`, record the changes on their cases' timelines; how many changed."""
    changes: dict[int, list[tuple[dict, dict]]] = {}
    for timer in batch:
        before = _shown(timer)
        timers.recompute(timer, calendar)
        if timer.status == TimerStatus.BREACHED and timer.due_on and timer.due_on >= today:
            timer.status = TimerStatus.RUNNING  # the deadline moved past today; the recorded breach stays
        if _shown(timer) != before:
            changes.setdefault(timer.case_id, []).append((before, _shown(timer)))
    _record_changes(session, changes, actor)
    return sum(len(pairs) for pairs in changes.values())


def _shown(timer: SlaTimer) -> dict:
    return {
        "rule": timer.rule_id,
        "due_on": timer.due_on.isoformat() if timer.due_on else None,
        "provisional": timer.provisional,
    }


def _record_changes(session: Session, changes: dict[int, list[tuple[dict, dict]]], actor: User | None) -> None:
    if not changes:
        return
    # lazyload: the cases' other timers (a selectin relationship) are not needed for the entry.
    for case in session.scalars(sa.select(Case).where(Case.id.in_(sorted(changes))).options(lazyload("*"))):
        pairs = changes[case.id]
        timeline.record(
            session,
            case,
            actor,
            RECOMPUTED,
            before={"timers": [before for before, _ in pairs]},
            after={"timers": [after for _, after in pairs]},
        )


def year_days(session: Session, year: int) -> list[CalendarDay]:
    return list(
        session.scalars(
            sa.select(CalendarDay)
            .where(CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)))
            .order_by(CalendarDay.day)
        )
    )


@dataclass(frozen=True)
class Cell:
    day: date
    info: DayInfo | None  # the stored entry (holiday or make-up working day), if any
    statutory: DayInfo | None = None  # in a year not on record: the statutory holiday used meanwhile (rule 5)

    @property
    def weekend(self) -> bool:
        return self.day.weekday() >= 5


def month_grids(
    year: int,
    rows: Iterable[CalendarDay],
    statutory: dict[date, DayInfo] | None = None,
) -> list[tuple[int, list[list[Cell | None]]]]:
    """Twelve (month, weeks) grids, Monday first; days outside the month are None. `statutory`: the provisional
    holidays of a year not on record, shown where no day is stored."""
    entries = {row.day: DayInfo(DayKind(row.kind).value, row.name) for row in rows}
    statutory = statutory or {}
    weeks_of = pycalendar.Calendar(firstweekday=0).monthdatescalendar
    return [
        (
            month,
            [
                [Cell(day, entries.get(day), statutory.get(day)) if day.month == month else None for day in week]
                for week in weeks_of(year, month)
            ],
        )
        for month in range(1, 13)
    ]
