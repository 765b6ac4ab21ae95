"""Reference data operations: minimum wages and hearing rooms (no Flask, no case timeline)."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from disputes import reference
from disputes.i18n import DomainError
from disputes.models import HearingRoom, MinimumWage, TimelineEntry
from disputes.workflow.awards import minimum_wage_on

W = reference.WageInput


def wages(db, code):
    return db.session.scalars(
        sa.select(MinimumWage).where(MinimumWage.region_code == code).order_by(MinimumWage.effective_from)
    ).all()


def events(db):
    return db.session.scalar(sa.select(sa.func.count()).select_from(TimelineEntry))


def test_add_minimum_wage_is_used_from_its_date(db, org, make_case):
    make_case()  # a case with a timeline, to show the wage writes nothing to it
    before = events(db)
    row = reference.add_minimum_wage(db.session, W(" 440307 ", " 龙岗区 ", date(2026, 12, 1), Decimal(2600)))
    assert (row.region_code, row.region_name, row.monthly_amount) == ("440307", "龙岗区", Decimal("2600.00"))
    assert minimum_wage_on(db.session, org.arbitration, date(2026, 11, 30)) == Decimal("2520.00")  # Shenzhen
    assert minimum_wage_on(db.session, org.arbitration, date(2026, 12, 1)) == Decimal("2600.00")
    assert events(db) == before


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"region_code": "44030"}, "region_code"),
        ({"region_code": "44030A"}, "region_code"),
        ({"region_code": "4403070"}, "region_code"),
        ({"region_name": "  "}, "region_name"),
        ({"effective_from": None}, "effective_from"),
        ({"monthly_amount": None}, "monthly_amount"),
        ({"monthly_amount": Decimal(0)}, "monthly_amount"),
        ({"monthly_amount": Decimal("-1.00")}, "monthly_amount"),
        ({"monthly_amount": Decimal("2520.005")}, "monthly_amount"),
        ({"monthly_amount": Decimal("NaN")}, "monthly_amount"),
        ({"monthly_amount": Decimal("Infinity")}, "monthly_amount"),
        ({"monthly_amount": Decimal("100000.00")}, "monthly_amount"),
        ({"region_name": "区" * 61}, "region_name"),
        ({"effective_from": date(2025, 3, 1)}, "effective_from"),  # Shenzhen already has that date
    ],
)
def test_add_minimum_wage_refusals(db, changes, field):
    data = {
        "region_code": "440300",
        "region_name": "深圳市",
        "effective_from": date(2027, 1, 1),
        "monthly_amount": Decimal("2700.00"),
    } | changes
    count = db.session.scalar(sa.select(sa.func.count()).select_from(MinimumWage))
    with pytest.raises(DomainError) as refused:
        reference.add_minimum_wage(db.session, W(**data))
    assert refused.value.field == field
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MinimumWage)) == count


def test_update_minimum_wage_keeps_its_own_date_but_not_another(db):
    old, new = wages(db, "440300")
    reference.update_minimum_wage(db.session, new, W("440300", "深圳市", date(2025, 3, 1), Decimal("2530.1")))
    assert new.monthly_amount == Decimal("2530.10")
    with pytest.raises(DomainError, match="already has a minimum wage") as refused:
        reference.update_minimum_wage(db.session, new, W("440300", "深圳市", old.effective_from, Decimal(2530)))
    assert refused.value.field == "effective_from"
    assert new.effective_from == date(2025, 3, 1)


def test_delete_minimum_wage_falls_back_to_the_earlier_figure(db, org):
    _, new = wages(db, "440300")
    reference.delete_minimum_wage(db.session, new)
    assert minimum_wage_on(db.session, org.arbitration, date(2026, 11, 20)) == Decimal("2360.00")


def test_by_region_marks_the_figure_in_force_today(db):
    reference.add_minimum_wage(db.session, W("440300", "深圳市", date(2027, 1, 1), Decimal(2700)))
    regions = {code: (name, rows, current) for code, name, rows, current in reference.by_region(db.session)}
    name, rows, current = regions["440300"]
    assert name == "深圳市"
    assert [r.effective_from for r in rows] == [date(2027, 1, 1), date(2025, 3, 1), date(2022, 7, 1)]
    assert current.effective_from == date(2025, 3, 1)
    assert {"440100", "110000", "310000"} <= set(regions)
    assert reference.in_force(rows, date(2022, 6, 30)) is None


def test_hearing_rooms(db, org, make_case):
    make_case()
    before = events(db)
    room = reference.add_hearing_room(db.session, org.arbitration, " 第一仲裁庭 ")
    assert (room.unit, room.name, room.active) == (org.arbitration, "第一仲裁庭", True)
    with pytest.raises(DomainError) as refused:
        reference.add_hearing_room(db.session, org.arbitration, "第一仲裁庭")
    assert refused.value.field == "name"
    for unit in (org.centre, org.mediation, None):
        with pytest.raises(DomainError) as refused:
            reference.add_hearing_room(db.session, unit, "第二仲裁庭")
        assert refused.value.field == "unit_id"
    with pytest.raises(DomainError):
        reference.add_hearing_room(db.session, org.arbitration, " ")
    second = reference.add_hearing_room(db.session, org.arbitration, "第二仲裁庭", active=False)
    with pytest.raises(DomainError) as refused:
        reference.update_hearing_room(db.session, second, "第一仲裁庭", True)
    assert refused.value.field == "name"
    reference.update_hearing_room(db.session, room, "第一仲裁庭", False)  # its own name is no clash
    reference.update_hearing_room(db.session, second, "大仲裁庭", True)
    db.session.commit()
    rooms = db.session.scalars(sa.select(HearingRoom).order_by(HearingRoom.id)).all()
    assert [(r.name, r.active) for r in rooms] == [("第一仲裁庭", False), ("大仲裁庭", True)]
    assert events(db) == before
