"""Export in the ledger format, and the round trip: export then import into an empty database gives the same
cases and the same facts the metrics read (per-track states, dates, closure types, timer statuses)."""

import io
import os
import tempfile
from datetime import date

import pytest
import sqlalchemy as sa

from disputes import create_app
from disputes.extensions import db as _db
from disputes.extensions import upgrade
from disputes.ledger import export, parse
from disputes.ledger.importer import import_ledger
from disputes.metrics import compute, output
from disputes.metrics.scope import Period, unit_scope
from disputes.models import (
    Arbitration,
    Award,
    Case,
    Lawsuit,
    LegalAidApplication,
    Mediation,
    Role,
    SlaTimer,
    Suspension,
    Unit,
)
from tests.conftest import Org
from tests.ledger_rows import GOOD, csv_text, xlsx_bytes


def load(session, data: bytes, name: str, actor=None, **kw):
    sheet = parse.read(io.BytesIO(data), name)
    result = import_ledger(session, sheet, actor, note="imported", causes={}, **kw)
    session.commit()
    return result


def facts(session) -> dict:
    """What the metrics read, keyed by registry number (ids differ between databases)."""
    number = {cid: no for cid, no in session.execute(sa.select(Case.id, Case.registry_no))}
    out: dict = {no: {} for no in number.values()}
    for row in session.execute(
        sa.select(
            Case.id,
            Case.stage,
            Case.status,
            Case.closed_on,
            Case.worker_count,
            Case.migrant_wage,
            Case.green_channel,
            Case.collective,
            Case.registered_on,
        )
    ):
        out[number[row[0]]]["case"] = tuple(row[1:])
    for row in session.execute(sa.select(Mediation.case_id, Mediation.state, Mediation.applied_on, Mediation.ended_on)):
        out[number[row[0]]]["mediation"] = tuple(row[1:])
    for row in session.execute(
        sa.select(
            LegalAidApplication.case_id,
            LegalAidApplication.state,
            LegalAidApplication.applied_on,
            LegalAidApplication.decided_on,
        )
    ):
        out[number[row[0]]]["legal_aid"] = tuple(row[1:])
    for row in session.execute(
        sa.select(
            Arbitration.case_id,
            Arbitration.id,
            Arbitration.state,
            Arbitration.received_on,
            Arbitration.accepted_on,
            Arbitration.closed_on,
            Arbitration.refused_on,
            Arbitration.closure_type,
            Arbitration.closure_approved_on,
        )
    ):
        finalities = sorted(
            session.execute(
                sa.select(Award.finality, Award.effective_on, Award.served_on).where(Award.arbitration_id == row[1])
            ).all()
        )
        suspended = sorted(
            s.days for s in session.scalars(sa.select(Suspension).where(Suspension.arbitration_id == row[1]))
        )
        out[number[row[0]]]["arbitration"] = (*row[2:], tuple(finalities), tuple(suspended))
    for row in session.execute(
        sa.select(
            Lawsuit.case_id,
            Lawsuit.kind,
            Lawsuit.state,
            Lawsuit.plaintiff,
            Lawsuit.filed_on,
            Lawsuit.closed_on,
            Lawsuit.outcome,
        )
    ):
        out[number[row[0]]]["lawsuit"] = tuple(row[1:])
    for row in session.execute(
        sa.select(
            SlaTimer.case_id,
            SlaTimer.rule_id,
            SlaTimer.status,
            SlaTimer.started_on,
            SlaTimer.due_on,
            SlaTimer.completed_on,
            SlaTimer.breached_on,
            SlaTimer.days_late,
            SlaTimer.paused_days,
            SlaTimer.extension_days,
            SlaTimer.completed_by,
        ).order_by(SlaTimer.rule_id, SlaTimer.subject_id)
    ):
        out[number[row[0]]].setdefault("timers", []).append(tuple(row[1:]))
    return out


def exported_csv(session) -> str:
    """With full ID numbers (export.Unmask): a masked export cannot create the cases elsewhere (issue 14)."""
    ids = export.case_ids(session, sa.select(Case))
    out = io.StringIO()
    export.to_csv((row for _id, row in export.rows_for(session, ids, export.Unmask())), out)
    return out.getvalue()


