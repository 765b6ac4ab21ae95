"""Where an outbound message goes: a file (development, tests, demo), SMTP, or an SMS provider's HTTP API.

A backend takes one message and either returns the provider's id for it or raises `GatewayError`; it never touches
the database (the gateway records the outcome)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import smtplib
import ssl
import urllib.error
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from disputes import clock
from disputes.sla.mailer import settings_from

log = logging.getLogger(__name__)


class GatewayError(Exception):
    """The message could not be handed over (it may be tried again)."""


@dataclass(frozen=True)
class Outgoing:
    channel: str  # "sms" or "email"
    to: str
    subject: str
    text: str
    key: str  # the message's event key: a provider that deduplicates gets it too


class FileBackend:
    """Appends each message as one JSON line to a file (MESSAGE_OUTBOX) and logs it: development, tests and the
    demo read what was "sent" there. Recipients listed in MESSAGE_FAIL_RECIPIENTS fail, so a failed delivery can be
    shown and resent without a real gateway."""

    def __init__(self, config: Mapping):
        self.path = Path(config["MESSAGE_OUTBOX"])
        self.failing = {r.strip() for r in (config.get("MESSAGE_FAIL_RECIPIENTS") or "").split(",") if r.strip()}

    def send(self, message: Outgoing) -> str:
        if message.to in self.failing:
            raise GatewayError(f"recipient {message.to} unreachable (MESSAGE_FAIL_RECIPIENTS)")
        provider_id = uuid.uuid4().hex
        line = {
            "id": provider_id,
            "at": clock.now_utc().isoformat(),
            "channel": message.channel,
            "to": message.to,
            "subject": message.subject,
            "text": message.text,
            "key": message.key,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        log.info("message %s to %s (%s): %s", message.key, message.to, message.channel, message.subject)
        return provider_id


class SmtpBackend:
    """E-mail through the SMTP server of SMTP_HOST … (the same settings as the deadline e-mails)."""

    def __init__(self, config: Mapping):
        settings = settings_from(config)
        if settings is None:
            raise GatewayError("MESSAGE_EMAIL_BACKEND=smtp needs SMTP_HOST")
        self.settings = settings

    def send(self, message: Outgoing) -> str:
        mail = EmailMessage()
        mail["From"] = self.settings.from_address
        mail["To"] = message.to
        mail["Subject"] = message.subject
        mail["Message-ID"] = provider_id = make_msgid(domain=self.settings.host)
        mail.set_content(message.text)
        try:
            with smtplib.SMTP(self.settings.host, self.settings.port, timeout=self.settings.timeout) as smtp:
                if self.settings.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.settings.user:
                    smtp.login(self.settings.user, self.settings.password or "")
                smtp.send_message(mail)
        except (smtplib.SMTPException, OSError) as error:
            raise GatewayError(str(error)[:400]) from error
        return provider_id


class SmsHttpBackend:
    """An SMS provider's HTTP API without its SDK, shaped on the common Chinese providers' "send one message"
    call: a JSON POST to SMS_API_URL of the phone number, the registered signature (SMS_SIGN_NAME) and the text,
    signed with HMAC-SHA256 over the body under SMS_API_SECRET and identified by SMS_API_KEY. The provider answers
    JSON with a message id (SMS_ID_FIELD, default "BizId") and a status code (SMS_OK_FIELD = SMS_OK_VALUE)."""

    def __init__(self, config: Mapping):
        self.url = config.get("SMS_API_URL") or ""
        self.key = config.get("SMS_API_KEY") or ""
        self.secret = (config.get("SMS_API_SECRET") or "").encode()
        self.sign_name = config.get("SMS_SIGN_NAME") or ""
        self.id_field = config.get("SMS_ID_FIELD") or "BizId"
        self.ok_field = config.get("SMS_OK_FIELD") or "Code"
        self.ok_value = config.get("SMS_OK_VALUE") or "OK"
        self.timeout = float(config.get("SMS_TIMEOUT") or 10)
        if not (self.url and self.key and self.secret):
            raise GatewayError("MESSAGE_SMS_BACKEND=http needs SMS_API_URL, SMS_API_KEY and SMS_API_SECRET")

    def request_for(self, message: Outgoing) -> urllib.request.Request:
        body = json.dumps(
            {"PhoneNumbers": message.to, "SignName": self.sign_name, "Content": message.text, "OutId": message.key},
            ensure_ascii=False,
        ).encode()
        signature = base64.b64encode(hmac.new(self.secret, body, hashlib.sha256).digest()).decode()
        headers = {"Content-Type": "application/json; charset=utf-8", "X-Api-Key": self.key, "X-Signature": signature}
        return urllib.request.Request(self.url, data=body, headers=headers, method="POST")

    def send(self, message: Outgoing) -> str:
        try:
            with urllib.request.urlopen(self.request_for(message), timeout=self.timeout) as response:
                answer = json.loads(response.read().decode() or "{}")
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise GatewayError(str(error)[:400]) from error
        if str(answer.get(self.ok_field)) != self.ok_value:
            raise GatewayError(f"provider refused: {json.dumps(answer, ensure_ascii=False)[:400]}")
        return str(answer.get(self.id_field) or "")


EMAIL_BACKENDS = {"file": FileBackend, "smtp": SmtpBackend}
SMS_BACKENDS = {"file": FileBackend, "http": SmsHttpBackend}


def backend_for(channel: str, config: Mapping):
    if channel == "email":
        return EMAIL_BACKENDS[config.get("MESSAGE_EMAIL_BACKEND") or "file"](config)
    return SMS_BACKENDS[config.get("MESSAGE_SMS_BACKEND") or "file"](config)
