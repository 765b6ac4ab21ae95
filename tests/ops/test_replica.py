"""The read replica (issue 19): with DATABASE_REPLICA_URL set, the report pages read from it (what only the replica
holds shows up), say how stale their figures may be, and write nothing on the read path; without it they read and
fold on the primary as before. The replica here is a copy of the test database: a second SQLite file, or on
PostgreSQL a second database made from the first as a template."""

import shutil

import pytest
import sqlalchemy as sa

from disputes import create_app
from disputes.metrics.summary import fold
from disputes.models import Role
from tests.conftest import PASSWORD
from tests.metrics_data import build_quarter
from tests.pages import parse, text

QUARTER = "from=2026-07-01&to=2026-09-30"
LAG = 30
DRILL = f"/reports/cases?figure=arbitration.pending_end&part=numerator&{QUARTER}&lang=en"


@pytest.fixture
def replica(app, db, org, tmp_path):
    """(an app reading reports from the replica, the replica's engine, the quarter's rows), the replica made
    after the quarter's rows were committed."""
    data = build_quarter(db.session, org)
    db.session.commit()
    known = {
        "case_id": data["a"][1].case_id,
        "supervisor": org.user(Role.SUPERVISOR).username,
        "arbitration": org.arbitration.id,
        "centre": org.centre.id,
    }
    primary = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    db.session.remove()
    db.engine.dispose()
    admin = None
    if primary.get_backend_name() == "postgresql":
        name = f"{primary.database}_replica"
        admin = sa.create_engine(primary.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{primary.database}"'))
        url = primary.set(database=name).render_as_string(hide_password=False)
    else:
        copy = tmp_path / "replica.sqlite"
        shutil.copyfile(primary.database, copy)
        url = f"sqlite:///{copy}"
    application = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=primary.render_as_string(hide_password=False),
        DATABASE_REPLICA_URL=url,
        REPLICA_MAX_LAG_S=LAG,
    )
    engine = sa.create_engine(url)
    try:
        yield application, engine, known
    finally:
        engine.dispose()
        with application.app_context():
            from disputes.extensions import db as database

            for bound in database.engines.values():
                bound.dispose()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def _client(application, username):
    client = application.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _due_today(board) -> int:
    return int(text(next(board.iter("strong"))))


def _pending(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(sa.text("SELECT count(*) FROM metric_changes"))


def test_the_drill_down_lists_what_only_the_replica_holds(replica, app, db, login):
    application, engine, data = replica
    case_id = data["case_id"]
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE cases SET registry_no = 'REPLICA-ONLY-1' WHERE id = :id"), {"id": case_id})
    with application.app_context():
        page = _client(application, data["supervisor"]).get(DRILL)
    assert page.status_code == 200
    doc = parse(page)
    assert "REPLICA-ONLY-1" in text(doc)
    note = next(p for p in doc.iter("p") if p.get("id") == "replica-lag")
    assert f" {LAG} " in text(note)

    primary = login(data["supervisor"]).get(DRILL)  # the same page without a replica: the primary's rows
    assert "REPLICA-ONLY-1" not in primary.get_data(as_text=True)
    assert not [p for p in parse(primary).iter("p") if p.get("id") == "replica-lag"]


def test_the_dashboard_reads_the_replica_and_folds_nothing(replica, app, db, login):
    application, engine, data = replica
    with app.app_context():
        primary_engine = db.engine
    # A change on the primary after the copy: the statistics log holds it until a fold.
    with primary_engine.begin() as conn:
        conn.execute(sa.text("UPDATE cases SET cause = cause || ' ' WHERE id = (SELECT min(id) FROM cases)"))
    waiting = _pending(primary_engine)
    assert waiting > 0
    # Only the replica's deadline board has every open timer due today.
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE sla_timers SET status = 'running', due_on = '2026-11-20', warn_on = '2026-11-20', "
                "completed_on = NULL, breached_on = NULL "
                "WHERE status IN ('running', 'breached', 'met', 'met_late')"
            )
        )
        on_replica = conn.scalar(sa.text("SELECT count(*) FROM sla_timers WHERE status = 'running'"))
    assert on_replica > 0
    replica_waiting = _pending(engine)

    with application.app_context():
        page = _client(application, data["supervisor"]).get(f"/reports?{QUARTER}&lang=en")
    assert page.status_code == 200
    doc = parse(page)
    board = next(e for e in doc.iter("section") if e.get("id") == "board-counts")
    due_today = _due_today(board)
    assert due_today > 0
    note = text(next(p for p in doc.iter("p") if p.get("id") == "replica-lag"))
    # The replica's lag; plus the beat fold's period (5 min) when the figures come from the summary cells.
    assert f" {LAG} " in note or f" {LAG + 300} " in note
    assert _pending(primary_engine) == waiting  # nothing folded on the primary by a GET
    assert _pending(engine) == replica_waiting  # nor on the replica

    # No replica: the fold goes through the jobs path (inline here, no broker), in its own session, not the GET's.
    page = login(data["supervisor"]).get(f"/reports?{QUARTER}&lang=en")
    assert page.status_code == 200
    assert fold.pending(db.session) == 0
    board = next(e for e in parse(page).iter("section") if e.get("id") == "board-counts")
    assert _due_today(board) < due_today


