"""`flask sla scan`: breaches recorded once, periods closed, each warning sent once (even by two scans at once),
e-mail through SMTP with failures retried."""

import smtplib
import threading
from datetime import date
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock, organisation
from disputes.models import Role, TimelineEntry
from disputes.models.sla import Notification, SlaTimer
from disputes.sla import mailer
from disputes.sla.scan import scan
from disputes.sla.states import NoticeKind, TimerStatus
from disputes.workflow import arbitration as arb
from disputes.workflow.states import ArbitrationState
from tests.drive import Driver, at_local

SMTP = mailer.SmtpSettings(host="smtp.example.org", port=2525, user="sla", password="pw", sender="sla@example.org")


def at(day: date, hour: int = 10):
    """Move the frozen clock to `hour` o'clock in Shanghai on `day`; returns (today, now) for scan()."""
    clock.freeze(at_local(day, hour))
    return clock.today_local(), clock.now_utc()


def run(db, day: date, **kwargs):
    return scan(db.session, *at(day), **kwargs)


def timers(db, case, rule_id=None):
    db.session.expire_all()
    rows = db.session.scalars(sa.select(SlaTimer).where(SlaTimer.case_id == case.id).order_by(SlaTimer.id)).all()
    return [t for t in rows if rule_id is None or t.rule_id == rule_id]


def notices(db, **where):
    return db.session.scalars(sa.select(Notification).filter_by(**where).order_by(Notification.id)).all()


def received(db, org, make_case):
    """A case whose application was received on 2026-11-20: accept/correct due 2026-11-25, nobody responsible."""
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.RECEIVED)
    db.session.commit()
    return case


def test_breach_recorded_once_with_days_late_and_the_supervisors_told(db, org, make_case):
    district_supervisor = organisation.add_user(
        db.session, "sup-lg", "区督导", [Role.SUPERVISOR], org.district, "correct-horse-42"
    )
    street_supervisor = organisation.add_user(
        db.session, "sup-bj", "街道督导", [Role.SUPERVISOR], org.street, "correct-horse-42"
    )
    case = received(db, org, make_case)
    task_ids = {t.id for t in timers(db, case) if t.rule_id in ("arbitration.accept", "arbitration.correct")}
    assert len(task_ids) == 2

    assert run(db, date(2026, 11, 25)).breached == 0  # the deadline day itself is still on time
    result = run(db, date(2026, 11, 27))
    assert (result.breached, result.warned) == (2, 0)
    for timer in timers(db, case):
        if timer.id in task_ids:
            assert (timer.status, timer.breached_on, timer.days_late) == (TimerStatus.BREACHED, date(2026, 11, 26), 2)
    # Nobody holds a case before its tribunal: its timers fall to the supervisor of the unit (issue 16: every
    # timer has an owner), who alone is told; neither the district's nor the street's supervisor is.
    owner = org.user(Role.SUPERVISOR)
    assert {t.responsible_id for t in timers(db, case) if t.id in task_ids} == {owner.id}
    told = {(n.timer_id, n.user_id) for n in notices(db, kind=NoticeKind.BREACHED)}
    assert told == {(t, owner.id) for t in task_ids}
    assert not {district_supervisor.id, street_supervisor.id} & {u for _t, u in told}
    entries = db.session.scalars(sa.select(TimelineEntry).where(TimelineEntry.kind == "sla.breached")).all()
    assert sorted(e.after["rule"] for e in entries) == ["arbitration.accept", "arbitration.correct"]
    assert {(e.case_id, e.after["due_on"], e.actor_id) for e in entries} == {(case.id, "2026-11-25", None)}

    again = run(db, date(2026, 11, 27))
    assert (again.breached, again.notifications) == (0, 0)
    later = run(db, date(2026, 11, 30))
    assert (later.breached, later.notifications) == (0, 0)
    assert {t.days_late for t in timers(db, case) if t.id in task_ids} == {5}  # still open: later each day
    assert {t.breached_on for t in timers(db, case) if t.id in task_ids} == {date(2026, 11, 26)}
    assert len(notices(db, kind=NoticeKind.BREACHED)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).where(TimelineEntry.kind == "sla.breached")) == 2


