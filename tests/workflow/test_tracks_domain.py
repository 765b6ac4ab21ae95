"""How the tracks fit together: opening one track after another, and the case's derived stage and status."""

import pytest

from disputes.i18n import DomainError
from disputes.models import Role
from disputes.workflow import arbitration as arb
from disputes.workflow import litigation, mediation
from disputes.workflow.actions import ACTIONS, refusal
from disputes.workflow.states import (
    ArbitrationState,
    CaseStage,
    CaseStatus,
    ClosureType,
    LawsuitState,
    LegalAidState,
    Litigant,
    MediationState,
)
from tests.drive import Driver


def test_stage_follows_the_most_advanced_open_track(db, org, make_case):
    case = make_case()
    driver = Driver(db.session, org, case)
    assert (case.stage, case.status) == (CaseStage.INTAKE, CaseStatus.OPEN)
    driver.mediation(MediationState.IN_SESSION)
    assert (case.stage, case.status) == (CaseStage.MEDIATION, CaseStatus.OPEN)
    mediation.fail_mediation(db.session, case, org.user(Role.MEDIATOR), reason="分歧较大")
    assert (case.stage, case.status) == (CaseStage.MEDIATION, CaseStatus.CLOSED)
    driver.arbitration(ArbitrationState.SERVED)
    assert (case.stage, case.status, case.closed_on) == (CaseStage.ARBITRATION, CaseStatus.OPEN, None)


def test_legal_aid_keeps_a_case_open(db, org, make_case):
    case = make_case()
    driver = Driver(db.session, org, case)
    driver.arbitration(ArbitrationState.REFUSED)
    assert case.status == CaseStatus.CLOSED
    driver.legal_aid(LegalAidState.ASSIGNED)
    assert case.status == CaseStatus.OPEN


def test_an_award_keeps_the_case_open_until_it_takes_effect_or_is_taken_to_court(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSED)
    assert (case.stage, case.status) == (CaseStage.ARBITRATION, CaseStatus.OPEN)
    Driver(db.session, org, case).lawsuit(LawsuitState.CLOSED)
    assert (case.stage, case.status) == (CaseStage.LITIGATION, CaseStatus.CLOSED)


def test_no_mediation_once_the_commission_has_accepted_the_case(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSED, ClosureType.WITHDRAWN)
    error = refusal(case, org.user(Role.CLERK), ACTIONS["mediation.open"], case.mediation)
    assert error.message == "The arbitration commission has dealt with this case; it is past mediation."


def test_mediation_may_follow_a_refusal_to_accept(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.REFUSED)
    assert refusal(case, org.user(Role.CLERK), ACTIONS["mediation.open"], case.mediation) is None


@pytest.mark.parametrize(
    ("closure", "allowed"),
    [
        (ClosureType.AWARD, True),
        (ClosureType.TERMINATED, True),
        (ClosureType.MEDIATION_STATEMENT, False),
        (ClosureType.WITHDRAWN, False),
        (ClosureType.TRANSFERRED, False),
    ],
)
def test_court_only_after_an_award_a_termination_or_a_refusal(db, org, make_case, closure, allowed):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSED, closure)
    error = refusal(case, org.user(Role.COURT_LIAISON), ACTIONS["litigation.file"], None)
    assert (error is None) == allowed
    if not allowed:
        assert error.message.startswith("The arbitration ended without an award or a refusal")


def test_one_application_to_revoke_per_final_award(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).lawsuit(LawsuitState.REVOCATION_APPLIED)
    liaison = org.user(Role.COURT_LIAISON)
    error = refusal(case, liaison, ACTIONS["litigation.apply_revocation"], None)
    assert error.message == "An application to revoke this award is already recorded."
    with pytest.raises(DomainError):
        litigation.apply_revocation(
            db.session, case, liaison, court="深圳市中级人民法院", filed_on=case.arbitration.closed_on
        )


def test_a_room_of_another_commission_is_refused(db, org, make_case):
    from datetime import timedelta

    from disputes import clock, organisation, reference
    from disputes.models import UnitKind
    from disputes.workflow import hearings

    other = organisation.add_unit(db.session, "BJA", "布吉仲裁庭", UnitKind.ARBITRATION_COMMISSION, org.street)
    room = reference.add_hearing_room(db.session, other, "布吉第一庭")
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    starts = clock.now_utc() + timedelta(days=3)
    with pytest.raises(DomainError) as refused:
        hearings.schedule_hearing(
            db.session,
            case,
            org.user(Role.CLERK),
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            room_id=room.id,
        )
    assert refused.value.field == "room_id"


def test_rejecting_a_closure_puts_the_claims_back(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSING)
    assert case.claims[0].resolved_amount is not None
    arb.reject_closure(db.session, case, org.user(Role.SUPERVISOR), note="裁决理由不充分")
    assert case.claims[0].resolved_amount is None and case.arbitration.state == ArbitrationState.HEARD


def test_an_employer_lawsuit_needs_a_non_final_award(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSED)
    (award,) = case.arbitration.awards
    with pytest.raises(DomainError) as refused:
        litigation.file_lawsuit(
            db.session,
            case,
            org.user(Role.CLERK),
            plaintiff=Litigant.EMPLOYER,
            court="深圳市龙岗区人民法院",
            filed_on=case.arbitration.closed_on,
            award_id=award.id,
        )
    assert refused.value.field == "plaintiff"


def test_the_tribunal_notice_is_recorded_once(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    clerk = org.user(Role.CLERK)
    arb.notify_tribunal(db.session, case, clerk, served_on=case.arbitration.tribunal_formed_on)
    error = refusal(case, clerk, ACTIONS["arbitration.tribunal_notice"], case.arbitration)
    assert error.message == "The tribunal notice was served on %(date)s."


def test_a_confirmation_request_is_listed_once(db, org, make_case):
    from disputes.workflow.states import ConfirmationKind

    driver = Driver(db.session, org, make_case())
    driver.mediation(MediationState.AGREEMENT)
    request = mediation.request_confirmation(
        db.session,
        driver.case,
        driver.user(Role.MEDIATOR),
        kind=ConfirmationKind.ARBITRAL_REVIEW,
        applied_on=driver.today(),
    )
    assert driver.case.mediation.confirmations == [request]


def test_a_payment_schedule_must_pay_the_agreed_amount():
    """People's Mediation Law Art 29(3): the agreement states how and when it is performed; the two agree."""
    from datetime import date
    from decimal import Decimal as D

    from disputes.workflow.mediation import InstalmentInput, TermInput, check_schedule

    terms = [TermInput("工资", D("7000.00")), TermInput("经济补偿", D("3000.50")), TermInput("出具离职证明")]
    day = date(2026, 12, 1)
    check_schedule(terms, [])  # paid at once
    check_schedule(terms, [InstalmentInput(day, D("5000.25")), InstalmentInput(day, D("5000.25"))])
    with pytest.raises(DomainError) as refused:
        check_schedule(terms, [InstalmentInput(day, D("5000.25")), InstalmentInput(day, D("5000.24"))])
    assert refused.value.field == "instalments"
    assert refused.value.params == {"scheduled": "10,000.49", "agreed": "10,000.50"}
