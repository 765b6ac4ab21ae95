"""Cross-site request forgery: every POST route of the app refuses a post without a valid CSRF token.

The test app turns CSRF off (config.TestingConfig) so the other tests can post forms plainly; here it is on, as in
development and production. Attacks tried, each against every POST rule of `app.url_map` (the list is read from the
app, so a route added later is covered without a change here):
  - a signed-in supervisor's browser made to post a form with no token: 400 with the error page, no row written;
  - the same as anonymous: 400 (the check runs before the view; never the view's work);
  - a token taken from another session (the attacker's own sign-in): refused;
  - a token from the right session but sent as a cross-site form would not (none, empty, garbled): refused.
A control posts with the session's own token and is not refused, so the refusals come from the token.
"""

import re

import pytest
import sqlalchemy as sa

from disputes.models import Role
from tests.conftest import PASSWORD

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
EXPIRED = "The form expired or was sent twice."  # the CSRF error's page (disputes/errors.py)
SAMPLE = {
    "case_id": None,
    "unit_id": 1,
    "user_id": 1,
    "row_id": 1,
    "wage_id": 1,
    "job_id": 1,
    "room_id": 1,
    "slug": "open",
    "kind_id": "1",
    "day": "2026-11-20",
    "code": "ABCDEF",
    "rule_id": "1",
    "absence_id": 1,
    "skill_id": 1,
    "transfer_id": 1,
    "token": "access-token",
    "application_id": 1,
    "message_id": 1,
    "e_service_id": 1,
    "claim_id": 1,
}


# Machine endpoints posted by a provider's server, not a browser: exempt from CSRF, authenticated by the provider's
# signature instead; a post without it is refused with 403 and writes nothing (tests/portal/test_delivery_reports.py).
SIGNED_MACHINE_POSTS = {"gateway.sms_reports"}


def post_rules(app):
    rules = (r for r in app.url_map.iter_rules() if "POST" in r.methods and r.endpoint not in SIGNED_MACHINE_POSTS)
    return sorted(rules, key=lambda r: r.rule)


def test_signed_machine_posts_refuse_an_unsigned_post(db, client, csrf_on):
    before = row_counts(db)
    for rule in csrf_on.url_map.iter_rules():
        if rule.endpoint in SIGNED_MACHINE_POSTS:
            assert client.post(rule.rule, data={"username": "supervisor"}).status_code == 403, rule.rule
    assert row_counts(db) == before


def url_for_rule(rule, case_id: int) -> str:
    values = {name: (case_id if name == "case_id" else SAMPLE[name]) for name in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def row_counts(db) -> dict[str, int]:
    counts = {}
    for table in db.metadata.sorted_tables:
        counts[table.name] = db.session.scalar(sa.select(sa.func.count()).select_from(table))
    db.session.rollback()
    return counts


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return app


def page_token(client, path="/account") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return TOKEN.search(response.get_data(as_text=True)).group(1)


def test_every_post_route_is_listed(app):
    """The sample values cover every argument of every POST rule (a new argument name fails here, not silently)."""
    rules = post_rules(app)
    assert len(rules) >= 40
    for rule in rules:
        assert set(rule.arguments) <= set(SAMPLE), rule.rule


def test_signed_in_post_without_token_is_refused_everywhere(db, org, make_case, login, app, monkeypatch):
    case = make_case()
    client = login(org.user(Role.SUPERVISOR))  # signed in while CSRF is off, then it is turned on
    client.post("/language", data={"locale": "en"})
    client.post("/portal/language", data={"locale": "en"})  # the portal's own session keeps its own language
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    before = row_counts(db)
    accepted = {}
    for rule in post_rules(app):
        path = url_for_rule(rule, case.id)
        response = client.post(path, data={"reason": "核对当事人身份", "note": "x", "next": "/"})
        if response.status_code != 400 or EXPIRED not in response.get_data(as_text=True):
            accepted[path] = response.status_code
    assert accepted == {}
    assert row_counts(db) == before
    assert client.get("/cases").status_code == 200  # still signed in: refusal did not depend on a lost session


def test_anonymous_post_without_token_is_refused_everywhere(db, org, make_case, client, csrf_on):
    case = make_case()
    before = row_counts(db)
    accepted = {}
    for rule in post_rules(csrf_on):
        path = url_for_rule(rule, case.id)
        response = client.post(path, data={"username": "supervisor", "password": "x"})
        if response.status_code != 400:
            accepted[path] = response.status_code
    assert accepted == {}
    assert row_counts(db) == before


@pytest.mark.parametrize("token", ["", "garbled", "IjAxMjM0NTY3ODlhYmNkZWYi.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb"])
def test_a_bad_token_is_refused(db, org, make_case, login, app, monkeypatch, token):
    case = make_case()
    client = login(org.user(Role.SUPERVISOR))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post(f"/cases/{case.id}/reveal", data={"reason": "核对当事人身份", "csrf_token": token})
    assert response.status_code == 400
    response = client.post(
        f"/cases/{case.id}/reveal", data={"reason": "核对当事人身份"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 400


def test_a_token_from_another_session_is_refused(db, org, make_case, app, monkeypatch):
    """The attacker signs in with an account of their own, copies that page's token into the forged form."""
    case = make_case()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    attacker, victim = app.test_client(), app.test_client()
    for browser, user in ((attacker, org.user(Role.CLERK)), (victim, org.user(Role.SUPERVISOR))):
        token = page_token(browser, "/login")
        response = browser.post("/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302, response.status_code
    stolen = page_token(attacker)
    before = row_counts(db)
    response = victim.post(f"/cases/{case.id}/reveal", data={"reason": "核对当事人身份", "csrf_token": stolen})
    assert response.status_code == 400
    assert row_counts(db) == before


def test_control_the_sessions_own_token_is_accepted(db, org, make_case, login, app, monkeypatch):
    case = make_case()
    client = login(org.user(Role.SUPERVISOR))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    token = page_token(client, f"/cases/{case.id}")
    response = client.post(f"/cases/{case.id}/reveal", data={"reason": "核对当事人身份", "csrf_token": token})
    assert response.status_code != 400
    response = client.post("/language", data={"locale": "en", "next": "/cases"}, headers={"X-CSRFToken": token})
    assert response.status_code == 302