def test_met_late_after_a_breach_keeps_the_breach_date(db, org, make_case):
    case = received(db, org, make_case)
    run(db, date(2026, 11, 27))
    at(date(2026, 11, 30))
    arb.accept(db.session, case, org.user(Role.CLERK))
    db.session.commit()
    accept = timers(db, case, "arbitration.accept")[0]
    assert (accept.status, accept.breached_on, accept.days_late, accept.completed_on) == (
        TimerStatus.MET_LATE,
        date(2026, 11, 26),
        5,
        date(2026, 11, 30),
    )
    result = run(db, date(2026, 12, 1))
    assert result.breached == 0
    assert timers(db, case, "arbitration.accept")[0].days_late == 5  # closed: no longer counted up


def test_a_warning_is_sent_once_to_the_responsible_person(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    db.session.commit()
    notice = timers(db, case, "arbitration.tribunal_notice")[0]
    assert (notice.warn_on, notice.due_on, notice.responsible_id) == (
        date(2026, 11, 24),
        date(2026, 11, 25),
        org.user(Role.ARBITRATOR).id,
    )

    assert run(db, date(2026, 11, 23)).warned == 0
    first = run(db, date(2026, 11, 24))
    assert (first.warned, first.notifications) == (1, 1)
    second = run(db, date(2026, 11, 24))
    assert (second.warned, second.notifications) == (0, 0)
    third = run(db, date(2026, 11, 25))
    assert (third.warned, third.notifications) == (0, 0)
    [sent] = notices(db)
    assert (sent.kind, sent.user_id, sent.timer_id, sent.due_on) == (
        NoticeKind.DUE_SOON,
        org.user(Role.ARBITRATOR).id,
        notice.id,
        date(2026, 11, 25),
    )
    assert timers(db, case, "arbitration.tribunal_notice")[0].warned_at == at_local(date(2026, 11, 24), 10)


def test_a_period_that_runs_out_is_closed_as_met_not_breached(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    db.session.commit()
    defence = timers(db, case, "arbitration.defence")[0]
    assert defence.due_on == date(2026, 12, 1)
    run(db, date(2026, 12, 1))
    assert timers(db, case, "arbitration.defence")[0].status == TimerStatus.RUNNING  # its last day
    result = run(db, date(2026, 12, 2))
    assert result.closed == 1
    defence = timers(db, case, "arbitration.defence")[0]
    assert (defence.status, defence.completed_on, defence.completed_by, defence.breached_on, defence.days_late) == (
        TimerStatus.MET,
        date(2026, 12, 1),
        "sla.period_ended",
        None,
        None,
    )
    assert not notices(db, timer_id=defence.id, kind=NoticeKind.BREACHED)
    assert run(db, date(2026, 12, 3)).closed == 0


class FakeSMTP:
    """Stands in for smtplib.SMTP: records what would have been sent."""

    sent: list = []
    logins: list = []
    refuse: set = set()

    def __init__(self, host, port, timeout=None):
        self.host, self.port = host, port

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self, context=None):
        pass

    def login(self, user, password):
        FakeSMTP.logins.append((user, password))

    def send_message(self, message):
        if any(address in message["To"] for address in FakeSMTP.refuse):
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"no such user")})
        FakeSMTP.sent.append(message)


class DownSMTP(FakeSMTP):
    def __init__(self, host, port, timeout=None):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def fake_smtp(monkeypatch):
    FakeSMTP.sent, FakeSMTP.logins, FakeSMTP.refuse = [], [], set()
    monkeypatch.setattr(mailer.smtplib, "SMTP", FakeSMTP)
    return FakeSMTP


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_notifications_are_emailed_in_chinese_and_failures_retried(db, org, make_case, fake_smtp, monkeypatch):
    supervisor = org.user(Role.SUPERVISOR)
    supervisor.email = "sup@example.org"
    case = received(db, org, make_case)
    monkeypatch.setattr(mailer.smtplib, "SMTP", DownSMTP)
    down = run(db, date(2026, 11, 24), mail=SMTP)
    assert (down.warned, down.notifications, down.emails, down.email_failures) == (2, 2, 0, 2)
    assert all(n.emailed_at is None for n in notices(db))

    monkeypatch.setattr(mailer.smtplib, "SMTP", FakeSMTP)
    retried = run(db, date(2026, 11, 24), mail=SMTP)
    assert (retried.warned, retried.emails, retried.email_failures) == (0, 2, 0)
    assert fake_smtp.logins == [("sla", "pw")]
    first = fake_smtp.sent[0]
    assert (first["To"], first["From"]) == ("supervisor <sup@example.org>", "sla@example.org")
    assert sorted(subject(m) for m in fake_smtp.sent) == [
        f"【期限提醒】{case.registry_no}：一次性告知需要补正的全部材料将于2026年11月25日届满",
        f"【期限提醒】{case.registry_no}：决定受理或者不予受理将于2026年11月25日届满",
    ]
    body = message_from_bytes(first.as_bytes()).get_payload(decode=True).decode("utf-8")
    assert case.registry_no in body and "2026年11月25日" in body and "届满" in body
    assert all(n.emailed_at is not None for n in notices(db))
    assert run(db, date(2026, 11, 24), mail=SMTP).emails == 0  # each e-mail once

    breach = run(db, date(2026, 11, 27), mail=SMTP)
    assert (breach.breached, breach.emails) == (2, 2)
    assert all(subject(m).startswith("【期限已过】") and "已逾期 2 天" in m.get_content() for m in fake_smtp.sent[2:])


