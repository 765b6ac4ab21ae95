"""The case's stage and status, derived from its tracks (domain.md, “Stage tracks”).

The stage is the most advanced open track; the case is closed when no track is open
and no right-to-sue period is still running.
"""

from __future__ import annotations

from datetime import date

from disputes.models import Case
from disputes.sla.due import due_on
from disputes.sla.events import PARTY_RULES
from disputes.sla.states import OPEN_STATUSES
from disputes.workflow.parties import principals
from disputes.workflow.states import (
    ARBITRATION_OPEN,
    LEGAL_AID_OPEN,
    LITIGATION_OPEN,
    MEDIATION_OPEN,
    ArbitrationState,
    CaseStage,
    CaseStatus,
    ClosureType,
    LawsuitKind,
    LawsuitState,
)


def awaiting_effect(case: Case) -> bool:
    """A closed award no one has sued against that still waits out a right-to-sue period: not yet served on
    every party (their periods have not all started), or a party's period still running (its timer open)."""
    arbitration = case.arbitration
    if (
        arbitration is None
        or arbitration.state != ArbitrationState.CLOSED
        or arbitration.closure_type != ClosureType.AWARD
        or case.lawsuits
    ):
        return False
    closing = [a for a in arbitration.awards if not a.partial]
    parties = principals(case)
    if any(a.served_on_party(p.id) is None for a in closing for p in parties):
        return True
    return any(t.rule_id in PARTY_RULES and t.status in OPEN_STATUSES for t in case.timers)


SUE_AFTER_REVOCATION = "litigation.sue_after_revocation"  # Law Art 49: the timer of the 15 days to sue


def suing_after_revocation(case: Case, today: date) -> bool:
    """An award was revoked, no lawsuit has been recorded since, and the 15 days to sue from the ruling's receipt
    (the `litigation.sue_after_revocation` timer) have not run out — or not started: the receipt is not recorded."""
    for revocation in case.lawsuits:
        if revocation.state != LawsuitState.REVOKED:
            continue
        if any(s.kind == LawsuitKind.LAWSUIT and s.filed_on >= revocation.closed_on for s in case.lawsuits):
            continue
        if revocation.ruling_received_on is None:
            return True
        period = due_on(case, SUE_AFTER_REVOCATION)
        if period is not None and today <= period:
            return True
    return False


def open_stages(case: Case, today: date) -> list[CaseStage]:
    stages = []
    if case.mediation is not None and case.mediation.state in MEDIATION_OPEN:
        stages.append(CaseStage.MEDIATION)
    if case.arbitration is not None and (case.arbitration.state in ARBITRATION_OPEN or awaiting_effect(case)):
        stages.append(CaseStage.ARBITRATION)
    if any(s.state in LITIGATION_OPEN for s in case.lawsuits) or suing_after_revocation(case, today):
        stages.append(CaseStage.LITIGATION)
    return stages


def existing_stages(case: Case) -> list[CaseStage]:
    stages = []
    if case.mediation is not None:
        stages.append(CaseStage.MEDIATION)
    if case.arbitration is not None:
        stages.append(CaseStage.ARBITRATION)
    if case.lawsuits:
        stages.append(CaseStage.LITIGATION)
    return stages


def would_close(case: Case, today: date) -> bool:
    """The case has a track and none is open (legal aid included), no award waits out a period."""
    return (
        bool(existing_stages(case))
        and not open_stages(case, today)
        and not any(a.state in LEGAL_AID_OPEN for a in case.legal_aid)
    )


def refresh_case(case: Case, today: date) -> None:
    opened = open_stages(case, today)
    existing = existing_stages(case)
    case.stage = (opened or existing or [CaseStage.INTAKE])[-1]
    closed = would_close(case, today)
    if closed and case.status != CaseStatus.CLOSED:
        case.status, case.closed_on = CaseStatus.CLOSED, max(today, case.registered_on)
    elif not closed and case.status == CaseStatus.CLOSED:
        case.status, case.closed_on = CaseStatus.OPEN, None
