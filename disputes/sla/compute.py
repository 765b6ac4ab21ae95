"""Deadline computation (deadlines.md rules 1–10), pure: no Flask, no database, no clock.

The result carries its own explanation (rule 10) as Steps: English message ids marked with N_ and raw
parameters (dates stay `date` objects), so the page, the API and the ledger can each render them in the
reader's language and date format; `explain()` does that for a given gettext and date formatter.

Order of operations, as the spec's worked examples require: nominal date (rule 1, 2 or 3, or 9), plus the
calendar days of every ended suspension (rule 6), plus approved extension days (rule 7, counted from the
nominal expiry), then one roll-over to the next working day (rule 4). An extension in months (the court's
first instance, CPL Art 152/164/168) is added to the nominal date first, by rule 2, and rolled over with the
rest. Policy points the spec leaves open:
- A 0-day period (policy target `green.accept`, "due the day received") is due on the trigger day itself
  and is not rolled, even when that is a rest day: rolling would turn "same day" into "next working day".
- Reverse deadlines (rule 9) never roll and take no suspension or extension; they do not depend on the
  calendar, so they are never provisional.
- Provisional (rule 5) means some day the calendar was asked about (the working days counted, the day
  rolled from, the days skipped, the day rolled to) lies in a year without calendar data. Such a year has
  the statutory holidays of the holiday measures and weekends as rest days (calendar.statutory_holidays); a
  roll-over from one of those holidays says so.
"""
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from disputes.i18n import N_
from disputes.sla.calendar import WEEKEND, WorkCalendar
from disputes.sla.periods import add_months

MAX_AWARD_EXTENSION_DAYS = 15  # Law Art 43; enforced by the workflow that approves extensions, not here


class PeriodUnit(StrEnum):
    DAYS = "days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"
    REVERSE = "reverse"  # "at least N days before the event": `start` is the event's date


PERIOD_MESSAGES = {
    PeriodUnit.DAYS: N_("%(count)s days"),
    PeriodUnit.WORKING_DAYS: N_("%(count)s working days"),
    PeriodUnit.MONTHS: N_("%(count)s months"),
    PeriodUnit.REVERSE: N_("%(count)s days before %(date)s"),
}


@dataclass(frozen=True)
class Step:
    """One line of the explanation. `params` holds dates as `date`, counts as int, a rest `reason` that
    is either a holiday's name (data, shown as is) or calendar.WEEKEND (a message id to translate), and a
    `kind` that is a message id (translated)."""

    code: str  # trigger, period, nominal, suspension, suspended, extension, same_day, rollover, provisional
    message: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Deadline:
    nominal: date  # rule 1/2/3 (or 9) before any adjustment
    due: date | None  # None while a suspension is still open
    provisional: bool  # computed across a year without calendar data (rule 5)
    suspended_since: date | None
    steps: tuple[Step, ...]


def compute_deadline(*, start: date, period: int, unit: PeriodUnit, calendar: WorkCalendar,
                     suspensions: Sequence[tuple[date, date | None]] = (), extension_days: int = 0,
                     extension_months: int = 0) -> Deadline:
    """The deadline of a period of `period` units triggered on `start` (the event's date for REVERSE).

    `suspensions` are (suspended on, resumed on or None while still suspended); the caller passes only
    those that pause this timer (rule 6: pausable rules). `extension_days` and `extension_months` are the
    totals approved.
    """
    unit = PeriodUnit(unit)
    if period < 0 or extension_days < 0 or extension_months < 0:
        raise ValueError("periods and extensions cannot be negative")
    if unit is PeriodUnit.REVERSE:
        if suspensions or extension_days or extension_months:
            raise ValueError("a reverse deadline is neither suspended nor extended")
        nominal = start - timedelta(days=period)
        steps = (Step("period", PERIOD_MESSAGES[unit], {"count": period, "date": start}),
                 Step("nominal", N_("Nominal deadline %(date)s"), {"date": nominal}))
        return Deadline(nominal=nominal, due=nominal, provisional=False, suspended_since=None, steps=steps)

    steps = [Step("trigger", N_("Triggered on %(date)s"), {"date": start}),
             Step("period", PERIOD_MESSAGES[unit], {"count": period})]
    consulted: set[int] = set()  # years whose calendar data the computation relied on
    if unit is PeriodUnit.DAYS:
        nominal = start + timedelta(days=period)
    elif unit is PeriodUnit.MONTHS:
        nominal = add_months(start, period)
    else:
        nominal = calendar.add_working_days(start, period)
        if period:
            consulted.update(range((start + timedelta(days=1)).year, nominal.year + 1))
    steps.append(Step("nominal", N_("Nominal deadline %(date)s"), {"date": nominal}))

    due = nominal
    if extension_months:
        due = add_months(nominal, extension_months)
        steps.append(Step("extension", N_("Extension of %(months)s months approved"), {"months": extension_months}))
    suspended_since = None
    for paused, resumed in sorted(suspensions, key=lambda s: s[0]):
        if resumed is None:
            suspended_since = suspended_since or paused  # sorted: the earliest open suspension
            continue
        if resumed < paused:
            raise ValueError(f"suspension resumed on {resumed} before it began on {paused}")
        days = (resumed - paused).days
        due += timedelta(days=days)
        steps.append(Step("suspension", N_("Suspended %(start)s–%(end)s: %(days)s days added"),
                          {"start": paused, "end": resumed, "days": days}))
    if extension_days:
        due += timedelta(days=extension_days)
        steps.append(Step("extension", N_("Extension of %(days)s days approved"), {"days": extension_days}))

    if suspended_since is not None:
        steps.append(Step("suspended", N_("Suspended since %(start)s: the deadline is open"),
                          {"start": suspended_since}))
        due = None
    elif period == 0 and due == start:
        if not calendar.is_working_day(due):
            steps.append(Step("same_day", N_("A period of 0 days ends on the day itself: no roll-over"), {}))
    else:
        rolled, skipped = calendar.roll_forward(due)
        consulted.update(day.year for day in (*skipped, rolled))
        if skipped:
            message = (N_("%(date)s is %(reason)s (statutory, provisional): moved to %(next)s")
                       if calendar.is_provisional_holiday(due) else N_("%(date)s is %(reason)s: moved to %(next)s"))
            steps.append(Step("rollover", message, {"date": due, "reason": calendar.rest_reason(due), "next": rolled}))
        due = rolled

    missing = sorted(year for year in consulted if not calendar.has_year(year))
    steps += [Step("provisional", N_("No calendar data for %(year)s: statutory holidays and weekends only "
                                     "(provisional)"), {"year": year})
              for year in missing]
    return Deadline(nominal=nominal, due=due, provisional=bool(missing), suspended_since=suspended_since,
                    steps=tuple(steps))


def explain(step: Step, gettext: Callable[[str], str], format_date: Callable[[date], str] = date.isoformat) -> str:
    """A step as one sentence in the reader's language (gettext and date format supplied by the caller)."""
    params = {key: format_date(value) if isinstance(value, date) else value for key, value in step.params.items()}
    if params.get("reason") == WEEKEND:
        params["reason"] = gettext(WEEKEND)
    kind = params.get("kind")
    if kind is not None:  # a message id naming the kind of an event (the limitation's interruptions)
        params["kind"] = gettext(kind)
    message = gettext(step.message)
    return message % params if params else message
