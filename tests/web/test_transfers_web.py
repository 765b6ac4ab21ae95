"""Transfers, delegated mediation and linked groups through the pages: the sending unit asks on the case page, the
receiving unit answers from its queue, the case page shows the history and the group with its joint steps."""

from datetime import timedelta

import sqlalchemy as sa

from disputes import clock, organisation
from disputes.models import CaseTransfer, Hearing, HearingRoom, Role, Route, TransferStatus
from disputes.workflow import routing
from disputes.workflow.states import ArbitrationState
from tests.conftest import PASSWORD
from tests.drive import Driver
from tests.pages import parse, text


def _mediating(db, org, make_case):
    case = make_case()
    routing.route_case(db.session, case, org.user(Role.CLERK), Route.MEDIATION, org.mediation.id)
    db.session.commit()
    return case


def test_a_transfer_out_returned_then_accepted_through_the_pages(db, org, make_case, login):
    street = organisation.add_user(db.session, "bj-m", "郭丽娟", [Role.MEDIATOR], org.street_mediation, PASSWORD)
    db.session.commit()
    case = _mediating(db, org, make_case)
    client = login(org.user(Role.SUPERVISOR))
    page = client.get(f"/cases/{case.id}")
    assert f'action="/cases/{case.id}/transfer"' in page.get_data(as_text=True)
    no_reason = {"track": "mediation", "to_unit_id": org.street_mediation.id}
    refused = client.post(f"/cases/{case.id}/transfer", data=no_reason)
    assert refused.status_code == 302 and db.session.query(CaseTransfer).count() == 0
    sent = {"track": "mediation", "to_unit_id": org.street_mediation.id, "reason": "当事人均在布吉街道"}
    assert client.post(f"/cases/{case.id}/transfer", data=sent).status_code == 302
    transfer = db.session.query(CaseTransfer).one()

    client = login(street)
    queue = client.get("/transfers")
    assert queue.status_code == 200 and case.registry_no in text(parse(queue))
    assert 'id="transfers-link"' in client.get("/cases").get_data(as_text=True)  # the badge in the menu
    work = client.get("/work").get_data(as_text=True)  # their queue tells them, and leads to the transfer queue
    assert "待接收的移送" in work and f'href="/transfers" class="nowrap">{case.registry_no}' in work
    assert client.get(f"/cases/{case.id}").status_code == 403  # not theirs until accepted
    back = client.post(f"/transfers/{transfer.id}/return", data={"return_reason": "被申请人注册地在坂田"})
    assert back.status_code == 302 and back.headers["Location"].endswith("/transfers")
    db.session.expire_all()
    assert transfer.status == TransferStatus.RETURNED

    client = login(org.user(Role.SUPERVISOR))
    shown = text(parse(client.get(f"/cases/{case.id}")))
    assert "被申请人注册地在坂田" in shown
    assert client.post(f"/cases/{case.id}/transfer", data={**sent, "reason": "经核实用工地在布吉"}).status_code == 302
    again = db.session.scalars(sa.select(CaseTransfer).where(CaseTransfer.status == TransferStatus.PENDING)).one()

    client = login(street)
    accepted = client.post(f"/transfers/{again.id}/accept", data={})
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith(f"/cases/{case.id}#transfers")
    db.session.expire_all()
    assert case.mediation.unit_id == org.street_mediation.id and case.mediation.mediator_id == street.id
    assert client.get("/transfers").status_code == 200
    assert 'id="transfers-link"' not in client.get("/cases").get_data(as_text=True)  # nothing waits any more


def test_someone_of_another_unit_cannot_answer(db, org, make_case, login):
    case = _mediating(db, org, make_case)
    client = login(org.user(Role.SUPERVISOR))
    client.post(
        f"/cases/{case.id}/transfer",
        data={"track": "mediation", "to_unit_id": org.street_mediation.id, "reason": "属地"},
    )
    transfer = db.session.query(CaseTransfer).one()
    assert client.post(f"/transfers/{transfer.id}/accept", data={}).status_code == 403  # the centre's supervisor
    assert login(org.user(Role.MEDIATOR)).post(f"/transfers/{transfer.id}/accept").status_code == 403


def test_a_court_delegation_is_recorded_and_shown(db, org, make_case, login):
    case = _mediating(db, org, make_case)
    client = login(org.user(Role.SUPERVISOR))
    data = {"kind": "entrusted", "court": "深圳市龙岗区人民法院", "court_reference": "(2026)粤0307民初88号"}
    assert client.post(f"/cases/{case.id}/delegation", data=data).status_code == 302
    page = text(parse(client.get(f"/cases/{case.id}")))
    assert "(2026)粤0307民初88号" in page
    returned = client.post(f"/cases/{case.id}/delegation/return", data={"letter": "龙调函1号"}, follow_redirects=True)
    assert "调解尚未结束" in text(parse(returned))


def test_the_case_page_shows_the_group_and_suggests_links(db, org, make_case, login):
    first, second = make_case(), make_case()
    client = login(org.user(Role.CLERK))
    page = text(parse(client.get(f"/cases/{first.id}")))
    assert second.registry_no in page  # suggested: same employer
    linked = client.post(f"/cases/{first.id}/links", data={"registry_no": second.registry_no, "kind": "same_employer"})
    assert linked.status_code == 302
    doc = parse(client.get(f"/cases/{second.id}"))
    assert first.registry_no in text(doc.find(".//section[@id='links']"))
    unknown = client.post(f"/cases/{first.id}/links", data={"registry_no": "没有这个号", "kind": "same_employer"})
    assert unknown.status_code == 302
    assert client.post(f"/cases/{second.id}/links/remove", data={}).status_code == 302
    after = parse(client.get(f"/cases/{second.id}"))
    assert after.find(".//ul[@class='plain linked-cases']") is None


def test_a_group_hearing_through_the_page(db, org, make_case, login):
    cases = [make_case(), make_case()]
    for case in cases:
        Driver(db.session, org, case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    room = HearingRoom(unit_id=org.arbitration.id, name="第一仲裁庭")
    db.session.add(room)
    db.session.commit()
    client = login(org.user(Role.CLERK))
    client.post(f"/cases/{cases[0].id}/links", data={"registry_no": cases[1].registry_no, "kind": "consolidated"})
    starts = clock.to_local(clock.now_utc() + timedelta(days=9)).replace(hour=9, minute=30)
    response = client.post(
        f"/cases/{cases[0].id}/group/hearing",
        data={
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "room_id": room.id,
        },
    )
    assert response.status_code == 302
    hearings = db.session.query(Hearing).all()
    assert len(hearings) == 2 and {h.room_id for h in hearings} == {room.id}
