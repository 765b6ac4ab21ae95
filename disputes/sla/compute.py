"""Deadline computation (deadlines.md rules 1–10), pure: no Flask, no database, no clock.

The result carries its own explanation (rule 10) as Steps: English message ids marked with N_ and raw
parameters (dates stay `date` objects), so the page, the API and the ledger can each render them in the
reader's language and date format; `explain()` does that for a given gettext and date formatter.

Order of operations, as the spec's worked examples require: nominal date (rule 1, 2 or 3, or 9), plus the
calendar days of every ended suspension and public-notice period (rule 6; Rules Art 46 (6)), each day counted
once where they overlap, plus approved extension days (rule 7, counted from the nominal expiry), then one
roll-over to the next working day (rule 4). An extension in months (the court's first instance, CPL Art
152/164/168) is added to the nominal date first, by rule 2, and rolled over with the rest. Policy points the
spec leaves open:
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

from disputes.i18n import N_
from disputes.sla.calendar import WEEKEND, WorkCalendar
from disputes.sla.periods import add_months
from disputes.sla.states import PeriodUnit

MAX_AWARD_EXTENSION_DAYS = 15  # Law Art 43; enforced by the workflow that approves extensions, not here


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

    code: str  # trigger, period, nominal, suspension, public_notice, suspended, notice_pending, extension, same_day,
    # rollover, provisional
    message: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Deadline:
    nominal: date  # rule 1/2/3 (or 9) before any adjustment
    due: date | None  # None while a suspension is still open
    provisional: bool  # computed across a year without calendar data (rule 5)
    suspended_since: date | None  # the earliest pause still open (a suspension or a pending public notice)
    steps: tuple[Step, ...]
    paused_days: int = 0  # calendar days not counted (suspensions and public notices, overlaps once)


PAUSE_MESSAGES = {
    "suspension": (
        N_("Suspended %(start)s–%(end)s: %(days)s days added"),
        "suspended",
        N_("Suspended since %(start)s: the deadline is open"),
    ),
    "public_notice": (
        N_("Public notice %(start)s–%(end)s: %(days)s days not counted"),
        "notice_pending",
        N_("Public notice pending since %(start)s: the deadline is open"),
    ),
}


def compute_deadline(
    *,
    start: date,
    period: int,
    unit: PeriodUnit,
    calendar: WorkCalendar,
    suspensions: Sequence[tuple[date, date | None]] = (),
    extension_days: int = 0,
    extension_months: int = 0,
    notices: Sequence[tuple[date, date | None]] = (),
) -> Deadline:
    """The deadline of a period of `period` units triggered on `start` (the event's date for REVERSE).

    `suspensions` are (suspended on, resumed on or None while still suspended); the caller passes only
    those that pause this timer (rule 6: pausable rules). `notices` are public-notice periods (published on,
    deemed served on or None while pending), which pause the same timers (Rules Art 46 (6)); a day inside both
    a suspension and a notice is counted once. `extension_days` and `extension_months` are the totals approved.
    """
    unit = PeriodUnit(unit)
    if period < 0 or extension_days < 0 or extension_months < 0:
        raise ValueError("periods and extensions cannot be negative")
    if unit is PeriodUnit.REVERSE:
        if suspensions or notices or extension_days or extension_months:
            raise ValueError("a reverse deadline is neither suspended nor extended")
        nominal = start - timedelta(days=period)
        steps = (
            Step("period", PERIOD_MESSAGES[unit], {"count": period, "date": start}),
            Step("nominal", N_("Nominal deadline %(date)s"), {"date": nominal}),
        )
        return Deadline(nominal=nominal, due=nominal, provisional=False, suspended_since=None, steps=steps)

    steps = [
        Step("trigger", N_("Triggered on %(date)s"), {"date": start}),
        Step("period", PERIOD_MESSAGES[unit], {"count": period}),
    ]
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
    suspended_since, open_kind = None, None
    pauses = sorted(
        [(s, e, "suspension") for s, e in suspensions] + [(s, e, "public_notice") for s, e in notices],
        key=lambda p: (p[0], p[2]),
    )
    counted: set[int] = set()  # ordinals of the days already not counted (overlapping pauses count once)
    for paused, resumed, kind in pauses:
        if resumed is None:
            if suspended_since is None:  # sorted: the earliest open pause
                suspended_since, open_kind = paused, kind
            continue
        if resumed < paused:
            raise ValueError(f"{kind} ended on {resumed} before it began on {paused}")
        days_of = set(range(paused.toordinal(), resumed.toordinal()))
        days = len(days_of - counted)
        counted |= days_of
        due += timedelta(days=days)
        steps.append(Step(kind, PAUSE_MESSAGES[kind][0], {"start": paused, "end": resumed, "days": days}))
    if extension_days:
        due += timedelta(days=extension_days)
        steps.append(Step("extension", N_("Extension of %(days)s days approved"), {"days": extension_days}))

    if suspended_since is not None:
        _message, code, pending = PAUSE_MESSAGES[open_kind]
        steps.append(Step(code, pending, {"start": suspended_since}))
        due = None
    elif period == 0 and due == start:
        if not calendar.is_working_day(due):
            steps.append(Step("same_day", N_("A period of 0 days ends on the day itself: no roll-over"), {}))
    else:
        rolled, skipped = calendar.roll_forward(due)
        consulted.update(day.year for day in (*skipped, rolled))
        if skipped:
            message = (
                N_("%(date)s is %(reason)s (statutory, provisional): moved to %(next)s")
                if calendar.is_provisional_holiday(due)
                else N_("%(date)s is %(reason)s: moved to %(next)s")
            )
            steps.append(Step("rollover", message, {"date": due, "reason": calendar.rest_reason(due), "next": rolled}))
        due = rolled

    missing = sorted(year for year in consulted if not calendar.has_year(year))
    steps += [
        Step(
            "provisional",
            N_("No calendar data for %(year)s: statutory holidays and weekends only (provisional)"),
            {"year": year},
        )
        for year in missing
    ]
    return Deadline(
        nominal=nominal,
        due=due,
        provisional=bool(missing),
        suspended_since=suspended_since,
        steps=tuple(steps),
        paused_days=len(counted),
    )


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
