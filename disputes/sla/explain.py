"""A stored timer made readable (deadlines.md rule 10), no Flask.

The timer keeps its inputs (started_on, period, unit, its suspensions and extension total), so its
`Deadline`, with the steps saying how the date was reached, is rebuilt on demand with today's calendar.
The page renders each step with `compute.explain()` in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from disputes.models.sla import SlaTimer
from disputes.sla import events
from disputes.sla.calendar import WorkCalendar
from disputes.sla.compute import Deadline, compute_deadline, explain
from disputes.sla.states import OPEN_STATUSES, AdjustmentKind, RuleKind, TimerStatus
from disputes.sla.timers import extension_months


def rebuild(timer: SlaTimer, calendar: WorkCalendar) -> Deadline | None:
    """The timer's deadline and explanation, or None if its stored inputs no longer compute."""
    suspensions = [(a.start_on, a.end_on) for a in timer.adjustments if a.kind == AdjustmentKind.SUSPENSION]
    notices = [(a.start_on, a.end_on) for a in timer.adjustments if a.kind == AdjustmentKind.PUBLIC_NOTICE]
    try:
        return compute_deadline(
            start=timer.started_on,
            period=timer.period,
            unit=timer.unit,
            calendar=calendar,
            suspensions=suspensions,
            notices=notices,
            extension_days=timer.extension_days,
            extension_months=extension_months(timer),
        )
    except ValueError:
        return None


def open_timer(case, rule_id: str) -> SlaTimer | None:
    """The case's open timer of a rule (the newest), if any."""
    return next((t for t in reversed(case.timers) if t.rule_id == rule_id and t.status in OPEN_STATUSES), None)


def with_extension(timer: SlaTimer, calendar: WorkCalendar, days: int) -> Deadline | None:
    """The timer's deadline if `days` more were approved (capped at the rule's maximum): what an extension
    request would give, for its approval form."""
    days = max(0, min(days, timer.rule.max_extension_days - timer.extension_days))
    suspensions = [(a.start_on, a.end_on) for a in timer.adjustments if a.kind == AdjustmentKind.SUSPENSION]
    notices = [(a.start_on, a.end_on) for a in timer.adjustments if a.kind == AdjustmentKind.PUBLIC_NOTICE]
    try:
        return compute_deadline(
            start=timer.started_on,
            period=timer.period,
            unit=timer.unit,
            calendar=calendar,
            suspensions=suspensions,
            notices=notices,
            extension_days=timer.extension_days + days,
            extension_months=extension_months(timer),
        )
    except ValueError:
        return None


@dataclass(frozen=True)
class TimerView:
    timer: SlaTimer
    deadline: Deadline | None
    today: date

    @property
    def is_open(self) -> bool:
        return self.timer.status in OPEN_STATUSES

    @property
    def days_left(self) -> int | None:
        """Days from today to the deadline (negative once past) for an open timer with a deadline."""
        if not self.is_open or self.timer.due_on is None or self.timer.status == TimerStatus.PAUSED:
            return None
        return (self.timer.due_on - self.today).days

    @property
    def days_late(self) -> int | None:
        """How late: recorded for a timer met late or ended unmet after its deadline (a breach that ending it kept),
        counted to today for one still open past its deadline."""
        if self.timer.status == TimerStatus.MET_LATE or (not self.is_open and self.timer.breached_on is not None):
            return self.timer.days_late
        left = self.days_left
        return -left if left is not None and left < 0 else None

    @property
    def ended(self) -> bool:
        """A period (not a task) that has run out: shown as ended, never as overdue."""
        left = self.days_left
        return self.timer.rule.kind == RuleKind.PERIOD and left is not None and left < 0

    @property
    def calendar_changed(self) -> bool:
        """The stored deadline differs from what today's calendar data gives (the calendar was edited since)."""
        return (
            self.is_open
            and self.deadline is not None
            and self.deadline.due is not None
            and self.timer.due_on is not None
            and self.deadline.due != self.timer.due_on
        )


def _order(view: TimerView):
    timer = view.timer
    if view.is_open:
        return (0, timer.due_on or date.max, timer.id)
    return (1, timer.due_on or date.max, timer.id)


def case_timers(timers: Iterable[SlaTimer], calendar: WorkCalendar, today: date) -> list[TimerView]:
    """Every timer of a case, open ones first by deadline (suspended ones last among them), then finished."""
    views = [TimerView(timer, rebuild(timer, calendar), today) for timer in timers]
    return sorted(views, key=_order)


def load_case_timers(session, case_id: int) -> list[SlaTimer]:
    """Every timer of a case with what its panel shows (rule, adjustments, responsible), in one statement each."""
    return list(
        session.scalars(
            sa.select(SlaTimer)
            .where(SlaTimer.case_id == case_id)
            .options(
                selectinload(SlaTimer.rule), selectinload(SlaTimer.adjustments), selectinload(SlaTimer.responsible)
            )
        )
    )


def subject_of(timer: SlaTimer) -> dict:
    """What a timer is about: a party (its own period), a hearing, a legal-aid application or a lawsuit, else its
    track as a whole — as the case page names it."""
    party = events.party_of(timer)
    if party is not None:
        return {"kind": "party", "id": party.id, "name": party.name}
    if timer.subject_id is not None:
        if timer.rule_id in events.HEARING_RULES:
            return {"kind": "hearing", "id": timer.subject_id}
        if timer.rule_id.startswith("legal_aid."):
            return {"kind": "legal_aid_application", "id": timer.subject_id}
        if timer.rule_id.startswith("litigation."):
            return {"kind": "lawsuit", "id": timer.subject_id}
    return {"kind": "track", "track": events.track_of(timer.rule_id)}


def timer_record(view: TimerView, gettext: Callable[[str], str] = str) -> dict:
    """One timer as plain data: the facts the case page's deadline panel shows (`flask cases timers`)."""
    timer = view.timer

    def iso(day: date | None) -> str | None:
        return day.isoformat() if day else None

    return {
        "id": timer.id,
        "rule": timer.rule_id,
        "rule_version": timer.rule.version,
        "title": timer.rule.title,
        "title_en": timer.rule.title_en,
        "subject": subject_of(timer),
        "status": timer.status.value,
        "started_on": iso(timer.started_on),
        "nominal_on": iso(timer.nominal_on),
        "due_on": iso(timer.due_on),
        "provisional": timer.provisional,
        "paused_since": iso(timer.paused_since),
        "completed_on": iso(timer.completed_on),
        "completed_by": timer.completed_by,
        "breached_on": iso(timer.breached_on),
        "days_late": view.days_late,
        "responsible": timer.responsible.display_name if timer.responsible else None,
        "legal_basis": timer.rule.legal_basis,
        "steps": [explain(step, gettext) for step in view.deadline.steps] if view.deadline else [],
    }
