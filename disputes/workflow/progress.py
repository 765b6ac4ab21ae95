"""The case's stage and status, derived from its tracks (domain.md, “Stage tracks”).

The stage is the most advanced open track; the case is closed when no track is open
and no right-to-sue period is still running.
"""
from __future__ import annotations

from datetime import date, timedelta

from disputes.models import Case
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
    if (arbitration is None or arbitration.state != ArbitrationState.CLOSED
            or arbitration.closure_type != ClosureType.AWARD or case.lawsuits):
        return False
    closing = [a for a in arbitration.awards if not a.partial]
    parties = principals(case)
    if any(a.served_on_party(p.id) is None for a in closing for p in parties):
        return True
    return any(t.rule_id in PARTY_RULES and t.status in OPEN_STATUSES for t in case.timers)


SUE_AFTER_REVOCATION_DAYS = 15  # Law Art 49: either party may sue after the award is revoked


def suing_after_revocation(case: Case, today: date) -> bool:
    """An award was revoked less than 15 days ago and no lawsuit has been recorded since."""
    for revocation in case.lawsuits:
        if revocation.state != LawsuitState.REVOKED:
            continue
        later = [s for s in case.lawsuits if s.kind == LawsuitKind.LAWSUIT and s.filed_on >= revocation.closed_on]
        if not later and today <= revocation.closed_on + timedelta(days=SUE_AFTER_REVOCATION_DAYS):
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
    return (bool(existing_stages(case)) and not open_stages(case, today)
            and not any(a.state in LEGAL_AID_OPEN for a in case.legal_aid))


def refresh_case(case: Case, today: date) -> None:
    opened = open_stages(case, today)
    existing = existing_stages(case)
    case.stage = (opened or existing or [CaseStage.INTAKE])[-1]
    closed = would_close(case, today)
    if closed and case.status != CaseStatus.CLOSED:
        case.status, case.closed_on = CaseStatus.CLOSED, max(today, case.registered_on)
    elif not closed and case.status == CaseStatus.CLOSED:
        case.status, case.closed_on = CaseStatus.OPEN, None
