"""Notices at the moment of change through the staff forms (issue 20): scheduling, postponing with a new date and
a mediation session's next date each reach every party and agent once, as the request commits; a form refused
sends nothing."""

from datetime import timedelta

from disputes import clock
from disputes.models import Role
from disputes.portal import reminders
from disputes.workflow.states import ArbitrationState, MediationState
from tests.arb_web import Web, iso
from tests.drive import Driver
from tests.portal.test_reminders import AGENT, EMPLOYER, EVERYONE, WORKER, _parties


def _web(db, org, login, make_case, state=ArbitrationState.TRIBUNAL_FORMED) -> Web:
    case = make_case(parties=_parties())
    Driver(db.session, org, case).arbitration(state)
    db.session.commit()
    return Web(db, org, login, case)


def test_scheduling_and_rescheduling_in_the_staff_forms_tell_everyone_once(db, org, login, make_case, outbox, app):
    web = _web(db, org, login, make_case)
    room, other = web.room("第一仲裁庭"), web.room("第二仲裁庭")
    day = iso(clock.today_local() + timedelta(days=10))
    assert 'id="parties-told"' in web.as_(Role.CLERK).open("schedule-hearing").get_data(as_text=True)
    first_slot = {"day": day, "starts_at": "09:00", "ends_at": "11:00", "room_id": room.id}
    web.as_(Role.CLERK).step("schedule-hearing", first_slot)
    assert sorted(m["to"] for m in outbox.messages()) == sorted(EVERYONE)
    assert f"{day} 09:00" in outbox.messages(WORKER)[0]["text"] and "第一仲裁庭" in outbox.messages(WORKER)[0]["text"]

    (first,) = web.arbitration.hearings
    refused = {"hearing_id": first.id, "reason": "申请延期", "day": day, "starts_at": "14:00", "ends_at": "13:00"}
    web.step("postpone-hearing", {**refused, "room_id": other.id}, status=400)  # ends before it starts
    assert len(outbox.messages()) == 3  # a refused form is rolled back: nothing said

    new_day = iso(clock.today_local() + timedelta(days=12))
    web.step(
        "postpone-hearing",
        {
            "hearing_id": first.id,
            "reason": "申请延期",
            "day": new_day,
            "starts_at": "14:00",
            "ends_at": "16:00",
            "room_id": other.id,
        },
    )
    for contact in (WORKER, EMPLOYER, AGENT):
        texts = [m["text"] for m in outbox.messages(contact)]
        assert len(texts) == 3 and "延期" in texts[1] and f"{new_day} 14:00" in texts[2] and "第二仲裁庭" in texts[2]
    with app.test_request_context():  # the job finds the form's hearing (local time) already told, under one key
        assert reminders.run(db.session) == 0


def test_a_next_session_logged_in_the_form_tells_the_parties(db, org, login, make_case, outbox, app):
    from tests.web.test_mediation_web import log_session

    case = make_case(parties=_parties())
    Driver(db.session, org, case).mediation(MediationState.ACCEPTED)
    db.session.commit()
    mediator = login(org.user(Role.MEDIATOR))
    log_session(mediator, case, next_at="2026-11-27T14:00", place="中心调解室一")
    assert sorted(m["to"] for m in outbox.messages()) == sorted(EVERYONE)
    assert "2026-11-27 14:00" in outbox.messages(AGENT)[0]["text"] and "调解" in outbox.messages(AGENT)[0]["text"]
    with app.test_request_context():
        assert reminders.run(db.session) == 0


def test_the_portal_lists_the_session_planned_now_not_the_plans_it_replaced(db, org, login, make_case, outbox, app):
    from tests.portal_support import party_sign_in
    from tests.web.test_mediation_web import log_session

    case = make_case(parties=_parties())
    Driver(db.session, org, case).mediation(MediationState.ACCEPTED)
    db.session.commit()
    mediator = login(org.user(Role.MEDIATOR))
    log_session(mediator, case, next_at="2026-11-27T14:00")
    log_session(mediator, case, held_at="2026-11-20T09:45", next_at="2026-11-30T09:00", place="中心调解室二")
    assert "2026-11-30 09:00" in outbox.messages(WORKER)[-1]["text"]
    party = app.test_client()
    party_sign_in(party, outbox, WORKER)
    dates = party.get(f"/portal/cases/{case.id}").get_data(as_text=True)
    assert "2026-11-30 09:00" in dates and "中心调解室二" in dates and "2026-11-27 14:00" not in dates
