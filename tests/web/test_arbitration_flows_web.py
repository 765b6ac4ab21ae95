"""Suspension and extension approvals, and hearing clashes, through the web forms."""

from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext

from disputes import clock, organisation
from disputes.models import Role, TimelineEntry
from disputes.web.formats import local_date
from disputes.workflow.states import Approval, ArbitrationState
from tests.arb_web import Web, iso, later, url
from tests.conftest import PASSWORD
from tests.drive import Driver
from tests.pages import field_errors, flashes, parse, t, text

S = ArbitrationState


@pytest.fixture
def web(db, org, make_case, login):
    """A case whose sole-arbitrator tribunal (the conftest arbitrator) has been formed."""
    case = make_case()
    Driver(db.session, org, case).arbitration(S.TRIBUNAL_FORMED)
    db.session.commit()
    return Web(db, org, login, case)


def panel_text(web) -> str:
    return text(parse(web.client.get(f"/cases/{web.case.id}")).find(".//section[@id='arbitration']"))


def kinds(db, case) -> list[str]:
    return [e.kind for e in db.session.query(TimelineEntry).filter_by(case_id=case.id)]


def test_suspension_is_approved_by_a_supervisor_then_resumed(db, org, web, app):
    web.as_(Role.ARBITRATOR).step(
        "request-suspension", {"ground": "awaiting_determination", "reason": "等待工伤认定结论"}
    )
    assert t(app, "Awaiting approval") in panel_text(web)
    assert web.open("approve-suspension").status_code == 403
    assert web.client.post(url(web.case, "approve-suspension"), data={"note": "自批"}).status_code == 403
    assert web.arbitration.suspensions[0].state == Approval.REQUESTED

    web.as_(Role.SUPERVISOR).step("approve-suspension", {"note": "同意中止"})
    arbitration = web.arbitration
    assert arbitration.suspended_since == clock.today_local()
    assert arbitration.suspensions[0].decided_by_id == org.user(Role.SUPERVISOR).id
    with app.test_request_context(), force_locale("zh_CN"):
        since = gettext("Suspended since %(date)s.", date=local_date(arbitration.suspended_since))
        refused = gettext("The case has been suspended since %(date)s.", date=local_date(arbitration.suspended_since))
    assert since in panel_text(web)
    blocked = web.as_(Role.CLERK).open("schedule-hearing")
    assert blocked.status_code == 302
    assert refused in flashes(web.client.get(f"/cases/{web.case.id}"))

    later(days=10)
    web.as_(Role.ARBITRATOR).step("resume", {"resumed_on": iso(), "note": "工伤认定结论已作出"})
    arbitration = web.arbitration
    assert arbitration.suspended_since is None and arbitration.suspensions[0].days == 10

    web.step("request-suspension", {"ground": "other", "reason": "再次申请中止"})
    web.as_(Role.SUPERVISOR).step("reject-suspension", {"note": "理由不充分"})
    arbitration = web.arbitration
    assert [s.state for s in arbitration.suspensions] == [Approval.APPROVED, Approval.REJECTED]
    assert not arbitration.suspended
    assert {
        "arbitration.request_suspension",
        "arbitration.approve_suspension",
        "arbitration.resume",
        "arbitration.reject_suspension",
    } <= set(kinds(db, web.case))


def test_extension_needs_a_supervisor_and_stops_at_fifteen_days(db, org, web, app):
    web.as_(Role.ARBITRATOR).step("request-extension", {"days": "10", "reason": "案情复杂"})
    assert t(app, "Awaiting approval") in panel_text(web)
    assert web.open("approve-extension").status_code == 403
    assert web.open("reject-extension").status_code == 403
    web.as_(Role.SUPERVISOR).step("approve-extension")
    assert web.arbitration.approved_extension_days == 10

    too_many = web.as_(Role.ARBITRATOR).step("request-extension", {"days": "10", "reason": "仍需鉴定"}, status=400)
    assert field_errors(too_many, "days") == [t(app, "Between 1 and %(left)s days can still be granted.", left=5)]
    assert len(web.arbitration.extensions) == 1
    web.step("request-extension", {"days": "5", "reason": "仍需鉴定"})
    web.as_(Role.SUPERVISOR).step("reject-extension", {"note": "无必要"})
    arbitration = web.arbitration
    assert [(e.days, e.state) for e in arbitration.extensions] == [(10, Approval.APPROVED), (5, Approval.REJECTED)]
    assert arbitration.approved_extension_days == 10
    assert t(app, "Rejected") in panel_text(web)


