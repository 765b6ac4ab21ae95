"""Timers started, completed, cancelled, paused, resumed and extended by the workflow's events.

`handle()` is called by `workflow.actions.finish()` for every event, in the same transaction.
A trigger that fires while a timer of the same rule is open restarts it (deadlines.md rule 8).
A task that was due and unmet when it ends (its track closed, its event cancelled it, a restart) is a breach,
recorded like the scan's: ending a timer never erases one.
A public-notice service (公告送达) pauses the arbitration's pausable timers while it is pending
(Rules Art 46 (6)): `notice_published()` and `notice_deemed_served()`, called by `documents.service`.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock
from disputes.models import Case, DocumentService, ServiceMethod
from disputes.models.sla import SlaAdjustment, SlaRule, SlaTimer
from disputes.sla import events, owners
from disputes.sla.calendar import WorkCalendar
from disputes.sla.calendar_store import load_calendar
from disputes.sla.compute import compute_deadline
from disputes.sla.rules import current_rules
from disputes.sla.states import OPEN_STATUSES, PAUSES, AdjustmentKind, PeriodUnit, RuleKind, TimerStatus
from disputes.workflow import timeline

BREACH_ENTRY = "sla.breached"  # the timeline kind the scan writes too (scan.BREACH_ENTRY)

PAUSE_EVENT, RESUME_EVENT, EXTEND_EVENT = (
    "arbitration.approve_suspension",
    "arbitration.resume",
    "arbitration.approve_extension",
)
PUBLIC_NOTICE_DAYS = 30  # CPL Art 95: a public notice is deemed served thirty days after publication
# Events that end a track: its timers still running (for the same row) are cancelled.
TRACK_ENDS = {
    "mediation.agreement": "mediation",
    "mediation.fail": "mediation",
    "mediation.withdraw": "mediation",
    "mediation.lapse": "mediation",
    "arbitration.refuse": "arbitration",
    "arbitration.correction_lapsed": "arbitration",
    "arbitration.approve_closure": "arbitration",
    "legal_aid.close": "legal_aid",
    "legal_aid.uphold_refusal": "legal_aid",
    "litigation.close": "litigation",
    "litigation.uphold_award": "litigation",
    "litigation.revoke_award": "litigation",
}
# Events that undo the act that completed a timer: the closure sent back discards the award (or the act recorded
# with the request), so the award timer runs again from where it stood (Law Art 43: only the act ends it).
REOPENS = {"arbitration.reject_closure": frozenset({"arbitration.record_award", "arbitration.request_closure"})}


def handle(session: Session, case: Case, event: str, row, on: date, *, subject=None, after: dict | None = None) -> None:
    session.flush()  # new rows (an application, a lawsuit) need their ids and foreign keys before timers name them
    after = after or {}
    happened = events.event_date(event, row, subject) if row is not None else on
    calendar = None
    row_id = getattr(row, "id", None)
    breached = []
    for timer in _open(case):
        rule = timer.rule
        same_row = events.concerns(timer, event, row, subject)
        # A track's end cancels what is still running in it, hearings' included; in a row track only the row's
        # (a party's period to sue is about the party, not about a lawsuit: no track end cancels it).
        ends_track = (
            TRACK_ENDS.get(event) == events.track_of(rule.rule_id)
            and timer.rule_id not in events.PARTY_RULES
            and (not rule.rule_id.startswith(events.ROW_TRACKS) or timer.subject_id == row_id)
        )
        if same_row and event in rule.completed_by and events.completes(rule.rule_id, event, after):
            complete(timer, happened, event)
        elif ((same_row and event in rule.cancelled_by) or ends_track) and cancel(timer, happened, event):
            breached.append(timer)
    if event in REOPENS:
        breached += [t for t in case.timers if t.completed_by in REOPENS[event] and reopen(t, on)]
    for timer in breached:
        record_breach(session, case, timer)
    if event in (PAUSE_EVENT, RESUME_EVENT, EXTEND_EVENT):
        calendar = load_calendar(session)
        _adjust(case, event, after, on, calendar)
    if event in events.MONTH_EXTENSIONS:
        calendar = load_calendar(session)
        _extend_months(case, events.MONTH_EXTENSIONS[event], row_id, after, happened, calendar)
    for rule in current_rules(session).values():
        if not rule.active or event not in rule.triggers or not events.applies(rule.rule_id, case, row, after, subject):
            continue
        calendar = calendar or load_calendar(session)
        start(session, case, rule, row, subject, event, calendar)
    if event == "arbitration.form_tribunal":
        owners.refresh(session, case)


def _open(case: Case) -> list[SlaTimer]:
    return [t for t in case.timers if t.status in OPEN_STATUSES]


def start(session: Session, case: Case, rule: SlaRule, row, subject, event: str, calendar: WorkCalendar) -> SlaTimer:
    key = events.subject_id(rule.rule_id, row, subject)
    started_on = events.start_date(rule.rule_id, event, case, row, subject)
    for timer in _open(case):
        if timer.rule_id == rule.rule_id and timer.subject_id == key:
            cancel(timer, started_on, event)  # rule 8: restarted from the new event, keeping nothing
    period, unit = events.period_for(rule, row)
    # A notice still pending pauses the new period too (queried before the timer joins the case: autoflush).
    pending = _pending_notices(session, case) if _paused_by_notices(rule) else []
    timer = SlaTimer(
        case=case,
        rule=rule,
        rule_id=rule.rule_id,
        subject_id=key,
        unit_id=events.unit_of(case, row),
        responsible_id=owners.owner_of(session, case, rule.rule_id, row, events.unit_of(case, row)),
        started_on=started_on,
        period=period,
        unit=PeriodUnit(unit),
        status=TimerStatus.RUNNING,
        paused_days=0,
        extension_days=0,
    )
    set_suspensions(timer, events.own_suspensions(rule.rule_id, case))
    for published_on in pending:
        _pause_for_notice(timer, published_on)
    recompute(timer, calendar)
    session.add(timer)
    return timer


def _pauses(timer: SlaTimer, kind: AdjustmentKind) -> list[tuple[date, date | None]]:
    return [(a.start_on, a.end_on) for a in timer.adjustments if a.kind == kind]


def recompute(timer: SlaTimer, calendar: WorkCalendar) -> None:
    deadline = compute_deadline(
        start=timer.started_on,
        period=timer.period,
        unit=timer.unit,
        calendar=calendar,
        suspensions=_pauses(timer, AdjustmentKind.SUSPENSION),
        notices=_pauses(timer, AdjustmentKind.PUBLIC_NOTICE),
        extension_days=timer.extension_days,
        extension_months=extension_months(timer),
    )
    timer.nominal_on, timer.due_on, timer.provisional = deadline.nominal, deadline.due, deadline.provisional
    timer.paused_days = deadline.paused_days
    warning = timer.rule.warning_days
    timer.warn_on = deadline.due - timedelta(days=warning) if deadline.due else None


def extension_months(timer: SlaTimer) -> int:
    return sum(a.months or 0 for a in timer.adjustments if a.kind == AdjustmentKind.EXTENSION)


def set_suspensions(timer: SlaTimer, suspensions) -> None:
    """Give a timer exactly these suspensions ((start, end or None), in order): the limitation period's own
    (Art 27(3)), which the case records rather than the workflow's pause and resume. Call `recompute` after."""
    for adjustment in [a for a in timer.adjustments if a.kind == AdjustmentKind.SUSPENSION]:
        timer.adjustments.remove(adjustment)
    for since, until in suspensions:
        days = (until - since).days if until is not None else None
        timer.adjustments.append(SlaAdjustment(kind=AdjustmentKind.SUSPENSION, start_on=since, end_on=until, days=days))
    _set_pause_state(timer)


