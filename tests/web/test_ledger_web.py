"""The ledger in the browser and on the command line: upload → job (inline without a broker) → result."""

import io

import sqlalchemy as sa

from disputes.models import Case, LedgerImport, Role
from tests.ledger_rows import GOOD, csv_text, xlsx_bytes


def upload(client, data: bytes, name="台账.csv", **flags):
    form = {"file": (io.BytesIO(data), name), **{k: "y" for k, v in flags.items() if v}}
    return client.post("/ledger", data=form, content_type="multipart/form-data")


def test_upload_runs_inline_and_reports(db, org, login):
    client = login(org.user(Role.CLERK))
    response = upload(client, csv_text(GOOD).encode())
    assert response.status_code == 302 and "/ledger/jobs/" in response.headers["Location"]
    job = db.session.scalar(sa.select(LedgerImport))
    status = client.get(f"/ledger/jobs/{job.id}/status").get_json()
    assert status | {"id": 0} == {
        "id": 0,
        "status": "done",
        "finished": True,
        "percent": 100,
        "rows_done": 6,
        "rows_total": 6,
        "created": 6,
        "updated": 0,
        "errors": 0,
    }
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == len(GOOD)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ledger_job.js" in page and 'value="100"' in page


def test_errors_are_listed_and_downloadable(db, org, login):
    client = login(org.user(Role.CLERK))
    bad = [dict(GOOD[0], arbitration_closed_on="2026-03-01"), dict(GOOD[1], unit_code="NOPE")]
    location = upload(client, csv_text(bad).encode()).headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0
    page = client.get(location).get_data(as_text=True)
    assert "arbitration_closed_on" in page and "unit_code" in page
    report = client.get(location + "/errors.csv")
    assert report.mimetype == "text/csv"
    lines = report.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[1].startswith("2,arbitration_closed_on,") and lines[2].startswith("3,unit_code,")
    # Another person cannot read the job.
    other = login(org.user(Role.SUPERVISOR))
    assert other.get(location).status_code == 403


def test_dry_run_and_xlsx_upload(db, org, login):
    client = login(org.user(Role.SUPERVISOR))
    upload(client, xlsx_bytes(GOOD), name="台账.xlsx", dry_run=True)
    job = db.session.scalar(sa.select(LedgerImport))
    assert (job.status, job.dry_run, job.created_count) == ("done", True, len(GOOD))
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0


def test_units_outside_the_importer_are_refused(db, org, login):
    client = login(org.user(Role.MEDIATOR))  # a mediator registers into their own unit only
    upload(client, csv_text([GOOD[1]]).encode())
    job = db.session.scalar(sa.select(LedgerImport))
    assert job.status == "invalid" and job.errors[0]["column"] == "unit_code"


def test_case_list_exports_its_filter(db, org, login, runner, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(csv_text(GOOD), encoding="utf-8")
    result = runner.invoke(args=["ledger", "import", str(path), "--user", "clerk"])
    assert result.exit_code == 0, result.output
    assert "6 new cases" in result.output
    client = login(org.user(Role.CLERK))
    listing = client.get("/cases?status=closed").get_data(as_text=True)
    assert "/ledger/export?format=csv&amp;status=closed" in listing
    body = client.get("/ledger/export?format=csv&status=closed").get_data(as_text=True)
    closed = sorted(line.split(",")[0] for line in body.lstrip("\ufeff").splitlines()[1:])
    assert closed == ["L-0001", "L-0002", "L-0005"]
    xlsx = client.get("/ledger/export?format=xlsx")
    assert xlsx.data[:2] == b"PK"


def test_cli_all_or_nothing_dry_run_update_and_export(db, org, runner, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(csv_text([GOOD[0], dict(GOOD[1], mediator="ghost")]), encoding="utf-8")
    result = runner.invoke(args=["ledger", "import", str(path), "--lang", "en"])
    assert result.exit_code == 1 and "row 3, mediator: unknown user “ghost”" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0
    path.write_text(csv_text(GOOD), encoding="utf-8")
    assert "nothing was written" in runner.invoke(args=["ledger", "import", str(path), "--dry-run"]).output
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0
    assert runner.invoke(args=["ledger", "import", str(path)]).exit_code == 0
    again = runner.invoke(args=["ledger", "import", str(path), "--lang", "en"])
    assert again.exit_code == 1 and "already registered" in again.output
    updated = runner.invoke(args=["ledger", "import", str(path), "--update"])
    assert "6 updated" in updated.output, updated.output
    out = tmp_path / "out.csv"
    exported = runner.invoke(args=["ledger", "export", "--out", str(out), "--from", "2026-03-01", "--unit", "LGC"])
    assert exported.exit_code == 0, exported.output
    numbers = [line.split(",")[0] for line in out.read_text(encoding="utf-8-sig").splitlines()[1:]]
    assert numbers == ["L-0001", "L-0002", "L-0006"]
