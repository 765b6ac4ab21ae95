"""Suspension (中止) and extension (延期) of an arbitration: a suspension approved by a supervisor, an extension decided
by a head of the commission (Rules Art 45); nobody approves their own request (`workflow.approvals`)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from disputes import clock
from disputes.i18n import N_, DomainError
from disputes.models import Arbitration, Case, Extension, Role, Suspension, User
from disputes.sla.states import OPEN_STATUSES
from disputes.workflow import approvals
from disputes.workflow.actions import action, begin, finish
from disputes.workflow.arbitration import not_suspended
from disputes.workflow.states import ARBITRATION_RUNNING, Approval, SuspensionGround, Track

R = Role
MAX_EXTENSION_DAYS = 15  # Law Art 43
AWARD_RULE = "arbitration.award"


def _pending(items):
    return next((i for i in items if i.state == Approval.REQUESTED), None)


def _no_pending_suspension(case: Case, row: Arbitration) -> DomainError | None:
    if _pending(row.suspensions):
        return DomainError(N_("A suspension request is already waiting for approval."))
    return None


def _suspension_pending(case: Case, row: Arbitration) -> DomainError | None:
    if not _pending(row.suspensions):
        return DomainError(N_("No suspension request is waiting for approval."))
    return None


def _is_suspended(case: Case, row: Arbitration) -> DomainError | None:
    if not row.suspended:
        return DomainError(N_("The case is not suspended."))
    return None


def _no_pending_extension(case: Case, row: Arbitration) -> DomainError | None:
    if _pending(row.extensions):
        return DomainError(N_("An extension request is already waiting for approval."))
    if row.approved_extension_days >= MAX_EXTENSION_DAYS:
        return DomainError(N_("The 15 days of extension allowed by law have all been granted."))
    return None


def _extension_pending(case: Case, row: Arbitration) -> DomainError | None:
    if not _pending(row.extensions):
        return DomainError(N_("No extension request is waiting for approval."))
    return None


REQUEST_SUSPENSION = action(
    "arbitration.request_suspension",
    Track.ARBITRATION,
    ARBITRATION_RUNNING,
    None,
    (R.SUPERVISOR,),
    assigned=(R.ARBITRATOR,),
    guards=(not_suspended, _no_pending_suspension),
    required=("ground", "reason"),
    label=N_("Request suspension"),
)
APPROVE_SUSPENSION = action(
    "arbitration.approve_suspension",
    Track.ARBITRATION,
    ARBITRATION_RUNNING,
    None,
    (R.SUPERVISOR,),
    guards=(_suspension_pending,),
    label=N_("Approve the suspension"),
    actor_guards=(approvals.not_own_suspension,),
)
REJECT_SUSPENSION = action(
    "arbitration.reject_suspension",
    Track.ARBITRATION,
    ARBITRATION_RUNNING,
    None,
    (R.SUPERVISOR,),
    guards=(_suspension_pending,),
    required=("note",),
    label=N_("Reject the suspension"),
)
RESUME = action(
    "arbitration.resume",
    Track.ARBITRATION,
    ARBITRATION_RUNNING,
    None,
    (R.SUPERVISOR,),
    assigned=(R.ARBITRATOR,),
    guards=(_is_suspended,),
    label=N_("Resume the case"),
)
REQUEST_EXTENSION = action(
    "arbitration.request_extension",
    Track.ARBITRATION,
    ARBITRATION_RUNNING,
    None,
    (R.SUPERVISOR,),
    assigned=(R.ARBITRATOR,),
    guards=(not_suspended, _no_pending_extension),
    required=("days", "reason"),
    label=N_("Request an extension"),
)
APPROVE_EXTENSION = action(
    "arbitration.approve_extension",
    Track.ARBITRATION,
    ARBITRATION_RUNNING,
    None,
    (R.SUPERVISOR,),
    guards=(_extension_pending,),
    label=N_("Approve the extension"),
    actor_guards=(approvals.commission_head, approvals.not_own_extension),
)
REJECT_EXTENSION = action(
    "arbitration.reject_extension",
    Track.ARBITRATION,
    ARBITRATION_RUNNING,
    None,
    (R.SUPERVISOR,),
    guards=(_extension_pending,),
    required=("note",),
    label=N_("Reject the extension"),
    actor_guards=(approvals.commission_head,),
)


def request_suspension(
    session: Session,
    case: Case,
    actor: User,
    *,
    ground: SuspensionGround | None,
    reason: str,
    expected_version: int | None = None,
) -> Suspension:
    arbitration = case.arbitration
    begin(
        case,
        actor,
        REQUEST_SUSPENSION.name,
        arbitration,
        expected_version=expected_version,
        ground=ground,
        reason=reason,
    )
    request = Suspension(ground=ground, reason=reason.strip(), requested_on=clock.today_local(), requested_by=actor)
    arbitration.suspensions.append(request)
    finish(session, case, actor, REQUEST_SUSPENSION, arbitration, reason=request.reason, after={"ground": ground.value})
    return request


def decide_suspension(
    session: Session,
    case: Case,
    actor: User,
    *,
    approve: bool,
    note: str = "",
    starts_on: date | None = None,
    expected_version: int | None = None,
) -> Suspension:
    arbitration = case.arbitration
    act = APPROVE_SUSPENSION if approve else REJECT_SUSPENSION
    begin(case, actor, act.name, arbitration, expected_version=expected_version, note=note)
    request = _pending(arbitration.suspensions)
    today = clock.today_local()
    request.decided_on, request.decided_by, request.decision_note = today, actor, note.strip() or None
    request.state = Approval.APPROVED if approve else Approval.REJECTED
    if approve:
        request.started_on = starts_on or today
        if request.started_on < request.requested_on or request.started_on > today:
            raise DomainError(N_("The suspension starts between its request and today."), field="starts_on")
        arbitration.suspended_since = request.started_on
    finish(
        session,
        case,
        actor,
        act,
        arbitration,
        reason=request.decision_note,
        after={"ground": request.ground.value, "since": request.started_on.isoformat() if approve else None},
    )
    return request


def resume(
    session: Session,
    case: Case,
    actor: User,
    *,
    resumed_on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Suspension:
    """The ground has ended: the clock runs again; the suspended days are resumption − suspension date."""
    arbitration = case.arbitration
    begin(case, actor, RESUME.name, arbitration, expected_version=expected_version)
    current = next(s for s in reversed(arbitration.suspensions) if s.state == Approval.APPROVED and s.ended_on is None)
    resumed_on = resumed_on or clock.today_local()
    if resumed_on < current.started_on or resumed_on > clock.today_local():
        raise DomainError(N_("The case resumes between its suspension and today."), field="resumed_on")
    current.ended_on, current.ended_by_id = resumed_on, actor.id
    arbitration.suspended_since = None
    finish(
        session,
        case,
        actor,
        RESUME,
        arbitration,
        reason=note.strip() or None,
        after={"resumed_on": resumed_on.isoformat(), "days": current.days},
    )
    return current


def request_extension(
    session: Session, case: Case, actor: User, *, days: int | None, reason: str, expected_version: int | None = None
) -> Extension:
    arbitration = case.arbitration
    begin(case, actor, REQUEST_EXTENSION.name, arbitration, expected_version=expected_version, days=days, reason=reason)
    left = MAX_EXTENSION_DAYS - arbitration.approved_extension_days
    if not 1 <= days <= left:
        raise DomainError(N_("Between 1 and %(left)s days can still be granted."), field="days", left=left)
    request = Extension(days=days, reason=reason.strip(), requested_on=clock.today_local(), requested_by=actor)
    arbitration.extensions.append(request)
    finish(session, case, actor, REQUEST_EXTENSION, arbitration, reason=request.reason, after={"days": days})
    return request


def award_due(case: Case) -> date | None:
    """The award deadline as the running timer has it (None while it is paused, or without a timer)."""
    timer = next((t for t in reversed(case.timers) if t.rule_id == AWARD_RULE and t.status in OPEN_STATUSES), None)
    return timer.due_on if timer is not None else None


def decide_extension(
    session: Session, case: Case, actor: User, *, approve: bool, note: str = "", expected_version: int | None = None
) -> Extension:
    """Decided by a head of the commission (Rules Art 45); the award deadline before and after the decision is kept
    with the request, for the approval form."""
    arbitration = case.arbitration
    act = APPROVE_EXTENSION if approve else REJECT_EXTENSION
    begin(case, actor, act.name, arbitration, expected_version=expected_version, note=note)
    request = _pending(arbitration.extensions)
    request.decided_on, request.decided_by, request.decision_note = clock.today_local(), actor, note.strip() or None
    request.state = Approval.APPROVED if approve else Approval.REJECTED
    request.due_before = award_due(case)
    finish(
        session,
        case,
        actor,
        act,
        arbitration,
        reason=request.decision_note,
        after={"days": request.days, "total": arbitration.approved_extension_days},
    )
    request.due_after = award_due(case)
    session.flush()
    return request
