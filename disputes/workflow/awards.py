"""Awards: items classified final or non-final (Law Art 47, Interp-I Art 19) against the regional minimum wage.

An item is final when its category is one of the money claims of Art 47(1) and its awarded
amount is at most 12 months of the minimum wage in force on the award date, or when it is a
dispute under national standards on working time, leave or social insurance (Art 47(2)).
Anything else is non-final. A mixed award becomes two awards, one of each kind.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock
from disputes.i18n import N_, DomainError
from disputes.models import Arbitration, Award, AwardItem, Case, ClaimCategory, MinimumWage, Role, Unit, User
from disputes.workflow.actions import action, begin, finish
from disputes.workflow.arbitration import not_suspended, number_awards
from disputes.workflow.progress import awaiting_effect
from disputes.workflow.states import ArbitrationState, ClosureType, Finality, Track

S = ArbitrationState
R = Role
THRESHOLD_MONTHS = 12
# Overtime pay is 劳动报酬 (Labour Law Art 44), so it is tested by amount like wages (docs/decisions.md).
AMOUNT_TESTED = frozenset({
    ClaimCategory.WAGES, ClaimCategory.OVERTIME, ClaimCategory.WORK_INJURY_MEDICAL,
    ClaimCategory.ECONOMIC_COMPENSATION, ClaimCategory.DAMAGES,
})
ALWAYS_FINAL = frozenset({ClaimCategory.WORKING_TIME_LEAVE, ClaimCategory.SOCIAL_INSURANCE})
WORKER_SUE_DAYS = 15  # Law Art 48, 50
EMPLOYER_REVOKE_DAYS = 30  # Law Art 49


def classify(category: ClaimCategory, amount: Decimal | None, minimum_wage: Decimal) -> Finality:
    if category in ALWAYS_FINAL:
        return Finality.FINAL
    if category in AMOUNT_TESTED and (amount or Decimal(0)) <= minimum_wage * THRESHOLD_MONTHS:
        return Finality.FINAL
    return Finality.NON_FINAL


def region_of(unit: Unit) -> str | None:
    return next((u.region_code for u in [unit, *unit.ancestors()] if u.region_code), None)


def region_candidates(code: str) -> list[str]:
    """A GB/T 2260 code and the codes of its city and province: 440307 → 440307, 440300, 440000."""
    return list(dict.fromkeys([code, code[:4] + "00", code[:2] + "0000"])) if len(code) == 6 else [code]


def minimum_wage_on(session: Session, unit: Unit, on: date) -> Decimal:
    """The monthly minimum wage in force on `on` for the unit's region, or its city's, or its province's."""
    region = region_of(unit)
    amount = None
    for code in region_candidates(region) if region else []:
        amount = session.scalar(
            sa.select(MinimumWage.monthly_amount)
            .where(MinimumWage.region_code == code, MinimumWage.effective_from <= on)
            .order_by(MinimumWage.effective_from.desc())
            .limit(1)
        )
        if amount is not None:
            break
    if amount is None:
        raise DomainError(
            N_("No minimum wage is on record for this unit's region on %(date)s; an administrator must add it."),
            date=on,
        )
    return amount


def _no_award_yet(case: Case, row: Arbitration) -> DomainError | None:
    if any(not a.partial for a in row.awards):
        return DomainError(N_("The award has already been recorded."))
    return None


def _award_to_serve(case: Case, row: Arbitration) -> DomainError | None:
    if row.closure_type != ClosureType.AWARD:
        return DomainError(N_("The case was not closed with an award."))
    if all(a.served_on for a in row.awards):
        return DomainError(N_("The award has been served."))
    return None


def _award_served(row: Arbitration, _subject) -> date | None:
    return max((a.served_on for a in row.awards if a.served_on), default=None)


RECORD_AWARD = action("arbitration.record_award", Track.ARBITRATION, {S.HEARD}, None, (R.SUPERVISOR,),
                      assigned=(R.ARBITRATOR,), guards=(not_suspended, _no_award_yet), required=("items",),
                      label=N_("Record the award"))
PARTIAL_AWARD = action("arbitration.partial_award", Track.ARBITRATION, {S.HEARD}, None, (R.SUPERVISOR,),
                       assigned=(R.ARBITRATOR,), guards=(not_suspended, _no_award_yet), required=("items",),
                       label=N_("Make a partial award"))
SERVE_AWARD = action("arbitration.serve_award", Track.ARBITRATION, {S.CLOSED}, None, (R.CLERK, R.SUPERVISOR),
                     assigned=(R.ARBITRATOR,), guards=(_award_to_serve,), required=("served_on",),
                     dated_by=_award_served, label=N_("Record the award served on the parties"))


@dataclass
class ItemInput:
    claim_id: int | None
    amount: Decimal | None
    text: str
    category: ClaimCategory | None = None


