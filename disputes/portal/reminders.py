"""Hearing and mediation session notices and reminders to the parties (issue 20).

For every hearing not yet held, each party and agent with a mobile number (or a confirmed e-mail address) gets:
a notice of the hearing as it now stands (its key holds the time, the room, the online link and the arbitrators,
so a move — date, room, online/offline, another arbitrator — is a new event and a new notice, and an unchanged
hearing sends nothing again); a notice when it is postponed or cancelled; a reminder 7 days and one 1 day before.
A planned mediation session (the `next_at` of a mediation's latest session) gets the same: a notice of the plan,
the reminders, and a cancellation when the mediation ends before it.

Two paths send the same events with the same keys and texts: at the moment of change — the domain operation names
the hearing or plan it changed (`workflow.appointments`) and, as the transaction commits, `notify_changed` sends
what that one row makes due, delivered after the commit — and the job `run` (`flask portal notify`, every few
minutes), which sends the reminders when their day comes and catches up anything the first path missed. The
gateway's unique (event, recipient) key makes each go once, whichever path comes first and however often the job
runs. The texts are built from the hearing row the paper notice is built from."""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app, has_app_context, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session, aliased

from disputes import clock, messaging
from disputes.models import (
    Arbitration,
    Case,
    Hearing,
    Mediation,
    MediationSession,
    OutboundMessage,
    Party,
)
from disputes.portal import eservice
from disputes.workflow import appointments
from disputes.workflow.states import MEDIATION_OPEN, HearingState

log = logging.getLogger(__name__)
REMINDER_DAYS = (7, 1)


def _recipients(session: Session, case: Case) -> list[tuple[Party, str]]:
    found = []
    for party in case.parties:
        consent = eservice.consent_of(session, party)
        address = consent.address if consent is not None else messaging.normalise_phone(party.phone)
        if address and ("@" in address or (len(address) == 11 and address.isdigit())):
            found.append((party, address))
    return found


def _where(hearing: Hearing) -> str:
    parts = [hearing.room.name] if hearing.room is not None else []
    if hearing.online_link:
        parts.append(hearing.online_link)
    return " / ".join(parts)


def _tribunal(hearing: Hearing) -> str:
    return "、".join(m.user.display_name for m in hearing.arbitration.tribunal)


def _instant(moment: datetime) -> str:
    """One text per instant, however the datetime came (the form's local time, or UTC read back from the row)."""
    return (moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _version(*parts) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:12]


def _hearing_version(hearing: Hearing) -> str:
    members = ",".join(str(m.user_id) for m in hearing.arbitration.tribunal)
    return _version(_instant(hearing.starts_at), hearing.room_id, hearing.online_link or "", members)


def _reminders(session: Session, prefix: str, when: datetime, version: str) -> list[tuple[str, str]]:
    """The reminders due by today: the 7-day one from 7 days before (unless the day before has come), then the
    1-day one; none on or after its day for a notice (of this version) sent only on or after that day — the notice
    itself has just told them."""
    notice = OutboundMessage.event_key == f"{prefix}:notice:{version}"
    told = session.scalar(sa.select(sa.func.min(OutboundMessage.created_at)).where(notice))
    if told is None:
        return []
    days = (when.date() - clock.today_local()).days
    told_on = clock.to_local(told).date()
    return [
        (f"{prefix}:reminder{before}:{version}", "reminder")
        for before in REMINDER_DAYS
        if days <= before and (before == 1 or days > 1) and told_on < when.date() - timedelta(days=before)
    ]


def hearing_events(session: Session, hearing: Hearing) -> list[tuple[str, str]]:
    """(event key, kind) of every message this hearing makes due now."""
    prefix = f"hearing:{hearing.id}"
    if hearing.state == HearingState.SCHEDULED and hearing.starts_at > clock.now_utc():
        version = _hearing_version(hearing)
        when = clock.to_local(hearing.starts_at)
        return [(f"{prefix}:notice:{version}", "notice"), *_reminders(session, prefix, when, version)]
    if hearing.starts_at <= clock.now_utc() - timedelta(days=1):
        return []
    if hearing.state == HearingState.POSTPONED:
        return [(f"{prefix}:postponed", "postponed")]
    if hearing.state == HearingState.CANCELLED:
        return [(f"{prefix}:cancelled", "cancelled")]
    return []


def _latest(meeting: MediationSession) -> bool:
    return meeting is max(meeting.mediation.sessions, key=lambda s: (s.held_at, s.id))


def session_events(session: Session, meeting: MediationSession) -> list[tuple[str, str]]:
    """(event key, kind) of every message the session planned by `meeting` (its `next_at`) makes due now: none once
    a later session is logged (it carries the plan), a cancellation when the mediation ended before it."""
    if meeting.next_at is None or meeting.next_at <= clock.now_utc() or not _latest(meeting):
        return []
    prefix = f"session:{meeting.id}"
    if meeting.mediation.state not in MEDIATION_OPEN:
        return [(f"{prefix}:cancelled", "session_cancelled")]
    version = _version(_instant(meeting.next_at), meeting.place or "", meeting.online_link or "")
    when = clock.to_local(meeting.next_at)
    return [(f"{prefix}:notice:{version}", "session"), *_reminders(session, prefix, when, version)]


