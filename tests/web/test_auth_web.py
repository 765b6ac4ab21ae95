"""Signing in and out, lock-out, `next`, the session cookie, language, headers and the account page."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from config import DevelopmentConfig, ProductionConfig, TestingConfig
from disputes import clock
from disputes.models import Role, User
from tests.conftest import FROZEN_AT, PASSWORD
from tests.pages import field_errors, flashes, parse, t, text

# One message for an unknown user, a wrong password and a locked account (issue 14: it revealed who has an account).
REFUSED = (
    "Wrong username or password. After %(failures)d failed attempts in a row an account is locked for "
    "%(minutes)d minutes."
)
LIMITS = {"failures": 5, "minutes": 15}
DEACTIVATED = "This account has been deactivated."


def login_form(response):
    (form,) = [f for f in parse(response).iter("form") if any(e.get("name") == "username" for e in f.iter())]
    return form


def html_lang(response) -> str:
    return parse(response).get("lang")


def signed_in_user_id(client):
    with client.session_transaction() as session:
        return session.get("_user_id")


def post_login(client, username, password, **extra):
    return client.post("/login", data={"username": username, "password": password, **extra})


# --- signing in ------------------------------------------------------------------


def test_login_page_renders_for_anonymous(client, org):
    response = client.get("/login")
    assert response.status_code == 200
    assert {e.get("name") for e in login_form(response).iter("input")} >= {"username", "password", "next"}


def test_login_success_redirects_home_and_records_last_login(app, db, client, org):
    response = post_login(client, "Clerk ", PASSWORD)  # usernames are matched trimmed and case-insensitively
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/work"
    assert signed_in_user_id(client) == str(org.user(Role.CLERK).id)
    db.session.expire_all()
    assert db.session.get(User, org.user(Role.CLERK).id).last_login_at == FROZEN_AT


@pytest.mark.parametrize(
    "role, landing, home",
    [
        (Role.ADMIN, "/admin/users", "/admin/users"),
        (Role.LAWYER, "/cases", "/cases"),
        (Role.COURT_LIAISON, "/cases", "/cases"),
        (Role.SUPERVISOR, "/work", "/cases"),
        (Role.CLERK, "/work", "/cases"),
        (Role.MEDIATOR, "/work", "/cases"),
        (Role.ARBITRATOR, "/work", "/cases"),
        (Role.LEGAL_AID_OFFICER, "/work", "/cases"),
    ],
)
def test_sign_in_opens_my_work_for_queued_staff(client, org, role, landing, home):
    """Issue 16: staff whose work is queued land on "My work"; the others where they did; "/" stays home."""
    response = post_login(client, org.user(role).username, PASSWORD)
    assert urlsplit(response.headers["Location"]).path == landing
    assert client.get(landing).status_code == 200
    assert urlsplit(client.get("/").headers["Location"]).path == home


@pytest.mark.parametrize("username, password", [("clerk", "not-the-password"), ("no-such-user", PASSWORD)])
def test_login_failure_shows_one_message_for_both_causes(app, client, org, username, password):
    response = post_login(client, username, password)
    assert response.status_code == 200
    assert field_errors(response, "password") == [t(app, REFUSED, **LIMITS)]
    assert signed_in_user_id(client) is None
    # The username typed is kept; the password is not echoed back.
    form = login_form(response)
    assert [e.get("value") for e in form.iter("input") if e.get("name") == "username"] == [username]
    assert [e.get("value") for e in form.iter("input") if e.get("name") == "password"] in ([None], [""])


def test_login_with_empty_fields_is_refused(client, org):
    response = post_login(client, "", "")
    assert response.status_code == 200
    assert field_errors(response, "username") and field_errors(response, "password")
    assert signed_in_user_id(client) is None


def test_lockout_after_five_failures_is_shown_and_expires(app, db, client, org):
    clerk = org.user(Role.CLERK)
    for attempt in range(1, 6):
        response = post_login(client, "clerk", f"wrong-{attempt}")
        assert field_errors(response, "password") == [t(app, REFUSED, **LIMITS)], attempt
    db.session.expire_all()
    assert db.session.get(User, clerk.id).locked_until == FROZEN_AT + timedelta(minutes=15)

    # Locked: even the right password is refused, with the same message as a wrong one (which says a lock exists).
    response = post_login(client, "clerk", PASSWORD)
    assert field_errors(response, "password") == [t(app, REFUSED, **LIMITS)]
    clock.freeze(FROZEN_AT + timedelta(minutes=5, seconds=30))
    response = post_login(client, "clerk", PASSWORD)
    assert response.status_code == 200
    assert field_errors(response, "password") == [t(app, REFUSED, **LIMITS)]
    assert signed_in_user_id(client) is None

    # The lock runs out by itself.
    clock.freeze(FROZEN_AT + timedelta(minutes=15, seconds=1))
    assert post_login(client, "clerk", PASSWORD).status_code == 302
    db.session.expire_all()
    user = db.session.get(User, clerk.id)
    assert (user.failed_logins, user.locked_until) == (0, None)


def test_success_resets_the_failure_count(db, client, org):
    for _ in range(4):
        post_login(client, "clerk", "wrong")
    assert post_login(client, "clerk", PASSWORD).status_code == 302
    client.post("/logout")
    for _ in range(4):
        post_login(client, "clerk", "wrong")
    assert post_login(client, "clerk", PASSWORD).status_code == 302  # not locked: the count started again


def test_deactivated_account_cannot_sign_in(app, db, client, org):
    clerk = org.user(Role.CLERK)
    clerk.active = False
    db.session.commit()
    response = post_login(client, "clerk", PASSWORD)
    assert response.status_code == 200
    assert field_errors(response, "password") == [t(app, DEACTIVATED)]
    assert signed_in_user_id(client) is None


def test_login_page_redirects_a_signed_in_user(org, login):
    client = login(org.user(Role.CLERK))
    response = client.get("/login")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/work"
    assert client.get("/login?next=/deadlines").headers["Location"] == "/deadlines"
    assert urlsplit(client.get("/login?next=//evil.example/x").headers["Location"]).path == "/work"


def test_login_starts_a_fresh_session(client, org):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    post_login(client, "clerk", PASSWORD)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.permanent


# --- next -----------------------------------------------------------------------


def test_next_from_a_protected_page_round_trip(client, org, make_case):
    case = make_case()
    response = client.get(f"/cases/{case.id}")
    assert response.status_code == 302
    login_page = client.get(response.headers["Location"])
    hidden = [e.get("value") for e in login_form(login_page).iter("input") if e.get("name") == "next"]
    assert hidden == [f"/cases/{case.id}"]
    response = post_login(client, "clerk", PASSWORD, next=hidden[0])
    assert response.headers["Location"] == f"/cases/{case.id}"


def test_local_next_with_query_is_kept(client, org):
    response = post_login(client, "clerk", PASSWORD, next="/cases?q=%E5%BC%A0&sort=oldest")
    assert response.headers["Location"] == "/cases?q=%E5%BC%A0&sort=oldest"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/cases",
        "//evil.example/cases",
        "http:/evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "evil.example/cases",
        "/\\evil.example",
    ],
)
def test_next_off_site_is_refused(client, org, target):
    response = post_login(client, "clerk", PASSWORD, next=target)
    assert response.status_code == 302
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert parts.scheme in ("", "http") and parts.netloc in ("", "localhost")
    # A browser reads "\" as "/": the target must not turn into a protocol-relative URL either.
    assert not location.replace("\\", "/").startswith("//")
    if "\\" not in target:
        assert parts.path == "/work"


# --- signing out ------------------------------------------------------------------


def test_logout_by_post_clears_the_session(app, org, login):
    client = login(org.user(Role.CLERK))
    with client.session_transaction() as session:
        session["locale"] = "en"
    response = client.post("/logout")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"
    with client.session_transaction() as session:
        assert "_user_id" not in session and "locale" not in session
    page = client.get("/login")
    assert t(app, "You have signed out.") in flashes(page)
    assert urlsplit(client.get("/cases").headers["Location"]).path == "/login"


def test_logout_is_not_a_get(org, login):
    client = login(org.user(Role.CLERK))
    assert client.get("/logout").status_code == 405
    assert signed_in_user_id(client) == str(org.user(Role.CLERK).id)


def test_deactivating_ends_an_open_session(app, db, org, login):
    """Flask-Login checks `is_active` only when signing in; a deactivated account must lose its session too."""
    client = login(org.user(Role.CLERK))
    assert client.get("/cases").status_code == 200
    clerk = db.session.get(User, org.user(Role.CLERK).id)
    clerk.active = False
    db.session.commit()
    response = client.get("/cases")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"


# --- cookie, headers --------------------------------------------------------------


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, response.headers
    return cookies[-1]


def test_session_cookie_flags(client, org):
    cookie = _session_cookie(post_login(client, "clerk", PASSWORD))
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert "httponly" in attributes
    assert attributes["samesite"] == "SameSite=Lax"
    assert "expires" in attributes  # a permanent session, bounded by PERMANENT_SESSION_LIFETIME
    assert "secure" not in attributes  # the testing config runs on plain http


def test_production_config_makes_cookies_secure_and_forces_https():
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.REMEMBER_COOKIE_SECURE is True
    assert ProductionConfig.FORCE_HTTPS is True
    for config in (ProductionConfig, TestingConfig):
        assert config.SESSION_COOKIE_HTTPONLY is True and config.SESSION_COOKIE_SAMESITE == "Lax"
        assert config.REMEMBER_COOKIE_HTTPONLY is True and config.REMEMBER_COOKIE_SAMESITE == "Lax"
    assert TestingConfig.PERMANENT_SESSION_LIFETIME <= 12 * 3600


def test_secure_setting_reaches_the_cookie(app, client, org, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    cookie = _session_cookie(post_login(client, "clerk", PASSWORD))
    assert "secure" in [part.strip().lower() for part in cookie.split(";")]


@pytest.mark.parametrize("path, status", [("/login", 200), ("/no-such-page", 404), ("/cases", 302)])
def test_security_headers(client, org, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["X-Frame-Options"] == "DENY"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_security_headers_on_signed_in_pages(org, login):
    response = login(org.user(Role.CLERK)).get("/cases")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


# --- language -------------------------------------------------------------------


def test_language_switch_stores_the_users_locale(app, db, org, login):
    client = login(org.user(Role.CLERK))
    page = client.get("/cases")
    assert html_lang(page) == "zh-CN"
    assert text(parse(page).find(".//h1")) == t(app, "Cases", "zh_CN")
    response = client.post("/language", data={"locale": "en", "next": "/cases?sort=oldest"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/cases?sort=oldest"
    db.session.expire_all()
    assert db.session.get(User, org.user(Role.CLERK).id).locale == "en"
    page = client.get("/cases")
    assert html_lang(page) == "en"
    assert text(parse(page).find(".//h1")) == t(app, "Cases", "en")
    assert html_lang(client.get("/account")) == "en"
    # Stored on the account: it survives signing out and in again.
    client = login(org.user(Role.CLERK))
    assert html_lang(client.get("/cases")) == "en"
    client.post("/language", data={"locale": "zh_CN"})
    assert html_lang(client.get("/cases")) == "zh-CN"


def test_language_switch_for_anonymous_uses_the_session(app, db, client, org):
    assert html_lang(client.get("/login")) == "zh-CN"
    response = client.post("/language", data={"locale": "en", "next": "/login"})
    assert response.headers["Location"] == "/login"
    with client.session_transaction() as session:
        assert session["locale"] == "en"
    page = client.get("/login")
    assert html_lang(page) == "en"
    assert t(app, "Sign in", "en") in text(parse(page).find(".//h1"))
    # Wrong password in English now.
    assert field_errors(post_login(client, "clerk", "wrong"), "password") == [t(app, REFUSED, "en", **LIMITS)]


def test_language_switch_refuses_unknown_locales_and_foreign_next(db, client, org):
    response = client.post("/language", data={"locale": "fr", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).netloc in ("", "localhost")
    with client.session_transaction() as session:
        assert "locale" not in session
    assert html_lang(client.get("/login")) == "zh-CN"
    response = client.post("/language", data={"locale": "en", "next": "//evil.example/"})
    assert urlsplit(response.headers["Location"]).netloc in ("", "localhost")


def test_users_locale_wins_over_the_session(db, org, login):
    clerk = org.user(Role.CLERK)
    clerk.locale = "en"
    db.session.commit()
    client = login(clerk)
    with client.session_transaction() as session:
        session["locale"] = "zh_CN"
    assert html_lang(client.get("/cases")) == "en"


# --- my account -------------------------------------------------------------------


def test_account_page_shows_the_user(org, login):
    response = login(org.user(Role.SUPERVISOR)).get("/account")
    assert response.status_code == 200
    page = text(parse(response))
    assert "supervisor" in page and org.centre.name in page


def test_password_change(app, db, client, org, login):
    login(org.user(Role.CLERK))
    response = client.post(
        "/account", data={"current": PASSWORD, "password": "a-brand-new-pass", "confirm": "a-brand-new-pass"}
    )
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/account"
    assert t(app, "Your password has been changed.") in flashes(client.get("/account"))
    client.post("/logout")
    assert post_login(client, "clerk", PASSWORD).status_code == 200  # the old one no longer works
    assert post_login(client, "clerk", "a-brand-new-pass").status_code == 302


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"current": "wrong-password", "password": "a-brand-new-pass", "confirm": "a-brand-new-pass"},
            "current",
            "The current password is wrong.",
        ),
        (
            {"current": PASSWORD, "password": "a-brand-new-pass", "confirm": "another-new-pass"},
            "confirm",
            "The passwords differ.",
        ),
        ({"current": PASSWORD, "password": "short", "confirm": "short"}, "password", None),
    ],
)
def test_password_change_refusals(app, db, org, login, data, field, message):
    client = login(org.user(Role.CLERK))
    response = client.post("/account", data=data)
    assert response.status_code == 200
    errors = field_errors(response, field)
    assert errors
    if message:
        assert errors == [t(app, message)]
    client.post("/logout")
    assert post_login(client, "clerk", PASSWORD).status_code == 302  # unchanged


# --- CSRF (off in the testing config, on everywhere else) ------------------------------

CSRF_EXPIRED = "The form expired or was sent twice. Reload the page and submit again."


def csrf_token(form) -> str:
    (token,) = [e.get("value") for e in form.iter("input") if e.get("name") == "csrf_token"]
    assert token
    return token


def test_csrf_protects_sign_in_and_sign_out(app, client, org, monkeypatch):
    for config in (DevelopmentConfig, ProductionConfig):
        assert getattr(config, "WTF_CSRF_ENABLED", True) is True  # Flask-WTF's default: on
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    response = post_login(client, "clerk", PASSWORD)
    assert response.status_code == 400
    assert t(app, CSRF_EXPIRED) in text(parse(response))
    assert signed_in_user_id(client) is None

    response = post_login(client, "clerk", PASSWORD, csrf_token=csrf_token(login_form(client.get("/login"))))
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(org.user(Role.CLERK).id)

    # Signing out, switching language: refused without the token, done with the one on the page.
    assert client.post("/logout").status_code == 400
    assert client.post("/language", data={"locale": "en"}).status_code == 400
    assert signed_in_user_id(client) == str(org.user(Role.CLERK).id)
    page = parse(client.get("/account"))
    (logout,) = [f for f in page.iter("form") if f.get("action") == "/logout"]
    assert client.post("/logout", data={"csrf_token": csrf_token(logout)}).status_code == 302
    assert signed_in_user_id(client) is None


def test_production_refuses_the_development_secret_key():
    import config
    from disputes import create_app

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config.ProductionConfig, SECRET_KEY=config.DEV_SECRET_KEY)
