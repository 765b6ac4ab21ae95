"""What each workflow event means for timers: its date, the row it is about, and who answers for it.

The rules (data) say which events start, complete and cancel them; this module reads the
facts those events carry. It knows the track models but nothing of Flask.
"""

from __future__ import annotations

from datetime import date

from disputes import clock
from disputes.models import (
    Arbitration,
    AwardService,
    Case,
    Lawsuit,
    LegalAidApplication,
    Mediation,
    Party,
    PartyKind,
    Unit,
)
from disputes.sla import limitation
from disputes.sla.states import OPEN_STATUSES
from disputes.workflow.states import ConfirmationKind, CourtProcedure, Finality, Performance

ROW_TRACKS = ("legal_aid.", "litigation.")  # several rows per case: timers carry the row's id as subject
HEARING_RULES = frozenset({"arbitration.hearing_notice"})
# Timers of a row track that are the case's, not the row's: any lawsuit about the dispute completes them.
CASE_WIDE_RULES = frozenset({"litigation.sue_after_revocation"})
# Events extending a timer of their row by months (the `months` they record): the court's first instance.
MONTH_EXTENSIONS = {"litigation.extend_first_instance": "litigation.first_instance"}
# Periods that run for each party from the day the award reached that party (Law Art 48–50): the timer's subject
# is the party (`parties.id`), its kinds say whose right it is, and the award's finality which award it runs on.
PARTY_RULES = {
    "litigation.worker_sue_final": (frozenset({PartyKind.WORKER}), Finality.FINAL),
    "litigation.employer_revoke": (frozenset({PartyKind.EMPLOYER}), Finality.FINAL),
    "litigation.sue_nonfinal": (frozenset({PartyKind.WORKER, PartyKind.EMPLOYER}), Finality.NON_FINAL),
}


def track_of(rule_id: str) -> str:
    """The track a rule belongs to; the policy targets are arbitration's."""
    prefix = rule_id.split(".", 1)[0]
    return {"green": "arbitration", "collective": "arbitration", "limitation": "case"}.get(prefix, prefix)


def applies(rule_id: str, case: Case, row, after: dict, subject=None) -> bool:
    """Conditions no table expresses: which cases and which variant of an event a rule is for."""
    if rule_id in PARTY_RULES:
        return isinstance(subject, AwardService) and runs_for(rule_id, subject.award, subject.party)
    if rule_id == "mediation.accept":
        return isinstance(row, Mediation) and row.unit.kind.value == "mediation_committee" and _is_enterprise(row.unit)
    if rule_id.startswith("green."):
        return case.green_channel
    if rule_id == "collective.accept":
        return case.collective
    if rule_id == "arbitration.review":
        return after.get("kind") == ConfirmationKind.ARBITRAL_REVIEW
    if rule_id == limitation.RULE_ID:
        assessment = limitation.assess_case(case)
        if assessment is None or assessment.start is None:
            return False  # nothing known, or only wages while the employment lasts (Art 27(4))
        if row is None:
            return True  # registration
        # A mediation's events (Art 27(2)) restart an open period when they move its start.
        return any(
            t.rule_id == rule_id and t.status in OPEN_STATUSES and t.started_on != assessment.start for t in case.timers
        )
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


def runs_for(rule_id: str, award, party: Party) -> bool:
    """Whether `rule_id`'s period runs for `party` from its receipt of `award`: a closing award (a partial award
    starts none) of the rule's finality, and a party whose right it is (workers and employers, never agents)."""
    kinds, finality = PARTY_RULES[rule_id]
    return not award.partial and award.finality == finality and party.kind in kinds


def concerns(timer, event: str, row, subject) -> bool:
    """Whether an event about `row` (and `subject`) is about the row or party `timer` is about.

    A party's period is ended by a lawsuit (or application to revoke) of that party's side against an award of the
    rule's finality (a lawsuit naming no award counts against any); the plaintiff is recorded as a side, so a
    worker's lawsuit ends the period of every worker party. Other timers: their row's or hearing's events."""
    if timer.rule_id in PARTY_RULES:
        if isinstance(subject, AwardService):
            return subject.party_id == timer.subject_id
        if not isinstance(row, Lawsuit):
            return False
        party = next((p for p in timer.case.parties if p.id == timer.subject_id), None)
        _kinds, finality = PARTY_RULES[timer.rule_id]
        return (
            party is not None
            and party.kind.value == row.plaintiff.value
            and (row.award is None or row.award.finality == finality)
        )
    subject_key = getattr(subject, "id", None)
    return timer.subject_id is None or timer.subject_id in (subject_key, getattr(row, "id", None))


def _is_enterprise(unit: Unit) -> bool:
    return any(u.kind.value == "enterprise" for u in [unit, *unit.ancestors()][:2])


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
    if rule_id in PARTY_RULES:
        return subject.party_id
    if rule_id in HEARING_RULES:
        return subject.id if subject is not None else None
    if rule_id in CASE_WIDE_RULES:
        return None
    if rule_id.startswith(ROW_TRACKS) and isinstance(row, LegalAidApplication | Lawsuit):
        return row.id
    return None


def party_of(timer) -> Party | None:
    """The party a timer runs for (the rules of PARTY_RULES), from the case's parties already loaded."""
    if timer.rule_id not in PARTY_RULES:
        return None
    return next((p for p in timer.case.parties if p.id == timer.subject_id), None)


def unit_of(case: Case, row) -> int:
    if isinstance(row, Mediation | Arbitration | LegalAidApplication):
        return row.unit_id
    return case.arbitration.unit_id if case.arbitration is not None else case.unit_id
