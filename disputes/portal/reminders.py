"""Hearing notices and reminders to the parties (issue 20), as a job that compares the hearings with what was sent.

For every hearing not yet held, each party and agent with a mobile number (or a confirmed e-mail address) gets:
a notice of the hearing as it now stands (its key holds the time, the room and the online link, so a move —
date, room, online/offline — is a new event and a new notice, and an unchanged hearing sends nothing again); a
notice when it is postponed or cancelled; a reminder 7 days before and one 1 day before. The gateway's unique
(event, recipient) key makes each go once, whoever runs the job and however often (`flask portal notify`, every
few minutes from cron or Celery beat). The text is built from the hearing row the paper notice is built from."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from disputes import clock, messaging
from disputes.models import Arbitration, Case, Hearing, Party
from disputes.portal import eservice
from disputes.workflow.states import HearingState

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


def _version(hearing: Hearing) -> str:
    raw = f"{hearing.starts_at.isoformat()}|{hearing.room_id}|{hearing.online_link or ''}"
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def run(session: Session, locale: str = "zh_CN") -> int:
    """Send what is due now; the number of messages sent (new rows)."""
    today = clock.today_local()
    now = clock.now_utc()
    sent = 0
    hearings = session.scalars(
        sa.select(Hearing)
        .join(Arbitration, Arbitration.id == Hearing.arbitration_id)
        .where(Hearing.starts_at > now - timedelta(days=1))
        .order_by(Hearing.starts_at, Hearing.id)
    )
    for hearing in hearings:
        case = hearing.arbitration.case
        when = clock.to_local(hearing.starts_at)
        events = []
        if hearing.state == HearingState.SCHEDULED and hearing.starts_at > now:
            events.append((f"hearing:{hearing.id}:notice:{_version(hearing)}", "notice"))
            days = (when.date() - today).days
            for before in REMINDER_DAYS:
                if days <= before and (before == 1 or days > 1):
                    events.append((f"hearing:{hearing.id}:reminder{before}:{_version(hearing)}", "reminder"))
        elif hearing.state in (HearingState.POSTPONED, HearingState.CANCELLED):
            events.append((f"hearing:{hearing.id}:postponed", "postponed"))
        for key, kind in events:
            for party, address in _recipients(session, case):
                text = _text(kind, case, hearing, when, locale)
                _message, new = messaging.send(
                    session, event_key=key, recipient=address, text=text, case_id=case.id, party_id=party.id
                )
                sent += int(new)
    return sent


def _text(kind: str, case: Case, hearing: Hearing, when, locale: str) -> str:
    with force_locale(locale):
        params = {"no": case.registry_no, "when": when.strftime("%Y-%m-%d %H:%M"), "where": _where(hearing)}
        if kind == "notice":
            return _("Case %(no)s: the hearing is on %(when)s at %(where)s.", **params)
        if kind == "reminder":
            return _("Reminder, case %(no)s: the hearing is on %(when)s at %(where)s.", **params)
        return _("Case %(no)s: the hearing of %(when)s is postponed; a new date will be sent to you.", **params)
