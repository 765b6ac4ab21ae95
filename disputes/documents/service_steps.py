"""What serving a document means for the workflow: the step it records, which starts the SLA timers.

Serving the respondent notice is “respondent served” (the defence period starts), the tribunal notice
“tribunal notified”, a hearing notice “hearing notice served”, the award “award served” (the right-to-sue
timers start). The step is taken once the document has been served on every party it is for, on the
date of the last service, through the workflow's own operation (its checks, timeline and timers), never
by writing the dates here. A step the case has already recorded (by hand, on the arbitration panel) is
not taken again.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from disputes.models import Case, Hearing, IssuedDocument, Party, PartyKind, User
from disputes.workflow import arbitration as arb
from disputes.workflow import awards, hearings
from disputes.workflow.states import ArbitrationState, ClosureType, HearingState


@dataclass(frozen=True)
class ServiceStep:
    event: str  # the workflow event (timeline kind) the step records
    parties: Callable[[Case], list[Party]]  # whom the document must reach before the step is taken
    done: Callable[[Case, IssuedDocument], bool]  # the case has recorded the step already
    take: Callable  # (session, case, actor, document, served_on) -> None


def _principals(parties: list[Party]) -> list[Party]:
    """Whom a side's papers must reach: the workers and employers themselves (an agent may sign for them,
    which is recorded as service on the party), and only the elected representatives of a collective side."""
    own = [p for p in parties if p.kind in (PartyKind.WORKER, PartyKind.EMPLOYER)]
    representatives = [p for p in own if p.is_representative]
    return representatives or own


def _respondents(case: Case) -> list[Party]:
    return _principals(case.respondents)


def _everyone(case: Case) -> list[Party]:
    return _principals(case.applicants) + _principals(case.respondents)


def principals(case: Case) -> list[Party]:
    """Everyone a notice to the parties must reach: both sides' principals, and any third party."""
    return _everyone(case) + case.third_parties


def _hearing_of(case: Case, document: IssuedDocument) -> Hearing | None:
    """The hearing a notice is for: its subject key is the hearing's id (or the one scheduled hearing)."""
    arbitration = case.arbitration
    if arbitration is None:
        return None
    found = next((h for h in arbitration.hearings if str(h.id) == document.subject_key), None)
    if found is None:
        scheduled = [h for h in arbitration.hearings if h.state == HearingState.SCHEDULED]
        found = scheduled[0] if len(scheduled) == 1 else None
    return found


def _hearing_notice_done(case: Case, document: IssuedDocument) -> bool:
    hearing = _hearing_of(case, document)
    return hearing is None or hearing.notice_served_on is not None or hearing.state != HearingState.SCHEDULED


def _serve_hearing_notice(session, case, actor, document, served_on):
    hearing = _hearing_of(case, document)
    hearings.serve_hearing_notice(session, case, actor, hearing_id=hearing.id, served_on=served_on)


def _award_done(case: Case, document: IssuedDocument) -> bool:
    """Nothing to record before the closure (a partial award served early waits for it) or once recorded."""
    arbitration = case.arbitration
    return (arbitration is None or arbitration.state != ArbitrationState.CLOSED
            or arbitration.closure_type != ClosureType.AWARD or all(a.served_on for a in arbitration.awards))


# Kinds whose step waits for every instance issued (a mixed award is two documents, served together).
ALL_INSTANCES = frozenset({"arb_award"})


STEPS: dict[str, ServiceStep] = {
    "arb_respondent_notice": ServiceStep(
        arb.SERVE.name, _respondents,
        lambda case, doc: case.arbitration is None or case.arbitration.served_on is not None,
        lambda session, case, actor, doc, on: arb.serve_respondent(session, case, actor, served_on=on)),
    "arb_tribunal_notice": ServiceStep(
        arb.NOTIFY_TRIBUNAL.name, _everyone,
        lambda case, doc: case.arbitration is None or case.arbitration.tribunal_notified_on is not None,
        lambda session, case, actor, doc, on: arb.notify_tribunal(session, case, actor, served_on=on)),
    "arb_hearing_notice": ServiceStep(hearings.NOTICE.name, _everyone, _hearing_notice_done, _serve_hearing_notice),
    "arb_award": ServiceStep(
        awards.SERVE_AWARD.name, _everyone, _award_done,
        lambda session, case, actor, doc, on: awards.serve_award(session, case, actor, served_on=on)),
}


def due_step(case: Case, document: IssuedDocument, served: dict[int, date]) -> tuple[ServiceStep, date] | None:
    """The step to take now that `document` has been served as `served` says (party id → local date)."""
    step = STEPS.get(document.kind)
    if step is None or step.done(case, document):
        return None
    wanted = [p.id for p in step.parties(case)]
    if not wanted or any(pid not in served for pid in wanted):
        return None
    return step, max(served[pid] for pid in wanted)


def take(session, case: Case, actor: User, document: IssuedDocument, served: dict[int, date]) -> str | None:
    """Take the due step, if any; the workflow raises DomainError when it refuses (nothing is then saved)."""
    found = due_step(case, document, served)
    if found is None:
        return None
    step, on = found
    step.take(session, case, actor, document, on)
    return step.event
