"""Editing what a case records for its limitation period (Law Art 27) after registration: the day the dispute
became known, the employment (27(4)), interruptions (27(2)) and suspensions (27(3)). The `limitation.claim` timer
and the limitation flag follow in the same transaction; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from disputes import clock, policy
from disputes.i18n import N_, DomainError
from disputes.models import Case, LimitationEvent, User
from disputes.sla import limitation, timers
from disputes.sla.calendar_store import load_calendar
from disputes.sla.rules import current_rules
from disputes.sla.states import OPEN_STATUSES
from disputes.workflow import timeline
from disputes.workflow.intake import LimitationEventInput, validate_limitation

CHANGED = "limitation_changed"  # the timeline entry, and the event a timer is started or cancelled by


@dataclass
class LimitationInput:
    dispute_known_on: date | None
    still_employed: bool = False
    employment_ended_on: date | None = None
    events: list[LimitationEventInput] = field(default_factory=list)


def snapshot(case: Case) -> dict:
    return {
        "dispute_known_on": _iso(case.dispute_known_on),
        "still_employed": case.still_employed,
        "employment_ended_on": _iso(case.employment_ended_on),
        "events": [[e.kind.value, _iso(e.start_on), _iso(e.end_on), e.note] for e in case.limitation_events],
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def update_limitation(
    session: Session, actor: User, case: Case, data: LimitationInput, reason: str | None = None
) -> bool:
    """Record the facts; returns False when nothing changed. Refused for those who may not edit the parties."""
    if not policy.can_edit_parties(actor, case):
        raise DomainError(N_("You may not change this case's limitation facts."))
    today = clock.today_local()
    if data.dispute_known_on and data.dispute_known_on > case.registered_on:
        raise DomainError(N_("The dispute cannot become known after registration."), field="dispute_known_on")
    validate_limitation(data.still_employed, data.employment_ended_on, data.events, today)
    before = snapshot(case)
    events = sorted(data.events, key=lambda e: (e.start_on, e.end_on or e.start_on))
    after = {
        "dispute_known_on": _iso(data.dispute_known_on),
        "still_employed": data.still_employed,
        "employment_ended_on": _iso(data.employment_ended_on),
        "events": [[e.kind.value, _iso(e.start_on), _iso(e.end_on), e.note.strip()] for e in events],
    }
    if before == after:
        return False
    case.dispute_known_on, case.still_employed = data.dispute_known_on, data.still_employed
    case.employment_ended_on = data.employment_ended_on
    case.limitation_events = [
        LimitationEvent(kind=e.kind, start_on=e.start_on, end_on=e.end_on, note=e.note.strip()) for e in events
    ]
    case.updated_at = clock.now_utc()  # a case-row write, so the version check sees this edit
    session.flush()
    assessment = refresh_timer(session, case, today)
    warned = bool(assessment and assessment.ended_before(case.registered_on))
    if warned != case.limitation_warning:
        before["limitation_warning"], after["limitation_warning"] = case.limitation_warning, warned
        case.limitation_warning = warned
    timeline.record(session, case, actor, CHANGED, reason=(reason or "").strip() or None, before=before, after=after)
    session.flush()
    return True


def refresh_timer(session: Session, case: Case, today: date) -> limitation.Assessment | None:
    """Bring the `limitation.claim` timer in line with the case's facts: an open one is moved in place (its start,
    its own suspensions) or cancelled when nothing is limited any more (wages while employed, Art 27(4)); a case
    without one gets one, unless arbitration has been applied for (the period's completing event)."""
    assessment = limitation.assess_case(case, session)
    limited = assessment is not None and assessment.start is not None
    running = [t for t in case.timers if t.rule_id == limitation.RULE_ID and t.status in OPEN_STATUSES]
    calendar = load_calendar(session)
    if running:
        timer = running[-1]
        if not limited:
            timers.cancel(timer, today, CHANGED)
        else:
            timer.started_on = assessment.start
            timers.set_suspensions(timer, assessment.suspensions)
            timers.recompute(timer, calendar)
        return assessment
    rule = current_rules(session).get(limitation.RULE_ID)
    if limited and case.arbitration is None and rule is not None and rule.active:
        timers.start(session, case, rule, None, None, CHANGED, calendar)
    return assessment