def _send(session: Session, case: Case, events, text_of, *, later: bool) -> int:
    sent = 0
    recipients = _recipients(session, case) if events else []
    for key, kind in events:
        text = text_of(kind)
        for party, address in recipients:
            _message, new = messaging.send(
                session, event_key=key, recipient=address, text=text, case_id=case.id, party_id=party.id, later=later
            )
            sent += int(new)
    return sent


def notify_hearing(session: Session, hearing: Hearing, locale: str = "zh_CN", *, later: bool = False) -> int:
    case = hearing.arbitration.case
    events = hearing_events(session, hearing)
    return _send(session, case, events, lambda kind: _text(kind, case, hearing, locale), later=later)


def notify_session(session: Session, meeting: MediationSession, locale: str = "zh_CN", *, later: bool = False) -> int:
    case = meeting.mediation.case
    events = session_events(session, meeting)
    return _send(session, case, events, lambda kind: _session_text(kind, case, meeting, locale), later=later)


def run(session: Session, locale: str = "zh_CN") -> int:
    """Send what is due now; the number of messages sent (new rows)."""
    since = clock.now_utc() - timedelta(days=1)
    sent = 0
    hearings = session.scalars(
        sa.select(Hearing)
        .join(Arbitration, Arbitration.id == Hearing.arbitration_id)
        .where(Hearing.starts_at > since)
        .order_by(Hearing.starts_at, Hearing.id)
    )
    for hearing in hearings:
        sent += notify_hearing(session, hearing, locale)
    later = aliased(MediationSession)
    plans = session.scalars(
        sa.select(MediationSession)
        .join(Mediation, Mediation.id == MediationSession.mediation_id)
        .where(
            MediationSession.next_at > since,
            ~sa.exists().where(
                later.mediation_id == MediationSession.mediation_id, later.held_at > MediationSession.held_at
            ),
        )
        .order_by(MediationSession.next_at, MediationSession.id)
    )
    for meeting in plans:
        sent += notify_session(session, meeting, locale)
    return sent


def notify_changed(session: Session) -> int:
    """The notices for the hearings and plans the transaction changed, delivered after its commit. Outside an
    application (a bare script) nothing is sent here: the job sends it on its next run."""
    changed = appointments.take(session)
    if not changed or not has_app_context():
        return 0
    sent = 0
    with _request_context():
        for kind, row_id in changed:
            if kind == "hearing":
                hearing = session.get(Hearing, row_id)
                sent += notify_hearing(session, hearing, later=True) if hearing is not None else 0
            else:
                meeting = session.get(MediationSession, row_id)
                sent += notify_session(session, meeting, later=True) if meeting is not None else 0
    return sent


def _request_context():
    """The texts' translations need a request context: the caller's, or one made for a command or a test."""
    from contextlib import nullcontext

    return nullcontext() if has_request_context() else current_app.test_request_context()


@sa.event.listens_for(Session, "before_commit")
def _notify_before_commit(session: Session) -> None:
    if session.info.get(appointments.CHANGED) and not session.in_nested_transaction():
        notify_changed(session)


@sa.event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(appointments.CHANGED, None)


def _text(kind: str, case: Case, hearing: Hearing, locale: str) -> str:
    when = clock.to_local(hearing.starts_at)
    with force_locale(locale):
        params = {"no": case.registry_no, "when": when.strftime("%Y-%m-%d %H:%M"), "where": _where(hearing)}
        tribunal = _tribunal(hearing)
        if kind == "notice" and tribunal:
            params["tribunal"] = tribunal
            return _("Case %(no)s: the hearing is on %(when)s at %(where)s, before %(tribunal)s.", **params)
        if kind == "notice":
            return _("Case %(no)s: the hearing is on %(when)s at %(where)s.", **params)
        if kind == "reminder":
            return _("Reminder, case %(no)s: the hearing is on %(when)s at %(where)s.", **params)
        if kind == "postponed":
            return _("Case %(no)s: the hearing of %(when)s is postponed; a new date will be sent to you.", **params)
        return _("Case %(no)s: the hearing of %(when)s is cancelled.", **params)


def _session_where(meeting: MediationSession) -> str:
    return " / ".join(p for p in (meeting.place, meeting.online_link) if p)


def _session_text(kind: str, case: Case, meeting: MediationSession, locale: str) -> str:
    when = clock.to_local(meeting.next_at)
    with force_locale(locale):
        params = {"no": case.registry_no, "when": when.strftime("%Y-%m-%d %H:%M"), "where": _session_where(meeting)}
        if kind == "session":
            return _("Case %(no)s: the next mediation session is on %(when)s at %(where)s.", **params)
        if kind == "reminder":
            return _("Reminder, case %(no)s: the mediation session is on %(when)s at %(where)s.", **params)
        return _(
            "Case %(no)s: the mediation session of %(when)s will not take place: the mediation has ended.", **params
        )
