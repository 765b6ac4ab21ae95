"""What each workflow event means for timers: its date, the row it is about, and who answers for it.

The rules (data) say which events start, complete and cancel them; this module reads the
facts those events carry. It knows the track models but nothing of Flask.
"""
from __future__ import annotations

from datetime import date

from disputes import clock
from disputes.models import Arbitration, Case, Hearing, Lawsuit, LegalAidApplication, Mediation, Unit
from disputes.workflow.states import ConfirmationKind, Finality, Performance, TribunalSeat

ROW_TRACKS = ("legal_aid.", "litigation.")  # several rows per case: timers carry the row's id as subject
HEARING_RULES = frozenset({"arbitration.hearing_notice"})


def track_of(rule_id: str) -> str:
    """The track a rule belongs to; the policy targets are arbitration's."""
    prefix = rule_id.split(".", 1)[0]
    return {"green": "arbitration", "collective": "arbitration", "limitation": "case"}.get(prefix, prefix)


def applies(rule_id: str, case: Case, row, after: dict) -> bool:
    """Conditions no table expresses: which cases and which variant of an event a rule is for."""
    if rule_id == "mediation.accept":
        return isinstance(row, Mediation) and row.unit.kind.value == "mediation_committee" and _is_enterprise(row.unit)
    if rule_id.startswith("green."):
        return case.green_channel
    if rule_id == "collective.accept":
        return case.collective
    if rule_id == "arbitration.review":
        return after.get("kind") == ConfirmationKind.ARBITRAL_REVIEW
    if rule_id in ("litigation.worker_sue_final", "litigation.employer_revoke"):
        return _has(case, Finality.FINAL)
    if rule_id == "litigation.sue_nonfinal":
        return _has(case, Finality.NON_FINAL)
    if rule_id == "limitation.claim":
        return case.dispute_known_on is not None
    return True


def completes(rule_id: str, event: str, after: dict) -> bool:
    """Some events complete a rule only in one of their variants."""
    if rule_id == "mediation.review_apply":
        return after.get("kind") == ConfirmationKind.ARBITRAL_REVIEW
    if rule_id == "mediation.judicial_confirm":
        return after.get("kind") == ConfirmationKind.COURT_CONFIRMATION
    if rule_id == "arbitration.review":
        return after.get("kind") == ConfirmationKind.ARBITRAL_REVIEW
    if rule_id == "mediation.performance":
        return after.get("performance") == Performance.PERFORMED
    return True


def _is_enterprise(unit: Unit) -> bool:
    return any(u.kind.value == "enterprise" for u in [unit, *unit.ancestors()][:2])


def _has(case: Case, finality: Finality) -> bool:
    return case.arbitration is not None and any(a.finality == finality and not a.partial for a in case.arbitration.awards)


def start_date(rule_id: str, event: str, case: Case, row, subject) -> date:
    """The day a timer starts: the date the event itself records, not the day it was typed in."""
    if rule_id == "limitation.claim":
        return case.dispute_known_on
    if isinstance(subject, Hearing):
        return clock.to_local(subject.starts_at).date()
    return event_date(event, row, subject)


def _confirmation_applied(row):
    return max(c.applied_on for c in row.confirmations)


