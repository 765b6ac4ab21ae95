"""Signing in (disputes.accounts.authenticate): failure counting, lock-out and unlock, inactive users."""

from datetime import timedelta

import pytest

from disputes import clock, organisation
from disputes.accounts import REFUSED, authenticate
from disputes.i18n import DomainError
from disputes.models import Role, User
from tests.conftest import FROZEN_AT, PASSWORD

DEACTIVATED = "This account has been deactivated."


@pytest.fixture
def limits(app):
    return app.config["LOGIN_MAX_FAILURES"], app.config["LOGIN_LOCKOUT_MINUTES"]


@pytest.fixture
def clerk(org):
    return org.user(Role.CLERK)


def login(db, limits, username, password):
    return authenticate(db.session, username, password, *limits)


def refused(db, limits, username, password) -> DomainError:
    """The refusal; its `cause` (unknown, wrong, locked) is never shown: every refusal reads the same (issue 14)."""
    with pytest.raises(DomainError) as caught:
        login(db, limits, username, password)
    db.session.commit()  # what the login view does: failures are counted even though sign-in failed
    return caught.value


def at(**delta) -> None:
    clock.freeze(FROZEN_AT + timedelta(**delta))


def test_configured_limits(limits):
    assert limits == (5, 15)


def test_success_returns_the_user_and_records_the_login(db, limits, clerk):
    user = login(db, limits, "clerk", PASSWORD)
    assert user.id == clerk.id
    assert user.last_login_at == FROZEN_AT
    assert (user.failed_logins, user.locked_until) == (0, None)


@pytest.mark.parametrize("username", ["clerk", "CLERK", "  Clerk ", "clerk\t"])
def test_username_is_case_and_space_insensitive(db, limits, clerk, username):
    assert login(db, limits, username, PASSWORD).id == clerk.id


def test_wrong_password_counts_and_success_resets(db, limits, clerk):
    for expected in (1, 2, 3):
        error = refused(db, limits, "clerk", "wrong-password")
        assert error.message == REFUSED
        assert db.session.get(User, clerk.id).failed_logins == expected
    login(db, limits, "clerk", PASSWORD)
    db.session.commit()
    assert db.session.get(User, clerk.id).failed_logins == 0


@pytest.mark.parametrize("password", ["", PASSWORD.upper(), PASSWORD + " ", " " + PASSWORD, PASSWORD[:-1]])
def test_near_misses_are_wrong(db, limits, clerk, password):
    assert refused(db, limits, "clerk", password).message == REFUSED


def test_unknown_user_gets_the_same_message_as_a_wrong_password(db, limits, clerk):
    unknown = refused(db, limits, "nobody", PASSWORD)
    wrong = refused(db, limits, "clerk", "wrong-password")
    assert (unknown.message, unknown.params, str(unknown)) == (wrong.message, wrong.params, str(wrong))
    assert unknown.field == wrong.field


def test_lockout_after_max_failures(db, limits, clerk):
    max_failures, minutes = limits
    for _ in range(max_failures - 1):
        refused(db, limits, "clerk", "wrong-password")
    assert db.session.get(User, clerk.id).locked_until is None
    refused(db, limits, "clerk", "wrong-password")  # the fifth
    user = db.session.get(User, clerk.id)
    assert user.locked_until == FROZEN_AT + timedelta(minutes=minutes)
    assert user.failed_logins == 0

    error = refused(db, limits, "clerk", PASSWORD)  # even the right password
    assert error.cause == "locked"
    assert (error.message, error.params) == (REFUSED, {"failures": max_failures, "minutes": minutes})
    assert "locked for 15 minutes" in str(error)


@pytest.mark.parametrize(
    "elapsed", [timedelta(0), timedelta(seconds=1), timedelta(minutes=5, seconds=30), timedelta(minutes=14, seconds=59)]
)
def test_a_locked_account_reads_like_a_wrong_password(db, limits, clerk, elapsed):
    """The remaining minutes are no longer shown: they told who has an account (issue 14)."""
    for _ in range(limits[0]):
        refused(db, limits, "clerk", "wrong-password")
    clock.freeze(FROZEN_AT + elapsed)
    locked = refused(db, limits, "clerk", PASSWORD)
    unknown = refused(db, limits, "nobody", PASSWORD)
    assert locked.cause == "locked" and unknown.cause == "unknown"
    assert (locked.message, locked.params, str(locked)) == (unknown.message, unknown.params, str(unknown))


