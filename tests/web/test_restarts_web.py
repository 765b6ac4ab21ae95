"""The restart steps (Rules Art 46) through their web forms."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from disputes import clock
from disputes.models import ClaimCategory, Role
from disputes.sla.states import TimerStatus
from disputes.workflow.states import ArbitrationState, JoinCapacity, RestartKind
from tests.arb_web import Web, iso, later
from tests.conftest import WORKER_ID
from tests.drive import Driver
from tests.pages import field_errors, parse, t, text
from tests.sla.test_timers import timer


@pytest.fixture
def web(db, org, make_case, login):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    db.session.commit()
    return Web(db, org, login, case)


def arbitration_panel(web) -> str:
    return text(parse(web.client.get(f"/cases/{web.case.id}")).find(".//section[@id='arbitration']"))


def test_the_arbitrator_adds_a_third_party_and_the_period_restarts(db, org, web, app):
    assert web.as_(Role.CLERK).open("add-party").status_code == 403
    later(days=2)
    decided = clock.today_local() - timedelta(days=1)
    web.as_(Role.ARBITRATOR).step(
        "add-party",
        {
            "decided_on": iso(decided),
            "capacity": "third_party",
            "kind": "worker",
            "party_name": "李四",
            "id_number": WORKER_ID,
            "address": "深圳市龙岗区布吉街道",
            "note": "与案件处理结果有利害关系",
        },
    )
    case = web.fresh()
    (third,) = case.third_parties
    assert (third.name, third.id_number, case.arbitration.restarts[0].capacity) == (
        "李四",
        WORKER_ID,
        JoinCapacity.THIRD_PARTY,
    )
    award = timer(case, "arbitration.award", TimerStatus.RUNNING)
    assert award.started_on == decided
    panel = arbitration_panel(web)
    assert t(app, "Third party") in panel and "李四" in panel and "与案件处理结果有利害关系" in panel
    parties = text(parse(web.client.get(f"/cases/{case.id}")).find(".//table"))
    assert t(app, "Third party") in parties


def test_claims_form_shows_the_claims_and_adds_one(db, org, web, app):
    web.as_(Role.SUPERVISOR)
    page = parse(web.open("change-claims"))
    values = {e.get("name"): e.get("value") for e in page.iter("input")}
    wages = web.case.claims[0]
    assert values["claims-0-amount"] == "12000.00" and values["claims-0-what"] == "2026年8月至10月工资"
    selected = [o.get("value") for o in page.iter("option") if o.get("selected") is not None]
    assert str(wages.id) in selected and "wages" in selected
    refused = web.step(
        "change-claims",
        {
            "accepted_on": iso(),
            "claims-0-claim_id": wages.id,
            "claims-0-category": "wages",
            "claims-0-amount": "12000.00",
            "claims-0-what": "2026年8月至10月工资",
            "claims-1-amount": "500",
        },
        status=400,
    )
    assert t(app, "Choose the claim's category.") in text(parse(refused))
    web.step(
        "change-claims",
        {
            "accepted_on": iso(),
            "claims-0-claim_id": wages.id,
            "claims-0-category": "wages",
            "claims-0-amount": "15000.00",
            "claims-0-what": "2026年8月至11月工资",
            "claims-1-category": "overtime",
            "claims-1-amount": "3000",
            "claims-1-what": "加班费",
        },
    )
    case = web.fresh()
    assert [(c.category, c.amount) for c in case.claims] == [
        (ClaimCategory.WAGES, Decimal("15000.00")),
        (ClaimCategory.OVERTIME, Decimal("3000.00")),
    ]
    assert case.arbitration.restarts[0].kind == RestartKind.CHANGE_CLAIMS


def test_counter_claim_and_transfer_forms(db, org, web, app):
    web.as_(Role.SUPERVISOR)
    missing = web.step("counter-claim", {"accepted_on": iso(), "claims_text": ""}, status=400)
    assert field_errors(missing, "claims_text")
    web.step("counter-claim", {"accepted_on": iso(), "claims_text": "请求申请人返还多发工资", "amount": "2000"})
    web.step("transfer-in", {"received_on": iso(), "transferred_from": "深圳市坪山区劳动人事争议仲裁委员会"})
    case = web.fresh()
    assert [r.kind for r in case.arbitration.restarts] == [RestartKind.COUNTER_CLAIM, RestartKind.TRANSFER_IN]
    panel = arbitration_panel(web)
    assert "请求申请人返还多发工资" in panel and "深圳市坪山区劳动人事争议仲裁委员会" in panel
    assert timer(case, "arbitration.award", TimerStatus.RUNNING).started_on == date(2026, 11, 21)
