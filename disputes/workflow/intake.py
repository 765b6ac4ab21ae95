"""Registering a case: derived flags, warnings that never block, and the write."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock, identity, numbering, policy
from disputes.i18n import N_, DomainError
from disputes.models import (
    Case,
    Claim,
    ClaimCategory,
    LimitationEvent,
    Party,
    PartyKind,
    PartySide,
    TimelineEntry,
    Unit,
    User,
)
from disputes.models.enums import LIMITATION_SPANS, WORK_INJURY_CATEGORIES, LimitationEventKind
from disputes.sla import limitation, timers
from disputes.workflow import timeline
from disputes.workflow.states import CaseStatus

COLLECTIVE_THRESHOLD = 10
FLAG_NAMES = ("migrant_wage", "work_injury", "green_channel", "collective", "limitation_warning")


@dataclass
class PartyInput:
    side: PartySide
    kind: PartyKind
    name: str
    sex: str | None = None
    birth_date: date | None = None
    id_number: str | None = None
    credit_code: str | None = None
    legal_representative: str | None = None
    phone: str | None = None
    address: str | None = None
    is_representative: bool = False
    migrant_worker: bool = False
    # An agent's: what it is (a law firm's lawyer, the employer's HR officer, a relative), and the index in
    # `IntakeInput.parties` of the party it acts for (None: the first party of its side).
    capacity: str | None = None
    represents: int | None = None

    @property
    def is_agent(self) -> bool:
        return self.kind in (PartyKind.AGENT, PartyKind.REPRESENTATIVE)


@dataclass
class ClaimInput:
    category: ClaimCategory
    amount: Decimal | None = None
    description: str = ""
    # In a multi-worker case, the index in `parties` of the worker whose claim this is (None: all of them).
    worker: int | None = None


@dataclass
class LimitationEventInput:
    """An interruption (Law Art 27(2)) or suspension (27(3)); `end_on` for a mediation or a suspension only."""

    kind: LimitationEventKind
    start_on: date
    end_on: date | None = None
    note: str = ""


@dataclass
class IntakeInput:
    unit_id: int
    cause: str
    parties: list[PartyInput]
    claims: list[ClaimInput]
    registered_on: date | None = None
    dispute_known_on: date | None = None
    facts: str = ""
    worker_count: int | None = None
    flags: dict[str, bool] | None = None  # as confirmed by the clerk; None = derive
    # Law Art 27(4): the employment lasts, or ended on a day (neither: not recorded).
    still_employed: bool = False
    employment_ended_on: date | None = None
    limitation_events: list[LimitationEventInput] = field(default_factory=list)

    def workers(self) -> list[PartyInput]:
        return [p for p in self.parties if p.kind == PartyKind.WORKER]

    def head_count(self) -> int:
        return max(self.worker_count or 0, len(self.workers()), 1)

    def limitation_facts(self) -> limitation.Facts:
        return limitation.Facts(
            known_on=self.dispute_known_on,
            categories=frozenset(c.category for c in self.claims),
            still_employed=self.still_employed,
            employment_ended_on=self.employment_ended_on,
            events=tuple(limitation.Event(e.kind, e.start_on, e.end_on) for e in self.limitation_events),
        )


@dataclass
class IntakeWarning:
    code: str
    message: str
    params: dict = field(default_factory=dict)
    details: list = field(default_factory=list)  # sla.compute.Step lines saying why (the limitation's)


def derive_flags(intake: IntakeInput, on: date | None = None, session: Session | None = None) -> dict[str, bool]:
    on = on or intake.registered_on or clock.today_local()
    categories = {c.category for c in intake.claims}
    migrant_wage = ClaimCategory.WAGES in categories and any(w.migrant_worker for w in intake.workers())
    work_injury = not categories.isdisjoint(WORK_INJURY_CATEGORIES)
    return {
        "migrant_wage": migrant_wage,
        "work_injury": work_injury,
        "green_channel": migrant_wage or work_injury,
        "collective": intake.head_count() >= COLLECTIVE_THRESHOLD,
        "limitation_warning": _limitation_ended(intake, on, session) is not None,
    }


def _limitation_ended(intake: IntakeInput, on: date, session: Session | None) -> date | None:
    assessment = limitation.assess_facts(intake.limitation_facts(), session)
    return assessment.ended_before(on) if assessment is not None else None


def _normalised(intake: IntakeInput) -> None:
    for party in intake.parties:
        party.name = party.name.strip()
        party.id_number = identity.normalise(party.id_number) or None
        party.credit_code = identity.normalise(party.credit_code) or None
        party.capacity = (party.capacity or "").strip() or None


def derive_from_id(party: PartyInput) -> None:
    """A person's sex and date of birth, when not given, from a valid resident ID number (GB 11643:
    digits 7–14 the birth date, the 17th digit odd for a man)."""
    if party.kind == PartyKind.EMPLOYER or not identity.is_valid_resident_id(party.id_number):
        return
    if not party.sex:
        party.sex = identity.resident_id_sex(party.id_number)
    if party.birth_date is None:
        party.birth_date = identity.resident_id_birth_date(party.id_number)


def represented(intake: IntakeInput) -> dict[int, int]:
    """For each agent (by index), the index of the party it acts for: the one chosen, else the first
    party of its side. Raises when the choice is not a party of the agent's own side."""
    links = {}
    for i, party in enumerate(intake.parties):
        if not party.is_agent:
            if party.represents is not None:
                raise DomainError(N_("Only an agent acts for another party."), field="parties")
            continue
        if party.represents is None:
            target = next((j for j, p in enumerate(intake.parties) if p.side == party.side and not p.is_agent), None)
        else:
            target = party.represents
            if not 0 <= target < len(intake.parties) or intake.parties[target].is_agent:
                raise DomainError(N_("An agent acts for one of the parties."), field="parties")
            if intake.parties[target].side != party.side:
                raise DomainError(N_("An agent acts for a party of its own side."), field="parties")
        if target is None:
            raise DomainError(N_("An agent acts for one of the parties."), field="parties")
        links[i] = target
    return links


