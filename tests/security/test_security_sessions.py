"""Attacks on signing in and on sessions (issue 14, items 5, 6 and 17), each refused:

- 16 wrong passwords for one account sent at once, hoping the lock-out counter loses updates and more passwords
  get tried than the limit allows (PostgreSQL, threads);
- telling which usernames exist from the refusal: its text, or its timing (a locked account skipped the hash);
- reusing a session after sign-out from a copy of its cookie; keeping a session alive after the password was
  changed by its owner or reset by an admin, after the account was deactivated or its roles changed;
- sign-in attempts spread over several worker processes, each counting its own limit (memory storage);
- reading personal data back from a browser's or a proxy's cache (no `Cache-Control: no-store`);
- a court liaison officer downloading a service receipt of a case while refused its documents (two rules).
"""

import os
import subprocess
import sys
import threading
import time
import uuid
from urllib.parse import urlsplit

import pytest
from werkzeug.datastructures import MultiDict

import config
from disputes import accounts, clock
from disputes.documents.service import ServiceInput, record_service
from disputes.models import Role, ServiceMethod, User
from disputes.models import user as user_model
from disputes.workflow.states import ArbitrationState
from tests.conftest import PASSWORD
from tests.drive import Driver
from tests.issued import fake_issue
from tests.pages import field_errors, t

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")
REFUSED = (
    "Wrong username or password. After %(failures)d failed attempts in a row an account is locked for "
    "%(minutes)d minutes."
)
NEW_PASSWORD = "violet-kettle-harbour-7"


def sign_in(app, username, password=PASSWORD):
    """A browser of its own: its own client and cookie jar."""
    browser = app.test_client()
    response = browser.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return browser


def signed_in(browser) -> bool:
    response = browser.get("/account")
    if response.status_code == 302:
        assert urlsplit(response.headers["Location"]).path == "/login"
        return False
    assert response.status_code == 200
    return True


@pytest.fixture
def hash_checks(monkeypatch):
    """Counts password hash computations (and slows each a little, as scrypt does, to widen any race)."""
    calls = []
    lock = threading.Lock()

    def counting(original):
        def check(pwhash, password):
            with lock:
                calls.append(pwhash)
            time.sleep(0.02)
            return original(pwhash, password)

        return check

    monkeypatch.setattr(user_model, "check_password_hash", counting(user_model.check_password_hash))
    monkeypatch.setattr(accounts, "check_password_hash", counting(accounts.check_password_hash))
    return calls


# --- the lock-out ------------------------------------------------------------------------------------------------


@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent sign-ins on one account row need PostgreSQL")
def test_sixteen_wrong_passwords_at_once_lock_the_account_after_five_checks(app, db, org, hash_checks):
    clerk_id = org.user(Role.CLERK).id
    max_failures = app.config["LOGIN_MAX_FAILURES"]
    db.session.commit()
    barrier = threading.Barrier(16, timeout=60)
    statuses, errors = [], []

    def attempt(i):
        try:
            browser = app.test_client()
            barrier.wait()
            response = browser.post("/login", data={"username": "clerk", "password": f"guess-{i}"})
            statuses.append(response.status_code)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors and statuses == [200] * 16, (errors, statuses)
    db.session.expire_all()
    clerk = db.session.get(User, clerk_id)
    assert clerk.locked_until is not None, "16 wrong passwords at once did not lock the account"
    assert len(hash_checks) == 16  # every attempt does the same work...
    real = [h for h in hash_checks if h == clerk.password_hash]
    assert len(real) == max_failures  # ...but only five of the guesses were tried against the password


def test_unknown_wrong_and_locked_get_one_message_after_the_same_work(app, db, org, client, hash_checks):
    limits = {"failures": app.config["LOGIN_MAX_FAILURES"], "minutes": app.config["LOGIN_LOCKOUT_MINUTES"]}
    for i in range(limits["failures"]):
        client.post("/login", data={"username": "clerk", "password": f"wrong-{i}"})
    hash_checks.clear()
    answers = {}
    for case, username, password in [
        ("unknown", "no-such-user", PASSWORD),
        ("locked", "clerk", PASSWORD),
        ("wrong", "mediator", "not-the-password"),
    ]:
        before = len(hash_checks)
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 200
        answers[case] = (field_errors(response, "password"), len(hash_checks) - before)
    assert answers["unknown"] == answers["locked"] == answers["wrong"] == ([t(app, REFUSED, **limits)], 1)


# --- sessions end --------------------------------------------------------------------------------------------------


def test_a_copied_session_cookie_is_dead_after_sign_out(app, db, org):
    browser = sign_in(app, "clerk")
    stolen = browser.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", stolen, domain="localhost")
    assert signed_in(thief)
    browser.post("/logout")
    assert not signed_in(thief)
    assert not signed_in(browser)


