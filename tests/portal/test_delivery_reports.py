"""The SMS provider's delivery reports (issue 20): signed by the provider, delivered or failed at the provider's
time, idempotent, unknown ids ignored with the answer providers expect; a failed one is listed for a clerk."""

import json
from datetime import UTC, datetime

import pytest

from disputes import messaging
from disputes.messaging.reports import ACCEPTED, signature
from disputes.models import OutboundMessage, Role
from disputes.models.enums import MessageStatus

SECRET = "report-secret"
URL = "/gateway/sms/reports"


@pytest.fixture
def secret(app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_REPORT_SECRET", SECRET)


def push(client, reports, key: str = SECRET, raw: bytes | None = None):
    body = raw if raw is not None else json.dumps(reports, ensure_ascii=False).encode()
    return client.post(
        URL, data=body, headers={"X-Signature": signature(key, body), "Content-Type": "application/json"}
    )


def sent(app, db, recipient: str = "13800138000", key: str = "notice:1") -> OutboundMessage:
    with app.test_request_context():
        message, _ = messaging.send(db.session, event_key=key, recipient=recipient, text="开庭通知", case_id=None)
    db.session.commit()
    assert message.status == MessageStatus.SENT and message.provider_id
    return message


def report(message, success=True, at="2026-11-20 10:15:30", **more):
    return {"biz_id": message.provider_id, "success": success, "report_time": at, "phone_number": "138****8000", **more}


def fresh(db, message) -> OutboundMessage:
    db.session.expire_all()
    return db.session.get(OutboundMessage, message.id)


def test_delivered_at_the_provider_s_time(app, db, client, outbox, secret):
    message = sent(app, db)
    response = push(client, [report(message, err_code="DELIVERED", err_msg="用户接收成功")])
    assert response.status_code == 200 and response.get_json() == ACCEPTED
    row = fresh(db, message)
    assert row.status == MessageStatus.DELIVERED
    assert row.delivered_at == datetime(2026, 11, 20, 2, 15, 30, tzinfo=UTC)  # 10:15:30 in Beijing


def test_a_report_pushed_again_changes_nothing_and_a_later_contrary_one_neither(app, db, client, outbox, secret):
    message = sent(app, db)
    push(client, [report(message)])
    assert push(client, [report(message, at="2026-11-20 11:00:00")]).status_code == 200
    assert push(client, [report(message, success=False, err_code="MK:0001")]).status_code == 200
    row = fresh(db, message)
    assert row.status == MessageStatus.DELIVERED and row.failed_at is None
    assert row.delivered_at == datetime(2026, 11, 20, 2, 15, 30, tzinfo=UTC)


def test_a_failed_delivery_is_listed_for_a_clerk_who_resends_it(app, db, client, outbox, secret, org, login):
    message = sent(app, db)
    old_id = message.provider_id
    response = push(client, {**report(message, success="false", err_code="MK:0012", err_msg="空号")})  # one object
    assert response.status_code == 200
    row = fresh(db, message)
    assert row.status == MessageStatus.FAILED and row.delivered_at is None
    assert row.failed_at == datetime(2026, 11, 20, 2, 15, 30, tzinfo=UTC) and row.last_error == "MK:0012 空号"
    push(client, [report(message, success=False, at="2026-11-21 09:00:00")])  # pushed again: the first time stays
    assert fresh(db, message).failed_at == datetime(2026, 11, 20, 2, 15, 30, tzinfo=UTC)

    login(org.user(Role.CLERK))
    page = client.get("/messages/failed").get_data(as_text=True)
    assert "开庭通知" in page and "MK:0012 空号" in page
    assert client.post(f"/messages/{message.id}/resend").status_code == 302
    row = fresh(db, message)
    assert row.status == MessageStatus.SENT and row.failed_at is None and row.provider_id != old_id
    assert len(outbox.messages("13800138000")) == 2
    push(client, [{"biz_id": old_id, "success": False}])  # a late report on the first attempt: no longer its id
    assert fresh(db, message).status == MessageStatus.SENT


def test_unknown_ids_are_ignored_with_the_expected_answer(app, db, client, outbox, secret):
    message = sent(app, db)
    response = push(client, [{"biz_id": "no-such-id", "success": True}, {"success": True}, report(message)])
    assert response.status_code == 200 and response.get_json() == {"code": 0, "msg": "成功"}
    assert fresh(db, message).status == MessageStatus.DELIVERED


def test_unsigned_wrongly_signed_or_unconfigured_reports_are_refused(app, db, client, outbox, monkeypatch):
    message = sent(app, db)
    body = [report(message)]
    assert push(client, body).status_code == 403  # no SMS_REPORT_SECRET: every report refused
    monkeypatch.setitem(app.config, "SMS_REPORT_SECRET", SECRET)
    assert push(client, body, key="guessed").status_code == 403
    assert client.post(URL, json=body).status_code == 403  # no signature
    assert fresh(db, message).status == MessageStatus.SENT


def test_malformed_reports_are_refused(app, db, client, secret):
    assert push(client, None, raw=b"not json").status_code == 400
    assert push(client, ["a string"]).status_code == 400
    assert push(client, None, raw=b"[" + b" " * (600 * 1024) + b"]").status_code == 413


def test_reports_are_rate_limited():
    """In a separate process: the test app runs with rate limits off, and the limiter is global."""
    import subprocess
    import sys

    script = (
        "from disputes import create_app\n"
        "app = create_app('testing', RATELIMIT_ENABLED=True, SQLALCHEMY_DATABASE_URI='sqlite://')\n"
        "client = app.test_client()\n"
        "print(' '.join(str(client.post('/gateway/sms/reports', data=b'[]').status_code) for _ in range(301)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    statuses = result.stdout.split()
    assert statuses[0] == "403" and statuses[-1] == "429", result.stdout[-200:]
