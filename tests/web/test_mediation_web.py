"""Mediation through the web forms, from a registered case to each way a mediation ends."""

from datetime import timedelta

import pytest

from disputes import clock
from disputes.models import Role
from disputes.workflow.states import (
    CaseStatus,
    ConfirmationKind,
    ConfirmationResult,
    MediationState,
    Performance,
)
from tests.conftest import PASSWORD
from tests.pages import field_errors, flashes, parse, step_hidden, t


@pytest.fixture
def mediation_case(db, org, make_case, login):
    """A registered case whose mediation the clerk has opened and accepted for the mediator."""
    case = make_case()
    clerk = login(org.user(Role.CLERK))
    post(clerk, case, "open", unit_id=org.mediation.id, applied_on="2026-11-20")
    post(clerk, case, "accept", mediator_id=org.user(Role.MEDIATOR).id, accepted_on="2026-11-20")
    db.session.expire_all()
    assert case.mediation.state == MediationState.ACCEPTED
    return case


def post(client, case, step, expect=302, **data):
    """Open the step's form as a browser would (when it may), then submit it with what the form carries."""
    url = f"/cases/{case.id}/mediation/{step}"
    page = client.get(url)
    hidden = step_hidden(page) if page.status_code == 200 else {"version": case.version_id}
    response = client.post(url, data={**hidden, **data})
    assert response.status_code == expect, response.get_data(as_text=True)[-2000:]
    return response


def log_session(client, case, **overrides):
    data = {
        "held_at": "2026-11-20T09:30",
        "place": "中心调解室一",
        "attendees": "张三；宏达公司人事 李经理",
        "summary": "双方就欠薪数额核对，公司认可8月至10月工资",
        "outcome": "continue",
    } | overrides
    return post(client, case, "log-session", **data)


def test_agreement_performance_and_review(app, db, org, mediation_case, login):
    case = mediation_case
    mediator = login(org.user(Role.MEDIATOR))
    log_session(mediator, case, next_at="2026-11-23T14:00")
    claim = case.claims[0]
    post(
        mediator,
        case,
        "agreement",
        signed_on="2026-11-20",
        **{
            "terms-0-claim_id": claim.id,
            "terms-0-description": "公司于12月1日前支付拖欠工资",
            "terms-0-amount": "10000.00",
            "instalments-0-due_on": "2026-12-01",
            "instalments-0-amount": "6000.00",
            "instalments-1-due_on": "2026-12-15",
            "instalments-1-amount": "4000.00",
        },
    )
    db.session.expire_all()
    mediation = case.mediation
    assert mediation.state == MediationState.AGREEMENT and mediation.number
    assert [str(t.amount) for t in mediation.terms] == ["10000.00"]
    assert mediation.performance_due_on.isoformat() == "2026-12-15"
    assert claim.resolved_amount == 10000
    assert case.status == CaseStatus.CLOSED  # no track open any more

    post(
        mediator,
        case,
        "request-confirmation",
        kind="arbitral_review",
        applied_on="2026-11-20",
        body="龙岗区劳动人事争议仲裁委员会",
    )
    post(mediator, case, "decide-confirmation", result="confirmed")
    clock.freeze(clock.now_utc() + timedelta(days=26))
    first = mediation.instalments[0]
    post(mediator, case, "performance", performance="partly_performed", paid=[first.id], note="已付第一期")
    db.session.expire_all()
    assert mediation.performance == Performance.PARTLY_PERFORMED
    assert mediation.instalments[0].paid_on is not None and mediation.instalments[1].paid_on is None
    assert [(c.kind, c.result) for c in mediation.confirmations] == [
        (ConfirmationKind.ARBITRAL_REVIEW, ConfirmationResult.CONFIRMED)
    ]
    page = mediator.get(f"/cases/{case.id}").get_data(as_text=True)
    assert t(app, "Partly performed") in page and "公司于12月1日前支付拖欠工资" in page
    kinds = [e.kind for e in case.timeline]
    assert kinds[:4] == [
        "mediation.performance",
        "mediation.decide_confirmation",
        "mediation.request_confirmation",
        "mediation.agreement",
    ]


