"""One commit per request (issue 15): the request's unit of work commits once after a view that returned below 400,
and keeps nothing when the view raised or answered with an error page; a GET commits nothing unless it is named as a
GET that writes."""

from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import Session

from disputes.models import AdminAudit, Role, User
from disputes.web import unit_of_work
from tests.web.test_admin_web import edit_form, user_form


@contextmanager
def counted_commits():
    """The number of commits any session makes meanwhile."""
    seen = []

    def count(session):
        seen.append(session)

    sa.event.listen(Session, "after_commit", count)
    try:
        yield seen
    finally:
        sa.event.remove(Session, "after_commit", count)


def stored(db, statement):
    """Read on a connection of its own: what is in the database, not what the session holds."""
    with db.engine.connect() as conn:
        return conn.execute(statement).all()


@pytest.fixture
def admin(org, login):
    return login(org.user(Role.ADMIN))


def test_a_successful_post_commits_exactly_once(db, org, admin):
    clerk = org.user(Role.CLERK)
    with counted_commits() as commits:
        response = admin.post(f"/admin/users/{clerk.id}", data=edit_form(clerk, display_name="改过的名字"))
    assert response.status_code == 302
    assert len(commits) == 1
    assert stored(db, sa.select(User.display_name).where(User.id == clerk.id)) == [("改过的名字",)]
    with counted_commits() as commits:
        response = admin.post("/admin/users/new", data=user_form(org, password="a-long-enough-password-7"))
    assert response.status_code == 302 and len(commits) == 1
    assert stored(db, sa.select(User.id).where(User.username == "wang.clerk"))


def test_a_get_commits_nothing(org, admin):
    with counted_commits() as commits:
        assert admin.get("/admin/users").status_code == 200
        assert admin.get(f"/admin/users/{org.user(Role.CLERK).id}").status_code == 200
    assert commits == []


def test_an_exception_after_the_write_leaves_nothing_written(app, db, org, admin, monkeypatch):
    clerk = org.user(Role.CLERK)
    entries = stored(db, sa.select(sa.func.count()).select_from(AdminAudit))

    def boom(user):
        raise RuntimeError("after the write")

    monkeypatch.setattr("disputes.admin.views._keep_own_session", boom)
    with pytest.raises(RuntimeError):  # testing propagates the exception; in production it is the 500 page
        admin.post(f"/admin/users/{clerk.id}", data=edit_form(clerk, display_name="不该保存"))
    assert stored(db, sa.select(User.display_name).where(User.id == clerk.id)) == [(clerk.display_name,)]
    assert stored(db, sa.select(sa.func.count()).select_from(AdminAudit)) == entries
    # The session itself was rolled back: the next request's commit does not carry the flushed change along.
    assert admin.post("/language", data={"locale": "en"}).status_code == 302
    assert stored(db, sa.select(User.display_name).where(User.id == clerk.id)) == [(clerk.display_name,)]
    assert stored(db, sa.select(User.locale).where(User.id == org.user(Role.ADMIN).id)) == [("en",)]


def test_an_error_page_after_the_write_leaves_nothing_written(db, org, admin, monkeypatch):
    clerk = org.user(Role.CLERK)
    monkeypatch.setattr("disputes.admin.views._keep_own_session", lambda user: abort(403))
    with counted_commits() as commits:
        response = admin.post(f"/admin/users/{clerk.id}", data=edit_form(clerk, display_name="不该保存"))
    assert response.status_code == 403
    assert commits == []
    assert stored(db, sa.select(User.display_name).where(User.id == clerk.id)) == [(clerk.display_name,)]
    assert stored(db, sa.select(AdminAudit.id).where(AdminAudit.entity == "user")) == []


def test_the_500_page_keeps_nothing(app, db, org, admin, monkeypatch):
    """With exceptions not propagated (as in production), the error handler's page is a 500 and nothing is kept."""
    clerk = org.user(Role.CLERK)

    def boom(user):
        raise RuntimeError("after the write")

    monkeypatch.setattr("disputes.admin.views._keep_own_session", boom)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = admin.post(f"/admin/users/{clerk.id}", data=edit_form(clerk, display_name="不该保存"))
    assert response.status_code == 500
    assert stored(db, sa.select(User.display_name).where(User.id == clerk.id)) == [(clerk.display_name,)]


def test_a_failed_login_keeps_its_count_without_a_commit_of_its_own(db, org, client):
    """The login page is a 200 with the refusal: the request commits the failure count."""
    clerk = org.user(Role.CLERK)
    with counted_commits() as commits:
        response = client.post("/login", data={"username": clerk.username, "password": "wrong-password-1"})
    assert response.status_code == 200 and len(commits) == 1
    assert stored(db, sa.select(User.failed_logins).where(User.id == clerk.id)) == [(1,)]


def test_gets_that_write_are_named(app):
    """Only the views marked `writes_on_get` commit on a GET: the statistics pages that fold the change log (the
    dashboard, the monthly report, an official table and a cell's list)."""
    named = sorted(
        endpoint for endpoint, view in app.view_functions.items() if getattr(view, unit_of_work.WRITES_ON_GET, False)
    )
    assert named == ["reports.dashboard", "reports.monthly", "reports.official_cell", "reports.official_table"]
