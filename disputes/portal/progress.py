"""What a party reads about their own case (no Flask): where it is, what comes next and when, their own periods,
the documents served on them and the hearing or session dates. Every date is read from the case's rows (the
timers in `sla_timers`), never recomputed here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.models import Case, DocumentService, Party, PartyKind, PartySide, SlaTimer
from disputes.sla.states import RuleKind, TimerStatus
from disputes.workflow.states import MEDIATION_OPEN

# Periods that are the party's own to act in, by side (the respondent's defence; suing against an award;
# asking for review or confirmation of an agreement; appealing).
BOTH = "both"
PARTY_PERIODS = {
    "arbitration.defence": PartySide.RESPONDENT,
    "litigation.worker_sue_final": PartyKind.WORKER,
    "litigation.employer_revoke": PartyKind.EMPLOYER,
    "litigation.sue_nonfinal": BOTH,
    "litigation.sue_after_revocation": BOTH,
    "litigation.appeal": BOTH,
    "mediation.review_apply": BOTH,
    "mediation.judicial_confirm": BOTH,
}


@dataclass
class Appointment:
    kind: str  # "hearing" or "session"
    at: datetime
    place: str | None
    online_link: str | None
    state: object  # a HearingState, or None for a planned mediation session


@dataclass
class PartyView:
    case: Case
    parties: list[Party]
    next_steps: list[SlaTimer] = field(default_factory=list)
    own_periods: list[SlaTimer] = field(default_factory=list)
    served: list[DocumentService] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)


def _principal(party: Party) -> Party:
    return party.represents if party.represents is not None else party


def _is_own(rule_id: str, parties: list[Party]) -> bool:
    whose = PARTY_PERIODS.get(rule_id)
    if whose is None:
        return False
    if whose == BOTH:
        return True
    principals = [_principal(p) for p in parties]
    if isinstance(whose, PartySide):
        return any(p.side == whose and not p.third_party for p in principals)
    return any(p.kind == whose for p in principals)


def party_view(session: Session, case: Case, parties: list[Party]) -> PartyView:
    view = PartyView(case, parties)
    live = [t for t in case.timers if t.status in (TimerStatus.RUNNING, TimerStatus.PAUSED, TimerStatus.BREACHED)]
    for timer in sorted(live, key=lambda t: (t.due_on is None, t.due_on or case.registered_on, t.id)):
        if timer.rule_id in PARTY_PERIODS:
            if _is_own(timer.rule_id, parties):
                view.own_periods.append(timer)
        elif timer.rule.kind == RuleKind.TASK and not timer.rule_id.startswith("limitation."):
            view.next_steps.append(timer)
    served_on = {p.id for p in parties} | {p.represents_id for p in parties if p.represents_id}
    view.served = list(
        session.scalars(
            sa.select(DocumentService)
            .where(DocumentService.case_id == case.id, DocumentService.party_id.in_(served_on))
            .order_by(DocumentService.recorded_at.desc())
        )
    )
    arbitration = getattr(case, "arbitration", None)
    if arbitration is not None:
        for hearing in arbitration.hearings:
            place = hearing.room.name if hearing.room is not None else None
            view.appointments.append(
                Appointment("hearing", hearing.starts_at, place, hearing.online_link, hearing.state)
            )
    for mediation in _mediations(case):
        # The session planned now: the latest session's `next_at` while the mediation is open (a later session
        # replaces an earlier plan, as in the session calendar and the notices); held sessions are not listed.
        latest = max(mediation.sessions, key=lambda s: (s.held_at, s.id), default=None)
        if latest is not None and latest.next_at is not None and mediation.state in MEDIATION_OPEN:
            view.appointments.append(Appointment("session", latest.next_at, latest.place, latest.online_link, None))
    view.appointments.sort(key=lambda a: a.at)
    return view


def _mediations(case: Case) -> list:
    found = getattr(case, "mediations", None)
    if found is None:
        found = getattr(case, "mediation", None)
    if found is None:
        return []
    return list(found) if isinstance(found, list | tuple) else [found]
