"""Hearing notices: every party and agent told when a hearing is scheduled or moved, reminders once (issue 20)."""

from datetime import timedelta

import sqlalchemy as sa

from disputes import clock
from disputes.models import HearingRoom, OutboundMessage, PartyKind, PartySide
from disputes.portal import reminders
from disputes.workflow import hearings
from disputes.workflow.intake import PartyInput
from disputes.workflow.states import ArbitrationState
from tests.conftest import EMPLOYER_CODE, FROZEN_AT, WORKER_ID
from tests.drive import Driver

WORKER, EMPLOYER, AGENT = "13800138000", "13900139000", "13700137000"


def _case(db, org, make_case):
    case = make_case(
        parties=[
            PartyInput(PartySide.APPLICANT, PartyKind.WORKER, "张三", id_number=WORKER_ID, phone=WORKER),
            PartyInput(PartySide.RESPONDENT, PartyKind.EMPLOYER, "宏达公司", credit_code=EMPLOYER_CODE, phone=EMPLOYER),
            PartyInput(PartySide.RESPONDENT, PartyKind.AGENT, "李律师", phone=AGENT, capacity="律师", represents=1),
        ]
    )
    Driver(db.session, org, case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    db.session.commit()
    return case


def _run(app, db) -> int:
    with app.test_request_context():
        sent = reminders.run(db.session)
    db.session.commit()
    return sent


def test_rescheduled_hearing_notifies_every_party_and_reminders_go_once(app, db, org, make_case, outbox):
    case = _case(db, org, make_case)
    room = HearingRoom(unit_id=org.arbitration.id, name="第二仲裁庭")
    db.session.add(room)
    db.session.commit()
    starts = FROZEN_AT + timedelta(days=10)
    hearing = hearings.schedule_hearing(
        db.session, case, org.user("clerk"), starts_at=starts, ends_at=starts + timedelta(hours=2), room_id=room.id
    )
    db.session.commit()
    assert _run(app, db) == 3  # the worker, the employer and its agent: the notice
    assert _run(app, db) == 0  # nothing new
    hearing.starts_at, hearing.ends_at = starts + timedelta(days=2), starts + timedelta(days=2, hours=2)  # moved
    db.session.commit()
    assert _run(app, db) == 3
    assert all("第二仲裁庭" in m["text"] for m in outbox.messages())
    clock.freeze(FROZEN_AT + timedelta(days=6))  # 6 days before the moved hearing: the 7-day reminder
    assert _run(app, db) == 3
    assert _run(app, db) == 0
    clock.freeze(FROZEN_AT + timedelta(days=11, hours=1))  # the day before
    assert _run(app, db) == 3
    assert _run(app, db) == 0
    keys = db.session.scalars(sa.select(OutboundMessage.event_key).where(OutboundMessage.recipient == AGENT)).all()
    assert sum("reminder7" in k for k in keys) == 1 and sum("reminder1" in k for k in keys) == 1
    assert len(outbox.messages(WORKER)) == 4


def test_cli_notify(app, db, org, make_case, outbox, runner):
    _case(db, org, make_case)
    result = runner.invoke(args=["portal", "notify"])
    assert result.exit_code == 0 and "0 messages sent" in result.output