def validate(intake: IntakeInput, today: date) -> None:
    """The invariants the form checks field by field, checked again for every caller."""
    sides = {p.side for p in intake.parties}
    if PartySide.APPLICANT not in sides:
        raise DomainError(N_("A case needs at least one applicant."), field="parties")
    if PartySide.RESPONDENT not in sides:
        raise DomainError(N_("A case needs at least one respondent."), field="parties")
    if not intake.claims:
        raise DomainError(N_("A case needs at least one claim."), field="claims")
    if not intake.cause.strip():
        raise DomainError(N_("Give the cause of the dispute."), field="cause")
    registered_on = intake.registered_on or today
    if registered_on > today:
        raise DomainError(N_("The registration date cannot be in the future."), field="registered_on")
    if intake.dispute_known_on and intake.dispute_known_on > registered_on:
        raise DomainError(N_("The dispute cannot become known after registration."), field="dispute_known_on")
    for party in intake.parties:
        check_party(party)
    represented(intake)
    workers = [i for i, p in enumerate(intake.parties) if p.kind == PartyKind.WORKER]
    if any(c.worker is not None and c.worker not in workers for c in intake.claims):
        raise DomainError(N_("A claim belongs to a worker of this case."), field="claims")
    for claim in intake.claims:
        if claim.amount is not None and claim.amount < 0:
            raise DomainError(N_("A claimed amount cannot be negative."), field="claims")
    validate_limitation(intake.still_employed, intake.employment_ended_on, intake.limitation_events, registered_on)


def validate_limitation(
    still_employed: bool, employment_ended_on: date | None, events: list[LimitationEventInput], last_day: date
) -> None:
    """The limitation facts (Law Art 27): none after `last_day` (the registration, or today when edited later)."""
    if still_employed and employment_ended_on is not None:
        raise DomainError(
            N_("The employment either lasts or has ended on a day, not both."), field="employment_ended_on"
        )
    if employment_ended_on is not None and employment_ended_on > last_day:
        raise DomainError(
            N_("The employment cannot have ended after %(day)s."), field="employment_ended_on", day=last_day
        )
    for event in events:
        if event.start_on > last_day or (event.end_on is not None and event.end_on > last_day):
            raise DomainError(
                N_("An interruption or suspension cannot be dated after %(day)s."),
                field="limitation_events",
                day=last_day,
            )
        if event.end_on is not None and event.kind not in LIMITATION_SPANS:
            raise DomainError(N_("Only a mediation or a suspension has an end date."), field="limitation_events")
        if event.end_on is not None and event.end_on < event.start_on:
            raise DomainError(N_("An end date cannot come before its start."), field="limitation_events")


