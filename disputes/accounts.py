"""Signing in: password check with lock-out after repeated failures."""
import functools
import math
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from disputes import clock
from disputes.i18n import N_, DomainError
from disputes.models import User

BAD_CREDENTIALS = N_("Wrong username or password.")


@functools.cache
def _dummy_hash() -> str:
    """Made on first use, not at import: a deliberately slow hash every `flask` command would otherwise pay."""
    return generate_password_hash("no-such-user")


def authenticate(session: Session, username: str, password: str, max_failures: int, lockout_minutes: int) -> User:
    """The user for these credentials, or DomainError; failures are counted and lock the account."""
    now = clock.now_utc()
    user = session.scalar(sa.select(User).where(User.username == username.strip().lower()))
    if user is None:
        check_password_hash(_dummy_hash(), password)  # same work as a real check: timing hides usernames
        raise DomainError(BAD_CREDENTIALS)
    if user.locked_until and user.locked_until > now:
        minutes = max(1, math.ceil((user.locked_until - now).total_seconds() / 60))
        raise DomainError(
            N_("Too many failed attempts: this account is locked for %(minutes)d more minutes."), minutes=minutes
        )
    if not user.check_password(password):
        user.failed_logins += 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + timedelta(minutes=lockout_minutes)
            user.failed_logins = 0
        session.flush()
        raise DomainError(BAD_CREDENTIALS)
    if not user.active:
        raise DomainError(N_("This account has been deactivated."))
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.flush()
    return user