def _set_pause_state(timer: SlaTimer) -> None:
    """Paused while any suspension or public notice is open, since the earliest of them; else running."""
    open_since = [a.start_on for a in timer.adjustments if a.kind in PAUSES and a.end_on is None]
    if open_since:
        timer.status, timer.paused_since = TimerStatus.PAUSED, min(open_since)
    elif timer.status == TimerStatus.PAUSED:
        timer.status, timer.paused_since = TimerStatus.RUNNING, None


def _after_move(timer: SlaTimer, calendar: WorkCalendar, today: date) -> None:
    recompute(timer, calendar)
    if timer.status == TimerStatus.BREACHED and timer.due_on and timer.due_on >= today:
        timer.status = TimerStatus.RUNNING  # the deadline moved past today; the recorded breach stays


def complete(timer: SlaTimer, on: date, event: str) -> None:
    late = timer.due_on is not None and on > timer.due_on and timer.rule.kind == RuleKind.TASK
    timer.status = TimerStatus.MET_LATE if late else TimerStatus.MET
    timer.completed_on, timer.completed_by, timer.paused_since = on, event, None
    if late:
        timer.breached_on = timer.breached_on or timer.due_on + timedelta(days=1)
        timer.days_late = (on - timer.due_on).days
    elif timer.breached_on is not None and on < timer.breached_on:
        # The act is dated before the breach the scan recorded (it was typed in later): the deadline was met.
        timer.breached_on = timer.days_late = None
    if timer.due_on is None:
        timer.due_on = timer.nominal_on  # completed while paused: keep a date for the record


