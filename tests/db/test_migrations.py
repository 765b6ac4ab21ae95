"""Migrations: one head, a clean upgrade/downgrade/upgrade cycle, and no drift from the models.

Runs on the backend of the test run: a scratch SQLite file, or a scratch PostgreSQL database
(`disputes_migtest`) created next to the one named by TEST_DATABASE_URL and dropped afterwards.
"""

import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from disputes import create_app
from disputes.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
APP_TABLES = {
    "units",
    "number_formats",
    "number_sequences",
    "users",
    "user_roles",
    "cases",
    "case_assignments",
    "claims",
    "parties",
    "timeline_entries",
}


def script_directory() -> ScriptDirectory:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def test_single_head():
    heads = script_directory().get_heads()
    assert len(heads) == 1, f"more than one migration head: {heads}"


def test_every_revision_chains_to_the_base():
    scripts = script_directory()
    revisions = list(scripts.walk_revisions())
    assert revisions, "no migrations found"
    assert [r.revision for r in revisions if r.down_revision is None] == [revisions[-1].revision]
    for revision in revisions:
        assert callable(getattr(revision.module, "downgrade", None)), f"{revision.revision} cannot be downgraded"


def _postgres_url() -> sa.URL | None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    from config import _database_url as normalise

    saved = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        return sa.make_url(normalise(url))
    finally:
        if saved is None:
            os.environ.pop("DATABASE_URL")
        else:
            os.environ["DATABASE_URL"] = saved


def _scratch_name(pg: sa.URL) -> str:
    """One scratch database per test database and xdist worker, so parallel runs never share one."""
    return f"{pg.database}_migtest_" + os.environ.get("PYTEST_XDIST_WORKER", "main")


def _drop_and_create(admin: sa.Engine, name: str, create: bool) -> None:
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if create:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))


@pytest.fixture
def scratch_app(tmp_path):
    """A second app on an empty database of the current backend."""
    pg = _postgres_url()
    admin = None
    if pg is not None:
        admin = sa.create_engine(pg.set(database="postgres"), isolation_level="AUTOCOMMIT")
        scratch = _scratch_name(pg)
        _drop_and_create(admin, scratch, create=True)
        url = pg.set(database=scratch).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{tmp_path / 'migtest.sqlite'}"
    application = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    try:
        yield application
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
        if admin is not None:
            _drop_and_create(admin, scratch, create=False)
            admin.dispose()


def flask_db(application, *args: str):
    result = application.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, f"flask db {' '.join(args)} failed:\n{result.output}\n{result.exception!r}"
    return result


def table_names(application) -> set[str]:
    with application.app_context():
        return set(sa.inspect(db.engine).get_table_names())


def trigger_names(application) -> set[str]:
    with application.app_context(), db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            sql = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        return set(conn.scalars(sa.text(sql)))


def schema_differences(application) -> list:
    def include_object(obj, name, type_, reflected, compare_to):
        return not (type_ == "index" and name and name.endswith(("_trgm", "_bigrams", "_pattern")))

    with application.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_object, "render_as_batch": True}
        )
        return compare_metadata(context, db.metadata)


def current_revision(application) -> str | None:
    with application.app_context(), db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_upgrade_downgrade_upgrade(scratch_app):
    assert table_names(scratch_app) == set()

    flask_db(scratch_app, "upgrade")
    assert APP_TABLES <= table_names(scratch_app)
    assert trigger_names(scratch_app)  # the append-only timeline
    assert current_revision(scratch_app) == script_directory().get_current_head()

    flask_db(scratch_app, "downgrade", "base")
    assert table_names(scratch_app) <= {"alembic_version"}
    assert trigger_names(scratch_app) == set()
    assert current_revision(scratch_app) is None

    flask_db(scratch_app, "upgrade")
    assert APP_TABLES <= table_names(scratch_app)
    assert schema_differences(scratch_app) == []


def test_models_match_migrations(scratch_app):
    flask_db(scratch_app, "upgrade")
    differences = schema_differences(scratch_app)
    assert differences == [], "models and migrations differ; run `flask db migrate`:\n" + "\n".join(
        map(repr, differences)
    )


def test_flask_db_check_finds_nothing_to_migrate(scratch_app):
    """`flask db check` exits non-zero when autogenerate would write a migration."""
    flask_db(scratch_app, "upgrade")
    flask_db(scratch_app, "check")


def test_flask_db_check_notices_a_model_change(scratch_app):
    """The check above can fail: with a column missing from the database it exits non-zero."""
    flask_db(scratch_app, "upgrade")
    with scratch_app.app_context(), db.engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE units DROP COLUMN phone"))
    result = scratch_app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code != 0
    assert any(d[0] == "add_column" and d[3].name == "phone" for d in schema_differences(scratch_app))


def test_a_workers_cases_are_found_by_an_index_on_the_id_number(scratch_app):
    """The case page's "same worker" links and the search by a full resident ID look parties up by the number: at a
    million cases without this index that read all 2.5 million parties (issue 18)."""
    flask_db(scratch_app, "upgrade")
    with scratch_app.app_context():
        indexes = {i["name"]: i["column_names"] for i in sa.inspect(db.engine).get_indexes("parties")}
    assert indexes["ix_parties_id_number"] == ["id_number"]


