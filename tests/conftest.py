"""Fixtures: an app on a migrated database (SQLite, or PostgreSQL via TEST_DATABASE_URL),
emptied after every test; a frozen clock; a small organisation with one user per role."""

import os
import shutil
import tempfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import g, request_started

from disputes import clock, create_app, organisation
from disputes.extensions import db as _db
from disputes.extensions import upgrade
from disputes.models import ClaimCategory, PartyKind, PartySide, Role, UnitKind
from disputes.models import user as user_model
from disputes.workflow.intake import ClaimInput, IntakeInput, PartyInput, register_case

PASSWORD = "correct-horse-42"
FROZEN_AT = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
# Real-format sample numbers whose check digits are valid (GB 11643 and GB 32100 samples).
WORKER_ID = "11010519491231002X"
EMPLOYER_CODE = "91350100M000100Y43"


def _database_url(tmpdir: str) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        from config import _database_url as normalise

        os.environ["DATABASE_URL"] = url
        return _worker_database(normalise(url))
    return f"sqlite:///{os.path.join(tmpdir, 'test.sqlite')}"


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database beside the given one (`test_gw0`…)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = sa.engine.make_url(url)
    name = f"{base.database}_{worker}"
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


# Tables the migrations fill with reference data; a PostgreSQL reset puts their rows back.
SEEDED_TABLES = (
    "minimum_wages",
    "finality_rules",
    "calendar_days",
    "calendar_years",
    "sla_rules",
    "metric_targets",
    "metric_changes",
)


@pytest.fixture(scope="session")
def app():
    tmpdir = tempfile.mkdtemp(prefix="disputes-tests-")
    url = _database_url(tmpdir)
    application = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with application.app_context():
        if _db.engine.dialect.name == "postgresql":
            with _db.engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        with _db.engine.connect() as conn:
            application.config["SEED_ROWS"] = {
                table: [dict(row._mapping) for row in conn.execute(sa.text(f"SELECT * FROM {table}"))]
                for table in SEEDED_TABLES
            }
        _db.engine.dispose()
    application.config["PRISTINE_SQLITE"] = None
    if url.startswith("sqlite"):
        pristine = os.path.join(tmpdir, "pristine.sqlite")
        shutil.copyfile(os.path.join(tmpdir, "test.sqlite"), pristine)
        application.config["PRISTINE_SQLITE"] = (pristine, os.path.join(tmpdir, "test.sqlite"))
    yield application
    shutil.rmtree(tmpdir, ignore_errors=True)


def snapshot_database(application) -> object:
    """The database as it is now, to put back before each test that starts from it (see `restore_database`)."""
    _db.session.remove()
    pristine = application.config["PRISTINE_SQLITE"]
    if pristine:
        _db.engine.dispose()
        copy = tempfile.mktemp(suffix=".sqlite", dir=os.path.dirname(pristine[0]))
        shutil.copyfile(pristine[1], copy)
        return copy
    with _db.engine.connect() as conn:
        return {t.name: [dict(r._mapping) for r in conn.execute(t.select())] for t in _db.metadata.sorted_tables}


def restore_database(application, snapshot) -> None:
    """Put back a `snapshot_database`: a file copy on SQLite; on PostgreSQL the rows, with triggers off (the rows
    already hold what the triggers wrote) and each sequence continuing after them."""
    _db.session.remove()
    pristine = application.config["PRISTINE_SQLITE"]
    if pristine:
        _db.engine.dispose()
        shutil.copyfile(snapshot, pristine[1])
        return
    tables = [t.name for t in _db.metadata.sorted_tables]
    with _db.engine.begin() as conn:
        conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        for table in tables:
            rows = snapshot[table]
            if rows:
                conn.execute(_db.metadata.tables[table].insert(), rows)
                if "id" in _db.metadata.tables[table].c:
                    conn.execute(
                        sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}")
                    )


def _reset_database(application) -> None:
    """Back to the freshly migrated state (the timeline refuses DELETE, so no row deletes)."""
    _db.session.remove()
    pristine = application.config["PRISTINE_SQLITE"]
    if pristine:
        _db.engine.dispose()
        source, target = pristine
        for suffix in ("-wal", "-shm"):
            if os.path.exists(target + suffix):
                os.remove(target + suffix)
        shutil.copyfile(source, target)
        return
    tables = [t.name for t in _db.metadata.sorted_tables]
    with _db.engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        for table, rows in application.config["SEED_ROWS"].items():
            if rows:
                conn.execute(_db.metadata.tables[table].insert(), rows)
                if "id" in _db.metadata.tables[table].c:  # the rows keep their ids; the sequence continues after them
                    conn.execute(
                        sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}")
                    )


@pytest.fixture
def db(app):
    with app.app_context():
        yield _db
        _reset_database(app)


DEMO_CASES = 40


@pytest.fixture(scope="session")
def demo_snapshot(app, cheap_password_hashing):
    """`flask demo load --cases 40` run once per test session (it is the suite's slowest set-up): its output and
    the database it leaves, which the `demo_database` fixture puts back for each test."""
    clock.freeze(FROZEN_AT)
    try:
        with app.app_context():
            result = app.test_cli_runner().invoke(args=["demo", "load", "--cases", str(DEMO_CASES)])
            assert result.exit_code == 0, result.output + repr(result.exception)
            snapshot = snapshot_database(app)
            _reset_database(app)
    finally:
        clock.freeze(None)
    return snapshot, result.output


