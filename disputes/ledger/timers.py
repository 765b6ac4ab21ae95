"""Timers of an imported case, computed from its dates (deadlines.md) so metrics over imported history are right.

Only the rules whose start and completion the ledger records are computed: `mediation.resolve`,
`legal_aid.decide`, `arbitration.accept` (and the `green.accept` / `collective.accept` targets),
`arbitration.award` (and `green.close`), with the suspended and extension days, and each party's periods to sue
or apply for revocation from the award's service (the closing date), ended by that party's lawsuit or run out.
Deadlines come from `sla.compute.compute_deadline`, the one computation the live timers use. Pure: no database,
no clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from disputes.ledger.build import FINALITIES, PARTY_PERIODS, period_done
from disputes.ledger.validate import AWARDS
from disputes.sla.calendar import WorkCalendar
from disputes.sla.compute import compute_deadline
from disputes.sla.states import AdjustmentKind, RuleKind, TimerStatus

PERIOD_ENDED = "sla.period_ended"  # as the scan closes a period that ran out (sla.scan.PERIOD_ENDED)
MEDIATION_EVENTS = {
    "agreement": "mediation.agreement",
    "failed": "mediation.fail",
    "withdrawn": "mediation.withdraw",
    "lapsed": "mediation.lapse",
}


@dataclass(frozen=True)
class RuleInfo:
    pk: int
    rule_id: str
    kind: str
    period: int
    unit: str
    warning_days: int
    pausable: bool
    max_extension_days: int


@dataclass
class TimerPlan:
    rule_id: str
    start: date
    unit_id: int
    responsible_id: int | None = None
    subject: str | None = None  # "legal_aid": the application; "applicant"/"respondent": the party
    done_on: date | None = None
    event: str | None = None
    cancelled: bool = False
    suspensions: list[tuple[date, date]] = field(default_factory=list)
    extension_days: int = 0


def plans(row, units: dict[str, int], green: bool, collective: bool) -> list[TimerPlan]:
    """What timers the row's dates start and end; `units` holds the unit id handling each track."""
    v = row.values
    found: list[TimerPlan] = []
    mediator = row.mediator.id if row.mediator else None
    arbitrator = row.arbitrator.id if row.arbitrator else None
    if v["mediation_received_on"]:
        outcome = v["mediation_outcome"]
        found.append(
            TimerPlan(
                "mediation.resolve",
                v["mediation_received_on"],
                units["mediation"],
                mediator,
                done_on=v["mediation_ended_on"],
                event=MEDIATION_EVENTS.get(outcome),
            )
        )
    if v["legal_aid_applied_on"]:
        decision = v["legal_aid_decision"]
        found.append(
            TimerPlan(
                "legal_aid.decide",
                v["legal_aid_applied_on"],
                units["legal_aid"],
                subject="legal_aid",
                done_on=v["legal_aid_decided_on"],
                event={"granted": "legal_aid.grant", "refused": "legal_aid.refuse"}.get(decision),
            )
        )
    received, accepted = v["arbitration_received_on"], v["arbitration_accepted_on"]
    closure, closed = v["arbitration_closure"], v["arbitration_closed_on"]
    if received:
        if accepted:
            done, event, cancelled = accepted, "arbitration.accept", False
        elif closure == "refused":
            done, event, cancelled = closed, "arbitration.refuse", False
        elif closure == "deemed_withdrawn":
            done, event, cancelled = closed, "arbitration.correction_lapsed", True
        else:
            done, event, cancelled = None, None, False
        accept_rules = (
            ["arbitration.accept"] + (["green.accept"] if green else []) + (["collective.accept"] if collective else [])
        )
        found += [
            TimerPlan(
                rule_id, received, units["arbitration"], arbitrator, done_on=done, event=event, cancelled=cancelled
            )
            for rule_id in accept_rules
        ]
    if accepted:
        suspended = v["suspended_days"] or 0
        pauses = [(accepted, accepted + timedelta(days=suspended))] if suspended else []
        done = closed if closure and closure not in ("refused",) else None
        for rule_id in ["arbitration.award"] + (["green.close"] if green else []):
            found.append(
                TimerPlan(
                    rule_id,
                    accepted,
                    units["arbitration"],
                    arbitrator,
                    done_on=done,
                    event="arbitration.approve_closure" if done else None,
                    suspensions=pauses,
                    extension_days=v["extension_days"] or 0,
                )
            )
    if closure in AWARDS and closed:
        for finality in FINALITIES[closure]:
            for rule_id, side in PARTY_PERIODS[finality]:
                done = period_done(row, rule_id, side)
                found.append(
                    TimerPlan(
                        rule_id,
                        closed,
                        units["arbitration"],
                        subject=side,
                        done_on=done[0] if done else None,
                        event=done[1] if done else None,
                    )
                )
    return found


def build(
    plan: TimerPlan, rule: RuleInfo, calendar: WorkCalendar, today: date, memo: dict | None = None
) -> tuple[dict, list[dict]]:
    """The timer's columns and its adjustments, as the live timers would hold them after the same events.

    `memo` caches deadlines by their inputs: a ledger's many rows share few (start, period, pause) triples."""
    pauses = plan.suspensions if rule.pausable else []
    extension = min(plan.extension_days, rule.max_extension_days)
    key = (plan.start, rule.period, rule.unit, tuple(pauses), extension)
    deadline = memo.get(key) if memo is not None else None
    if deadline is None:
        deadline = compute_deadline(
            start=plan.start,
            period=rule.period,
            unit=rule.unit,
            calendar=calendar,
            suspensions=pauses,
            extension_days=extension,
        )
        if memo is not None:
            memo[key] = deadline
    due = deadline.due
    timer = {
        "rule_pk": rule.pk,
        "rule_id": rule.rule_id,
        "unit_id": plan.unit_id,
        "responsible_id": plan.responsible_id,
        "started_on": plan.start,
        "period": rule.period,
        "unit": rule.unit,
        "nominal_on": deadline.nominal,
        "due_on": due,
        "provisional": deadline.provisional,
        "paused_since": None,
        "paused_days": sum((end - start).days for start, end in pauses),
        "extension_days": extension,
        "warn_on": due - timedelta(days=rule.warning_days),
        "warned_at": None,
        "completed_on": None,
        "completed_by": None,
        "breached_on": None,
        "days_late": None,
    }
    task = rule.kind == RuleKind.TASK
    if plan.cancelled:
        timer.update(status=TimerStatus.CANCELLED.value, completed_on=plan.done_on, completed_by=plan.event)
    elif plan.done_on:
        late = task and plan.done_on > due
        timer.update(
            status=(TimerStatus.MET_LATE if late else TimerStatus.MET).value,
            completed_on=plan.done_on,
            completed_by=plan.event,
        )
        if late:
            timer.update(breached_on=due + timedelta(days=1), days_late=(plan.done_on - due).days)
    elif task and due < today:
        timer.update(
            status=TimerStatus.BREACHED.value, breached_on=due + timedelta(days=1), days_late=(today - due).days
        )
    elif not task and due < today:  # a period that ran out, closed as the scan would
        timer.update(status=TimerStatus.MET.value, completed_on=due, completed_by=PERIOD_ENDED)
    else:
        timer["status"] = TimerStatus.RUNNING.value
    adjustments = [
        {"kind": AdjustmentKind.SUSPENSION.value, "start_on": start, "end_on": end, "days": (end - start).days}
        for start, end in pauses
    ]
    if extension:
        adjustments.append(
            {"kind": AdjustmentKind.EXTENSION.value, "start_on": plan.start, "end_on": None, "days": extension}
        )
    return timer, adjustments
