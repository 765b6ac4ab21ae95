"""The upgrade path on deploy (issue 19): the previous release's demo, loaded at that release's migration head,
upgrades to today's head with every row kept and readable through today's app; then every newer migration steps
down and up again over those rows.

The previous release is main as it stood after the issue 12–14 round (commit 780b087), whose last migration was
`0011_amounts_unknown_people` (file 0018). Its demo was made by that release's own code (see release_fixture.py);
today's demo loader cannot run at that schema. On SQLite, and on PostgreSQL when TEST_DATABASE_URL names one.
"""

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from disputes.extensions import db
from tests.db.release_fixture import load, read
from tests.db.test_migrations import current_revision, flask_db, scratch_app, script_directory  # noqa: F401

PREVIOUS_RELEASE = "0011_amounts_unknown_people"
FIXTURE = "0018_demo.json.gz"
PASSWORD = "demo-2026-pass"
# Migrations whose downgrade refuses or cannot give back what the upgrade took, and why. A downgrade that drops
# only what its upgrade added (tables, columns, indexes, triggers) is reversible: the rows of the release before
# it come back unchanged.
IRREVERSIBLE = {
    "0011_amounts_unknown_people": "refuses while ledger history holds unknown amounts or people (NULLs)",
}


def _counts(application, tables) -> dict[str, int]:
    with application.app_context(), db.engine.connect() as conn:
        return {t: conn.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in tables}


def _newer_revisions() -> list[str]:
    """Today's migrations after the previous release, oldest first."""
    scripts = script_directory()
    return [r.revision for r in scripts.iterate_revisions("heads", PREVIOUS_RELEASE)][::-1][1:]


@pytest.fixture
def previous_release(scratch_app):  # noqa: F811
    """A database as the previous release left it after `flask demo load --cases 40`."""
    data = read(FIXTURE)
    assert data["revision"] == PREVIOUS_RELEASE
    flask_db(scratch_app, "upgrade", PREVIOUS_RELEASE)
    with scratch_app.app_context(), db.engine.begin() as conn:
        counts = load(conn, data)
    assert counts["cases"] == 40 and counts["timeline_entries"] > 100
    return scratch_app, counts


def _read_a_case_through_the_app(application) -> None:
    with application.app_context(), db.engine.connect() as conn:
        case_id, registry_no = conn.execute(
            sa.text("SELECT id, registry_no FROM cases WHERE registry_no IS NOT NULL ORDER BY id LIMIT 1")
        ).one()
        name = conn.scalar(sa.text("SELECT name FROM parties WHERE case_id = :id ORDER BY position"), {"id": case_id})
    client = application.test_client()
    response = client.post("/login", data={"username": "director", "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    page = client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert registry_no in page.get_data(as_text=True) and name in page.get_data(as_text=True)
    # The case list reads the scope from case_readers, which migration 0021 filled for the release's cases.
    listing = client.get("/cases?q=" + registry_no).get_data(as_text=True)
    assert registry_no in listing


def test_the_previous_releases_demo_upgrades_to_head_with_every_row_kept(previous_release):
    application, before = previous_release
    flask_db(application, "upgrade")
    assert current_revision(application) == script_directory().get_current_head()
    after = _counts(application, [t for t in before if t != "metric_changes"])
    assert after == {t: n for t, n in before.items() if t != "metric_changes"}
    with application.app_context(), db.engine.connect() as conn:
        readers = conn.scalar(sa.text("SELECT count(DISTINCT case_id) FROM case_readers"))
    assert readers == before["cases"]
    _read_a_case_through_the_app(application)


def test_each_newer_migration_steps_down_and_up_again_over_the_releases_rows(previous_release):
    application, before = previous_release
    flask_db(application, "upgrade")
    newer = _newer_revisions()
    assert newer and newer[-1] == script_directory().get_current_head()
    for revision, below in zip(reversed(newer), [*reversed(newer[:-1]), PREVIOUS_RELEASE], strict=True):
        assert current_revision(application) == revision
        flask_db(application, "downgrade", below)
    assert current_revision(application) == PREVIOUS_RELEASE
    kept = [t for t in before if t != "metric_changes"]
    assert _counts(application, kept) == {t: before[t] for t in kept}
    for revision in newer:
        flask_db(application, "upgrade", revision)
        assert current_revision(application) == revision
    assert _counts(application, kept) == {t: before[t] for t in kept}
    _read_a_case_through_the_app(application)


def _downgrade_source(revision: str) -> str:
    module = script_directory().get_revision(revision).module
    source = Path(module.__file__).read_text(encoding="utf-8")
    return source[source.index("def downgrade") :]


def test_the_irreversible_migrations_are_the_ones_whose_downgrade_refuses():
    """Every downgrade that raises (or does nothing) is listed here, and each listed one does raise."""
    refusing = set()
    for script in script_directory().walk_revisions():
        body = _downgrade_source(script.revision)
        lines = [line.strip() for line in body.splitlines()[1:]]
        statements = [line for line in lines if line and not line.startswith("#")]
        if re.search(r"\braise\b", body) or statements[:1] in (["pass"], ['"""']):
            refusing.add(script.revision)
    assert refusing == set(IRREVERSIBLE)
    assert not set(IRREVERSIBLE) & set(_newer_revisions())


def test_the_previous_release_refuses_to_step_down_over_unknown_amounts(previous_release):
    """0011_amounts_unknown_people is irreversible once an award's minimum wage is unknown: the downgrade stops."""
    application, _before = previous_release
    with application.app_context(), db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE awards SET minimum_wage = NULL WHERE id = (SELECT min(id) FROM awards)"))
    result = application.test_cli_runner().invoke(args=["db", "downgrade", "0011_security_hardening"])
    assert result.exit_code != 0
    assert "unknown values" in str(result.exception) + result.output
    assert current_revision(application) == PREVIOUS_RELEASE
