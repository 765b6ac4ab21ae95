"""Awards: final or non-final per item (Law Art 47), the minimum wage they are measured against, numbering."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes.i18n import DomainError
from disputes.models import Award, ClaimCategory, MinimumWage, Role
from disputes.workflow import arbitration as arb
from disputes.workflow import awards
from disputes.workflow.awards import ItemInput, classify, minimum_wage_on
from disputes.workflow.intake import ClaimInput
from disputes.workflow.states import ArbitrationState, ClosureType, Finality
from tests.drive import Driver

C = ClaimCategory
FINAL, NON_FINAL = Finality.FINAL, Finality.NON_FINAL
SHENZHEN = Decimal("2520.00")  # seeded for 440300 from 2025-03-01
THRESHOLD = Decimal("30240.00")
CENT = Decimal("0.01")
AMOUNT_TESTED = [C.WAGES, C.OVERTIME, C.WORK_INJURY_MEDICAL, C.ECONOMIC_COMPENSATION, C.DAMAGES]
ALWAYS_FINAL = [C.WORKING_TIME_LEAVE, C.SOCIAL_INSURANCE]
NEVER_FINAL = [C.CONFIRM_EMPLOYMENT, C.CONTRACT_TERMINATION, C.WORK_INJURY_BENEFITS, C.OTHER]


# --- classification ------------------------------------------------------------------------


def test_every_category_is_covered():
    assert sorted(AMOUNT_TESTED + ALWAYS_FINAL + NEVER_FINAL) == sorted(ClaimCategory)


@pytest.mark.parametrize("category", AMOUNT_TESTED)
def test_money_claims_are_final_up_to_twelve_months_of_minimum_wage(category):
    assert SHENZHEN * 12 == THRESHOLD
    assert classify(category, THRESHOLD, SHENZHEN) == FINAL
    assert classify(category, THRESHOLD - CENT, SHENZHEN) == FINAL
    assert classify(category, THRESHOLD + CENT, SHENZHEN) == NON_FINAL
    assert classify(category, Decimal("0.00"), SHENZHEN) == FINAL
    assert classify(category, None, SHENZHEN) == FINAL


@pytest.mark.parametrize("category", ALWAYS_FINAL)
@pytest.mark.parametrize("amount", [None, Decimal("0.00"), THRESHOLD + CENT, Decimal("9999999.99")])
def test_working_time_leave_and_social_insurance_are_final_at_any_amount(category, amount):
    assert classify(category, amount, SHENZHEN) == FINAL


@pytest.mark.parametrize("category", NEVER_FINAL)
@pytest.mark.parametrize("amount", [None, Decimal("0.00"), Decimal("1.00"), THRESHOLD])
def test_other_categories_are_never_final(category, amount):
    assert classify(category, amount, SHENZHEN) == NON_FINAL


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    category=st.sampled_from(AMOUNT_TESTED),
    amount=st.decimals(min_value=0, max_value=100000, places=2),
    wage=st.decimals(min_value=1000, max_value=4000, places=2),
)
def test_amount_tested_category_is_final_iff_within_threshold(category, amount, wage):
    assert (classify(category, amount, wage) == FINAL) == (amount <= wage * 12)


# --- minimum wage on the award date ----------------------------------------------------------


def add_wage(db, code, on, amount, name="测试"):
    db.session.add(MinimumWage(region_code=code, region_name=name, effective_from=on, monthly_amount=Decimal(amount)))
    db.session.flush()


def test_minimum_wage_in_force_on_the_award_date(db, org):
    unit = org.arbitration  # the district above it is 440307; Shenzhen (440300) has the figures
    assert minimum_wage_on(db.session, unit, date(2022, 7, 1)) == Decimal("2360.00")
    assert minimum_wage_on(db.session, unit, date(2025, 2, 28)) == Decimal("2360.00")
    assert minimum_wage_on(db.session, unit, date(2025, 3, 1)) == Decimal("2520.00")
    assert minimum_wage_on(db.session, unit, date(2026, 11, 20)) == Decimal("2520.00")


def test_minimum_wage_falls_back_from_district_to_city_to_province(db, org):
    unit = org.arbitration
    add_wage(db, "440000", date(2020, 1, 1), "1900.00", "广东省")
    add_wage(db, "440307", date(2026, 1, 1), "2600.00", "龙岗区")
    assert minimum_wage_on(db.session, unit, date(2026, 1, 1)) == Decimal("2600.00")  # district
    assert minimum_wage_on(db.session, unit, date(2025, 12, 31)) == Decimal("2520.00")  # city
    assert minimum_wage_on(db.session, unit, date(2021, 1, 1)) == Decimal("1900.00")  # province
    org.district.region_code = "440402"  # a Zhuhai district: neither it nor its city is on record
    assert minimum_wage_on(db.session, unit, date(2026, 1, 1)) == Decimal("1900.00")


def test_no_minimum_wage_on_record_is_refused(db, org):
    with pytest.raises(DomainError, match="No minimum wage"):
        minimum_wage_on(db.session, org.arbitration, date(2022, 6, 30))  # before Shenzhen's first figure
    org.district.region_code = "650102"
    with pytest.raises(DomainError, match="No minimum wage"):
        minimum_wage_on(db.session, org.arbitration, date(2026, 11, 20))
    org.district.region_code = None
    with pytest.raises(DomainError, match="No minimum wage"):
        minimum_wage_on(db.session, org.arbitration, date(2026, 11, 20))


# --- recording and numbering ---------------------------------------------------------------


MIXED_CLAIMS = [
    ClaimInput(C.WAGES, Decimal("30240.00"), "拖欠工资"),
    ClaimInput(C.OVERTIME, Decimal("40000.00"), "加班费"),
    ClaimInput(C.CONFIRM_EMPLOYMENT, None, "确认劳动关系"),
]


@pytest.fixture
def heard(db, org, make_case):
    def drive(claims=None):
        case = make_case(claims=claims or MIXED_CLAIMS)
        Driver(db.session, org, case).arbitration(ArbitrationState.HEARD)
        db.session.commit()
        return case

    return drive


def items_for(case, amounts=None):
    return [
        ItemInput(claim_id=c.id, amount=(amounts or {}).get(c.category, c.amount), text=f"支持{c.description}")
        for c in case.claims
    ]


def close(db, org, case):
    arb.request_closure(db.session, case, org.user(Role.ARBITRATOR), closure_type=ClosureType.AWARD)
    arb.approve_closure(db.session, case, org.user(Role.SUPERVISOR))
    db.session.commit()


def stored_awards(db, case):
    db.session.expire_all()
    return db.session.scalars(
        sa.select(Award).where(Award.arbitration_id == case.arbitration.id).order_by(Award.id)
    ).all()


def test_mixed_award_becomes_a_final_and_a_non_final_award(db, org, heard):
    case = heard()
    recorded = awards.record_award(
        db.session, case, org.user(Role.ARBITRATOR), items=items_for(case), awarded_on=date(2026, 11, 20)
    )
    db.session.commit()
    final, non_final = stored_awards(db, case)
    assert [a.id for a in recorded] == [final.id, non_final.id]
    assert (final.finality, non_final.finality) == (FINAL, NON_FINAL)
    assert [(i.category, i.amount, i.finality) for i in final.items] == [(C.WAGES, Decimal("30240.00"), FINAL)]
    assert [(i.category, i.amount) for i in non_final.items] == [
        (C.OVERTIME, Decimal("40000.00")),
        (C.CONFIRM_EMPLOYMENT, None),
    ]
    assert {a.minimum_wage for a in (final, non_final)} == {SHENZHEN}
    assert (final.number, non_final.number) == (None, None)  # numbered when the closure is approved

    close(db, org, case)
    number = case.arbitration.number
    final, non_final = stored_awards(db, case)
    assert (final.number, non_final.number) == (f"{number}之一", f"{number}之二")
    assert case.arbitration.state == ArbitrationState.CLOSED


def test_one_cent_over_the_threshold_moves_an_item_to_the_non_final_award(db, org, heard):
    case = heard()
    awards.record_award(
        db.session,
        case,
        org.user(Role.ARBITRATOR),
        awarded_on=date(2026, 11, 20),
        items=items_for(case, {C.WAGES: THRESHOLD + CENT, C.OVERTIME: THRESHOLD - CENT}),
    )
    final, non_final = stored_awards(db, case)
    assert [i.category for i in final.items] == [C.OVERTIME]
    assert [i.category for i in non_final.items] == [C.WAGES, C.CONFIRM_EMPLOYMENT]


def test_single_award_takes_the_arbitration_number(db, org, heard):
    case = heard([ClaimInput(C.WAGES, Decimal("12000.00"), "工资"), ClaimInput(C.SOCIAL_INSURANCE, None, "社保")])
    awards.record_award(db.session, case, org.user(Role.ARBITRATOR), items=items_for(case))
    close(db, org, case)
    (award,) = stored_awards(db, case)
    assert award.finality == FINAL and len(award.items) == 2
    assert award.number == case.arbitration.number


def test_partial_award_is_numbered_at_once_and_the_closing_award_after_it(db, org, heard):
    case = heard()
    wages = next(c for c in case.claims if c.category == C.WAGES)
    awards.partial_award(
        db.session,
        case,
        org.user(Role.ARBITRATOR),
        items=[ItemInput(claim_id=wages.id, amount=Decimal("10000.00"), text="先行支付工资")],
    )
    db.session.commit()
    number = case.arbitration.number
    (partial,) = stored_awards(db, case)
    assert partial.partial and partial.finality == FINAL and partial.number == f"{number}之一"

    rest = [i for i in items_for(case) if i.claim_id != wages.id]
    awards.record_award(db.session, case, org.user(Role.ARBITRATOR), items=rest)
    close(db, org, case)
    partial, closing = stored_awards(db, case)
    assert (partial.number, closing.number) == (f"{number}之一", f"{number}之二")
    assert closing.finality == NON_FINAL and not closing.partial


def test_rejected_closure_removes_the_unnumbered_award(db, org, heard):
    case = heard()
    wages = next(c for c in case.claims if c.category == C.WAGES)
    awards.partial_award(
        db.session,
        case,
        org.user(Role.ARBITRATOR),
        items=[ItemInput(claim_id=wages.id, amount=Decimal("10000.00"), text="先行支付工资")],
    )
    awards.record_award(db.session, case, org.user(Role.ARBITRATOR), items=items_for(case))
    arb.request_closure(db.session, case, org.user(Role.ARBITRATOR), closure_type=ClosureType.AWARD)
    db.session.commit()
    assert len(stored_awards(db, case)) == 3
    assert case.arbitration.state == ArbitrationState.CLOSING

    arb.reject_closure(db.session, case, org.user(Role.SUPERVISOR), note="裁决理由不充分")
    db.session.commit()
    (kept,) = stored_awards(db, case)
    assert kept.partial and kept.number == f"{case.arbitration.number}之一"
    assert case.arbitration.state == ArbitrationState.HEARD
    assert case.arbitration.closure_type is None

    # The award can be recorded again and closes normally.
    awards.record_award(db.session, case, org.user(Role.ARBITRATOR), items=items_for(case))
    close(db, org, case)
    assert [a.number for a in stored_awards(db, case)] == [f"{case.arbitration.number}之{n}" for n in "一二三"]


def test_award_without_a_minimum_wage_on_record_is_refused(db, org, heard):
    case = heard()
    org.district.region_code = "650102"
    with pytest.raises(DomainError, match="No minimum wage"):
        awards.record_award(db.session, case, org.user(Role.ARBITRATOR), items=items_for(case))
    db.session.rollback()
    assert stored_awards(db, case) == []
