"""Events after acceptance that restart the award period (Rules Art 46 items 1, 3, 4, 5).

Each step records an `ArbitrationRestart` with the date the period runs from, and the event's rule
triggers (`arbitration.award`, `green.close`) start the timer again from that date: `sla.timers.start`
cancels the running one, keeping nothing of it (deadlines.md rule 8). The steps are for the assigned
arbitrator or a supervisor, on an accepted arbitration that is not suspended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from disputes import identity
from disputes.i18n import N_, DomainError
from disputes.models import Arbitration, ArbitrationRestart, Case, Claim, ClaimCategory, Party, PartySide, Role, User
from disputes.workflow.actions import action, begin, checked_date, finish
from disputes.workflow.arbitration import not_suspended
from disputes.workflow.intake import PartyInput, check_party
from disputes.workflow.states import ARBITRATION_RUNNING, JoinCapacity, RestartKind, Track

R = Role
SIDE_OF = {
    JoinCapacity.APPLICANT: PartySide.APPLICANT,
    JoinCapacity.RESPONDENT: PartySide.RESPONDENT,
    JoinCapacity.THIRD_PARTY: PartySide.RESPONDENT,
}  # a third party's side is not read (Party.third_party)


def _step(name: str, required: tuple[str, ...], label: str):
    return action(
        name,
        Track.ARBITRATION,
        ARBITRATION_RUNNING,
        None,
        (R.SUPERVISOR,),
        assigned=(R.ARBITRATOR,),
        guards=(not_suspended,),
        required=required,
        label=label,
        dated_by=lambda _row, restart: restart.effective_on,
    )  # Rules Art 46: the restart's own date


ADD_PARTY = _step("arbitration.add_party", ("capacity", "party_name"), N_("Add a party or a third party"))
CHANGE_CLAIMS = _step("arbitration.change_claims", ("changes",), N_("Accept added or changed claims"))
COUNTER_CLAIM = _step("arbitration.counter_claim", ("claims_text",), N_("Accept a counter-claim heard together"))
TRANSFER_IN = _step("arbitration.transfer_in", ("transferred_from",), N_("Record a case received by transfer"))
STEPS = (ADD_PARTY, CHANGE_CLAIMS, COUNTER_CLAIM, TRANSFER_IN)


def period_start(arbitration: Arbitration) -> date:
    """The day the award period now runs from: acceptance, or the latest restart."""
    return max([arbitration.accepted_on, *(r.effective_on for r in arbitration.restarts)])


def _restart_date(arbitration: Arbitration, value: date | None, field: str) -> date:
    return checked_date(
        value,
        field,
        not_before=period_start(arbitration),
        before_message=N_("The award period already runs from %(date)s; this date cannot precede it."),
    )


def _record(
    session: Session,
    case: Case,
    actor: User,
    act,
    kind: RestartKind,
    effective_on: date,
    *,
    note: str = "",
    after: dict | None = None,
    **fields,
) -> ArbitrationRestart:
    arbitration = case.arbitration
    restart = ArbitrationRestart(
        kind=kind, effective_on=effective_on, note=note.strip() or None, recorded_by=actor, **fields
    )
    arbitration.restarts.append(restart)
    finish(
        session,
        case,
        actor,
        act,
        arbitration,
        subject=restart,
        reason=restart.note,
        after={"effective_on": effective_on.isoformat(), **(after or {})},
    )
    return restart


def add_party(
    session: Session,
    case: Case,
    actor: User,
    *,
    party: PartyInput,
    capacity: JoinCapacity | None,
    decided_on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Party:
    """追加当事人或者第三人: the award period runs again from the decision to add (Rules Art 46 (1))."""
    arbitration = case.arbitration
    begin(
        case,
        actor,
        ADD_PARTY.name,
        arbitration,
        expected_version=expected_version,
        capacity=capacity,
        party_name=party.name,
    )
    decided_on = _restart_date(arbitration, decided_on, "decided_on")
    party.name = party.name.strip()
    party.id_number = identity.normalise(party.id_number) or None
    party.credit_code = identity.normalise(party.credit_code) or None
    check_party(party, field="party_name")
    added = Party(
        position=max((p.position for p in case.parties), default=-1) + 1,
        side=SIDE_OF[capacity],
        kind=party.kind,
        name=party.name,
        sex=party.sex or None,
        birth_date=party.birth_date,
        id_number=party.id_number,
        id_tail=party.id_number[-4:] if party.id_number else None,
        credit_code=party.credit_code,
        legal_representative=(party.legal_representative or "").strip() or None,
        phone=(party.phone or "").strip() or None,
        address=(party.address or "").strip() or None,
        third_party=capacity == JoinCapacity.THIRD_PARTY,
    )
    case.parties.append(added)
    _record(
        session,
        case,
        actor,
        ADD_PARTY,
        RestartKind.ADD_PARTY,
        decided_on,
        note=note,
        party=added,
        capacity=capacity,
        after={"party": added.name, "capacity": capacity.value, "kind": added.kind.value},
    )
    return added


@dataclass
class ClaimChange:
    """One row of the claims form: an existing claim (`claim_id`) as it now reads, or a new one."""

    claim_id: int | None
    category: ClaimCategory | None
    amount: Decimal | None = None
    description: str = ""


def _claim_summary(claim: Claim | ClaimChange) -> dict:
    return {
        "category": claim.category.value,
        "amount": None if claim.amount is None else str(claim.amount),
        "description": claim.description,
    }


def change_claims(
    session: Session,
    case: Case,
    actor: User,
    *,
    changes: list[ClaimChange],
    accepted_on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> list[Claim]:
    """受理增加、变更仲裁请求: the award period runs again from accepting the change (Rules Art 46 (3)).

    Rows naming a claim change it (category, amount, description); rows without one add a claim. Claims are not
    removed here: giving up a claim is a partial withdrawal, not a change."""
    arbitration = case.arbitration
    begin(case, actor, CHANGE_CLAIMS.name, arbitration, expected_version=expected_version, changes=changes)
    accepted_on = _restart_date(arbitration, accepted_on, "accepted_on")
    claims = {c.id: c for c in case.claims}
    before, after, touched = [], [], []
    for change in changes:
        change.description = (change.description or "").strip()
        if change.amount is not None and change.amount < 0:
            raise DomainError(N_("A claimed amount cannot be negative."), field="changes")
        if change.claim_id is not None:
            claim = claims.get(change.claim_id)
            if claim is None:
                raise DomainError(N_("An item refers to a claim of another case."), field="changes")
            if change.category is None:
                raise DomainError(N_("Each claim needs a category."), field="changes")
            if (claim.category, claim.amount, claim.description) == (
                change.category,
                change.amount,
                change.description,
            ):
                continue
            before.append({"id": claim.id, **_claim_summary(claim)})
            claim.category, claim.amount, claim.description = change.category, change.amount, change.description
        else:
            if change.category is None:
                raise DomainError(N_("Each claim needs a category."), field="changes")
            claim = Claim(
                position=max((c.position for c in case.claims), default=-1) + 1,
                category=change.category,
                amount=change.amount,
                description=change.description,
            )
            case.claims.append(claim)
        touched.append(claim)
        after.append(_claim_summary(claim))
    if not touched:
        raise DomainError(N_("Nothing was added or changed."), field="changes")
    _record(
        session,
        case,
        actor,
        CHANGE_CLAIMS,
        RestartKind.CHANGE_CLAIMS,
        accepted_on,
        note=note,
        after={"claims": after, "before": before},
    )
    return touched


def counter_claim(
    session: Session,
    case: Case,
    actor: User,
    *,
    claims_text: str,
    amount: Decimal | None = None,
    accepted_on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> ArbitrationRestart:
    """反申请合并处理: the employer's claims, heard with the application; the award period runs again from
    accepting the counter-claim (Rules Art 46 (4)). The claims are recorded as stated, on the restart: the case's
    claims are the applicant's (documents and statistics read them so)."""
    arbitration = case.arbitration
    begin(case, actor, COUNTER_CLAIM.name, arbitration, expected_version=expected_version, claims_text=claims_text)
    accepted_on = _restart_date(arbitration, accepted_on, "accepted_on")
    if amount is not None and amount < 0:
        raise DomainError(N_("A claimed amount cannot be negative."), field="amount")
    return _record(
        session,
        case,
        actor,
        COUNTER_CLAIM,
        RestartKind.COUNTER_CLAIM,
        accepted_on,
        note=note,
        claims_text=claims_text.strip(),
        amount=amount,
        after={"claims": claims_text.strip(), "amount": None if amount is None else str(amount)},
    )


def transfer_in(
    session: Session,
    case: Case,
    actor: User,
    *,
    transferred_from: str,
    received_on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> ArbitrationRestart:
    """接受移送: a case transferred here by another body; the award period runs again from its receipt
    (Rules Art 46 (5))."""
    arbitration = case.arbitration
    begin(
        case, actor, TRANSFER_IN.name, arbitration, expected_version=expected_version, transferred_from=transferred_from
    )
    received_on = _restart_date(arbitration, received_on, "received_on")
    return _record(
        session,
        case,
        actor,
        TRANSFER_IN,
        RestartKind.TRANSFER_IN,
        received_on,
        note=note,
        transferred_from=transferred_from.strip(),
        after={"from": transferred_from.strip()},
    )
