"""The one outbound gateway (issue 20): every SMS and e-mail to a party goes through `send`.

A message is one row per event and recipient (`outbound_messages`, unique on both): asking twice to send the same
event to the same person returns the first row and sends nothing. The row is written in the caller's transaction;
delivery runs on the Celery worker after the commit (with retries), or, without a broker, at once in the caller's
session — or, for a message that must not go out unless the change it announces is stored (`later=True`: a hearing
moved), after the commit in a session of its own. A one-time code in a message is handed to the backend but stored
masked."""

from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from disputes import clock
from disputes.messaging.backends import GatewayError, Outgoing, backend_for
from disputes.models import OutboundMessage
from disputes.models.enums import MessageChannel, MessageStatus

MAX_ATTEMPTS = 3
MASK = "••••••"
PENDING = "outbound_pending"  # session.info key: messages to hand to the worker after the commit


def normalise_phone(value: str | None) -> str:
    """A mainland mobile number as 11 digits (spaces, dashes and a +86 prefix dropped)."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def normalise_contact(value: str | None) -> str:
    value = (value or "").strip()
    return value.lower() if "@" in value else normalise_phone(value)


def channel_of(contact: str) -> MessageChannel:
    return MessageChannel.EMAIL if "@" in contact else MessageChannel.SMS


def send(
    session: Session,
    *,
    event_key: str,
    recipient: str,
    text: str,
    subject: str = "",
    case_id: int | None = None,
    party_id: int | None = None,
    secret: str | None = None,
    later: bool = False,
) -> tuple[OutboundMessage, bool]:
    """Record and send one message; (the row, whether it is new). `text` may hold `%(secret)s`, filled for the
    recipient and masked in the row. `later`: delivered only once the caller's transaction is committed."""
    recipient = normalise_contact(recipient)
    existing = _existing(session, event_key, recipient)
    if existing is not None:
        return existing, False
    message = OutboundMessage(
        event_key=event_key[:120],
        recipient=recipient,
        channel=channel_of(recipient),
        subject=subject[:200],
        body=text % {"secret": MASK} if secret is not None else text,
        case_id=case_id,
        party_id=party_id,
    )
    try:
        with session.begin_nested():  # a concurrent send of the same event: the unique key decides, no second send
            session.add(message)
    except IntegrityError:
        return _existing(session, event_key, recipient), False
    full = text % {"secret": secret} if secret is not None else text
    if later:
        session.info.setdefault(PENDING, []).append((message.id, full))
    else:
        dispatch(session, message, full)
    return message, True


def _existing(session: Session, event_key: str, recipient: str) -> OutboundMessage | None:
    return session.scalar(
        sa.select(OutboundMessage).where(
            OutboundMessage.event_key == event_key[:120], OutboundMessage.recipient == recipient
        )
    )


def dispatch(session: Session, message: OutboundMessage, text: str) -> None:
    """Hand the message over: to the worker after the commit when a broker is configured, else now."""
    from disputes import jobs

    if jobs.broker_url(current_app):
        session.info.setdefault(PENDING, []).append((message.id, text))
        return
    for _attempt in range(MAX_ATTEMPTS):
        if deliver(session, message, text, config=current_app.config):
            return


def deliver(session: Session, message: OutboundMessage, text: str, config) -> bool:
    """One attempt; True when the gateway took it. After MAX_ATTEMPTS failures the message is listed as failed."""
    outgoing = Outgoing(message.channel.value, message.recipient, message.subject, text, message.event_key)
    message.attempts += 1
    try:
        message.provider_id = backend_for(message.channel.value, config).send(outgoing) or None
    except GatewayError as error:
        message.last_error = str(error)[:500]
        if message.attempts >= MAX_ATTEMPTS:
            message.status, message.failed_at = MessageStatus.FAILED, clock.now_utc()
        else:
            message.status = MessageStatus.QUEUED
        session.flush()
        return False
    message.status = MessageStatus.SENT
    message.sent_at = clock.now_utc()
    message.last_error = None
    session.flush()
    return True


def resend(session: Session, message: OutboundMessage, text: str | None = None) -> bool:
    """A clerk's resend of a failed message (its stored text: a code in it stays masked, so codes are never
    resent; the party asks for a new one)."""
    message.status = MessageStatus.QUEUED
    message.attempts = 0
    message.failed_at = None
    dispatch(session, message, text or message.body)
    return message.status == MessageStatus.SENT


def report(
    session: Session, provider_id: str, *, delivered: bool, at: datetime, error: str = ""
) -> OutboundMessage | None:
    """The provider's delivery report for one message: delivered or failed, at the provider's time. Idempotent:
    a message already delivered, or already failed by an earlier report, keeps its first outcome; an id the gateway
    never gave (an old or foreign report) is ignored (None)."""
    message = session.scalar(sa.select(OutboundMessage).where(OutboundMessage.provider_id == provider_id))
    if message is None or message.status == MessageStatus.DELIVERED or message.failed_at is not None:
        return message
    if delivered:
        message.status = MessageStatus.DELIVERED
        message.delivered_at = at
    else:
        message.status = MessageStatus.FAILED  # listed for a clerk to resend or serve another way
        message.failed_at = at
        message.last_error = (error or "undelivered")[:500]
    session.flush()
    return message


def mark_delivered(session: Session, provider_id: str) -> OutboundMessage | None:
    """Delivered now (a gateway that reports without a time)."""
    return report(session, provider_id, delivered=True, at=clock.now_utc())


def failed(session: Session, unit_ids: list[int] | None = None) -> list[OutboundMessage]:
    query = sa.select(OutboundMessage).where(OutboundMessage.status == MessageStatus.FAILED)
    return list(session.scalars(query.order_by(OutboundMessage.created_at.desc(), OutboundMessage.id.desc())))


@sa.event.listens_for(Session, "after_commit")
def _hand_to_worker(session: Session) -> None:
    """The rows are stored: now the worker may read them (not at a savepoint's release: the transaction is open)."""
    if session.in_nested_transaction():
        return
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    from disputes import jobs

    queued = bool(jobs.broker_url(current_app))
    for message_id, text in pending:
        if queued:
            jobs.enqueue_message(message_id, text)
            continue
        for _attempt in range(MAX_ATTEMPTS):  # no worker: now, each attempt stored in a session of its own
            if jobs.run_send_message(message_id, text):
                break


@sa.event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint rolled back (a duplicate send) keeps the others
        session.info.pop(PENDING, None)


__all__ = ["GatewayError", "deliver", "failed", "mark_delivered", "normalise_contact", "report", "resend", "send"]
