"""The outbound gateway: one send per event and recipient, retries, failures listed and resent (issue 20)."""

import json
import urllib.request

import pytest
import sqlalchemy as sa

from disputes import messaging
from disputes.messaging.backends import GatewayError, Outgoing, SmsHttpBackend
from disputes.models import OutboundMessage, Role
from disputes.models.enums import MessageStatus


def test_one_send_per_event_and_recipient(app, db, outbox):
    with app.test_request_context():
        first, new = messaging.send(db.session, event_key="hearing:1:reminder7", recipient="138 0013 8000", text="提醒")
        again, new_again = messaging.send(
            db.session, event_key="hearing:1:reminder7", recipient="13800138000", text="提醒"
        )
        other, _ = messaging.send(db.session, event_key="hearing:1:reminder1", recipient="13800138000", text="提醒")
    assert new and not new_again and again.id == first.id and other.id != first.id
    assert len(outbox.messages("13800138000")) == 2
    assert first.status == MessageStatus.SENT and first.sent_at is not None


def test_a_failing_recipient_is_tried_three_times_then_listed_and_resent(app, db, outbox, org, client, login):
    app.config["MESSAGE_FAIL_RECIPIENTS"] = "13800138000"
    with app.test_request_context():
        message, _ = messaging.send(db.session, event_key="notice:9", recipient="13800138000", text="开庭通知")
    assert message.status == MessageStatus.FAILED and message.attempts == messaging.MAX_ATTEMPTS
    assert "unreachable" in message.last_error
    db.session.commit()
    login(org.user(Role.CLERK))
    assert "开庭通知" in client.get("/messages/failed").get_data(as_text=True)
    app.config["MESSAGE_FAIL_RECIPIENTS"] = ""
    assert client.post(f"/messages/{message.id}/resend").status_code == 302
    db.session.expire_all()
    assert db.session.get(OutboundMessage, message.id).status == MessageStatus.SENT
    assert [m["text"] for m in outbox.messages("13800138000")] == ["开庭通知"]


def test_with_a_broker_the_message_is_queued_after_the_commit(app, db, outbox, monkeypatch):
    from disputes import jobs

    queued = []
    monkeypatch.setitem(app.config, "CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
    monkeypatch.setattr(jobs, "enqueue_message", lambda message_id, text: queued.append((message_id, text)))
    with app.test_request_context():
        message, _ = messaging.send(
            db.session, event_key="k", recipient="a@example.org", text="code %(secret)s", secret="123456"
        )
        assert queued == [] and message.status == MessageStatus.QUEUED
        db.session.commit()
    assert queued == [(message.id, "code 123456")]
    assert db.session.get(OutboundMessage, message.id).body == "code " + messaging.MASK
    monkeypatch.setitem(app.config, "CELERY_BROKER_URL", "")
    assert jobs.run_send_message(message.id, "code 123456")
    assert outbox.messages("a@example.org")[0]["text"] == "code 123456"
    assert jobs.run_send_message(message.id, "code 123456")  # a task run twice sends once
    assert len(outbox.messages("a@example.org")) == 1


def test_sms_http_adapter_signs_and_reads_the_answer(monkeypatch):
    config = {
        "SMS_API_URL": "https://sms.example.com/send",
        "SMS_API_KEY": "k",
        "SMS_API_SECRET": "s",
        "SMS_SIGN_NAME": "劳动争议调解仲裁",
    }
    backend = SmsHttpBackend(config)
    seen = {}

    class Answer:
        def __init__(self, body):
            self.body = body

        def read(self):
            return json.dumps(self.body).encode()

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def fake_urlopen(request, timeout):
        seen["body"] = json.loads(request.data)
        seen["headers"] = dict(request.header_items())
        return Answer({"Code": "OK", "BizId": "abc"})

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    assert backend.send(Outgoing("sms", "13800138000", "", "您好", "e:1")) == "abc"
    assert seen["body"]["PhoneNumbers"] == "13800138000" and seen["body"]["SignName"] == "劳动争议调解仲裁"
    assert seen["headers"]["X-signature"]
    monkeypatch.setattr(urllib.request, "urlopen", lambda request, timeout: Answer({"Code": "isv.BUSINESS_LIMIT"}))
    with pytest.raises(GatewayError):
        backend.send(Outgoing("sms", "13800138000", "", "您好", "e:2"))
    with pytest.raises(GatewayError):
        SmsHttpBackend({})


def test_failed_list_is_for_registrars_only(db, org, client, login):
    login(org.user(Role.COURT_LIAISON))
    assert client.get("/messages/failed").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboundMessage)) == 0


def test_a_second_send_in_the_transaction_does_not_hand_the_first_over_before_the_commit(app, db, outbox, monkeypatch):
    """Each send writes its row under a savepoint; releasing it is not the commit (the worker could not read the
    row yet)."""
    from disputes import jobs

    queued = []
    monkeypatch.setitem(app.config, "CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
    monkeypatch.setattr(jobs, "enqueue_message", lambda message_id, text: queued.append(message_id))
    with app.test_request_context():
        first, _ = messaging.send(db.session, event_key="k1", recipient="13800138000", text="一")
        second, _ = messaging.send(db.session, event_key="k2", recipient="13800138000", text="二")
        again, new = messaging.send(db.session, event_key="k1", recipient="13800138000", text="一")
        assert queued == [] and not new and again.id == first.id
        db.session.commit()
    assert queued == [first.id, second.id]
