"""Reference data the admin keeps: minimum wages by region and date, and arbitration hearing rooms.

These are not case events: nothing here writes to a case timeline. Awards store the minimum wage
they were measured against, so changing or deleting a figure never changes an award already made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock
from disputes.i18n import N_, DomainError
from disputes.models import Arbitration, Award, ClaimCategory, FinalityRule, HearingRoom, MinimumWage, Unit, UnitKind
from disputes.workflow import finality
from disputes.workflow.awards import region_candidates, region_of

REGION_CODE = re.compile(r"^\d{6}$")
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("99999.99")


@dataclass
class WageInput:
    region_code: str
    region_name: str
    effective_from: date | None
    monthly_amount: Decimal | None


def _checked(session: Session, data: WageInput, row_id: int | None = None) -> WageInput:
    code, name = (data.region_code or "").strip(), (data.region_name or "").strip()
    if not REGION_CODE.match(code):
        raise DomainError(N_("A region code is six digits (GB/T 2260), for example 440307."), field="region_code")
    if not name or len(name) > 60:
        raise DomainError(N_("Give the region's name (at most 60 characters)."), field="region_name")
    if data.effective_from is None:
        raise DomainError(N_("Give the date the figure applies from."), field="effective_from")
    amount = data.monthly_amount
    try:
        exact = amount is not None and amount == amount.quantize(CENT)
    except InvalidOperation:
        exact = False
    if amount is None or not amount.is_finite() or not 0 < amount <= MAX_AMOUNT or not exact:
        raise DomainError(
            N_("The monthly amount is a sum in yuan from 0.01 to 99,999.99 with at most two decimals."),
            field="monthly_amount",
        )
    clash = session.scalar(
        sa.select(MinimumWage.id).where(
            MinimumWage.region_code == code,
            MinimumWage.effective_from == data.effective_from,
            *([MinimumWage.id != row_id] if row_id is not None else []),
        )
    )
    if clash is not None:
        raise DomainError(
            N_("Region %(code)s already has a minimum wage from %(date)s."),
            field="effective_from",
            code=code,
            date=data.effective_from,
        )
    return WageInput(code, name, data.effective_from, amount.quantize(CENT))


def add_minimum_wage(session: Session, data: WageInput) -> MinimumWage:
    data = _checked(session, data)
    row = MinimumWage(
        region_code=data.region_code,
        region_name=data.region_name,
        effective_from=data.effective_from,
        monthly_amount=data.monthly_amount,
    )
    session.add(row)
    session.flush()
    return row


def update_minimum_wage(session: Session, row: MinimumWage, data: WageInput) -> MinimumWage:
    data = _checked(session, data, row_id=row.id)
    row.region_code, row.region_name = data.region_code, data.region_name
    row.effective_from, row.monthly_amount = data.effective_from, data.monthly_amount
    session.flush()
    return row


def delete_minimum_wage(session: Session, row: MinimumWage) -> None:
    """Allowed even when awards used the figure: each award keeps the amount it was measured against."""
    session.delete(row)
    session.flush()


def in_force(rows: list[MinimumWage], on: date | None = None) -> MinimumWage | None:
    """Of one region's figures, the one in force on `on` (today by default)."""
    on = on or clock.today_local()
    started = [r for r in rows if r.effective_from <= on]
    return max(started, key=lambda r: r.effective_from) if started else None


def by_region(session: Session) -> list[tuple[str, str, list[MinimumWage], MinimumWage | None]]:
    """Every region's figures, newest first: (code, name, rows, the row in force today)."""
    rows = session.scalars(
        sa.select(MinimumWage).order_by(MinimumWage.region_code, MinimumWage.effective_from.desc())
    ).all()
    grouped: dict[str, list[MinimumWage]] = {}
    for row in rows:
        grouped.setdefault(row.region_code, []).append(row)
    return [(code, group[0].region_name, group, in_force(group)) for code, group in grouped.items()]


def awards_using(session: Session, row: MinimumWage) -> int:
    """How many awards appear to have been measured against this figure.

    An award stores the amount, not the row: count awards made while the figure was in force,
    with that amount, by a commission whose region falls back to this region code.
    """
    later = session.scalar(
        sa.select(sa.func.min(MinimumWage.effective_from)).where(
            MinimumWage.region_code == row.region_code, MinimumWage.effective_from > row.effective_from
        )
    )
    query = (
        sa.select(Award)
        .join(Arbitration)
        .where(Award.awarded_on >= row.effective_from, Award.minimum_wage == row.monthly_amount)
    )
    if later is not None:
        query = query.where(Award.awarded_on < later)
    count = 0
    for award in session.scalars(query):
        region = region_of(award.arbitration.unit)
        if region and row.region_code in region_candidates(region):
            count += 1
    return count