def test_failure_offers_arbitration_with_the_case_carried_over(app, db, org, mediation_case, login):
    case = mediation_case
    mediator = login(org.user(Role.MEDIATOR))
    log_session(mediator, case, outcome="failed", summary="公司否认存在劳动关系")
    post(mediator, case, "fail", reason="公司否认劳动关系，双方分歧较大")
    db.session.expire_all()
    assert case.mediation.state == MediationState.FAILED

    clerk = login(org.user(Role.CLERK))
    page = parse(clerk.get(f"/cases/{case.id}"))
    offer = [e for e in page.iter("p") if "callout" in (e.get("class") or "")]
    assert offer and any(a.get("href") == f"/cases/{case.id}/arbitration/receive" for a in offer[0].iter("a"))
    receive = clerk.get(f"/cases/{case.id}/arbitration/receive").get_data(as_text=True)
    assert case.applicants[0].name in receive and case.respondents[0].name in receive


def test_withdrawal_before_acceptance(db, org, make_case, login):
    case = make_case()
    clerk = login(org.user(Role.CLERK))
    post(clerk, case, "open", unit_id=org.mediation.id, applied_on="2026-11-20")
    supervisor = login(org.user(Role.SUPERVISOR))
    post(supervisor, case, "withdraw", reason="申请人与公司自行和解，撤回调解申请")
    db.session.expire_all()
    assert case.mediation.state == MediationState.WITHDRAWN
    assert case.mediation.end_reason == "申请人与公司自行和解，撤回调解申请"


def test_lapse_only_after_fifteen_days(app, db, org, mediation_case, login):
    case = mediation_case
    mediator = login(org.user(Role.MEDIATOR))
    refused = mediator.get(f"/cases/{case.id}/mediation/lapse")
    assert refused.status_code == 302
    # 20 November + 15 days is Saturday 5 December: the period (the mediation.resolve timer) ends on Monday the 7th.
    assert flashes(mediator.get(refused.headers["Location"])) == [
        t(app, "The 15 days of mediation run until %(date)s; it has not lapsed.", date="2026年12月7日")
    ]
    clock.freeze(clock.now_utc() + timedelta(days=17))
    refused = mediator.get(f"/cases/{case.id}/mediation/lapse")
    assert refused.status_code == 302
    clock.freeze(clock.now_utc() + timedelta(days=1))
    post(mediator, case, "lapse", reason="")
    db.session.expire_all()
    assert case.mediation.state == MediationState.LAPSED


def test_session_form_errors_keep_the_input(app, db, org, mediation_case, login):
    case = mediation_case
    mediator = login(org.user(Role.MEDIATOR))
    response = log_session(mediator, case, expect=400, place="", online_link="")
    assert field_errors(response, "place") == [t(app, "Give the place or the online room.")]
    assert "公司认可8月至10月工资" in response.get_data(as_text=True)
    response = log_session(mediator, case, expect=400, next_at="2026-11-20T08:00")
    assert field_errors(response, "next_at") == [t(app, "The next session must come after this one.")]


def test_only_the_assigned_mediator_logs_sessions(db, org, mediation_case, login):
    from disputes import organisation

    other = organisation.add_user(db.session, "mediator-b", "另一调解员", [Role.MEDIATOR], org.mediation, PASSWORD)
    db.session.commit()
    client = login(other.username, PASSWORD)
    assert client.get(f"/cases/{mediation_case.id}").status_code == 200
    assert client.get(f"/cases/{mediation_case.id}/mediation/log-session").status_code == 403


def schedule_errors(response) -> list[str]:
    """The errors shown under the agreement's payment schedule as a whole (not under one of its fields)."""
    fieldset = next(e for e in parse(response).iter("fieldset") if e.get("id") == "schedule")
    return [
        " ".join("".join(s.itertext()).split())
        for s in fieldset.iter("small")
        if "error" in (s.get("class") or "") and not any(s in div.iter() for div in fieldset.iter("td"))
    ]


def agreement_data(case, amount="10000.00", **instalments):
    return {
        "signed_on": "2026-11-20",
        "terms-0-claim_id": case.claims[0].id,
        "terms-0-description": "支付拖欠工资",
        "terms-0-amount": amount,
        **instalments,
    }


def test_the_agreement_takes_any_number_of_instalments(db, org, mediation_case, login):
    case = mediation_case
    mediator = login(org.user(Role.MEDIATOR))
    rows = {}
    for i, day in enumerate((1, 5, 10, 15, 20, 25, 30)):  # seven rows, numbered with gaps as a removed row leaves
        rows[f"instalments-{i * 2}-due_on"] = f"2026-12-{day:02d}"
        rows[f"instalments-{i * 2}-amount"] = "1500.00" if i < 6 else "1000.00"
    post(mediator, case, "agreement", **agreement_data(case, **rows))
    db.session.expire_all()
    assert [(i.due_on.day, str(i.amount)) for i in case.mediation.instalments] == [
        (1, "1500.00"),
        (5, "1500.00"),
        (10, "1500.00"),
        (15, "1500.00"),
        (20, "1500.00"),
        (25, "1500.00"),
        (30, "1000.00"),
    ]