def check_party(party: PartyInput, field: str = "parties") -> None:
    """A party's own invariants: a name, valid check digits, an ID number for people and a credit code for employers."""
    if not party.name:
        raise DomainError(N_("Every party needs a name."), field=field)
    if party.id_number and not identity.is_valid_resident_id(party.id_number):
        raise DomainError(N_("%(value)s is not a valid resident ID number."), field=field, value=party.id_number)
    if party.credit_code and not identity.is_valid_credit_code(party.credit_code):
        raise DomainError(
            N_("%(value)s is not a valid unified social credit code."), field=field, value=party.credit_code
        )
    if party.kind == PartyKind.EMPLOYER and party.id_number:
        raise DomainError(N_("An employer has a credit code, not a resident ID number."), field=field)
    if party.kind != PartyKind.EMPLOYER and party.credit_code:
        raise DomainError(N_("Only an employer has a unified social credit code."), field=field)


def find_open_duplicates(session: Session, intake: IntakeInput) -> list[Case]:
    """Open cases between one of these workers and one of these employers."""
    workers = intake.workers()
    employers = [p for p in intake.parties if p.kind == PartyKind.EMPLOYER]
    if not workers or not employers:
        return []

    def matches(kinds: PartyKind, people: list[PartyInput], key: str) -> sa.ColumnElement[bool]:
        keys = [getattr(p, key) for p in people if getattr(p, key)]
        names = [p.name for p in people if not getattr(p, key)]
        column = Party.id_number if key == "id_number" else Party.credit_code
        return sa.and_(Party.kind == kinds, sa.or_(column.in_(keys), Party.name.in_(names)))

    worker_cases = sa.select(Party.case_id).where(matches(PartyKind.WORKER, workers, "id_number"))
    employer_cases = sa.select(Party.case_id).where(matches(PartyKind.EMPLOYER, employers, "credit_code"))
    query = (
        sa.select(Case)
        .where(Case.status == CaseStatus.OPEN, Case.id.in_(worker_cases), Case.id.in_(employer_cases))
        .order_by(Case.registered_on.desc())
        .limit(5)
    )
    return list(session.scalars(query))


def intake_warnings(session: Session, intake: IntakeInput, today: date | None = None) -> list[IntakeWarning]:
    today = today or clock.today_local()
    warnings = [
        IntakeWarning(
            "duplicate",
            N_("%(registry_no)s is already open between the same worker and employer."),
            {"registry_no": case.registry_no, "case_id": case.id},
        )
        for case in find_open_duplicates(session, intake)
    ]
    warning = limitation_warning(
        limitation.assess_facts(intake.limitation_facts(), session), intake.registered_on or today
    )
    if warning is not None:
        warnings.append(warning)
    return warnings


def limitation_warning(assessment: limitation.Assessment | None, on: date) -> IntakeWarning | None:
    """The warning (never a block) when `on` comes after the limitation period's last day, saying why: the start,
    the interruptions, the suspensions, Art 27(4) (`details`, the assessment's steps)."""
    ended = assessment.ended_before(on) if assessment is not None else None
    if ended is None:
        return None
    details = [] if assessment.is_plain else list(assessment.steps)
    if assessment.from_known_day:
        return IntakeWarning(
            "limitation",
            N_(
                "The dispute became known on %(known)s and the limitation period ended on %(ended)s: "
                "the claim may be time-barred (Law Art 27)."
            ),
            {"known": assessment.start.isoformat(), "ended": ended.isoformat()},
            details,
        )
    return IntakeWarning(
        "limitation",
        N_(
            "The limitation period ran from %(start)s and ended on %(ended)s: the claim may be time-barred "
            "(Law Art 27)."
        ),
        {"start": assessment.start.isoformat(), "ended": ended.isoformat()},
        details,
    )