EVENT_DATES = {
    "mediation.open": lambda row, subject: row.applied_on,
    "mediation.accept": lambda row, subject: row.accepted_on,
    "mediation.agreement": lambda row, subject: row.agreement_signed_on,
    "mediation.fail": lambda row, subject: row.ended_on,
    "mediation.withdraw": lambda row, subject: row.ended_on,
    "mediation.lapse": lambda row, subject: row.ended_on,
    "mediation.performance": lambda row, subject: row.performance_noted_on,
    "mediation.request_confirmation": lambda row, subject: _confirmation_applied(row),
    "legal_aid.apply": lambda row, subject: row.complete_on,
    "legal_aid.materials_received": lambda row, subject: row.complete_on,
    "legal_aid.grant": lambda row, subject: row.decided_on,
    "legal_aid.refuse": lambda row, subject: row.decided_on,
    "legal_aid.assign": lambda row, subject: row.assigned_on,
    "legal_aid.object": lambda row, subject: row.objection_on,
    "legal_aid.uphold_refusal": lambda row, subject: row.objection_decided_on,
    "legal_aid.overturn_refusal": lambda row, subject: row.objection_decided_on,
    "arbitration.receive": lambda row, subject: row.complete_on,
    "arbitration.corrected": lambda row, subject: row.complete_on,
    "arbitration.request_correction": lambda row, subject: row.correction_requested_on,
    "arbitration.accept": lambda row, subject: row.accepted_on,
    "arbitration.refuse": lambda row, subject: row.refused_on,
    "arbitration.serve_respondent": lambda row, subject: row.served_on,
    "arbitration.defence": lambda row, subject: row.defence_received_on,
    "arbitration.serve_defence": lambda row, subject: row.defence_served_on,
    "arbitration.tribunal_notice": lambda row, subject: row.tribunal_notified_on,
    "arbitration.hearing_notice": lambda row, subject: subject.notice_served_on,
    "arbitration.approve_closure": lambda row, subject: row.closed_on,
    # Rules Art 46: the award period runs again from the restart's own date (subject: the ArbitrationRestart).
    "arbitration.add_party": lambda row, subject: subject.effective_on,
    "arbitration.change_claims": lambda row, subject: subject.effective_on,
    "arbitration.counter_claim": lambda row, subject: subject.effective_on,
    "arbitration.transfer_in": lambda row, subject: subject.effective_on,
    "arbitration.serve_award": lambda row, subject: max(a.served_on for a in row.awards if a.served_on),
    "litigation.file": lambda row, subject: row.filed_on,
    "litigation.apply_revocation": lambda row, subject: row.filed_on,
    "litigation.docket": lambda row, subject: row.docketed_on,
    "litigation.judge": lambda row, subject: row.judged_on,
    "litigation.appeal": lambda row, subject: row.appealed_on,
    "litigation.second_instance": lambda row, subject: row.appealed_on,
    "litigation.close": lambda row, subject: row.closed_on,
}


def event_date(event: str, row, subject) -> date:
    """When the event happened, as recorded (a completion is on time when this is on or before the deadline)."""
    found = EVENT_DATES.get(event)
    try:
        return (found(row, subject) if found else None) or clock.today_local()
    except (AttributeError, ValueError):
        return clock.today_local()


def period_for(rule, row) -> tuple[int, str]:
    """The rule's period, or its variant for the lawsuit's procedure; the agreement's own date for performance."""
    if rule.rule_id == "mediation.performance" and isinstance(row, Mediation):
        return (row.performance_due_on - row.agreement_signed_on).days, "days"
    if rule.variants and isinstance(row, Lawsuit) and row.procedure and row.procedure.value in rule.variants:
        period, unit = rule.variants[row.procedure.value]
        return period, unit
    return rule.period, rule.unit.value


def subject_id(rule_id: str, row, subject) -> int | None:
    if rule_id in HEARING_RULES:
        return subject.id if subject is not None else None
    if rule_id.startswith(ROW_TRACKS) and isinstance(row, LegalAidApplication | Lawsuit):
        return row.id
    return None


def unit_of(case: Case, row) -> int:
    if isinstance(row, Mediation | Arbitration | LegalAidApplication):
        return row.unit_id
    return case.arbitration.unit_id if case.arbitration is not None else case.unit_id


def responsible_of(case: Case, rule_id: str, row) -> int | None:
    """Who answers for the deadline: the presiding or sole arbitrator, the mediator, the assigned lawyer."""
    track = track_of(rule_id)
    if track == "arbitration" and case.arbitration is not None:
        seats = {m.seat: m.user_id for m in case.arbitration.tribunal}
        return seats.get(TribunalSeat.SOLE) or seats.get(TribunalSeat.PRESIDING)
    if track == "mediation" and case.mediation is not None:
        return case.mediation.mediator_id
    if track == "legal_aid" and isinstance(row, LegalAidApplication):
        return row.decided_by_id
    return None