def _build_awards(session: Session, case: Case, actor: User, items: list[ItemInput], awarded_on: date,
                  reasons: str, partial: bool) -> list[Award]:
    arbitration = case.arbitration
    if awarded_on > clock.today_local() or awarded_on < arbitration.accepted_on:
        raise DomainError(N_("The award date lies between acceptance and today."), field="awarded_on")
    wage = minimum_wage_on(session, arbitration.unit, awarded_on)
    claims = {c.id: c for c in case.claims}
    grouped: dict[Finality, list[AwardItem]] = {}
    for position, item in enumerate(items):
        claim = claims.get(item.claim_id) if item.claim_id is not None else None
        if item.claim_id is not None and claim is None:
            raise DomainError(N_("An item refers to a claim of another case."), field="items")
        category = claim.category if claim else item.category
        if category is None:
            raise DomainError(N_("Each item needs its claim or a category."), field="items")
        if item.amount is not None and item.amount < 0:
            raise DomainError(N_("Amounts cannot be negative."), field="items")
        finality = classify(category, item.amount, wage)
        grouped.setdefault(finality, []).append(AwardItem(
            position=position, claim=claim, category=category, amount=item.amount, text=item.text.strip(),
            finality=finality,
        ))
        if claim is not None and item.amount is not None and not partial:
            claim.resolved_amount = item.amount
    awards = [
        Award(finality=finality, awarded_on=awarded_on, partial=partial, minimum_wage=wage, reasons=reasons.strip(),
              issued_by=actor, items=grouped[finality])
        for finality in (Finality.FINAL, Finality.NON_FINAL) if finality in grouped
    ]
    arbitration.awards.extend(awards)
    return awards


def record_award(session: Session, case: Case, actor: User, *, items: list[ItemInput], awarded_on: date | None = None,
                 reasons: str = "", expected_version: int | None = None) -> list[Award]:
    """The closing award, classified item by item; numbered when the supervisor approves the closure."""
    arbitration = case.arbitration
    begin(case, actor, RECORD_AWARD.name, arbitration, expected_version=expected_version, items=items)
    awards = _build_awards(session, case, actor, items, awarded_on or clock.today_local(), reasons, partial=False)
    finish(session, case, actor, RECORD_AWARD, arbitration, after=_summary(awards))
    return awards


def partial_award(session: Session, case: Case, actor: User, *, items: list[ItemInput],
                  awarded_on: date | None = None, reasons: str = "", expected_version: int | None = None) -> list[Award]:
    """先行裁决 (Law Art 43): part of the claims decided now; numbered at once."""
    arbitration = case.arbitration
    begin(case, actor, PARTIAL_AWARD.name, arbitration, expected_version=expected_version, items=items)
    awards = _build_awards(session, case, actor, items, awarded_on or clock.today_local(), reasons, partial=True)
    number_awards(arbitration)
    finish(session, case, actor, PARTIAL_AWARD, arbitration, after=_summary(awards))
    return awards


def _summary(awards: list[Award]) -> dict:
    return {a.finality.value: str(a.total) for a in awards} | {"numbers": [a.number for a in awards if a.number]}


def serve_award(session, case, actor, *, served_on: date | None, expected_version=None) -> Arbitration:
    arbitration = case.arbitration
    begin(case, actor, SERVE_AWARD.name, arbitration, expected_version=expected_version, served_on=served_on)
    if served_on > clock.today_local() or served_on < arbitration.closed_on:
        raise DomainError(N_("The award is served between its closure and today."), field="served_on")
    for award in arbitration.awards:
        award.served_on = award.served_on or served_on
    finish(session, case, actor, SERVE_AWARD, arbitration, after={"served_on": served_on.isoformat()})
    return arbitration


def right_to_sue_ends(arbitration: Arbitration) -> date | None:
    """The last day anyone may still sue or apply to revoke, counted from service; None until served."""
    closing = [a for a in arbitration.awards if not a.partial]
    if not closing or any(a.served_on is None for a in closing):
        return None
    served = max(a.served_on for a in closing)
    days = EMPLOYER_REVOKE_DAYS if any(a.finality == Finality.FINAL for a in closing) else WORKER_SUE_DAYS
    return served + timedelta(days=days)


def make_awards_effective(session: Session, today: date | None = None) -> list[Case]:
    """Mark awards effective whose right-to-sue period has passed with no lawsuit (idempotent; run daily)."""
    today = today or clock.today_local()
    candidates = session.scalars(
        sa.select(Arbitration).where(
            Arbitration.state == S.CLOSED, Arbitration.closure_type == ClosureType.AWARD,
            Arbitration.award_effective_on.is_(None),
        )
    ).all()
    changed = []
    for arbitration in candidates:
        case = arbitration.case
        ends = right_to_sue_ends(arbitration)
        if ends is None or ends >= today or not awaiting_effect(case):
            continue
        arbitration.award_effective_on = ends + timedelta(days=1)
        finish(session, case, None, AWARD_EFFECTIVE, arbitration, on=arbitration.award_effective_on,
               after={"effective_on": arbitration.award_effective_on.isoformat()})
        changed.append(case)
    return changed


AWARD_EFFECTIVE = action("arbitration.award_effective", Track.ARBITRATION, {S.CLOSED}, None, (),
                         label=N_("Award took effect (no lawsuit in time)"))