MORE = [
    {
        "registry_no": "L-0007",
        "unit_code": "LGC",
        "registered_on": "2026-04-01",
        "applicant_name": "周九",
        "respondent_name": "深圳市某某公司",
        "claim_categories": "wages;damages",
        "claim_amount": "50000",
        "arbitration_received_on": "2026-04-01",
        "arbitration_accepted_on": "2026-04-02",
        "arbitration_closed_on": "2026-05-10",
        "arbitration_closure": "award_mixed",
        "arbitrator": "arbitrator",
        "litigation_filed_on": "2026-05-20",
        "litigation_by": "employer",
        "litigation_closed_on": "2026-07-01",
        "litigation_outcome": "upheld",
    },
    {
        "registry_no": "L-0008",
        "unit_code": "LGC",
        "registered_on": "2026-04-01",
        "applicant_name": "吴十",
        "respondent_name": "深圳市某某公司",
        "claim_categories": "wages",
        "arbitration_received_on": "2026-04-01",
        "arbitration_closed_on": "2026-04-20",
        "arbitration_closure": "deemed_withdrawn",
        "legal_aid_applied_on": "2026-04-01",
        "legal_aid_decided_on": "2026-04-03",
        "legal_aid_decision": "refused",
    },
]


@pytest.fixture
def other_database(app):
    """A second, empty migrated database (SQLite file, or a PostgreSQL database beside the test one)."""
    url = os.environ.get("TEST_DATABASE_URL")
    tmp = tempfile.mkdtemp(prefix="ledger-roundtrip-")
    if url:
        from config import _database_url

        base = sa.engine.make_url(_database_url(url))
        name = f"{base.database}_ledger_copy"
        engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        target = base.set(database=name).render_as_string(hide_password=False)
    else:
        target = f"sqlite:///{os.path.join(tmp, 'copy.sqlite')}"
    other = create_app("testing", SQLALCHEMY_DATABASE_URI=target)
    with other.app_context():
        upgrade()
    yield other
    with other.app_context():
        _db.session.remove()
        _db.engine.dispose()


def test_export_writes_the_format(db, org):
    load(db.session, csv_text(GOOD + MORE).encode(), "ledger.csv", org.user(Role.CLERK))
    text = exported_csv(db.session)
    assert text.startswith("\ufeffregistry_no,unit_code,registered_on")
    rows = {r["registry_no"]: r for _n, r in parse.read(io.BytesIO(text.encode()), "x.csv").rows}
    assert rows["L-0001"]["claim_categories"] == "wages;overtime" and rows["L-0001"]["claim_amount"] == "12000.50"
    assert rows["L-0001"]["arbitration_closure"] == "award_final" and rows["L-0001"]["arbitrator"] == "arbitrator"
    assert rows["L-0003"]["suspended_days"] == "30" and rows["L-0003"]["extension_days"] == "15"
    assert (
        rows["L-0005"]["arbitration_closure"] == "refused" and rows["L-0005"]["arbitration_closed_on"] == "2026-02-04"
    )
    assert rows["L-0007"]["arbitration_closure"] == "award_mixed" and rows["L-0007"]["litigation_outcome"] == "upheld"
    assert rows["L-0008"]["legal_aid_decision"] == "refused"


def test_round_trip_gives_the_same_cases_and_facts(db, org, other_database):
    load(db.session, csv_text(GOOD + MORE).encode(), "ledger.csv", org.user(Role.CLERK))
    text = exported_csv(db.session)
    original, original_figures = facts(db.session), figures(db.session)
    with other_database.app_context():
        session = _db.session
        Org(session)
        load(session, text.encode("utf-8"), "export.csv")
        copied, copied_figures = facts(session), figures(session)
        again = exported_csv(session)
    assert copied == original
    assert again == text
    assert copied_figures == original_figures
    assert original_figures["arbitration.closed"] > 0 and original_figures["mediation.closed"] > 0


def figures(session) -> dict:
    """Every figure of metrics.md over the district for the year so far, as `flask metrics --json` prints them."""
    district = session.scalar(sa.select(Unit).where(Unit.code == "LG"))
    values = compute.compute(
        session, unit_scope(session, district), Period(date(2026, 1, 1), date(2026, 11, 20)), as_of=date(2026, 11, 20)
    )
    return output.as_json(values)


def test_xlsx_import_and_export(db, org, tmp_path):
    load(db.session, xlsx_bytes(GOOD), "ledger.xlsx", org.user(Role.CLERK))
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == len(GOOD)
    path = tmp_path / "out.xlsx"
    ids = export.case_ids(db.session, sa.select(Case))
    assert export.to_xlsx((r for _i, r in export.rows_for(db.session, ids)), path) == len(GOOD)
    sheet = parse.read_path(path)
    assert [cells["registry_no"] for _n, cells in sheet.rows] == [
        r["registry_no"] for r in sorted(GOOD, key=lambda r: (r["registered_on"], r["registry_no"]))
    ]
    assert sheet.rows[0][1]["registered_on"] == "2026-01-05"


def test_cli_export_names_an_unknown_unit(db, org, runner, tmp_path):
    result = runner.invoke(args=["ledger", "export", "--out", str(tmp_path / "x.csv"), "--unit", "NOPE"])
    assert result.exit_code == 2 and "There is no unit with code NOPE" in result.output
    assert not (tmp_path / "x.csv").exists()
