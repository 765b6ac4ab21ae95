"""One-time form tokens: a form submission is carried out once (issue 14).

A form that creates or changes something carries a random token (hidden field `submission`), made when the form
is shown. The first post of it inserts the token into `form_submissions` before doing anything else, in the same
transaction as the work, and records where the work led (the case page); a second post of the same form (a
double-click, a reload, a retry after a timeout) finds the token used and is sent to that result instead of doing
the work again. Two posts at the same moment: the second INSERT waits on the unique token until the first commits,
fails, and the second is sent to the first's result; if the first fails and rolls back, the token is free again.
"""

from __future__ import annotations

import re
import secrets

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from disputes.models import FormSubmission, User

FIELD = "submission"
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def is_token(value) -> bool:
    return isinstance(value, str) and TOKEN.fullmatch(value) is not None


def result_of(session: Session, token: str, user: User) -> str | None:
    """Where the earlier submission of this form by `user` led, or None when it has not been carried out."""
    if not is_token(token):
        return None
    return session.scalar(
        sa.select(FormSubmission.result_url).where(
            FormSubmission.token == token, FormSubmission.user_id == user.id, FormSubmission.result_url.is_not(None)
        )
    )


def claim(session: Session, token: str, user: User) -> bool:
    """Take the token for this submission, first thing in its transaction. False when another submission has taken
    it (the session is then rolled back: nothing was written before)."""
    session.add(FormSubmission(token=token, user_id=user.id))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return False
    return True


def record(session: Session, token: str, result_url: str) -> None:
    """Where this submission led, for a later post of the same form; written in the same transaction as the work."""
    session.execute(sa.update(FormSubmission).where(FormSubmission.token == token).values(result_url=result_url[:300]))