def cancel(timer: SlaTimer, on: date, event: str) -> bool:
    """End a timer without its completing event; True when that records a new breach: a task still unmet after
    its deadline (breached on the day after it, as the scan records it, late by the days to `on`)."""
    paused = timer.status == TimerStatus.PAUSED
    timer.status, timer.completed_on, timer.completed_by, timer.paused_since = TimerStatus.CANCELLED, on, event, None
    if timer.due_on is None:
        timer.due_on = timer.nominal_on
    if paused or timer.rule.kind != RuleKind.TASK or on <= timer.due_on:
        return False
    new = timer.breached_on is None
    timer.breached_on = timer.breached_on or timer.due_on + timedelta(days=1)
    timer.days_late = (on - timer.due_on).days
    return new


def reopen(timer: SlaTimer, today: date) -> bool:
    """Open a completed timer again (its completing act was discarded); True when it is now a new breach."""
    task = timer.rule.kind == RuleKind.TASK  # read first: loading the rule autoflushes
    timer.completed_on = timer.completed_by = None
    if not task or timer.due_on >= today:
        timer.status, timer.breached_on, timer.days_late = TimerStatus.RUNNING, None, None
        return False
    new = timer.breached_on is None
    timer.status = TimerStatus.BREACHED
    timer.breached_on = timer.breached_on or timer.due_on + timedelta(days=1)
    timer.days_late = (today - timer.due_on).days
    return new


def record_breach(session: Session, case: Case, timer: SlaTimer) -> None:
    """The timeline entry the scan writes for a breach (no actor: the system)."""
    timeline.record(
        session,
        case,
        None,
        BREACH_ENTRY,
        after={"rule": timer.rule_id, "due_on": timer.due_on.isoformat(), "days_late": timer.days_late},
    )


def _extend_months(case: Case, rule_id: str, row_id: int | None, after: dict, on: date, calendar: WorkCalendar) -> None:
    """An approved extension in months of the row's timer of `rule_id`, added to its nominal date (rules 2 and 7)."""
    for timer in _open(case):
        if timer.rule_id != rule_id or timer.subject_id != row_id:
            continue
        timer.adjustments.append(SlaAdjustment(kind=AdjustmentKind.EXTENSION, start_on=on, months=int(after["months"])))
        recompute(timer, calendar)
        if timer.status == TimerStatus.BREACHED and timer.due_on and timer.due_on >= clock.today_local():
            timer.status = TimerStatus.RUNNING  # the deadline moved past today; the recorded breach stays


