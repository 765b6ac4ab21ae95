"""Who the signed-in party is and which cases they may read: those where a party row (a worker, an employer, an
agent) holds the phone number or e-mail address the party proved with a code."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext
from sqlalchemy.orm import Session

from disputes import clock, identity
from disputes.models import Case, OnlineApplication, Party, ServiceConsent

CONTACT = "party_contact"
SINCE = "party_since"


def sign_in(contact: str) -> None:
    """A fresh session for the party (nothing carried over from before the code) but the chosen language."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    session[CONTACT] = contact
    session[SINCE] = clock.now_utc().isoformat()


def sign_out() -> None:
    session.pop(CONTACT, None)
    session.pop(SINCE, None)


def current_contact() -> str | None:
    """The signed-in party's address, unless the session is older than PORTAL_SESSION_MINUTES."""
    contact, since = session.get(CONTACT), session.get(SINCE)
    if not contact or not since:
        return None
    try:
        started = datetime.fromisoformat(since)
    except ValueError:
        return None
    if clock.now_utc() - started > timedelta(minutes=current_app.config["PORTAL_SESSION_MINUTES"]):
        sign_out()
        return None
    return contact


def party_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_contact() is None:
            if request.method == "POST":  # e.g. the session ended while the form was open: nothing was done
                flash(gettext("You are not signed in (or your session has ended): nothing was done."), "error")
            return redirect(url_for("portal.sign_in", next=request.path))
        return view(*args, **kwargs)

    return wrapped


def _party_ids(db_session: Session, contact: str):
    """The party rows the address is bound to: a phone number is the party's own `phone`; an e-mail address is
    the confirmed address of a live consent to electronic service (parties have no e-mail column), or the address
    an online applicant gave, bound to the applicant's row of the case the application became (same ID number)."""
    if "@" not in contact:
        return sa.select(Party.id).where(Party.phone == contact)
    consented = sa.select(ServiceConsent.party_id).where(
        ServiceConsent.address == contact, ServiceConsent.withdrawn_at.is_(None)
    )
    filed = [
        party.id
        for application in applications_of(db_session, contact)
        if application.case is not None
        for party in application.case.parties
        if party.id_number
        and identity.normalise(party.id_number) == identity.normalise(application.data["who"].get("id_number") or "")
    ]
    return sa.select(Party.id).where(sa.or_(Party.id.in_(consented), Party.id.in_(filed)))


def is_known(db_session: Session, contact: str) -> bool:
    """Whether any case or application holds the address (a code is sent only then)."""
    if db_session.scalar(_party_ids(db_session, contact).limit(1)) is not None:
        return True
    column = OnlineApplication.contact_email if "@" in contact else OnlineApplication.contact_phone
    return db_session.scalar(sa.select(OnlineApplication.id).where(column == contact).limit(1)) is not None


def cases_of(db_session: Session, contact: str) -> list[Case]:
    holders = sa.select(Party.case_id).where(Party.id.in_(_party_ids(db_session, contact)))
    query = sa.select(Case).where(Case.id.in_(holders))
    return list(db_session.scalars(query.order_by(Case.registered_on.desc(), Case.id.desc())))


def applications_of(db_session: Session, contact: str) -> list[OnlineApplication]:
    column = OnlineApplication.contact_email if "@" in contact else OnlineApplication.contact_phone
    query = sa.select(OnlineApplication).where(column == contact)
    return list(db_session.scalars(query.order_by(OnlineApplication.submitted_at.desc())))


def own_case(db_session: Session, contact: str, case_id: int) -> tuple[Case, list[Party]]:
    """The case and the party rows that are the signed-in party; 404 for any case not theirs (not 403: whether
    a case exists is not told to someone outside it)."""
    case = db_session.get(Case, case_id)
    if case is None:
        abort(404)
    ids = set(db_session.scalars(_party_ids(db_session, contact).where(Party.case_id == case.id)))
    mine = [p for p in case.parties if p.id in ids]
    if not mine:
        abort(404)
    return case, mine
