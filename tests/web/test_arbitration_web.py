"""Arbitration through the web forms: from receipt to each kind of closure, each step by its role."""

from datetime import UTC
from decimal import Decimal

import pytest

from disputes.models import ClaimCategory, Role, TimelineEntry
from disputes.workflow.intake import ClaimInput
from disputes.workflow.states import ArbitrationState, CaseStatus, ClosureType, Finality, HearingState, RefusalGround
from tests.arb_web import Web, iso, later
from tests.pages import field_errors, flashes, parse, step_hidden, t, text

S = ArbitrationState


@pytest.fixture
def web(db, org, make_case, login):
    return Web(db, org, login, make_case())


def kinds(db, case) -> list[str]:
    return [e.kind for e in db.session.query(TimelineEntry).filter_by(case_id=case.id).order_by(TimelineEntry.id)]


def panel_text(response) -> str:
    return text(parse(response).find(".//section[@id='arbitration']"))


def test_award_journey(db, org, web, app):
    web.hearing()
    web.as_(Role.CLERK).step("defence", {"received_on": iso()})
    web.step("serve-defence", {"served_on": iso()})
    (claim,) = web.case.claims
    web.as_(Role.ARBITRATOR).step(
        "record-award",
        {
            "awarded_on": iso(),
            "items-0-claim_id": claim.id,
            "items-0-amount": "11000.00",
            "items-0-text": "被申请人支付工资11000元",
            "reasons": "经审理查明",
        },
    )
    web.step("request-closure", {"closure_type": "award"})
    page = web.client.get(f"/cases/{web.case.id}")
    assert t(app, "numbered on approval") in panel_text(page)
    assert t(app, "awaiting approval") in panel_text(page)
    assert web.open("approve-closure").status_code == 403  # the arbitrator cannot approve their own closure
    web.as_(Role.SUPERVISOR).step("approve-closure", {"note": "同意结案"})
    later(days=1)
    for party in (web.case.applicants[0], web.case.respondents[0]):  # each party on its own day (Law Art 48–50)
        web.as_(Role.CLERK).step("serve-award", {"party_id": party.id, "served_on": iso()})
        later(days=1)

    case = web.fresh()
    arbitration = case.arbitration
    assert (arbitration.state, arbitration.closure_type) == (S.CLOSED, ClosureType.AWARD)
    (award,) = arbitration.awards
    assert award.number == arbitration.number and award.served_on is not None
    assert award.finality == Finality.FINAL and award.items[0].amount == Decimal("11000.00")
    assert claim.resolved_amount == Decimal("11000.00")
    assert case.status == CaseStatus.OPEN  # the right-to-sue period runs from service
    for kind in (
        "receive",
        "accept",
        "serve_respondent",
        "form_tribunal",
        "tribunal_notice",
        "schedule_hearing",
        "hearing_notice",
        "hold_hearing",
        "defence",
        "serve_defence",
        "record_award",
        "request_closure",
        "approve_closure",
        "serve_award",
    ):
        assert f"arbitration.{kind}" in kinds(db, case)
    text_now = panel_text(web.client.get(f"/cases/{case.id}"))
    assert award.number in text_now and t(app, "Final") in text_now
    assert "09:00–11:00" in text_now  # the hearing, in local time
    raw = [v for enum in (S, HearingState, ClosureType, Finality) for v in enum if "_" in v]
    assert not [v for v in raw if v in text_now]


