"""Hearing and mediation session notices: every party and agent told at the moment a hearing or a planned session
is scheduled, moved or cancelled, once; reminders 7 days and 1 day before, once (issue 20)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from disputes import clock
from disputes.models import HearingRoom, OutboundMessage, PartyKind, PartySide, Role
from disputes.models.enums import MessageStatus
from disputes.portal import reminders
from disputes.workflow import appointments, hearings, mediation
from disputes.workflow import arbitration as arb
from disputes.workflow.intake import PartyInput
from disputes.workflow.states import ArbitrationState, ClosureType, MediationState, SessionOutcome
from tests.conftest import EMPLOYER_CODE, FROZEN_AT, WORKER_ID
from tests.drive import Driver

WORKER, EMPLOYER, AGENT = "13800138000", "13900139000", "13700137000"
EVERYONE = {WORKER, EMPLOYER, AGENT}


def _parties():
    return [
        PartyInput(PartySide.APPLICANT, PartyKind.WORKER, "张三", id_number=WORKER_ID, phone=WORKER),
        PartyInput(PartySide.RESPONDENT, PartyKind.EMPLOYER, "宏达公司", credit_code=EMPLOYER_CODE, phone=EMPLOYER),
        PartyInput(PartySide.RESPONDENT, PartyKind.AGENT, "李律师", phone=AGENT, capacity="律师", represents=1),
    ]


def _case(db, org, make_case, state=ArbitrationState.TRIBUNAL_FORMED):
    case = make_case(parties=_parties())
    Driver(db.session, org, case).arbitration(state)
    db.session.commit()
    return case


def _room(db, org, name="第二仲裁庭") -> HearingRoom:
    room = HearingRoom(unit_id=org.arbitration.id, name=name)
    db.session.add(room)
    db.session.commit()
    return room


def _schedule(db, org, case, starts, room):
    hearing = hearings.schedule_hearing(
        db.session, case, org.user("clerk"), starts_at=starts, ends_at=starts + timedelta(hours=2), room_id=room.id
    )
    db.session.commit()
    return hearing


def _run(app, db) -> int:
    with app.test_request_context():
        sent = reminders.run(db.session)
    db.session.commit()
    return sent


def _texts(outbox, contact=WORKER) -> list[str]:
    return [m["text"] for m in outbox.messages(contact)]


def test_scheduling_tells_each_party_and_agent_once_as_it_commits(app, db, org, make_case, outbox):
    case = _case(db, org, make_case)
    room = _room(db, org)
    starts = FROZEN_AT + timedelta(days=10)
    hearings.schedule_hearing(
        db.session, case, org.user("clerk"), starts_at=starts, ends_at=starts + timedelta(hours=2), room_id=room.id
    )
    assert outbox.messages() == []  # nothing goes out before the hearing is stored
    db.session.commit()
    assert sorted(m["to"] for m in outbox.messages()) == sorted(EVERYONE)
    assert "2026-11-30 10:00" in _texts(outbox)[0] and "第二仲裁庭" in _texts(outbox)[0]
    assert org.user(Role.ARBITRATOR).display_name in _texts(outbox)[0]  # before whom, as on the paper notice
    rows = db.session.scalars(sa.select(OutboundMessage)).all()
    assert {r.status for r in rows} == {MessageStatus.SENT} and {r.case_id for r in rows} == {case.id}
    assert _run(app, db) == 0  # the job finds nothing more to send
    assert _run(app, db) == 0
    assert len(outbox.messages()) == 3


def test_a_schedule_rolled_back_sends_nothing(app, db, org, make_case, outbox):
    case = _case(db, org, make_case)
    room = _room(db, org)
    starts = FROZEN_AT + timedelta(days=10)
    hearings.schedule_hearing(
        db.session, case, org.user("clerk"), starts_at=starts, ends_at=starts + timedelta(hours=2), room_id=room.id
    )
    db.session.rollback()
    db.session.commit()
    assert outbox.messages() == [] and db.session.scalar(sa.select(sa.func.count(OutboundMessage.id))) == 0


def _move_date(db, org, hearing):
    hearing.starts_at += timedelta(days=2)
    hearing.ends_at += timedelta(days=2)
    return "2026-12-02 10:00"


def _move_room(db, org, hearing):
    hearing.room = HearingRoom(unit_id=org.arbitration.id, name="第三仲裁庭")
    return "第三仲裁庭"


def _go_online(db, org, hearing):
    hearing.online_link = "https://hearing.example.cn/r/42"
    return "https://hearing.example.cn/r/42"


def _other_arbitrator(db, org, hearing):
    other = org.user(Role.SUPERVISOR)  # who sits is what the notice says; the row's change is the test
    hearing.arbitration.tribunal[0].user = other
    return other.display_name


@pytest.mark.parametrize("move", [_move_date, _move_room, _go_online, _other_arbitrator])
def test_each_kind_of_move_is_a_new_notice_and_an_unchanged_save_is_none(app, db, org, make_case, outbox, move):
    case = _case(db, org, make_case)
    hearing = _schedule(db, org, case, FROZEN_AT + timedelta(days=10), _room(db, org))
    assert len(outbox.messages()) == 3
    appointments.hearing_changed(db.session, hearing)  # saved unchanged: nothing new
    db.session.commit()
    assert len(outbox.messages()) == 3
    shown = move(db, org, hearing)
    appointments.hearing_changed(db.session, hearing)
    db.session.commit()
    assert len(outbox.messages()) == 6 and shown in _texts(outbox)[-1]
    assert all(len(outbox.messages(to)) == 2 for to in EVERYONE)
    assert _run(app, db) == 0


def test_a_move_made_without_the_operation_is_caught_up_by_the_job(app, db, org, make_case, outbox):
    case = _case(db, org, make_case)
    hearing = _schedule(db, org, case, FROZEN_AT + timedelta(days=10), _room(db, org))
    _go_online(db, org, hearing)
    db.session.commit()
    assert len(outbox.messages()) == 3
    assert _run(app, db) == 3 and _run(app, db) == 0


def test_postponing_tells_everyone_and_a_new_date_is_a_new_notice(app, db, org, make_case, outbox):
    case = _case(db, org, make_case)
    room = _room(db, org)
    hearing = _schedule(db, org, case, FROZEN_AT + timedelta(days=10), room)
    hearings.postpone_hearing(db.session, case, org.user("clerk"), hearing_id=hearing.id, reason="申请人申请延期")
    later = FROZEN_AT + timedelta(days=17)
    hearings.schedule_hearing(
        db.session, case, org.user("clerk"), starts_at=later, ends_at=later + timedelta(hours=2), room_id=room.id
    )
    db.session.commit()
    texts = _texts(outbox, AGENT)
    assert len(texts) == 3 and "延期" in texts[1] and "2026-11-30 10:00" in texts[1]
    assert "2026-12-07 10:00" in texts[2]
    assert len(outbox.messages()) == 9 and _run(app, db) == 0


def test_closing_the_case_cancels_the_hearing_still_set(app, db, org, make_case, outbox):
    case = _case(db, org, make_case, ArbitrationState.HEARD)
    _schedule(db, org, case, clock.now_utc() + timedelta(days=10), _room(db, org))
    assert len(outbox.messages()) == 3
    driver = Driver(db.session, org, case)
    driver.request_closure(ClosureType.AWARD)
    arb.approve_closure(db.session, case, org.user(Role.SUPERVISOR))
    db.session.commit()
    assert len(outbox.messages()) == 6 and "取消" in _texts(outbox)[-1]
    assert _run(app, db) == 0


def test_reminders_seven_days_and_one_day_before_go_once(app, db, org, make_case, outbox):
    case = _case(db, org, make_case)
    _schedule(db, org, case, FROZEN_AT + timedelta(days=10), _room(db, org))
    clock.freeze(FROZEN_AT + timedelta(days=3, hours=1))  # 7 days before
    assert _run(app, db) == 3
    assert _run(app, db) == 0
    clock.freeze(FROZEN_AT + timedelta(days=5))
    assert _run(app, db) == 0
    clock.freeze(FROZEN_AT + timedelta(days=9, hours=1))  # the day before
    assert _run(app, db) == 3
    assert _run(app, db) == 0
    keys = db.session.scalars(sa.select(OutboundMessage.event_key).where(OutboundMessage.recipient == AGENT)).all()
    assert sum("reminder7" in k for k in keys) == 1 and sum("reminder1" in k for k in keys) == 1
    assert len(outbox.messages(WORKER)) == 3 and "提醒" in _texts(outbox)[-1]


def _mediation_case(db, org, make_case):
    case = make_case(parties=_parties())
    Driver(db.session, org, case).mediation(MediationState.ACCEPTED)
    db.session.commit()
    return case


def _log(db, org, case, next_at, place="调解室一"):
    record = mediation.log_session(
        db.session,
        case,
        org.user(Role.MEDIATOR),
        mediation.SessionInput(
            held_at=clock.now_utc(),
            attendees="张三；宏达公司人事经理",
            summary="双方陈述",
            outcome=SessionOutcome.CONTINUE,
            place=place,
            next_at=next_at,
        ),
    )
    db.session.commit()
    return record


def test_a_planned_session_is_told_at_once_reminded_once_and_a_new_plan_is_news(app, db, org, make_case, outbox):
    case = _mediation_case(db, org, make_case)
    _log(db, org, case, next_at=None)
    assert outbox.messages() == []  # no next session planned: nothing to say
    _log(db, org, case, next_at=FROZEN_AT + timedelta(days=9))
    assert sorted(m["to"] for m in outbox.messages()) == sorted(EVERYONE)
    assert "2026-11-29 10:00" in _texts(outbox)[0] and "调解室一" in _texts(outbox)[0]
    assert _run(app, db) == 0
    clock.freeze(FROZEN_AT + timedelta(days=2, hours=1))  # 7 days before
    assert _run(app, db) == 3 and _run(app, db) == 0
    clock.freeze(FROZEN_AT + timedelta(days=3))  # held early; the next one planned elsewhere: a new notice
    _log(db, org, case, next_at=FROZEN_AT + timedelta(days=12), place="调解室二")
    assert len(outbox.messages(WORKER)) == 3 and "调解室二" in _texts(outbox)[-1]
    clock.freeze(FROZEN_AT + timedelta(days=11, hours=1))  # the day before the new plan
    assert _run(app, db) == 3 and _run(app, db) == 0
    assert len(outbox.messages(AGENT)) == 4


def test_a_mediation_ending_before_its_planned_session_cancels_it(app, db, org, make_case, outbox):
    case = _mediation_case(db, org, make_case)
    _log(db, org, case, next_at=FROZEN_AT + timedelta(days=5))
    assert _run(app, db) == 0  # within 7 days, but the notice has just told them: no 7-day reminder on top
    mediation.fail_mediation(db.session, case, org.user(Role.MEDIATOR), reason="双方分歧较大")
    db.session.commit()
    assert len(outbox.messages(EMPLOYER)) == 2 and "不再举行" in _texts(outbox, EMPLOYER)[-1]
    assert _run(app, db) == 0


def test_a_failed_delivery_is_listed_for_the_clerk(app, db, org, make_case, outbox, client, login):
    case = _case(db, org, make_case)
    app.config["MESSAGE_FAIL_RECIPIENTS"] = EMPLOYER
    _schedule(db, org, case, FROZEN_AT + timedelta(days=10), _room(db, org))
    failed = db.session.scalars(sa.select(OutboundMessage).where(OutboundMessage.status == MessageStatus.FAILED)).all()
    assert [m.recipient for m in failed] == [EMPLOYER] and failed[0].attempts == 3
    assert {m["to"] for m in outbox.messages()} == {WORKER, AGENT}
    login(org.user(Role.CLERK))
    page = client.get("/messages/failed").get_data(as_text=True)
    assert EMPLOYER in page or "13900139000"[-4:] in page
    assert case.registry_no in page


def test_cli_notify(app, db, org, make_case, outbox, runner):
    _case(db, org, make_case)
    result = runner.invoke(args=["portal", "notify"])
    assert result.exit_code == 0 and "0 messages sent" in result.output