def test_attempts_while_locked_do_not_extend_the_lock(db, limits, clerk):
    for _ in range(limits[0]):
        refused(db, limits, "clerk", "wrong-password")
    at(minutes=10)
    for _ in range(10):
        assert refused(db, limits, "clerk", "wrong-password").cause == "locked"
    user = db.session.get(User, clerk.id)
    assert user.locked_until == FROZEN_AT + timedelta(minutes=15)
    assert user.failed_logins == 0


def test_unlocks_when_the_time_has_passed(db, limits, clerk):
    for _ in range(limits[0]):
        refused(db, limits, "clerk", "wrong-password")
    at(minutes=14, seconds=59)
    assert refused(db, limits, "clerk", PASSWORD).cause == "locked"
    at(minutes=15)
    user = login(db, limits, "clerk", PASSWORD)
    assert (user.failed_logins, user.locked_until) == (0, None)
    assert user.last_login_at == FROZEN_AT + timedelta(minutes=15)


def test_after_the_lock_the_count_starts_again(db, limits, clerk):
    for _ in range(limits[0]):
        refused(db, limits, "clerk", "wrong-password")
    at(minutes=16)
    error = refused(db, limits, "clerk", "wrong-password")
    assert error.message == REFUSED
    user = db.session.get(User, clerk.id)
    assert (user.failed_logins, user.locked_until) == (1, FROZEN_AT + timedelta(minutes=15))
    for _ in range(limits[0] - 1):
        refused(db, limits, "clerk", "wrong-password")
    assert db.session.get(User, clerk.id).locked_until == FROZEN_AT + timedelta(minutes=31)


def test_lockout_is_per_user(db, limits, org):
    for _ in range(limits[0]):
        refused(db, limits, "clerk", "wrong-password")
    assert login(db, limits, "mediator", PASSWORD).id == org.user(Role.MEDIATOR).id


def test_inactive_user_is_refused(db, limits, clerk):
    clerk.active = False
    db.session.commit()
    error = refused(db, limits, "clerk", PASSWORD)
    assert error.message == DEACTIVATED
    user = db.session.get(User, clerk.id)
    assert user.last_login_at is None


def test_inactive_user_with_wrong_password_learns_nothing(db, limits, clerk):
    clerk.active = False
    db.session.commit()
    assert refused(db, limits, "clerk", "wrong-password").message == REFUSED


def test_password_reset_clears_the_lock(db, limits, clerk):
    for _ in range(limits[0]):
        refused(db, limits, "clerk", "wrong-password")
    user = db.session.get(User, clerk.id)
    organisation.reset_password(user, "a-brand-new-password")
    db.session.commit()
    assert login(db, limits, "clerk", "a-brand-new-password").id == clerk.id
    assert refused(db, limits, "clerk", PASSWORD).message == REFUSED


def test_reset_refuses_a_short_password(db, clerk):
    with pytest.raises(DomainError) as caught:
        organisation.reset_password(clerk, "short")
    assert caught.value.field == "password"
    assert clerk.check_password(PASSWORD)


def test_passwords_are_stored_hashed(db, clerk):
    assert PASSWORD not in clerk.password_hash
    assert clerk.check_password(PASSWORD)
    assert not clerk.check_password(PASSWORD + "x")


@pytest.mark.parametrize("limit", [1, 3])
def test_other_limits_are_honoured(db, clerk, limit):
    for _ in range(limit - 1):
        with pytest.raises(DomainError):
            authenticate(db.session, "clerk", "wrong-password", limit, 60)
    assert db.session.get(User, clerk.id).locked_until is None
    with pytest.raises(DomainError):
        authenticate(db.session, "clerk", "wrong-password", limit, 60)
    assert db.session.get(User, clerk.id).locked_until == FROZEN_AT + timedelta(minutes=60)
