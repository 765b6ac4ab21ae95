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
    Party,
    PartyKind,
    PartySide,
    TimelineEntry,
    Unit,
    User,
)
from disputes.models.enums import WORK_INJURY_CATEGORIES
from disputes.sla import timers
from disputes.sla.limitation import limitation_ended
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


@dataclass
class ClaimInput:
    category: ClaimCategory
    amount: Decimal | None = None
    description: str = ""


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

    def workers(self) -> list[PartyInput]:
        return [p for p in self.parties if p.kind == PartyKind.WORKER]

    def head_count(self) -> int:
        return max(self.worker_count or 0, len(self.workers()), 1)


@dataclass
class IntakeWarning:
    code: str
    message: str
    params: dict = field(default_factory=dict)


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
        "limitation_warning": limitation_ended(intake.dispute_known_on, on, session) is not None,
    }


def _normalised(intake: IntakeInput) -> None:
    for party in intake.parties:
        party.name = party.name.strip()
        party.id_number = identity.normalise(party.id_number) or None
        party.credit_code = identity.normalise(party.credit_code) or None


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
        if not party.name:
            raise DomainError(N_("Every party needs a name."), field="parties")
        if party.id_number and not identity.is_valid_resident_id(party.id_number):
            raise DomainError(
                N_("%(value)s is not a valid resident ID number."), field="parties", value=party.id_number
            )
        if party.credit_code and not identity.is_valid_credit_code(party.credit_code):
            raise DomainError(
                N_("%(value)s is not a valid unified social credit code."), field="parties", value=party.credit_code
            )
        if party.kind == PartyKind.EMPLOYER and party.id_number:
            raise DomainError(N_("An employer has a credit code, not a resident ID number."), field="parties")
        if party.kind != PartyKind.EMPLOYER and party.credit_code:
            raise DomainError(N_("Only an employer has a unified social credit code."), field="parties")
    for claim in intake.claims:
        if claim.amount is not None and claim.amount < 0:
            raise DomainError(N_("A claimed amount cannot be negative."), field="claims")


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
    ended = limitation_ended(intake.dispute_known_on, intake.registered_on or today, session)
    if ended is not None:
        warnings.append(
            IntakeWarning(
                "limitation",
                N_("The dispute became known on %(known)s and the limitation period ended on %(ended)s: "
                   "the claim may be time-barred (Law Art 27)."),
                {"known": intake.dispute_known_on.isoformat(), "ended": ended.isoformat()},
            )
        )
    return warnings


def register_case(session: Session, actor: User, intake: IntakeInput) -> Case:
    """Check, number and write a new case with its parties and claims; the caller commits."""
    today = clock.today_local()
    _normalised(intake)
    validate(intake, today)
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
        created_by=actor,
        **flags,
    )
    for position, p in enumerate(intake.parties):
        case.parties.append(Party(position=position, id_tail=p.id_number[-4:] if p.id_number else None, **asdict(p)))
    for position, c in enumerate(intake.claims):
        case.claims.append(Claim(position=position, category=c.category, amount=c.amount, description=c.description))
    session.add(case)
    session.flush()
    timers.handle(session, case, "case_registered", None, registered_on)
    timeline.record(
        session, case, actor, "case_registered",
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
        session, case, actor, "flags_changed", reason=reason,
        before={n: before[n] for n in changed}, after={n: after[n] for n in changed},
    )
    session.flush()


def reveal_reason(reason: str | None) -> str:
    """The stated reason every unmasking needs (the case page, exports, document previews)."""
    if not (reason or "").strip():
        raise DomainError(N_("Say why you need the full ID numbers."), field="reason")
    return reason.strip()


def reveal_ids(session: Session, actor: User | None, case: Case, reason: str, via: str | None = None,
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


def record_reveals(session: Session, actor: User | None, revealed: dict[int, list[int]], reason: str, via: str,
                   ) -> int:
    """The audit entries of an export: one `ids_revealed` entry per case whose ID numbers it wrote in full (the
    caller has asked `policy.reveal_scope`). Written in bulk; returns how many."""
    reason = reveal_reason(reason)
    now = clock.now_utc()
    rows = [{"case_id": case_id, "at": now, "actor_id": actor.id if actor else None, "kind": "ids_revealed",
             "reason": reason, "before": None, "after": _revealed(sorted(parties), via)}
            for case_id, parties in revealed.items()]
    for first in range(0, len(rows), 5000):
        session.execute(sa.insert(TimelineEntry), rows[first:first + 5000])
    return len(rows)


def _revealed(party_ids: list[int], via: str | None) -> dict:
    return {"parties": party_ids, **({"via": via} if via else {})}