def register_case(session: Session, actor: User, intake: IntakeInput) -> Case:
    """Check, number and write a new case with its parties and claims; the caller commits."""
    today = clock.today_local()
    _normalised(intake)
    validate(intake, today)
    for party in intake.parties:
        derive_from_id(party)
    unit = session.get(Unit, intake.unit_id)
    if unit is None or unit not in policy.registration_units(actor, [unit]):
        raise DomainError(N_("You cannot register cases for this unit."), field="unit_id")
    registered_on = intake.registered_on or today
    flags = derive_flags(intake, registered_on, session)
    if intake.flags is not None:
        flags.update({k: bool(v) for k, v in intake.flags.items() if k in FLAG_NAMES})
    case = Case(
        registry_no=numbering.issue_number(session, unit, numbering.REGISTRY, registered_on.year),
        unit=unit,
        registered_on=registered_on,
        dispute_known_on=intake.dispute_known_on,
        cause=intake.cause.strip(),
        facts=intake.facts.strip(),
        worker_count=intake.head_count(),
        still_employed=intake.still_employed,
        employment_ended_on=intake.employment_ended_on,
        created_by=actor,
        **flags,
    )
    case.limitation_events = [
        LimitationEvent(kind=e.kind, start_on=e.start_on, end_on=e.end_on, note=e.note.strip())
        for e in intake.limitation_events
    ]
    for position, p in enumerate(intake.parties):
        fields = {k: v for k, v in asdict(p).items() if k != "represents"}
        case.parties.append(Party(position=position, id_tail=p.id_number[-4:] if p.id_number else None, **fields))
    for agent, party in represented(intake).items():
        case.parties[agent].represents = case.parties[party]
    for position, c in enumerate(intake.claims):
        worker = case.parties[c.worker] if c.worker is not None else None
        case.claims.append(
            Claim(position=position, category=c.category, amount=c.amount, description=c.description, party=worker)
        )
    session.add(case)
    session.flush()
    timers.handle(session, case, "case_registered", None, registered_on)
    timeline.record(
        session,
        case,
        actor,
        "case_registered",
        after={
            "registry_no": case.registry_no,
            "parties": len(case.parties),
            "claims": [c.category.value for c in case.claims],
            "flags": {k: v for k, v in flags.items() if v},
        },
    )
    session.flush()
    return case


def update_flags(session: Session, actor: User, case: Case, flags: dict[str, bool], reason: str | None) -> None:
    before = {name: getattr(case, name) for name in FLAG_NAMES}
    after = {name: bool(flags.get(name, before[name])) for name in FLAG_NAMES}
    if before == after:
        return
    for name, value in after.items():
        setattr(case, name, value)
    changed = [n for n in FLAG_NAMES if before[n] != after[n]]
    timeline.record(
        session,
        case,
        actor,
        "flags_changed",
        reason=reason,
        before={n: before[n] for n in changed},
        after={n: after[n] for n in changed},
    )
    session.flush()


def reveal_reason(reason: str | None) -> str:
    """The stated reason every unmasking needs (the case page, exports, document previews)."""
    if not (reason or "").strip():
        raise DomainError(N_("Say why you need the full ID numbers."), field="reason")
    return reason.strip()


def reveal_ids(
    session: Session,
    actor: User | None,
    case: Case,
    reason: str,
    via: str | None = None,
) -> dict[int, str]:
    """Unmasked ID numbers of the case's parties; every call leaves an audit entry. `actor` None is the command
    line (an operator with the database's keys); `via` says where they are shown when not on the case page."""
    if actor is not None and not policy.can_reveal_ids(actor, case):
        raise DomainError(N_("You may not see unmasked ID numbers of this case."))
    reason = reveal_reason(reason)
    revealed = {p.id: p.id_number for p in case.parties if p.id_number}
    timeline.record(session, case, actor, "ids_revealed", reason=reason, after=_revealed(sorted(revealed), via))
    session.flush()
    return revealed


def record_reveals(
    session: Session,
    actor: User | None,
    revealed: dict[int, list[int]],
    reason: str,
    via: str,
) -> int:
    """The audit entries of an export: one `ids_revealed` entry per case whose ID numbers it wrote in full (the
    caller has asked `policy.reveal_scope`). Written in bulk; returns how many."""
    reason = reveal_reason(reason)
    now = clock.now_utc()
    rows = [
        {
            "case_id": case_id,
            "at": now,
            "actor_id": actor.id if actor else None,
            "kind": "ids_revealed",
            "reason": reason,
            "before": None,
            "after": _revealed(sorted(parties), via),
        }
        for case_id, parties in revealed.items()
    ]
    for first in range(0, len(rows), 5000):
        session.execute(sa.insert(TimelineEntry), rows[first : first + 5000])
    return len(rows)


def _revealed(party_ids: list[int], via: str | None) -> dict:
    return {"parties": party_ids, **({"via": via} if via else {})}