@pytest.fixture
def three_cases(db, org, make_case, login):
    """A and C heard by the conftest arbitrator, B by another; all with their tribunal formed."""
    other = organisation.add_user(db.session, "arb-li", "李仲裁员", [Role.ARBITRATOR], org.arbitration, PASSWORD)
    a, b, c = make_case(), make_case(), make_case()
    Driver(db.session, org, a).arbitration(S.TRIBUNAL_FORMED)
    Driver(db.session, org, b).arbitration(S.SERVED)
    Driver(db.session, org, c).arbitration(S.TRIBUNAL_FORMED)
    db.session.commit()
    web_b = Web(db, org, login, b)
    web_b.as_(Role.CLERK).step("form-tribunal", {"kind": "sole", "presiding_id": other.id})
    return Web(db, org, login, a), web_b, Web(db, org, login, c)


def test_hearing_clashes_are_refused_and_adjacent_hearings_allowed(db, org, three_cases, app):
    a, b, c = three_cases
    first, second = a.room("第一仲裁庭"), a.room("第二仲裁庭")
    day = iso(clock.today_local() + timedelta(days=5))
    a.as_(Role.CLERK).step(
        "schedule-hearing", {"day": day, "starts_at": "09:00", "ends_at": "11:00", "room_id": first.id}
    )
    number_a = a.arbitration.number

    b.as_(Role.CLERK)
    room_taken = b.step(
        "schedule-hearing", {"day": day, "starts_at": "10:00", "ends_at": "12:00", "room_id": first.id}, status=400
    )
    (message,) = field_errors(room_taken, "room_id")
    assert number_a in message and f"{day} 09:00" in message
    assert not b.arbitration.hearings
    b.step("schedule-hearing", {"day": day, "starts_at": "11:00", "ends_at": "13:00", "room_id": first.id})
    assert len(b.arbitration.hearings) == 1

    c.as_(Role.CLERK)
    busy = c.step(
        "schedule-hearing", {"day": day, "starts_at": "10:30", "ends_at": "11:30", "room_id": second.id}, status=400
    )
    (message,) = field_errors(busy, "starts_at")
    assert number_a in message and org.user(Role.ARBITRATOR).display_name in message
    assert not c.arbitration.hearings
    c.step("schedule-hearing", {"day": day, "starts_at": "11:00", "ends_at": "12:00", "room_id": second.id})
    assert len(c.arbitration.hearings) == 1


def test_hearing_needs_a_room_or_a_link(db, org, web, app):
    response = web.as_(Role.CLERK).step(
        "schedule-hearing",
        {"day": iso(clock.today_local() + timedelta(days=3)), "starts_at": "09:00", "ends_at": "10:00"},
        status=400,
    )
    assert field_errors(response, "room_id") == [t(app, "Choose a room or give the online hearing link.")]
    web.step(
        "schedule-hearing",
        {
            "day": iso(clock.today_local() + timedelta(days=3)),
            "starts_at": "09:00",
            "ends_at": "10:00",
            "online_link": "https://meeting.example.cn/123",
            "short_notice_agreed": "y",
        },
    )
    (hearing,) = web.arbitration.hearings
    assert hearing.room is None and hearing.online_link == "https://meeting.example.cn/123"
    assert "https://meeting.example.cn/123" in panel_text(web)
