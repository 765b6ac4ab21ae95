"""Transfers between levels and bodies (移送): requested with a reason, returned with one or accepted by the receiving
unit; the case keeps its number, history and timers, and an accepted arbitration's award period restarts from the
day of receipt (Rules Art 46 (5)). A court's delegated mediation comes in and its result goes back."""

from datetime import date

import pytest

from disputes import organisation
from disputes.i18n import DomainError
from disputes.models import (
    ArbitrationRestart,
    CaseTransfer,
    DelegationKind,
    DelegationResult,
    Role,
    Route,
    TransferStatus,
    UnitKind,
)
from disputes.sla.states import OPEN_STATUSES, TimerStatus
from disputes.workflow import mediation, routing, transfers
from disputes.workflow.states import ArbitrationState, MediationState, RestartKind
from tests.conftest import PASSWORD
from tests.drive import Driver
from tests.sla.test_timers import at, timer


@pytest.fixture
def city(db, org):
    """A city commission, a tree of its own, with its supervisor and an arbitrator."""
    unit = organisation.add_unit(db.session, "SZA", "深圳市劳动人事争议仲裁委员会", UnitKind.ARBITRATION_COMMISSION)
    boss = organisation.add_user(db.session, "city-boss", "邓志军", [Role.SUPERVISOR], unit, PASSWORD)
    judge = organisation.add_user(db.session, "city-arb", "郑雅文", [Role.ARBITRATOR], unit, PASSWORD)
    db.session.commit()
    return unit, boss, judge


@pytest.fixture
def street_mediator(db, org):
    person = organisation.add_user(db.session, "bj-m", "郭丽娟", [Role.MEDIATOR], org.street_mediation, PASSWORD)
    db.session.commit()
    return person


def _mediating(db, org, make_case):
    case = make_case()
    routing.route_case(db.session, case, org.user(Role.CLERK), Route.MEDIATION, org.mediation.id)
    db.session.commit()
    return case


def test_a_mediation_goes_out_is_returned_then_accepted_keeping_its_number(db, org, make_case, street_mediator):
    case = _mediating(db, org, make_case)
    number, sup = case.mediation.number, org.user(Role.SUPERVISOR)
    transfer = transfers.request(db.session, case, sup, "mediation", org.street_mediation, "当事人均在布吉街道")
    db.session.commit()
    assert transfers.queue(db.session, street_mediator) == [transfer]
    assert transfers.queue(db.session, org.user(Role.MEDIATOR)) == []  # the district committee's mediator
    with pytest.raises(DomainError, match="already waiting"):
        transfers.request(db.session, case, sup, "mediation", org.street_mediation, "再次")
    db.session.rollback()
    with pytest.raises(DomainError, match="Say why"):
        transfers.return_transfer(db.session, transfer, street_mediator, " ")
    transfers.return_transfer(db.session, transfer, street_mediator, "被申请人注册地在坂田")
    db.session.commit()
    assert transfer.status == TransferStatus.RETURNED and case.mediation.unit == org.mediation
    assert transfers.queue(db.session, street_mediator) == []
    with pytest.raises(DomainError, match="already been answered"):
        transfers.accept(db.session, transfer, street_mediator)
    again = transfers.request(db.session, case, sup, "mediation", org.street_mediation, "经核实用工地在布吉")
    given = transfers.accept(db.session, again, street_mediator)
    db.session.commit()
    assert again.status == TransferStatus.ACCEPTED and again.received_on == date(2026, 11, 20)
    assert case.mediation.unit == org.street_mediation and case.mediation.number == number
    assert given is not None and given.user == street_mediator and case.mediation.mediator == street_mediator
    assert given.reason == "经核实用工地在布吉"
    assert not any(a.active and a.user == org.user(Role.MEDIATOR) for a in case.assignments)
    for t in case.timers:
        if t.status in OPEN_STATUSES and t.rule_id.startswith("mediation."):
            assert t.unit_id == org.street_mediation.id and t.responsible_id == street_mediator.id
    kinds = [e.kind for e in case.timeline]
    assert kinds.count("transfer.requested") == 2 and "transfer.returned" in kinds and "transfer.accepted" in kinds
    returned = next(e for e in case.timeline if e.kind == "transfer.returned")
    assert returned.reason == "被申请人注册地在坂田" and returned.actor_id == street_mediator.id


