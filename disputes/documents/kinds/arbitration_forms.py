"""Internal approval forms of an arbitration (审批表): suspension, extension, closure. They carry no number."""
from __future__ import annotations

from datetime import date
from typing import Any

from disputes.documents.catalogue import Subject, document
from disputes.documents.context import msgid, recorded_name
from disputes.documents.kinds.arbitration import arbitration_context, timer_due
from disputes.i18n import N_
from disputes.models import Case
from disputes.workflow.interruptions import MAX_EXTENSION_DAYS
from disputes.workflow.states import Approval, ArbitrationState

TIME_LIMIT_DAYS = 45  # Law Art 43: from acceptance to the end of the case


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
    return [Subject(str(s.id), N_("Requested on %(date)s"), {"date": s.requested_on.isoformat()}, s)
            for s in arbitration.suspensions]


@document("arb_suspension_approval", N_("Approval form for suspending a case"), family=None, track="arbitration",
          subjects=_suspensions, order=360)
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
    return [Subject(str(e.id), N_("Requested on %(date)s"), {"date": e.requested_on.isoformat()}, e)
            for e in arbitration.extensions]


@document("arb_extension_approval", N_("Approval form for extending the hearing period"), family=None,
          track="arbitration", subjects=_extensions, order=370)
def extension_approval(session, case: Case, subject: Subject) -> dict:
    extension = subject.obj
    arbitration = case.arbitration
    granted_before = sum(e.days for e in arbitration.extensions
                         if e.state == Approval.APPROVED and e.id != extension.id)
    return {
        "arbitration": arbitration_context(arbitration),
        "request": approval_context(extension),
        "extension": {
            "days": extension.days,
            "reason": extension.reason,
            "granted_before": granted_before,
            "max_days": MAX_EXTENSION_DAYS,
            "time_limit_days": TIME_LIMIT_DAYS,
            "due_on": timer_due(case, "arbitration.award"),
        },
    }


def _closure_requested(session, case: Case) -> list[Subject]:
    arbitration = getattr(case, "arbitration", None)
    if arbitration is None or arbitration.closure_requested_on is None:
        return []
    if arbitration.state not in (ArbitrationState.CLOSING, ArbitrationState.CLOSED):
        return []
    return [Subject()]


def days_used(arbitration, until: date) -> dict[str, int]:
    """Natural days from acceptance to closure, the suspended days within them, and what counts against 45 + extension."""
    total = (until - arbitration.accepted_on).days
    suspended = 0
    for suspension in arbitration.suspensions:
        if suspension.started_on is not None:
            suspended += ((suspension.ended_on or until) - suspension.started_on).days
    return {"total": total, "suspended": suspended, "counted": total - suspended,
            "allowed": TIME_LIMIT_DAYS + arbitration.approved_extension_days}


@document("arb_closure_approval", N_("Approval form for closing a case"), family=None, track="arbitration",
          subjects=_closure_requested, order=410)
def closure_approval(session, case: Case, subject: Subject) -> dict:
    arbitration = case.arbitration
    until = arbitration.closed_on or arbitration.closure_requested_on
    return {
        "arbitration": arbitration_context(arbitration),
        "closure": {
            "type": msgid(arbitration.closure_type),
            "note": arbitration.closure_note or "",
            "requested_on": arbitration.closure_requested_on,
            "handler": recorded_name(arbitration.closure_requested_by),
            "approved": arbitration.state == ArbitrationState.CLOSED,
            "approver": recorded_name(arbitration.closure_approved_by,
                                      happened=arbitration.state == ArbitrationState.CLOSED),
            "closed_on": arbitration.closed_on,
            "awards": [{"number": a.number or "", "finality": msgid(a.finality), "total": a.total,
                        "partial": a.partial} for a in arbitration.awards],
        },
        "days": days_used(arbitration, until),
        "suspensions": [{"ground": msgid(s.ground), "started_on": s.started_on, "ended_on": s.ended_on,
                         "days": s.days} for s in arbitration.suspensions if s.state == Approval.APPROVED],
        "extension_days": arbitration.approved_extension_days,
    }
