"""Rules Art 46 items 1, 3, 4, 5: adding a party, accepting changed claims, merging a counter-claim and receiving a
transferred case restart the award period from the event's date, keeping nothing from before (deadlines.md rule 8)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from disputes.i18n import DomainError
from disputes.models import ClaimCategory, PartyKind, Role
from disputes.sla.rules import current_rules, history
from disputes.sla.states import TimerStatus
from disputes.workflow import interruptions, restarts
from disputes.workflow.intake import PartyInput
from disputes.workflow.states import ArbitrationState, JoinCapacity, RestartKind, SuspensionGround
from tests.conftest import WORKER_ID, intake_input
from tests.drive import Driver
from tests.sla.test_timers import at, timer

EMPLOYER_B = "91350100M000100Y43"
RESTARTS = {
    RestartKind.ADD_PARTY: lambda s, case, actor, on: restarts.add_party(
        s,
        case,
        actor,
        party=PartyInput(side=None, kind=PartyKind.EMPLOYER, name="深圳市众联劳务派遣有限公司"),
        capacity=JoinCapacity.RESPONDENT,
        decided_on=on,
        note="用工单位与派遣单位为共同当事人",
    ),
    RestartKind.CHANGE_CLAIMS: lambda s, case, actor, on: restarts.change_claims(
        s,
        case,
        actor,
        changes=[restarts.ClaimChange(None, ClaimCategory.OVERTIME, Decimal("3000.00"), "加班费")],
        accepted_on=on,
    ),
    RestartKind.COUNTER_CLAIM: lambda s, case, actor, on: restarts.counter_claim(
        s, case, actor, claims_text="请求裁决申请人赔偿培训费", amount=Decimal("5000.00"), accepted_on=on
    ),
    RestartKind.TRANSFER_IN: lambda s, case, actor, on: restarts.transfer_in(
        s, case, actor, transferred_from="深圳市坪山区劳动人事争议仲裁委员会", received_on=on
    ),
}


@pytest.fixture
def accepted(db, org, make_case):
    """A green-channel case accepted on 2026-09-01: award due 10-16, the green target 09-16."""
    at(date(2026, 9, 1))
    migrant = intake_input(org.centre).parties[0]
    migrant.migrant_worker = True
    case = make_case(
        registered_on=date(2026, 9, 1),
        dispute_known_on=date(2026, 8, 1),
        parties=[migrant, intake_input(org.centre).parties[1]],
    )
    assert case.green_channel
    Driver(db.session, org, case).arbitration(ArbitrationState.ACCEPTED)
    return case


def test_the_restart_events_are_a_new_version_of_the_rules(db):
    rules = current_rules(db.session)
    for rule_id in ("arbitration.award", "green.close"):
        rule = rules[rule_id]
        assert rule.version == 2
        assert rule.triggers == [
            "arbitration.accept",
            "arbitration.add_party",
            "arbitration.change_claims",
            "arbitration.counter_claim",
            "arbitration.transfer_in",
        ]
        first = history(db.session, rule_id)[-1]
        assert (first.version, first.triggers) == (1, ["arbitration.accept"])
        assert (rule.period, rule.pausable, rule.max_extension_days) == (
            first.period,
            first.pausable,
            first.max_extension_days,
        )


@pytest.mark.parametrize("kind", list(RESTARTS), ids=[k.value for k in RESTARTS])
def test_each_event_restarts_the_award_period_from_its_date(db, org, accepted, kind):
    case = accepted
    old_award, old_green = timer(case, "arbitration.award"), timer(case, "green.close")
    assert (old_award.due_on, old_green.due_on) == (date(2026, 10, 16), date(2026, 9, 16))
    at(date(2026, 9, 25))
    RESTARTS[kind](db.session, case, org.user(Role.SUPERVISOR), date(2026, 9, 20))
    db.session.commit()
    event = f"arbitration.{kind.value}"
    for old in (old_award, old_green):
        assert (old.status, old.completed_on, old.completed_by) == (TimerStatus.CANCELLED, date(2026, 9, 20), event)
    award = timer(case, "arbitration.award", TimerStatus.RUNNING)
    green = timer(case, "green.close", TimerStatus.RUNNING)
    assert (award.started_on, award.due_on, award.rule.version) == (date(2026, 9, 20), date(2026, 11, 4), 2)
    assert (green.started_on, green.due_on) == (date(2026, 9, 20), date(2026, 10, 8))  # 10-05: National Day break
    (restart,) = case.arbitration.restarts
    assert (restart.kind, restart.effective_on, restart.recorded_by) == (
        kind,
        date(2026, 9, 20),
        org.user(Role.SUPERVISOR),
    )
    entry = case.timeline.first()
    assert entry.kind == event and entry.after["effective_on"] == "2026-09-20"
    # Other timers triggered by acceptance are not restarted.
    assert timer(case, "arbitration.serve_respondent").started_on == date(2026, 9, 1)


def test_a_restart_keeps_nothing_from_before(db, org, accepted):
    """An extension and a suspension of the old period do not carry over to the new one (rule 8)."""
    case = accepted
    head, deputy = org.user(Role.SUPERVISOR), org.colleague(Role.SUPERVISOR)
    at(date(2026, 9, 3))
    interruptions.request_suspension(
        db.session, case, deputy, ground=SuspensionGround.AWAITING_DETERMINATION, reason="等待工伤认定"
    )
    interruptions.decide_suspension(db.session, case, head, approve=True)
    at(date(2026, 9, 8))
    interruptions.resume(db.session, case, deputy)
    interruptions.request_extension(db.session, case, deputy, days=10, reason="案情复杂")
    interruptions.decide_extension(db.session, case, head, approve=True)
    old = timer(case, "arbitration.award")
    assert (old.paused_days, old.extension_days, old.due_on) == (5, 10, date(2026, 11, 2))  # 10-31 is a Saturday
    at(date(2026, 9, 21))
    RESTARTS[RestartKind.TRANSFER_IN](db.session, case, deputy, None)
    new = timer(case, "arbitration.award", TimerStatus.RUNNING)
    assert (new.started_on, new.paused_days, new.extension_days, new.adjustments) == (date(2026, 9, 21), 0, 0, [])
    assert new.due_on == date(2026, 11, 5)


def test_the_restart_date_lies_between_the_current_period_start_and_today(db, org, accepted):
    case, supervisor = accepted, org.user(Role.SUPERVISOR)
    at(date(2026, 9, 10))
    with pytest.raises(DomainError) as before:
        RESTARTS[RestartKind.TRANSFER_IN](db.session, case, supervisor, date(2026, 8, 31))
    assert before.value.field == "received_on" and before.value.params == {"date": date(2026, 9, 1)}
    with pytest.raises(DomainError, match="future"):
        RESTARTS[RestartKind.TRANSFER_IN](db.session, case, supervisor, date(2026, 9, 11))
    RESTARTS[RestartKind.CHANGE_CLAIMS](db.session, case, supervisor, date(2026, 9, 5))
    with pytest.raises(DomainError) as earlier:  # a second restart cannot go back before the first
        RESTARTS[RestartKind.COUNTER_CLAIM](db.session, case, supervisor, date(2026, 9, 4))
    assert earlier.value.params == {"date": date(2026, 9, 5)}


def test_the_steps_are_for_the_assigned_arbitrator_or_a_supervisor(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    with pytest.raises(DomainError, match="role"):
        RESTARTS[RestartKind.TRANSFER_IN](db.session, case, org.user(Role.CLERK), None)
    RESTARTS[RestartKind.TRANSFER_IN](db.session, case, org.user(Role.ARBITRATOR), None)  # sits on the tribunal
    assert case.arbitration.restarts[0].transferred_from == "深圳市坪山区劳动人事争议仲裁委员会"


def test_no_restart_before_acceptance_or_while_suspended(db, org, make_case, accepted):
    received = make_case(registered_on=date(2026, 9, 1), dispute_known_on=date(2026, 8, 1))
    Driver(db.session, org, received).arbitration(ArbitrationState.RECEIVED)
    with pytest.raises(DomainError, match="not been accepted"):
        RESTARTS[RestartKind.ADD_PARTY](db.session, received, org.user(Role.SUPERVISOR), None)
    case = accepted
    interruptions.request_suspension(
        db.session, case, org.colleague(Role.SUPERVISOR), ground=SuspensionGround.OTHER, reason="不可抗力"
    )
    interruptions.decide_suspension(db.session, case, org.user(Role.SUPERVISOR), approve=True)
    with pytest.raises(DomainError, match="suspended"):
        RESTARTS[RestartKind.ADD_PARTY](db.session, case, org.user(Role.SUPERVISOR), None)


def test_an_added_party_joins_its_side_and_a_third_party_neither(db, org, accepted):
    case, supervisor = accepted, org.user(Role.SUPERVISOR)
    co_respondent = RESTARTS[RestartKind.ADD_PARTY](db.session, case, supervisor, None)
    third = restarts.add_party(
        db.session,
        case,
        supervisor,
        capacity=JoinCapacity.THIRD_PARTY,
        party=PartyInput(
            side=None, kind=PartyKind.WORKER, name="李四", id_number=WORKER_ID.lower(), address="深圳市龙岗区"
        ),
    )
    db.session.commit()
    assert case.respondents == [case.parties[1], co_respondent]
    assert case.third_parties == [third] and third not in case.applicants + case.respondents
    assert (third.id_number, third.id_tail, third.kind) == (WORKER_ID, WORKER_ID[-4:], PartyKind.WORKER)
    assert [(r.party, r.capacity) for r in case.arbitration.restarts] == [
        (co_respondent, JoinCapacity.RESPONDENT),
        (third, JoinCapacity.THIRD_PARTY),
    ]
    with pytest.raises(DomainError, match="credit code"):
        restarts.add_party(
            db.session,
            case,
            supervisor,
            capacity=JoinCapacity.RESPONDENT,
            party=PartyInput(side=None, kind=PartyKind.EMPLOYER, name="某公司", id_number=WORKER_ID),
        )
    with pytest.raises(DomainError) as missing:
        restarts.add_party(
            db.session, case, supervisor, capacity=None, party=PartyInput(side=None, kind=PartyKind.WORKER, name="王五")
        )
    assert missing.value.field == "capacity"


def test_changed_claims_are_the_case_claims(db, org, accepted):
    case, supervisor = accepted, org.user(Role.SUPERVISOR)
    wages = case.claims[0]
    restarts.change_claims(
        db.session,
        case,
        supervisor,
        changes=[
            restarts.ClaimChange(wages.id, ClaimCategory.WAGES, Decimal("15000.00"), "2026年8月至11月工资"),
            restarts.ClaimChange(None, ClaimCategory.ECONOMIC_COMPENSATION, Decimal("8000.00"), "解除劳动合同经济补偿"),
        ],
    )
    db.session.commit()
    assert [(c.category, c.amount) for c in case.claims] == [
        (ClaimCategory.WAGES, Decimal("15000.00")),
        (ClaimCategory.ECONOMIC_COMPENSATION, Decimal("8000.00")),
    ]
    entry = case.timeline.first()
    assert entry.after["before"] == [
        {"id": wages.id, "category": "wages", "amount": "12000.00", "description": "2026年8月至10月工资"}
    ]
    assert [c["amount"] for c in entry.after["claims"]] == ["15000.00", "8000.00"]
    with pytest.raises(DomainError, match="Nothing was added or changed"):
        restarts.change_claims(
            db.session,
            case,
            supervisor,
            changes=[restarts.ClaimChange(wages.id, ClaimCategory.WAGES, Decimal("15000.00"), "2026年8月至11月工资")],
        )


def test_a_counter_claim_is_recorded_as_stated(db, org, accepted):
    case = accepted
    restart = RESTARTS[RestartKind.COUNTER_CLAIM](db.session, case, org.user(Role.SUPERVISOR), None)
    assert (restart.claims_text, restart.amount) == ("请求裁决申请人赔偿培训费", Decimal("5000.00"))
    assert len(case.claims) == 1  # the case's claims stay the applicant's


def test_the_arbitrators_queue_counts_from_the_restart(db, org, make_case):
    from disputes.sla.calendar_store import load_calendar
    from disputes.sla.due import due_on

    def award_due(arbitration):  # what the arbitrator's queue shows: the award timer's date
        return due_on(arbitration.case, "arbitration.award")

    at(date(2026, 9, 1))
    case = make_case(registered_on=date(2026, 9, 1), dispute_known_on=date(2026, 8, 1))
    Driver(db.session, org, case).arbitration(ArbitrationState.HEARD)
    arbitration = case.arbitration
    assert award_due(arbitration) == date(2026, 10, 16)
    interruptions.request_extension(db.session, case, org.user(Role.ARBITRATOR), days=5, reason="案情复杂")
    interruptions.decide_extension(db.session, case, org.user(Role.SUPERVISOR), approve=True)
    assert award_due(arbitration) == date(2026, 10, 21)
    RESTARTS[RestartKind.TRANSFER_IN](db.session, case, org.user(Role.ARBITRATOR), None)
    restarted_on = arbitration.restarts[0].effective_on
    rolled, _skipped = load_calendar(db.session).roll_forward(restarted_on + timedelta(days=45))
    assert award_due(arbitration) == rolled  # the extension is gone with the old period