def test_one_refused_recipient_does_not_stop_the_others_and_users_without_address_are_skipped(
    db, org, make_case, fake_smtp
):
    other = organisation.add_user(db.session, "sup-lg", "区督导", [Role.SUPERVISOR], org.district, "correct-horse-42")
    other.email = "gone@example.org"
    org.user(Role.SUPERVISOR).email = "sup@example.org"
    quiet = organisation.add_user(
        db.session, "sup-lgc", "无邮箱督导", [Role.SUPERVISOR], org.centre, "correct-horse-42"
    )
    case = received(db, org, make_case)
    # Timers nobody answers for (a bulk load's, or the owner deactivated): every supervisor up the tree is told.
    for timer in timers(db, case):
        timer.responsible_id = None
    db.session.commit()
    fake_smtp.refuse = {"gone@example.org"}
    result = run(db, date(2026, 11, 24), mail=SMTP)
    assert result.notifications == 6  # two timers, three supervisors
    assert (result.emails, result.email_failures) == (2, 2)
    assert all(n.emailed_at is None for n in notices(db, user_id=other.id))
    assert all(n.emailed_at is None for n in notices(db, user_id=quiet.id))
    assert all(n.emailed_at is not None for n in notices(db, user_id=org.user(Role.SUPERVISOR).id))


def test_cli_prints_the_counts(db, org, make_case, runner, app, monkeypatch, fake_smtp):
    received(db, org, make_case)
    at(date(2026, 11, 24))
    out = runner.invoke(args=["sla", "scan"])
    assert out.exit_code == 0, out.output
    assert "0 breached, 2 warned, 0 period(s) closed, 2 notification(s)" in out.output
    assert "E-mail: off" in out.output
    refused = runner.invoke(args=["sla", "scan", "--date", "2026-11-25"])
    assert refused.exit_code != 0 and "must not be after today" in refused.output
    at(date(2026, 11, 27))
    monkeypatch.setitem(app.config, "SMTP_HOST", "smtp.example.org")
    out = runner.invoke(args=["sla", "scan", "--date", "2026-11-26"])
    assert out.exit_code == 0, out.output
    assert "SLA scan as of 2026-11-26: 2 breached" in out.output and "E-mail: 0 sent, 0 failed" in out.output


def test_two_scans_at_once_send_each_warning_and_record_each_breach_once(db, org, make_case):
    cases = [received(db, org, make_case) for _ in range(8)]
    later = make_case()
    Driver(db.session, org, later).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    db.session.commit()
    engine = db.engine

    def race(day: date) -> list:
        today, now = at(day)
        start = threading.Barrier(2, timeout=30)
        results, errors = [], []

        def work():
            try:
                with Session(engine) as session:
                    start.wait()
                    results.append(scan(session, today, now))
            except Exception as error:  # noqa: BLE001 — reported by the assertion below
                errors.append(error)

        threads = [threading.Thread(target=work) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors, errors
        assert len(results) == 2
        return results

    warned = race(date(2026, 11, 24))  # accept + correct of 8 cases, the tribunal notice of the ninth
    due_soon = notices(db, kind=NoticeKind.DUE_SOON)
    assert sum(r.warned for r in warned) == 17 == len(due_soon)
    assert sum(r.notifications for r in warned) == 17
    assert len({n.timer_id for n in due_soon}) == 17

    breached = race(date(2026, 11, 27))
    assert sum(r.breached for r in breached) == 17
    assert len(notices(db, kind=NoticeKind.BREACHED)) == 17
    entries = db.session.scalar(sa.select(sa.func.count()).where(TimelineEntry.kind == "sla.breached"))
    assert entries == 17
    assert {t.days_late for c in cases for t in timers(db, c) if t.status == TimerStatus.BREACHED} == {2}
