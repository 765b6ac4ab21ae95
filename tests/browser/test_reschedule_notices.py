"""A rescheduled hearing notifies every party and the reminder is sent once (issue 20, "What it must show"): a
clerk postpones a hearing to a new date and room in the staff pages; the worker, the employer and its agent each
get the postponement and the new notice; the worker signs in to the portal on a 390×844 phone and sees the new
date; on the reminder's day the job runs twice and the reminder goes once to each."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from disputes import clock
from disputes.models import Hearing, HearingRoom, OutboundMessage, Role
from disputes.workflow import hearings
from disputes.workflow.states import ArbitrationState, HearingState
from tests.browser.conftest import DESKTOP, PHONE, Screen
from tests.conftest import FROZEN_AT, PASSWORD
from tests.drive import Driver
from tests.portal.test_reminders import AGENT, EMPLOYER, EVERYONE, WORKER, _parties
from tests.portal_support import Outbox


@pytest.fixture
def outbox(app, tmp_path):
    """The file backend writes to this test's own file (every message "sent" to the parties)."""
    previous = app.config["MESSAGE_OUTBOX"], app.config.get("MESSAGE_FAIL_RECIPIENTS", "")
    app.config["MESSAGE_OUTBOX"], app.config["MESSAGE_FAIL_RECIPIENTS"] = str(tmp_path / "outbox.jsonl"), ""
    yield Outbox(tmp_path / "outbox.jsonl")
    app.config["MESSAGE_OUTBOX"], app.config["MESSAGE_FAIL_RECIPIENTS"] = previous


def test_staff_reschedules_every_party_is_told_and_the_reminder_goes_once(
    browser, live_server, db, org, make_case, outbox, runner
):
    case = make_case(parties=_parties())
    driver = Driver(db.session, org, case)
    driver.arbitration(ArbitrationState.TRIBUNAL_FORMED)
    room = driver.room()
    starts = FROZEN_AT + timedelta(days=10)
    first = hearings.schedule_hearing(
        db.session, case, org.user(Role.CLERK), starts_at=starts, ends_at=starts + timedelta(hours=2), room_id=room.id
    )
    other = HearingRoom(unit_id=org.arbitration.id, name="第五仲裁庭")
    db.session.add(other)
    db.session.commit()
    assert {m["to"] for m in outbox.messages()} == EVERYONE

    clerk = Screen(browser, live_server, DESKTOP, "zh")
    worker = Screen(browser, live_server, PHONE, "zh")
    try:
        clerk.go("/login")
        clerk.page.fill("input[name=username]", org.user(Role.CLERK).username)
        clerk.page.fill("input[name=password]", PASSWORD)
        clerk.page.locator("main form button").first.click()
        clerk.page.wait_for_load_state()
        clerk.go(f"/cases/{case.id}/arbitration/postpone-hearing")
        form = clerk.page.locator(".step-form form")
        form.locator("select[name=hearing_id]").select_option(str(first.id))
        form.locator("textarea[name=reason]").fill("被申请人代理人申请延期")
        form.locator("input[name=day]").fill("2026-12-03")
        form.locator("input[name=starts_at]").fill("14:00")
        form.locator("input[name=ends_at]").fill("16:00")
        form.locator("select[name=room_id]").select_option(str(other.id))
        form.locator("button.btn-primary").click()
        clerk.page.wait_for_load_state()
        assert f"/cases/{case.id}" in clerk.page.url

        db.session.expire_all()
        moved = db.session.scalar(sa.select(Hearing).where(Hearing.state == HearingState.SCHEDULED))
        assert db.session.get(Hearing, first.id).state == HearingState.POSTPONED
        for contact in (WORKER, EMPLOYER, AGENT):  # each: the first notice, the postponement, the new notice
            texts = [m["text"] for m in outbox.messages(contact)]
            assert len(texts) == 3, (contact, texts)
            assert "延期" in texts[1] and "2026-12-03 14:00" in texts[2] and "第五仲裁庭" in texts[2]

        worker.go("/portal/sign-in")
        worker.page.fill("input[name=contact]", WORKER)
        worker.page.click("main form button.p-button")
        code = re.search(r"\b(\d{6})\b", outbox.messages(WORKER)[-1]["text"]).group(1)
        worker.page.fill("input[name=code]", code)
        worker.page.click("main form button.p-button")
        worker.page.click("a.p-card")
        dates = worker.page.inner_text("#dates")
        assert "2026-12-03 14:00" in dates and "第五仲裁庭" in dates
        worker.assert_fits()
        assert worker.problems == [] and clerk.problems == []
    finally:
        worker.close()
        clerk.close()

    clock.freeze(clock.to_local(moved.starts_at).replace(hour=9) - timedelta(days=7))  # the 7-day reminder's day
    sent = []
    for _run in range(2):
        result = runner.invoke(args=["portal", "notify"])
        assert result.exit_code == 0, result.output
        sent.append(result.output.strip())
    assert sent == ["3 messages sent", "0 messages sent"]
    db.session.rollback()  # the job committed in its own session: read afresh
    reminders = db.session.scalars(
        sa.select(OutboundMessage).where(OutboundMessage.event_key.like(f"hearing:{moved.id}:reminder7:%"))
    ).all()
    assert sorted(m.recipient for m in reminders) == sorted(EVERYONE)
    assert all(sum("提醒" in m["text"] for m in outbox.messages(to)) == 1 for to in EVERYONE)