def _adjust(case: Case, event: str, after: dict, on: date, calendar: WorkCalendar) -> None:
    for timer in _open(case):
        if not timer.rule.pausable and event != EXTEND_EVENT:
            continue
        if events.track_of(timer.rule_id) == "case":
            continue  # the limitation period pauses for its own suspensions (Art 27(3)), never an arbitration's
        suspended = [a for a in timer.adjustments if a.kind == AdjustmentKind.SUSPENSION and a.end_on is None]
        if event == PAUSE_EVENT and not suspended:
            since = date.fromisoformat(after["since"]) if after.get("since") else on
            timer.adjustments.append(SlaAdjustment(kind=AdjustmentKind.SUSPENSION, start_on=since))
        elif event == RESUME_EVENT and suspended:
            resumed = date.fromisoformat(after["resumed_on"]) if after.get("resumed_on") else on
            suspended[-1].end_on, suspended[-1].days = resumed, (resumed - suspended[-1].start_on).days
        elif event == EXTEND_EVENT and timer.rule.max_extension_days:
            days = min(int(after.get("days", 0)), timer.rule.max_extension_days - timer.extension_days)
            if days <= 0:
                continue
            timer.adjustments.append(SlaAdjustment(kind=AdjustmentKind.EXTENSION, start_on=on, days=days))
            timer.extension_days += days
        else:
            continue
        _set_pause_state(timer)
        _after_move(timer, calendar, on)


def _paused_by_notices(rule: SlaRule) -> bool:
    """The arbitration's pausable periods (the award period and the green-channel target) are the 仲裁期限."""
    return rule.pausable and events.track_of(rule.rule_id) == "arbitration"


def _pending_notices(session: Session, case: Case) -> list[date]:
    """Publication dates of the case's public notices not yet deemed served."""
    return list(
        session.scalars(
            sa.select(DocumentService.published_on).where(
                DocumentService.case_id == case.id,
                DocumentService.method == ServiceMethod.PUBLIC_NOTICE,
                DocumentService.served_at.is_(None),
            )
        )
    )


def _pause_for_notice(timer: SlaTimer, published_on: date) -> SlaAdjustment | None:
    """Open a public-notice pause from the publication, or from the timer's start when it began later."""
    start = max(published_on, timer.started_on)
    if published_on + timedelta(days=PUBLIC_NOTICE_DAYS) <= start:
        return None  # served before this period began
    adjustment = SlaAdjustment(kind=AdjustmentKind.PUBLIC_NOTICE, start_on=start)
    timer.adjustments.append(adjustment)
    _set_pause_state(timer)
    return adjustment


def notice_published(session: Session, case: Case, published_on: date) -> None:
    """A public notice of one of the case's documents was published: the award period stops (Rules Art 46 (6))."""
    for timer in _open(case):
        if _paused_by_notices(timer.rule) and _pause_for_notice(timer, published_on) is not None:
            recompute(timer, load_calendar(session))


def notice_deemed_served(session: Session, case: Case, published_on: date, served_on: date) -> None:
    """The notice is deemed served (publication + 30 days): its pause ends, and the period runs again unless
    another suspension or notice still holds it."""
    calendar = None
    for timer in _open(case):
        start = max(published_on, timer.started_on)
        pending = next(
            (
                a
                for a in timer.adjustments
                if a.kind == AdjustmentKind.PUBLIC_NOTICE and a.end_on is None and a.start_on == start
            ),
            None,
        )
        if pending is None:
            continue
        pending.end_on, pending.days = served_on, (served_on - pending.start_on).days
        _set_pause_state(timer)
        calendar = calendar or load_calendar(session)
        _after_move(timer, calendar, served_on)