def test_the_monthly_report_reads_the_replica_without_writing(replica, app, db):
    application, _engine, data = replica
    with app.app_context():
        primary_engine = db.engine
    with primary_engine.begin() as conn:
        conn.execute(sa.text("UPDATE cases SET cause = cause || ' ' WHERE id = (SELECT min(id) FROM cases)"))
    waiting = _pending(primary_engine)
    with application.app_context():
        client = _client(application, data["supervisor"])
        response = client.get(f"/reports/monthly.pdf?unit={data['centre']}&month=2026-09")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert _pending(primary_engine) == waiting


def test_the_masked_export_reads_the_replica_and_unmasking_the_primary(replica, app, db):
    application, engine, data = replica
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE cases SET registry_no = 'REPLICA-ONLY-2' WHERE id = :id"), {"id": data["case_id"]})
    with application.app_context():
        client = _client(application, data["supervisor"])
        masked = client.get("/ledger/export").get_data(as_text=True)
        revealed = client.post("/ledger/export", data={"reason": "核对仲裁台账"}).get_data(as_text=True)
    assert "REPLICA-ONLY-2" in masked
    assert "REPLICA-ONLY-2" not in revealed  # read on the primary, where its reveals are recorded
    with app.app_context(), db.engine.connect() as conn:
        registry_no = conn.scalar(sa.text("SELECT registry_no FROM cases WHERE id = :id"), {"id": data["case_id"]})
    assert registry_no in revealed


@pytest.mark.parametrize("path", ["/reports?preset=year&lang=en", "/reports/monthly.pdf?month=2026-09&lang=en"])
def test_without_a_replica_a_report_page_writes_nothing_and_says_its_figures_may_lag(
    app, db, org, login, monkeypatch, path
):
    """With a broker the fold is queued for a worker: the page reads the cells as they stand, commits nothing,
    and (the dashboard) says the figures may lag by the fold's period."""
    from disputes import jobs
    from disputes.web import unit_of_work
    from tests.web.test_unit_of_work import counted_commits

    build_quarter(db.session, org)
    db.session.commit()
    with db.engine.begin() as conn:  # no filing after today: the cells can answer for today (as_of_covered)
        conn.execute(sa.text("DELETE FROM lawsuits WHERE filed_on > '2026-11-20'"))
    fold.fold(db.session)
    db.session.commit()
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE cases SET cause = cause || ' ' WHERE id = (SELECT min(id) FROM cases)"))
    waiting = _pending(db.engine)
    assert waiting > 0
    supervisor = org.user(Role.SUPERVISOR)
    supervisor.locale = "en"  # the page's language is the user's (`lang=` names a download's language only)
    db.session.commit()
    client = login(supervisor)
    queued = []
    monkeypatch.setattr(jobs, "enqueue_metrics_fold", lambda: queued.append(True) or True)  # a broker took it
    with counted_commits() as commits:
        response = client.get(path)
    assert response.status_code == 200
    assert queued == [True] and commits == [] and _pending(db.engine) == waiting
    for endpoint in ("reports.dashboard", "reports.monthly"):
        assert not getattr(app.view_functions[endpoint], unit_of_work.WRITES_ON_GET, False)
    if path.startswith("/reports?"):
        note = text(next(p for p in parse(response).iter("p") if p.get("id") == "replica-lag"))
        assert " 300 " in note and "statistics summary" in note
        assert "replica" not in note  # not the replica's note: this is the primary
