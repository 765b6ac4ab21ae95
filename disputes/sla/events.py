"""What each workflow event means for timers: its date, the row it is about, and who answers for it.

The rules (data) say which events start, complete and cancel them; this module reads the
facts those events carry. It knows the track models but nothing of Flask.
"""
from __future__ import annotations

from datetime import date

from disputes import clock
from disputes.models import Arbitration, Case, Lawsuit, LegalAidApplication, Mediation, Unit
from disputes.sla import limitation
from disputes.sla.states import OPEN_STATUSES
from disputes.workflow.states import ConfirmationKind, CourtProcedure, Finality, Performance, TribunalSeat

ROW_TRACKS = ("legal_aid.", "litigation.")  # several rows per case: timers carry the row's id as subject
HEARING_RULES = frozenset({"arbitration.hearing_notice"})
# Timers of a row track that are the case's, not the row's: any lawsuit about the dispute completes them.
CASE_WIDE_RULES = frozenset({"litigation.sue_after_revocation"})
# Events extending a timer of their row by months (the `months` they record): the court's first instance.
MONTH_EXTENSIONS = {"litigation.extend_first_instance": "litigation.first_instance"}


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
    if rule_id == limitation.RULE_ID:
        assessment = limitation.assess_case(case)
        if assessment is None or assessment.start is None:
            return False  # nothing known, or only wages while the employment lasts (Art 27(4))
        if row is None:
            return True  # registration
        # A mediation's events (Art 27(2)) restart an open period when they move its start.
        return any(t.rule_id == rule_id and t.status in OPEN_STATUSES and t.started_on != assessment.start
                   for t in case.timers)
    if rule_id == "litigation.appeal":  # CPL Art 165: a small-claims judgment is final at first instance
        return not (isinstance(row, Lawsuit) and row.procedure == CourtProcedure.SMALL_CLAIMS)
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
    if rule_id == limitation.RULE_ID:
        return limitation.assess_case(case).start  # the known day, the end of employment or the last interruption
    return event_date(event, row, subject)


def own_suspensions(rule_id: str, case: Case) -> tuple[tuple[date, date | None], ...]:
    """Suspensions a timer starts with: the limitation period's own (Art 27(3)), recorded on the case."""
    if rule_id == limitation.RULE_ID:
        assessment = limitation.assess_case(case)
        return assessment.suspensions if assessment is not None else ()
    return ()


# Events the rules may name that are not steps of a track (every other event is an action of
# `workflow.actions.ACTIONS`, which declares its date): registration, which starts the limitation period
# from the date the dispute became known.
NON_ACTION_EVENTS = frozenset({"case_registered"})


def known_events() -> dict[str, object]:
    """Every event a rule may name: the actions (by name) and the non-action events (mapped to None)."""
    from disputes.workflow.tracks import ACTIONS  # the full step table; imported late: the workflow imports us

    return {name: None for name in NON_ACTION_EVENTS} | ACTIONS


def event_date(event: str, row, subject) -> date:
    """When the event happened, as its action declares it (a completion is on time when this is on or before the
    deadline); the day it is recorded when the action declares no date or the date is not there yet."""
    from disputes.workflow.actions import ACTIONS

    act = ACTIONS.get(event)
    try:
        found = act.date_of(row, subject) if act is not None else None
    except (AttributeError, ValueError):
        found = None
    return found or clock.today_local()


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
    if rule_id in CASE_WIDE_RULES:
        return None
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
