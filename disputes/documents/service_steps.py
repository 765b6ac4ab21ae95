"""What serving a document means for the workflow: the step it records, which starts the SLA timers.

Serving the respondent notice is “respondent served” (the defence period starts), the tribunal notice
“tribunal notified”, a hearing notice “hearing notice served”. Those steps are taken once the document has
been served on every party it is for, on the date of the last service. The award is different: each party's
periods to sue or to apply for revocation run from that party's own receipt (Law Art 48–50), so serving an
award document on a party records “award served” for that party and that award document, on that party's
date. Every step goes through the workflow's own operation (its checks, timeline and timers), never by
writing the dates here. A step the case has already recorded (by hand, on the arbitration panel) is not
taken again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from disputes.models import Award, Case, Hearing, IssuedDocument, Party, User
from disputes.workflow import arbitration as arb
from disputes.workflow import awards, hearings
from disputes.workflow.parties import PRINCIPAL_KINDS, principals, principals_of
from disputes.workflow.states import ArbitrationState, ClosureType, Finality, HearingState


@dataclass(frozen=True)
class ServiceStep:
    event: str  # the workflow event (timeline kind) the step records
    parties: Callable[[Case], list[Party]]  # whom the document must reach before the step is taken
    done: Callable[[Case, IssuedDocument], bool]  # the case has recorded the step already
    take: Callable  # (session, case, actor, document, served_on) -> None


def _respondents(case: Case) -> list[Party]:
    return principals_of(case.respondents)


def addressees(case: Case) -> list[Party]:
    """Everyone a notice to the parties must reach: both sides' principals, and any third party."""
    return principals(case) + case.third_parties


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


STEPS: dict[str, ServiceStep] = {
    "arb_respondent_notice": ServiceStep(
        arb.SERVE.name,
        _respondents,
        lambda case, doc: case.arbitration is None or case.arbitration.served_on is not None,
        lambda session, case, actor, doc, on: arb.serve_respondent(session, case, actor, served_on=on),
    ),
    "arb_tribunal_notice": ServiceStep(
        arb.NOTIFY_TRIBUNAL.name,
        principals,
        lambda case, doc: case.arbitration is None or case.arbitration.tribunal_notified_on is not None,
        lambda session, case, actor, doc, on: arb.notify_tribunal(session, case, actor, served_on=on),
    ),
    "arb_hearing_notice": ServiceStep(hearings.NOTICE.name, principals, _hearing_notice_done, _serve_hearing_notice),
}


def awards_of(case: Case, document: IssuedDocument) -> list[Award]:
    """The closing award(s) an award document is: its subject key `<award id>-final|nonfinal` names one; a key
    without an id names them by finality, or all of them. A partial award's document names none (a partial award
    starts no period)."""
    arbitration = case.arbitration
    if arbitration is None:
        return []
    closing = [a for a in arbitration.awards if not a.partial]
    key = document.subject_key or ""
    head = key.split("-", 1)[0]
    if head.isdigit():
        return [a for a in closing if a.id == int(head)]
    if "partial" in key:
        return []
    if "non" in key:
        return [a for a in closing if a.finality == Finality.NON_FINAL]
    if "final" in key:
        return [a for a in closing if a.finality == Finality.FINAL]
    return closing


def _award_step(
    session, case: Case, actor: User, document: IssuedDocument, party: Party | None, served: dict[int, date]
) -> str | None:
    """“Award served” on `party`, on the day the document reached them, for the award(s) it is: once the closure
    is approved (an award served earlier waits for it), never twice for one party and award."""
    arbitration = case.arbitration
    if (
        party is None
        or party.kind not in PRINCIPAL_KINDS
        or party.id not in served
        or arbitration is None
        or arbitration.state != ArbitrationState.CLOSED
        or arbitration.closure_type != ClosureType.AWARD
    ):
        return None
    pending = [a.id for a in awards_of(case, document) if a.served_on_party(party.id) is None]
    if not pending:
        return None
    awards.serve_award_on(session, case, actor, party_id=party.id, served_on=served[party.id], award_ids=pending)
    return awards.SERVE_AWARD.name


def due_step(case: Case, document: IssuedDocument, served: dict[int, date]) -> tuple[ServiceStep, date] | None:
    """The step to take now that `document` has been served as `served` says (party id → local date)."""
    step = STEPS.get(document.kind)
    if step is None or step.done(case, document):
        return None
    wanted = [p.id for p in step.parties(case)]
    if not wanted or any(pid not in served for pid in wanted):
        return None
    return step, max(served[pid] for pid in wanted)


def take(
    session, case: Case, actor: User, document: IssuedDocument, served: dict[int, date], party: Party | None = None
) -> str | None:
    """Take the due step, if any (for the award: for `party`, the one just served); the workflow raises
    DomainError when it refuses (nothing is then saved)."""
    if document.kind == "arb_award":
        return _award_step(session, case, actor, document, party, served)
    found = due_step(case, document, served)
    if found is None:
        return None
    step, on = found
    step.take(session, case, actor, document, on)
    return step.event
