"""Signing in: password check with lock-out after repeated failures.

Every attempt on an existing account is counted before its password is checked, by one UPDATE that also
refuses a locked account; that UPDATE holds the account's row until the caller commits, so attempts sent at once
are checked one after the other against the count the previous one left, and no more than the allowed number of
passwords are ever tried before the lock. A refusal says the same for an unknown username, a wrong password and a
locked account, after the same work (one password hash), so it tells nobody which usernames exist.
"""

import functools
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from disputes import clock
from disputes.i18n import N_, DomainError
from disputes.models import User

REFUSED = N_(
    "Wrong username or password. After %(failures)d failed attempts in a row an account is locked for "
    "%(minutes)d minutes."
)


class LoginRefused(DomainError):
    """One message for every refusal; `cause` (unknown, wrong, locked) is for logs and tests, never shown."""

    def __init__(self, cause: str, max_failures: int, lockout_minutes: int):
        super().__init__(REFUSED, failures=max_failures, minutes=lockout_minutes)
        self.cause = cause


@functools.cache
def _dummy_hash() -> str:
    """Made on first use, not at import: a deliberately slow hash every `flask` command would otherwise pay."""
    return generate_password_hash("no-such-user")


def _same_work(password: str) -> None:
    check_password_hash(_dummy_hash(), password)  # as long as a real check: timing hides which accounts exist


def authenticate(session: Session, username: str, password: str, max_failures: int, lockout_minutes: int) -> User:
    """The user for these credentials, or DomainError; failures are counted and lock the account."""
    now = clock.now_utc()
    user_id = session.scalar(sa.select(User.id).where(User.username == username.strip().lower()))
    if user_id is None:
        _same_work(password)
        raise LoginRefused("unknown", max_failures, lockout_minutes)
    attempt = session.execute(
        sa.update(User)
        .where(User.id == user_id, sa.or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
        .execution_options(synchronize_session=False)
    ).scalar()
    if attempt is None:
        _same_work(password)
        raise LoginRefused("locked", max_failures, lockout_minutes)
    user = session.get(User, user_id, populate_existing=True)
    if not user.check_password(password):
        if attempt >= max_failures:
            user.locked_until = now + timedelta(minutes=lockout_minutes)
            user.failed_logins = 0
        session.flush()
        raise LoginRefused("wrong", max_failures, lockout_minutes)
    user.failed_logins = 0
    if not user.active:
        session.flush()
        raise DomainError(N_("This account has been deactivated."))
    user.locked_until = None
    user.last_login_at = now
    session.flush()
    return user