def _room_checked(session: Session, unit: Unit | None, name: str, room_id: int | None = None) -> str:
    name = (name or "").strip()
    if unit is None or unit.kind != UnitKind.ARBITRATION_COMMISSION:
        raise DomainError(N_("Hearing rooms belong to an arbitration commission."), field="unit_id")
    if not name:
        raise DomainError(N_("Give the room's name."), field="name")
    clash = session.scalar(
        sa.select(HearingRoom.id).where(
            HearingRoom.unit_id == unit.id,
            HearingRoom.name == name,
            *([HearingRoom.id != room_id] if room_id is not None else []),
        )
    )
    if clash is not None:
        raise DomainError(
            N_("%(unit)s already has a hearing room called %(name)s."), field="name", unit=unit.name, name=name
        )
    return name


def add_hearing_room(session: Session, unit: Unit | None, name: str, active: bool = True) -> HearingRoom:
    room = HearingRoom(unit=unit, name=_room_checked(session, unit, name), active=active)
    session.add(room)
    session.flush()
    return room


def update_hearing_room(session: Session, room: HearingRoom, name: str, active: bool) -> HearingRoom:
    """Rename or (de)activate a room. Rooms are never deleted nor moved: hearings refer to them."""
    room.name = _room_checked(session, room.unit, name, room_id=room.id)
    room.active = active
    session.flush()
    return room


# --- finality rules (Law Art 47 read per region) -----------------------------------------


@dataclass
class FinalityRuleInput:
    region_code: str
    region_name: str
    category: ClaimCategory | None
    rule: str | None
    effective_from: date | None
    source: str


def _checked_rule(session: Session, data: FinalityRuleInput, row_id: int | None = None) -> FinalityRuleInput:
    code, name, source = (data.region_code or "").strip(), (data.region_name or "").strip(), (data.source or "").strip()
    if not REGION_CODE.match(code):
        raise DomainError(N_("A region code is six digits (GB/T 2260), for example 440307."), field="region_code")
    if not name or len(name) > 60:
        raise DomainError(N_("Give the region's name (at most 60 characters)."), field="region_name")
    if data.category is None:
        raise DomainError(N_("Choose the claim category."), field="category")
    if data.rule not in finality.RULES:
        raise DomainError(N_("Choose how the category is read."), field="rule")
    if data.effective_from is None:
        raise DomainError(N_("Give the date the rule applies from."), field="effective_from")
    if not source or len(source) > 500:
        raise DomainError(
            N_("Give the rule's source (the article or notice it rests on, at most 500 characters)."), field="source"
        )
    clash = session.scalar(
        sa.select(FinalityRule.id).where(
            FinalityRule.region_code == code,
            FinalityRule.category == data.category,
            FinalityRule.effective_from == data.effective_from,
            *([FinalityRule.id != row_id] if row_id is not None else []),
        )
    )
    if clash is not None:
        raise DomainError(
            N_("Region %(code)s already has a rule for this category from %(date)s."),
            field="effective_from",
            code=code,
            date=data.effective_from,
        )
    return FinalityRuleInput(code, name, data.category, data.rule, data.effective_from, source)


def save_finality_rule(session: Session, row: FinalityRule | None, data: FinalityRuleInput) -> FinalityRule:
    """Add (row None) or change a rule. Awards keep the finality they were given: a change applies to awards
    recorded from now on."""
    data = _checked_rule(session, data, row_id=row.id if row is not None else None)
    if row is None:
        row = FinalityRule()
        session.add(row)
    row.region_code, row.region_name, row.category = data.region_code, data.region_name, data.category
    row.rule, row.effective_from, row.source = data.rule, data.effective_from, data.source
    session.flush()
    return row


def finality_rules(session: Session) -> list[FinalityRule]:
    return list(
        session.scalars(
            sa.select(FinalityRule).order_by(
                FinalityRule.region_code, FinalityRule.category, FinalityRule.effective_from.desc()
            )
        )
    )
