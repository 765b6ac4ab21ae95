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

from disputes import clock
from disputes.models import Case, OnlineApplication, Party

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


def _holds(contact: str):
    return Party.phone == contact if "@" not in contact else sa.false()


def is_known(db_session: Session, contact: str) -> bool:
    """Whether any case or application holds the address (a code is sent only then)."""
    if db_session.scalar(sa.select(Party.id).where(_holds(contact)).limit(1)) is not None:
        return True
    column = OnlineApplication.contact_email if "@" in contact else OnlineApplication.contact_phone
    return db_session.scalar(sa.select(OnlineApplication.id).where(column == contact).limit(1)) is not None


def cases_of(db_session: Session, contact: str) -> list[Case]:
    query = sa.select(Case).where(Case.id.in_(sa.select(Party.case_id).where(_holds(contact))))
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
    mine = [p for p in case.parties if p.phone == contact]
    if not mine:
        abort(404)
    return case, mine
