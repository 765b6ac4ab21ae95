"""Internal approval forms of an arbitration (审批表): suspension, extension, closure. They carry no number."""

from __future__ import annotations

from datetime import date
from typing import Any

from disputes.documents.catalogue import Subject, document
from disputes.documents.context import msgid, recorded_name
from disputes.documents.kinds.arbitration import arbitration_context, timer_due
from disputes.i18n import N_
from disputes.models import Case
from disputes.sla.calendar_store import load_calendar
from disputes.sla.explain import open_timer, with_extension
from disputes.workflow.interruptions import MAX_EXTENSION_DAYS
from disputes.workflow.restarts import period_start
from disputes.workflow.states import Approval, ArbitrationState

AWARD_RULE = "arbitration.award"  # Law Art 43: from acceptance to the act that ends the proceedings


def award_timer(case: Case):
    """The case's award timer (its period and due date, with suspensions and extensions), if it has one."""
    timers = [t for t in getattr(case, "timers", []) if t.rule_id == AWARD_RULE]
    return timers[-1] if timers else None


def approval_context(request) -> dict[str, Any]:
    """Who asked, when, and the approver's decision (blank lines while it waits)."""
    return {
        "state": request.state.value,
        "state_label": msgid(request.state) if request.state != Approval.REQUESTED else "",
        "requested_on": request.requested_on,
        "handler": recorded_name(request.requested_by),
        "decided_on": request.decided_on,
        "approver": recorded_name(request.decided_by, happened=request.decided_on is not None),
        "opinion": request.decision_note or "",
    }


def _suspensions(session, case: Case) -> list[Subject]:
    arbitration = getattr(case, "arbitration", None)
    if arbitration is None:
        return []
    return [
        Subject(str(s.id), N_("Requested on %(date)s"), {"date": s.requested_on.isoformat()}, s)
        for s in arbitration.suspensions
    ]


@document(
    "arb_suspension_approval",
    N_("Approval form for suspending a case"),
    family=None,
    track="arbitration",
    subjects=_suspensions,
    order=360,
)
def suspension_approval(session, case: Case, subject: Subject) -> dict:
    suspension = subject.obj
    return {
        "arbitration": arbitration_context(case.arbitration),
        "request": approval_context(suspension),
        "suspension": {
            "ground": msgid(suspension.ground),
            "reason": suspension.reason,
            "started_on": suspension.started_on,
            "ended_on": suspension.ended_on,
            "days": suspension.days,
        },
    }


def _extensions(session, case: Case) -> list[Subject]:
    arbitration = getattr(case, "arbitration", None)
    if arbitration is None:
        return []
    return [
        Subject(str(e.id), N_("Requested on %(date)s"), {"date": e.requested_on.isoformat()}, e)
        for e in arbitration.extensions
    ]


def _due_dates(session, case: Case, extension) -> tuple[date | None, date | None]:
    """The award deadline before and after the extension: as kept with the decision; for a request still waiting,
    the running timer's date and what it would become if approved (None while the period is paused)."""
    if extension.state != Approval.REQUESTED:
        return extension.due_before, extension.due_after
    timer = open_timer(case, "arbitration.award")
    if timer is None or timer.due_on is None:
        return None, None
    after = with_extension(timer, load_calendar(session), extension.days)
    return timer.due_on, after.due if after is not None else None


@document(
    "arb_extension_approval",
    N_("Approval form for extending the hearing period"),
    family=None,
    track="arbitration",
    subjects=_extensions,
    order=370,
)
def extension_approval(session, case: Case, subject: Subject) -> dict:
    extension = subject.obj
    arbitration = case.arbitration
    granted_before = sum(e.days for e in arbitration.extensions if e.state == Approval.APPROVED and e.id < extension.id)
    timer = award_timer(case)
    due_before, due_after = _due_dates(session, case, extension)
    return {
        "arbitration": arbitration_context(arbitration),
        "request": approval_context(extension),
        "extension": {
            "days": extension.days,
            "reason": extension.reason,
            "granted_before": granted_before,
            "max_days": MAX_EXTENSION_DAYS,
            "time_limit_days": timer.period if timer is not None else None,
            "due_on": timer_due(case, AWARD_RULE),
            "period_start": period_start(arbitration),
            "restarted": bool(arbitration.restarts),
            "decided": extension.state != Approval.REQUESTED,
            "approved": extension.state == Approval.APPROVED,
            "due_before": due_before,
            "due_after": due_after,
        },
    }


def _closure_requested(session, case: Case) -> list[Subject]:
    arbitration = getattr(case, "arbitration", None)
    if arbitration is None or arbitration.closure_requested_on is None:
        return []
    if arbitration.state not in (ArbitrationState.CLOSING, ArbitrationState.CLOSED):
        return []
    return [Subject()]


def days_used(case: Case, until: date) -> dict:
    """Natural days from acceptance to the closing act, the suspended days within them, the days that count, and the
    last day allowed as the award timer computed it (45 days, suspensions and approved extensions, holidays)."""
    arbitration = case.arbitration
    total = (until - arbitration.accepted_on).days
    suspended = 0
    for suspension in arbitration.suspensions:
        if suspension.started_on is not None:
            suspended += ((suspension.ended_on or until) - suspension.started_on).days
    return {"total": total, "suspended": suspended, "counted": total - suspended, "due_on": timer_due(case, AWARD_RULE)}


@document(
    "arb_closure_approval",
    N_("Approval form for closing a case"),
    family=None,
    track="arbitration",
    subjects=_closure_requested,
    order=410,
)
def closure_approval(session, case: Case, subject: Subject) -> dict:
    arbitration = case.arbitration
    until = arbitration.closed_on or arbitration.closure_act_on or arbitration.closure_requested_on
    return {
        "arbitration": arbitration_context(arbitration),
        "closure": {
            "type": msgid(arbitration.closure_type),
            "note": arbitration.closure_note or "",
            "requested_on": arbitration.closure_requested_on,
            "handler": recorded_name(arbitration.closure_requested_by),
            "approved": arbitration.state == ArbitrationState.CLOSED,
            "approver": recorded_name(
                arbitration.closure_approved_by, happened=arbitration.state == ArbitrationState.CLOSED
            ),
            "closed_on": arbitration.closed_on or arbitration.closure_act_on,
            "approved_on": arbitration.closure_approved_on,
            "awards": [
                {"number": a.number or "", "finality": msgid(a.finality), "total": a.total, "partial": a.partial}
                for a in arbitration.awards
            ],
        },
        "days": days_used(case, until),
        "suspensions": [
            {"ground": msgid(s.ground), "started_on": s.started_on, "ended_on": s.ended_on, "days": s.days}
            for s in arbitration.suspensions
            if s.state == Approval.APPROVED
        ],
        "extension_days": arbitration.approved_extension_days,
    }