def test_mixed_award_shows_two_award_blocks(db, org, make_case, login, app):
    case = make_case(
        claims=[
            ClaimInput(ClaimCategory.WAGES, Decimal("12000.00"), "工资"),
            ClaimInput(ClaimCategory.CONFIRM_EMPLOYMENT, None, "确认劳动关系"),
        ]
    )
    web = Web(db, org, login, case)
    web.hearing()
    wages, employment = web.case.claims
    page = web.as_(Role.ARBITRATOR).open("record-award")
    chosen = [
        e.get("value")
        for select in parse(page).iter("select")
        if "claim_id" in (select.get("name") or "")
        for e in select.iter("option")
        if e.get("selected") is not None
    ]
    assert chosen[:2] == [str(wages.id), str(employment.id)]
    blank = web.client.post(
        f"/cases/{case.id}/arbitration/record-award",
        data={
            **step_hidden(page),
            "awarded_on": iso(),
            "items-0-claim_id": wages.id,
            "items-0-amount": "12000",
            "items-0-text": "支付工资",
            "items-1-claim_id": employment.id,
        },
    )
    assert blank.status_code == 400 and field_errors(blank, "items-1-text")
    web.step(
        "record-award",
        {
            "awarded_on": iso(),
            "items-0-claim_id": wages.id,
            "items-0-amount": "12000",
            "items-0-text": "支付工资",
            "items-1-claim_id": employment.id,
            "items-1-text": "确认双方存在劳动关系",
        },
    )
    web.step("request-closure", {"closure_type": "award"})
    web.as_(Role.SUPERVISOR).step("approve-closure")
    awards = web.arbitration.awards
    assert sorted(a.finality for a in awards) == [Finality.FINAL, Finality.NON_FINAL]
    shown = panel_text(web.client.get(f"/cases/{case.id}"))
    assert all(a.number in shown for a in awards)
    assert t(app, "Final") in shown and t(app, "Non-final") in shown
    assert "non_final" not in shown and "confirm_employment" not in shown


@pytest.mark.parametrize(
    "closure, note",
    [
        (ClosureType.MEDIATION_STATEMENT, "双方同意支付工资10000元"),
        (ClosureType.WITHDRAWN, "申请人撤回仲裁申请"),
        (ClosureType.TERMINATED, "申请人死亡且无继承人"),
        (ClosureType.TRANSFERRED, "移送有管辖权的仲裁委员会"),
    ],
)
def test_closure_journeys_after_the_tribunal(db, web, closure, note):
    web.tribunal()
    if closure == ClosureType.MEDIATION_STATEMENT:
        web.as_(Role.ARBITRATOR).step("pre-hearing-mediation", {"note": "庭前调解，双方达成一致"})
    web.as_(Role.ARBITRATOR).step("request-closure", {"closure_type": closure.value, "note": note})
    assert web.arbitration.state == S.CLOSING
    web.as_(Role.SUPERVISOR).step("approve-closure")
    case = web.fresh()
    assert (case.arbitration.state, case.arbitration.closure_type) == (S.CLOSED, closure)
    assert case.arbitration.closure_note == note
    assert case.status == CaseStatus.CLOSED
    assert {"arbitration.form_tribunal", "arbitration.request_closure", "arbitration.approve_closure"} <= set(
        kinds(db, case)
    )


def test_deemed_withdrawn_after_the_applicant_stays_away(db, web, app):
    web.hearing(applicant_attended=False)
    assert web.arbitration.hearings[0].applicant_attended is False
    missing = web.as_(Role.ARBITRATOR).step("request-closure", {"closure_type": "deemed_withdrawn"}, status=400)
    assert field_errors(missing, "note") == [t(app, "Give the reason for this closure.")]
    web.step("request-closure", {"closure_type": "deemed_withdrawn", "note": "申请人经书面通知无正当理由拒不到庭"})
    web.as_(Role.SUPERVISOR).step("approve-closure")
    case = web.fresh()
    assert (case.arbitration.state, case.arbitration.closure_type) == (S.CLOSED, ClosureType.DEEMED_WITHDRAWN)
    assert case.status == CaseStatus.CLOSED
    assert "arbitration.hold_hearing" in kinds(db, case)


def test_deemed_withdrawn_when_corrections_never_come(db, web):
    web.receive()
    web.step("request-correction", {"note": "请补充劳动关系证明"})
    web.step("correction-lapsed", {"note": "逾期未补正"})
    case = web.fresh()
    assert (case.arbitration.state, case.arbitration.closure_type) == (S.CLOSED, ClosureType.DEEMED_WITHDRAWN)
    assert case.arbitration.number is None and case.status == CaseStatus.CLOSED
    assert kinds(db, case)[-3:] == [
        "arbitration.receive",
        "arbitration.request_correction",
        "arbitration.correction_lapsed",
    ]


def test_correction_then_acceptance(web):
    web.receive()
    web.step("request-correction", {"note": "请补充劳动关系证明"})
    later(days=2)
    web.step("corrected", {"received_on": iso()})
    web.step("accept", {"accepted_on": iso()})
    arbitration = web.arbitration
    assert arbitration.state == S.ACCEPTED and arbitration.complete_on > arbitration.received_on