def test_the_queues_have_their_partial_indexes(scratch_app):
    """The clerk's "cases to route" count walks the open cases, the board's overdue group its timers oldest first:
    each by a partial index (issue 18 part 6), on both databases; on PostgreSQL a finer histogram of party names."""
    flask_db(scratch_app, "upgrade")
    with scratch_app.app_context():
        inspector = sa.inspect(db.engine)
        cases = {i["name"]: i["column_names"] for i in inspector.get_indexes("cases")}
        timers = {i["name"]: i["column_names"] for i in inspector.get_indexes("sla_timers")}
        postgres = db.engine.dialect.name == "postgresql"
        target = postgres and db.session.scalar(
            sa.text("SELECT attstattarget FROM pg_attribute WHERE attrelid = 'parties'::regclass AND attname = 'name'")
        )
    assert cases["ix_cases_open"] == ["id"]
    assert timers["ix_sla_timers_overdue"][:2] == ["due_on", "id"]
    if postgres:  # the one-character search's estimate of a surname's parties (see migration 0038)
        assert target == 1000


def test_postgres_gets_the_search_indexes(scratch_app):
    flask_db(scratch_app, "upgrade")
    with scratch_app.app_context():
        if db.engine.dialect.name != "postgresql":
            indexes = {i["name"] for i in sa.inspect(db.engine).get_indexes("parties")}
            assert not any(name.endswith(("_trgm", "_bigrams", "_pattern")) for name in indexes)
            return
        indexes = {i["name"] for t in ("parties", "cases") for i in sa.inspect(db.engine).get_indexes(t)}
    assert {
        "ix_parties_name_trgm",
        "ix_cases_registry_no_trgm",
        "ix_parties_name_bigrams",
        "ix_cases_registry_no_bigrams",
        "ix_parties_name_pattern",
    } <= indexes


def test_the_migrated_timeline_is_append_only(scratch_app):
    """The trigger comes from the migration, so check it on a freshly migrated database."""
    flask_db(scratch_app, "upgrade")
    with scratch_app.app_context(), db.engine.connect() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO units (id, code, name, kind, path, active) VALUES (1, 'U', 'u', 'centre', '/1/', true)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO cases (id, registry_no, unit_id, registered_on, cause, facts, stage, status, "
                "worker_count, "
                "migrant_wage, work_injury, green_channel, collective, limitation_warning, version_id, created_at) "
                "VALUES (1, 'N1', 1, '2026-11-20', 'c', '', 'intake', 'open', 1, false, false, false, false, false, 1, "
                "'2026-11-20 02:00:00')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO timeline_entries (case_id, at, kind) VALUES (1, '2026-11-20 02:00:00', 'case_registered')"
            )
        )
        conn.commit()
        for sql in ("UPDATE timeline_entries SET kind = 'x'", "DELETE FROM timeline_entries"):
            with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                conn.execute(sa.text(sql))
            conn.rollback()
        assert conn.scalar(sa.text("SELECT kind FROM timeline_entries")) == "case_registered"


def test_existing_agents_are_linked_to_the_first_party_of_their_side(scratch_app):
    """Migration 0011 (issue 13): agents registered before the link act for the first party of their side."""
    flask_db(scratch_app, "upgrade", "0010")
    with scratch_app.app_context(), db.engine.connect() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO units (id, code, name, kind, path, active) VALUES (1, 'U', 'u', 'centre', '/1/', true)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO cases (id, registry_no, unit_id, registered_on, cause, facts, stage, status, "
                "worker_count, "
                "migrant_wage, work_injury, green_channel, collective, limitation_warning, version_id, created_at) "
                "VALUES (1, 'N1', 1, '2026-11-20', 'c', '', 'intake', 'open', 1, false, false, false, false, false, 1, "
                "'2026-11-20 02:00:00')"
            )
        )
        for pid, position, side, kind, name in [
            (1, 0, "applicant", "worker", "张三"),
            (2, 1, "applicant", "worker", "李四"),
            (3, 2, "respondent", "employer", "某公司"),
            (4, 3, "respondent", "employer", "另一公司"),
            (5, 4, "applicant", "agent", "赵律师"),
            (6, 5, "respondent", "agent", "何浩"),
        ]:
            conn.execute(
                sa.text(
                    "INSERT INTO parties (id, case_id, position, side, kind, name, is_representative, migrant_worker) "
                    "VALUES (:id, 1, :position, :side, :kind, :name, false, false)"
                ),
                {"id": pid, "position": position, "side": side, "kind": kind, "name": name},
            )
        conn.commit()
    flask_db(scratch_app, "upgrade")
    with scratch_app.app_context(), db.engine.connect() as conn:
        links = dict(conn.execute(sa.text("SELECT name, represents_id FROM parties ORDER BY id")).all())
    assert links == {"张三": None, "李四": None, "某公司": None, "另一公司": None, "赵律师": 1, "何浩": 3}