def test_a_password_change_ends_the_other_sessions_but_not_this_one(app, db, org):
    laptop, phone = sign_in(app, "clerk"), sign_in(app, "clerk")
    response = laptop.post("/account", data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert signed_in(laptop)
    assert not signed_in(phone)
    assert signed_in(sign_in(app, "clerk", NEW_PASSWORD))


@pytest.fixture
def admin(app, org):
    return sign_in(app, org.user(Role.ADMIN).username)


def edit_form(user, **changes) -> MultiDict:
    data = MultiDict(
        {
            "display_name": user.display_name,
            "unit_id": str(user.unit_id),
            "locale": user.locale,
            "email": "",
            "phone": "",
            "active": "y",
        }
    )
    data.setlist("roles", [r.value for r in user.roles])
    for key, value in changes.items():
        if isinstance(value, list):
            data.setlist(key, value)
        elif value is None:
            data.poplist(key)
        else:
            data[key] = value
    return data


@pytest.mark.parametrize("change", ["reset", "deactivate", "roles"])
def test_an_admin_change_ends_every_session_of_the_account(app, db, org, admin, change):
    clerk = org.user(Role.CLERK)
    browser = sign_in(app, "clerk")
    if change == "reset":
        admin.post(f"/admin/users/{clerk.id}/password", data={"password": NEW_PASSWORD})
    elif change == "deactivate":
        admin.post(f"/admin/users/{clerk.id}", data=edit_form(clerk, active=None))
    else:
        admin.post(f"/admin/users/{clerk.id}", data=edit_form(clerk, roles=["clerk", "mediator"]))
    assert not signed_in(browser)
    assert signed_in(admin)


def test_an_unchanged_account_keeps_its_sessions(app, db, org, admin):
    clerk = org.user(Role.CLERK)
    browser = sign_in(app, "clerk")
    admin.post(f"/admin/users/{clerk.id}", data=edit_form(clerk, phone="13900000000"))
    assert signed_in(browser)


# --- the rate limit -----------------------------------------------------------------------------------------------


def test_the_rate_limit_counts_in_redis_when_redis_is_configured():
    assert config.ratelimit_storage_uri({}) == "memory://"
    assert config.ratelimit_storage_uri({"REDIS_URL": "redis://cache:6379/1"}) == "redis://cache:6379/1"
    assert (
        config.ratelimit_storage_uri(
            {"REDIS_URL": "redis://cache:6379/1", "RATELIMIT_STORAGE_URI": "redis://limits:6379/2"}
        )
        == "redis://limits:6379/2"
    )


def redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - no Redis here
        return False


WORKER = """
import sys
from disputes import create_app
app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", RATELIMIT_ENABLED=True,
                 RATELIMIT_STORAGE_URI=sys.argv[1], RATELIMIT_KEY_PREFIX=sys.argv[2])
client = app.test_client()
print(" ".join(str(client.post("/login", data={}).status_code) for _ in range(int(sys.argv[3]))))
"""


@pytest.mark.skipif(not redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_two_worker_processes_share_one_login_limit(tmp_path):
    """Two processes (as two gunicorn workers) sign in 12 times each: 20 a minute in all, not 20 each."""
    storage = config.ratelimit_storage_uri({"REDIS_URL": "redis://127.0.0.1:6379/0"})
    prefix = f"test-{uuid.uuid4().hex}"
    env = {**os.environ, "APP_CONFIG": "testing"}
    env.pop("DATABASE_URL", None)

    def worker() -> list[int]:
        done = subprocess.run(
            [sys.executable, "-c", WORKER, storage, prefix, "12"],
            check=False,
            capture_output=True,
            text=True,
            env=env,
            cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return [int(code) for code in done.stdout.split()]

    first, second = worker(), worker()
    assert first == [200] * 12
    assert second == [200] * 8 + [429] * 4


# --- what a signed-in browser keeps, and what the court liaison reads ---------------------------------------------


def test_pages_and_files_with_personal_data_are_not_stored_by_caches(app, db, org, make_case, login):
    case = make_case()
    clerk = login(org.user(Role.CLERK))
    for url in [
        "/cases",
        f"/cases/{case.id}",
        "/account",
        "/work",
        f"/cases/{case.id}/service",
        "/ledger/export",
        "/ledger/export?format=xlsx",
        "/deadlines",
    ]:
        response = clerk.get(url)
        assert response.status_code == 200, url
        assert response.headers.get("Cache-Control") == "no-store", url
    static = clerk.get("/static/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()
    anonymous = app.test_client()
    assert anonymous.get(f"/cases/{case.id}").headers.get("Cache-Control") == "no-store"  # the redirect too


def served(db, org, case, kind):
    """A document of `case` issued and served on its applicant in person."""
    doc = fake_issue(db.session, case, kind, unit=org.arbitration)
    service = record_service(
        db.session,
        case,
        org.user(Role.CLERK),
        doc,
        case.applicants[0],
        ServiceInput(
            method=ServiceMethod.IN_PERSON, served_at=clock.now_utc(), place="仲裁院立案窗口", recipient="张三"
        ),
    )
    db.session.commit()
    return doc, service


def test_court_liaison_reads_the_documents_it_may_print_and_the_receipt_by_the_same_rule(db, org, make_case, login):
    """domain.md: the court liaison prints the documents of the cases it reads; the receipt follows the same rule."""
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.REFUSED)  # the court may hear it now
    doc, service = served(db, org, case, "arb_refusal")
    court = login(org.user(Role.COURT_LIAISON))
    assert court.get(f"/cases/{case.id}").status_code == 200
    assert court.get(f"/documents/{doc.id}.pdf").status_code == 200
    assert court.get(f"/cases/{case.id}/service/{service.id}/receipt.pdf").status_code == 200
    assert court.get(f"/cases/{case.id}/documents/arb_refusal/preview").status_code == 200

    # A case the court may not hear yet: neither its documents nor its receipts.
    pending = make_case()
    Driver(db.session, org, pending).arbitration(ArbitrationState.ACCEPTED)
    notice, receipt = served(db, org, pending, "arb_acceptance")
    assert court.get(f"/documents/{notice.id}.pdf").status_code == 403
    assert court.get(f"/cases/{pending.id}/service/{receipt.id}/receipt.pdf").status_code == 403