@pytest.fixture
def demo_database(app, db, demo_snapshot):
    """The demo centre with 40 cases, as `flask demo load` leaves it; returns the command's output."""
    snapshot, output = demo_snapshot
    restore_database(app, snapshot)
    return output


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing():
    """Hashing strength is werkzeug's business; tests only need hashes that verify."""
    original = user_model.PASSWORD_HASH_METHOD
    user_model.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    yield
    user_model.PASSWORD_HASH_METHOD = original


@pytest.fixture(autouse=True)
def frozen_clock():
    clock.freeze(FROZEN_AT)
    yield FROZEN_AT
    clock.freeze(None)


@pytest.fixture(autouse=True)
def fresh_request_globals():
    """Give every test-client request a fresh `g`, as a real request has.

    The `db` fixture holds an app context open for the whole test and Flask reuses it for the
    test client's requests, so `g` would carry Flask-Login's current user and Flask-Babel's
    locale from one request to the next (a language switch or a second client's sign-in
    would not be seen).
    """

    def clear(sender, **extra):
        vars(g._get_current_object()).clear()

    request_started.connect(clear)
    yield
    request_started.disconnect(clear)


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


class Org:
    """A district with a one-stop centre and its hosted units, and a street committee."""

    def __init__(self, session):
        add = organisation.add_unit
        self.district = add(session, "LG", "龙岗区", UnitKind.DISTRICT)
        self.district.region_code = "440307"
        self.centre = add(session, "LGC", "龙岗区调援裁诉中心", UnitKind.CENTRE, self.district)
        self.mediation = add(session, "LGM", "龙岗区劳动争议调解委员会", UnitKind.MEDIATION_COMMITTEE, self.centre)
        self.arbitration = add(
            session, "LGA", "龙岗区劳动人事争议仲裁委员会", UnitKind.ARBITRATION_COMMISSION, self.centre
        )
        self.legal_aid = add(session, "LGL", "龙岗区法律援助中心", UnitKind.LEGAL_AID_CENTRE, self.centre)
        self.court = add(session, "LGCT", "龙岗区人民法院驻中心工作室", UnitKind.COURT_LIAISON, self.centre)
        self.street = add(session, "BJ", "布吉街道", UnitKind.STREET, self.district)
        self.street_mediation = add(
            session, "BJM", "布吉街道劳动争议调解委员会", UnitKind.MEDIATION_COMMITTEE, self.street
        )
        home = {
            Role.CLERK: self.centre,
            Role.MEDIATOR: self.mediation,
            Role.LEGAL_AID_OFFICER: self.legal_aid,
            Role.LAWYER: self.legal_aid,
            Role.ARBITRATOR: self.arbitration,
            Role.COURT_LIAISON: self.court,
            Role.SUPERVISOR: self.centre,
            Role.ADMIN: self.district,
        }
        self.users = {
            role: organisation.add_user(session, role.value.replace("_", "-"), role.value, [role], unit, PASSWORD)
            for role, unit in home.items()
        }
        # The supervisor heads the commission (Rules Art 45): the one who approves its extensions.
        organisation.set_commission_heads(session, self.arbitration, [self.users[Role.SUPERVISOR]])
        self.session = session
        self.colleagues: dict[Role, object] = {}
        session.commit()

    def user(self, role: Role | str):
        return self.users[Role(role)]

    def colleague(self, role: Role | str):
        """A second user with the role, in the same unit (four-eyes: someone else acts or approves)."""
        role = Role(role)
        if role not in self.colleagues:
            home = self.users[role].unit
            self.colleagues[role] = organisation.add_user(
                self.session, f"{role.value.replace('_', '-')}-2", f"{role.value} 2", [role], home, PASSWORD
            )
        return self.colleagues[role]


@pytest.fixture
def org(db):
    return Org(db.session)


def intake_input(unit, **overrides) -> IntakeInput:
    data = {
        "unit_id": unit.id,
        "cause": "拖欠工资",
        "registered_on": date(2026, 11, 20),
        "dispute_known_on": date(2026, 10, 1),
        "parties": [
            PartyInput(PartySide.APPLICANT, PartyKind.WORKER, "张三", sex="female", id_number=WORKER_ID),
            PartyInput(
                PartySide.RESPONDENT, PartyKind.EMPLOYER, "深圳市宏达电子科技有限公司", credit_code=EMPLOYER_CODE
            ),
        ],
        "claims": [ClaimInput(ClaimCategory.WAGES, Decimal("12000.00"), "2026年8月至10月工资")],
    }
    data.update(overrides)
    return IntakeInput(**data)


@pytest.fixture
def make_case(db, org):
    def make(unit=None, actor=None, **overrides):
        case = register_case(db.session, actor or org.user(Role.CLERK), intake_input(unit or org.centre, **overrides))
        db.session.commit()
        return case

    return make


@pytest.fixture
def login(client):
    def login_as(user_or_username, password=PASSWORD):
        username = getattr(user_or_username, "username", user_or_username)
        client.post("/logout")
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return login_as