def test_only_the_units_concerned_may_send_or_answer(db, org, make_case, street_mediator):
    case = _mediating(db, org, make_case)
    with pytest.raises(DomainError, match="Only the unit holding"):
        transfers.request(db.session, case, street_mediator, "mediation", org.street_mediation, "x")
    with pytest.raises(DomainError, match="a unit that can take"):
        transfers.request(db.session, case, org.user(Role.SUPERVISOR), "mediation", org.arbitration, "x")
    with pytest.raises(DomainError, match="already at"):
        transfers.request(db.session, case, org.user(Role.SUPERVISOR), "mediation", org.mediation, "x")
    with pytest.raises(DomainError, match="no such track"):
        transfers.request(db.session, case, org.user(Role.SUPERVISOR), "arbitration", org.arbitration, "x")
    transfer = transfers.request(
        db.session, case, org.user(Role.SUPERVISOR), "mediation", org.street_mediation, "属地管辖"
    )
    with pytest.raises(DomainError, match="receiving unit"):
        transfers.accept(db.session, transfer, org.user(Role.MEDIATOR))
    with pytest.raises(DomainError, match="receiving unit"):
        transfers.return_transfer(db.session, transfer, org.user(Role.ARBITRATOR), "x")


def test_an_accepted_arbitration_restarts_its_award_period_from_receipt(db, org, make_case, city):
    unit, boss, judge = city
    at(date(2026, 9, 1))
    case = make_case(registered_on=date(2026, 9, 1), dispute_known_on=date(2026, 8, 1))
    Driver(db.session, org, case).arbitration(ArbitrationState.ACCEPTED)
    old = timer(case, "arbitration.award")
    assert old.due_on == date(2026, 10, 16)
    number = case.arbitration.number
    at(date(2026, 9, 10))
    transfer = transfers.request(
        db.session, case, org.user(Role.SUPERVISOR), "arbitration", unit, "集体争议，属市仲裁委管辖"
    )
    db.session.commit()
    assert transfers.queue(db.session, boss) == [transfer]
    with pytest.raises(DomainError, match="receiving unit"):
        transfers.accept(db.session, transfer, judge)  # the restart is a supervisor's step
    at(date(2026, 9, 14))
    given = transfers.accept(db.session, transfer, boss, received_on=date(2026, 9, 11))
    db.session.commit()
    assert case.arbitration.unit == unit and case.arbitration.number == number
    assert (old.status, old.completed_on) == (TimerStatus.CANCELLED, date(2026, 9, 11))
    award = timer(case, "arbitration.award", TimerStatus.RUNNING)
    assert (award.started_on, award.due_on, award.unit_id) == (date(2026, 9, 11), date(2026, 10, 26), unit.id)
    restart = db.session.query(ArbitrationRestart).one()
    assert (restart.kind, restart.effective_on) == (RestartKind.TRANSFER_IN, date(2026, 9, 11))
    assert given is not None and given.user == judge
    kinds = [e.kind for e in case.timeline]
    assert "transfer.accepted" in kinds and "arbitration.transfer_in" in kinds


def test_receipt_cannot_precede_the_request_nor_lie_ahead(db, org, make_case, city):
    unit, boss, _judge = city
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.ACCEPTED)
    transfer = transfers.request(db.session, case, org.user(Role.SUPERVISOR), "arbitration", unit, "移送")
    with pytest.raises(DomainError, match="before the transfer"):
        transfers.accept(db.session, transfer, boss, received_on=date(2026, 11, 1))
    with pytest.raises(DomainError, match="future"):
        transfers.accept(db.session, transfer, boss, received_on=date(2027, 1, 1))
    assert db.session.query(CaseTransfer).one().status == TransferStatus.PENDING


def test_court_delegated_mediation_comes_in_and_its_result_goes_back(db, org, make_case):
    case = _mediating(db, org, make_case)
    sup = org.user(Role.SUPERVISOR)
    with pytest.raises(DomainError, match="court's reference"):
        transfers.record_delegation(
            db.session, case, sup, kind="delegated", court="深圳市龙岗区人民法院", court_reference=""
        )
    row = transfers.record_delegation(
        db.session,
        case,
        sup,
        kind=DelegationKind.DELEGATED,
        court="深圳市龙岗区人民法院",
        court_reference="(2026)粤0307诉前调12345号",
        received_on=date(2026, 11, 18),
    )
    db.session.commit()
    with pytest.raises(DomainError, match="still open"):
        transfers.return_result(db.session, case, sup)
    mediation.fail_mediation(db.session, case, case.mediation.mediator, reason="被申请人拒绝调解")
    db.session.commit()
    assert case.mediation.state == MediationState.FAILED
    transfers.return_result(db.session, case, sup, letter="龙调函〔2026〕8号", note="调解不成，退回法院")
    db.session.commit()
    assert (row.result, row.returned_on, row.return_letter) == (
        DelegationResult.NO_AGREEMENT,
        date(2026, 11, 20),
        "龙调函〔2026〕8号",
    )
    with pytest.raises(DomainError, match="already gone back"):
        transfers.return_result(db.session, case, sup)
    kinds = [e.kind for e in case.timeline]
    assert "delegation.received" in kinds and "delegation.returned" in kinds