def test_refusal_to_accept(db, web):
    web.receive()
    empty = web.step("refuse", {"reason": ""}, status=400)
    assert field_errors(empty, "reason") and field_errors(empty, "ground")
    web.step("refuse", {"ground": "no_jurisdiction", "reason": "劳动合同履行地在宝安区"})
    case = web.fresh()
    assert case.arbitration.state == S.REFUSED and case.arbitration.refusal_reason == "劳动合同履行地在宝安区"
    assert case.arbitration.refusal_ground == RefusalGround.NO_JURISDICTION
    assert case.status == CaseStatus.CLOSED
    assert kinds(db, case)[-1] == "arbitration.refuse"


def test_receive_lists_parties_and_claims_and_offers_commissions(org, web):
    page = web.as_(Role.CLERK).open("receive")
    body = text(parse(page))
    assert "张三" in body and "深圳市宏达电子科技有限公司" in body and "¥12,000.00" in body
    options = [e.get("value") for e in parse(page).iter("option")]
    assert str(org.arbitration.id) in options and str(org.mediation.id) not in options


def test_collective_case_defaults_to_three_members(db, org, make_case, login, app):
    case = make_case(worker_count=12, flags={"collective": True})
    assert case.collective
    web = Web(db, org, login, case)
    web.serve()
    page = web.open("form-tribunal")
    selected = [e.get("value") for e in parse(page).iter("option") if e.get("selected") is not None]
    assert "three_member" in selected
    sole = web.step("form-tribunal", {"kind": "sole", "presiding_id": org.user(Role.ARBITRATOR).id}, status=400)
    assert field_errors(sole, "kind") == [t(app, "A collective dispute needs a three-member tribunal.")]
    two = web.step("form-tribunal", {"kind": "three_member", "presiding_id": org.user(Role.ARBITRATOR).id}, status=400)
    assert field_errors(two, "presiding_id") == [t(app, "Choose %(count)s different arbitrators.", count=3)]


def test_postponement_can_reschedule_in_the_same_request(db, org, web):
    web.tribunal()
    room = web.room()
    web.as_(Role.CLERK).step(
        "schedule-hearing", {"day": "2026-11-30", "starts_at": "09:00", "ends_at": "11:00", "room_id": room.id}
    )
    (first,) = web.arbitration.hearings
    half = web.step(
        "postpone-hearing", {"hearing_id": first.id, "reason": "被申请人申请延期", "day": "2026-12-03"}, status=400
    )
    assert field_errors(half, "starts_at")
    web.step(
        "postpone-hearing",
        {
            "hearing_id": first.id,
            "reason": "被申请人申请延期",
            "day": "2026-12-03",
            "starts_at": "14:00",
            "ends_at": "16:00",
            "room_id": room.id,
        },
    )
    old, new = sorted(web.arbitration.hearings, key=lambda h: h.starts_at)
    assert old.state == HearingState.POSTPONED and old.postponement_reason == "被申请人申请延期"
    assert new.state == HearingState.SCHEDULED and new.room_id == room.id
    assert new.starts_at.astimezone(UTC).hour == 6  # 14:00 in Shanghai is 06:00 UTC
    assert kinds(db, web.case)[-2:] == ["arbitration.postpone_hearing", "arbitration.schedule_hearing"]


def test_refused_step_says_why(db, org, web, app):
    web.accept()
    response = web.open("form-tribunal")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{web.case.id}#arbitration")
    assert flashes(web.client.get(f"/cases/{web.case.id}"))[-1] == t(app, "The respondent has not been served yet.")
    assert web.arbitration.state == S.ACCEPTED and not web.arbitration.tribunal


def test_stale_form_is_refused_and_nothing_is_saved(db, org, web, app):
    web.receive()
    page = web.open("accept")
    old_version = int(next(e.get("value") for e in parse(page).iter("input") if e.get("name") == "version"))
    case = web.fresh()
    case.facts = "补充事实"
    db.session.commit()
    assert case.version_id > old_version
    response = web.client.post(
        f"/cases/{case.id}/arbitration/accept", data={"version": old_version, "accepted_on": iso()}
    )
    assert response.status_code == 409
    assert t(
        app, "Someone else changed this case meanwhile; nothing was saved. Please check and try again."
    ) in flashes(response)
    arbitration = web.arbitration
    assert arbitration.state == S.RECEIVED and arbitration.number is None
    assert kinds(db, arbitration.case)[-1] == "arbitration.receive"