def test_a_schedule_that_does_not_add_up_is_refused(app, db, org, mediation_case, login):
    case = mediation_case
    mediator = login(org.user(Role.MEDIATOR))
    response = post(
        mediator,
        case,
        "agreement",
        expect=400,
        **agreement_data(
            case,
            **{
                "instalments-0-due_on": "2026-12-01",
                "instalments-0-amount": "6000.00",
                "instalments-1-due_on": "2026-12-15",
                "instalments-1-amount": "3000.00",
            },
        ),
    )
    assert schedule_errors(response) == [
        t(
            app,
            "The instalments add up to %(scheduled)s yuan but the terms agree %(agreed)s yuan; "
            "the schedule must pay exactly the agreed amount.",
            scheduled="9,000.00",
            agreed="10,000.00",
        )
    ]
    page = response.get_data(as_text=True)
    assert 'value="3000.00"' in page  # what was typed stays on the form
    assert "¥9,000.00" in page and "¥10,000.00" in page  # the totals as the server counts them
    db.session.expire_all()
    assert case.mediation.state == MediationState.ACCEPTED and not case.mediation.instalments


def test_a_schedule_without_an_agreed_amount_is_refused(app, db, org, mediation_case, login):
    """Terms with no amount agree nothing to pay: a schedule of payments contradicts them."""
    case = mediation_case
    mediator = login(org.user(Role.MEDIATOR))
    response = post(
        mediator,
        case,
        "agreement",
        expect=400,
        **agreement_data(case, amount="", **{"instalments-0-due_on": "2026-12-01", "instalments-0-amount": "500.00"}),
    )
    assert schedule_errors(response) == [
        t(
            app,
            "The instalments add up to %(scheduled)s yuan but the terms agree %(agreed)s yuan; "
            "the schedule must pay exactly the agreed amount.",
            scheduled="500.00",
            agreed="0.00",
        )
    ]


def test_an_agreement_paid_at_once_needs_no_schedule(db, org, mediation_case, login):
    case = mediation_case
    mediator = login(org.user(Role.MEDIATOR))
    post(
        mediator, case, "agreement", **agreement_data(case, **{"instalments-0-due_on": "", "instalments-0-amount": ""})
    )
    db.session.expire_all()
    assert case.mediation.state == MediationState.AGREEMENT and case.mediation.instalments == []


@pytest.mark.parametrize(
    ("due_on", "amount", "missing"),
    [("2026-12-01", "", "instalments-1-amount"), ("", "4000.00", "instalments-1-due_on")],
)
def test_a_half_filled_instalment_is_refused_not_dropped(app, db, org, mediation_case, login, due_on, amount, missing):
    case = mediation_case
    mediator = login(org.user(Role.MEDIATOR))
    response = post(
        mediator,
        case,
        "agreement",
        expect=400,
        **agreement_data(
            case,
            **{
                "instalments-0-due_on": "2026-12-01",
                "instalments-0-amount": "6000.00",
                "instalments-1-due_on": due_on,
                "instalments-1-amount": amount,
            },
        ),
    )
    assert field_errors(response, missing) == [t(app, "An instalment needs both its date and its amount.")]
    db.session.expire_all()
    assert case.mediation.state == MediationState.ACCEPTED


def test_the_agreement_page_offers_rows_and_a_running_total(app, db, org, mediation_case, login):
    mediator = login(org.user(Role.MEDIATOR))
    page = parse(mediator.get(f"/cases/{mediation_case.id}/mediation/agreement"))
    assert [e.get("data-add-row") for e in page.iter("button") if e.get("data-add-row")] == ["terms", "instalments"]
    assert sum(1 for e in page.iter("button") if e.get("data-remove-row") is not None) == 2
    assert [e.get("name") for e in page.iter("input") if e.get("data-sum")] == [
        "terms-0-amount",
        "instalments-0-amount",
    ]
    assert any((e.get("src") or "").split("?")[0].endswith("/static/schedule.js") for e in page.iter("script"))
