"""Hardening of the ledger, the exports and the document previews (issue 14, part A). The attacks tried:

Ledger scope
- A clerk imports with “update” a row carrying the registry number of another unit's case (one they cannot
  read): refused on that row, nothing written; the owning mediator still reads the case, its parties and its
  mediation are untouched, and the clerk still cannot read it.
- The same with a case the clerk may read and edit (its arbitration is at the clerk's commission) but that is
  held by a street unit the clerk does not hold: moving it into the clerk's unit is refused.
- Through the web upload: the job is invalid with the row and column of each refused row.
- An update inside the scope leaves, on every updated case, a timeline entry naming the import (file and job).

ID numbers in exports and previews
- /ledger/export (CSV and XLSX) and `flask ledger export` write masked ID numbers by default and leave no
  audit entry; full numbers need the unmask right, a stated reason, and leave an `ids_revealed` entry on
  each case whose numbers were written (without a reason: refused, nothing written or recorded).
- A user without the unmask right asking for full numbers gets masked ones only.
- A document preview masks ID numbers; the full preview needs a reason and is audited.
- An unassigned mediator or arbitrator opens no preview, download or issue of another case's documents;
  once assigned they do.

Formula injection
- Names beginning with = + - @, a tab or a carriage return: the CSV export prefixes a quote, the XLSX export
  writes them as strings (checked by reading the file back: no formula cells), and export → import gives
  the original text back (also for text that itself begins with a quote).

Hostile spreadsheets
- An XLSX whose parts declare 300 MB (a forged directory), and a genuinely compressible one expanding more
  than 100 times: refused before parsing, with a clear message.
- A forged sheet dimension (A1:XFD1048576) does not pad rows to 16,384 cells.
- Cells of 5,000 characters (CSV and XLSX) and of 200,000 characters (over the csv module's own limit): an
  error for that row and column, not a 500; quoted values in messages are cut to 80 characters and “…”.
- 1,500 bad rows: the report keeps the first 1,000 errors and the count, the job page shows 100.

Amounts
- 1e30, 1e12, 1,000,000,000, NaN, Infinity and -1 typed into every money field (claims at intake, award items,
  mediation terms and instalments, minimum wages): a clear message, the form shown again with the input kept,
  nothing written; the database's CHECK constraints refuse amounts beyond 999,999,999.99 written around the
  forms; the ledger refuses them per row; money formatting (page filter, documents, capitals, export) never
  raises on any value, including huge, NaN and infinite ones.
"""

import io
import zipfile
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from disputes.ledger import export, formula, parse
from disputes.ledger.errors import LedgerInvalid
from disputes.ledger.importer import import_ledger
from disputes.models import Case, LedgerImport, Role
from tests.ledger_rows import GOOD, csv_text, xlsx_bytes


def load(db, data: bytes, name="ledger.csv", actor=None, **kw):
    sheet = parse.read(io.BytesIO(data), name)
    result = import_ledger(db.session, sheet, actor, note="imported", causes={}, **kw)
    db.session.commit()
    return result


def refused(db, data: bytes, name="ledger.csv", actor=None, **kw) -> LedgerInvalid:
    with pytest.raises(LedgerInvalid) as caught:
        load(db, data, name, actor, **kw)
    db.session.rollback()
    return caught.value


def exported(db, fmt="csv", **kw):
    ids = export.case_ids(db.session, sa.select(Case))
    rows = (row for _id, row in export.rows_for(db.session, ids, **kw))
    if fmt == "xlsx":
        out = io.BytesIO()
        export.to_xlsx(rows, out)
        return out.getvalue()
    out = io.StringIO()
    export.to_csv(rows, out)
    return out.getvalue()


# --- formula injection ----------------------------------------------------------------------------------------

HOSTILE_NAMES = [
    '=HYPERLINK("http://evil.example","点击")',
    "+86-755-1234",
    "-2+3",
    "@SUM(A1:A9)",
    "'=already quoted",
    "''+twice",
    "'plain quote",
    "张三",
]


@given(st.text(alphabet=st.sampled_from(list("'=+-@\t\rab 张")), max_size=8))
def test_escape_then_unescape_is_identity(value):
    escaped = formula.escape(value)
    assert formula.unescape(escaped) == value
    assert not formula.is_formula(escaped)


def _hostile_rows():
    """The names as a CSV ledger spells them (a hand-made CSV quotes a formula the same way: “'=…”)."""
    return [
        dict(GOOD[5], registry_no=f"F-{i}", applicant_name=formula.escape(name), respondent_name=formula.escape(name))
        for i, name in enumerate(HOSTILE_NAMES)
    ]


def test_csv_export_quotes_formulas_and_the_import_gives_them_back(db, org):
    load(db, csv_text(_hostile_rows()).encode(), actor=org.user(Role.CLERK))
    text = exported(db)
    lines = text.lstrip("\ufeff").splitlines()[1:]
    assert all(not formula.is_formula(cell) for line in lines for cell in line.split(",")), "no cell starts a formula"
    assert "'=HYPERLINK" in text and ",'+86-755-1234," in text and ",'@SUM(A1:A9)," in text
    rows = {cells["registry_no"]: cells for _n, cells in parse.read(io.BytesIO(text.encode()), "x.csv").rows}
    assert [rows[f"F-{i}"]["applicant_name"] for i in range(len(HOSTILE_NAMES))] == HOSTILE_NAMES
    # A whole round trip through --update changes nothing.
    load(db, text.encode(), update=True)
    names = dict(db.session.execute(sa.select(Case.registry_no, Case.id)).all())
    assert [
        db.session.get(Case, names[f"F-{i}"]).applicants[0].name for i in range(len(HOSTILE_NAMES))
    ] == HOSTILE_NAMES
    assert exported(db) == text


def test_xlsx_export_writes_strings_never_formulas(db, org):
    from openpyxl import load_workbook

    load(db, csv_text(_hostile_rows()).encode(), actor=org.user(Role.CLERK))
    data = exported(db, "xlsx")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert '=HYPERLINK("http://evil.example","点击")' in {c.value for c in cells}
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    rows = {cells["registry_no"]: cells for _n, cells in parse.read(io.BytesIO(data), "x.xlsx").rows}
    assert [rows[f"F-{i}"]["respondent_name"] for i in range(len(HOSTILE_NAMES))] == HOSTILE_NAMES


# --- hostile spreadsheets -------------------------------------------------------------------------------------


def _forge_sizes(data: bytes, size: int) -> bytes:
    """The zip with every part's declared uncompressed size in the central directory set to `size`."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at != -1:
        out[at + 24 : at + 28] = size.to_bytes(4, "little")
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


def test_declared_sizes_beyond_the_limit_are_refused_before_parsing(db, org, monkeypatch):
    forged = _forge_sizes(xlsx_bytes(GOOD), 300 * 2**20)
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(forged)).infolist()) > 200 * 2**20
    opened = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: opened.append(1))
    invalid = refused(db, forged, "台账.xlsx", org.user(Role.CLERK))
    assert opened == [], "the workbook must not be opened"
    (error,) = invalid.errors
    assert error.row == 0 and "MB" in error.text(lambda m: m) and "200" in error.text(lambda m: m)


def _rewrite_sheet(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(info.filename, content)
    return out.getvalue()


def _bomb(expanded: int) -> bytes:
    """A real workbook whose second row's applicant cell holds `expanded` identical characters."""
    cell = b'<c r="D2" t="inlineStr"><is><t>' + b"x" * expanded + b"</t></is></c>"
    return _rewrite_sheet(
        xlsx_bytes([GOOD[5]]),
        lambda xml: xml.replace(b'<c r="D2" t="inlineStr"><is><t>\xe5\xad\x99\xe5\x85\xab</t></is></c>', cell),
    )


def test_a_highly_compressed_part_is_refused(db, org):
    bomb = _bomb(3 * 2**20)  # 3 MB of one letter: compressed about a thousand times
    assert len(bomb) < 100_000 and max(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) > 3 * 2**20
    invalid = refused(db, bomb, "台账.xlsx", org.user(Role.CLERK))
    (error,) = invalid.errors
    assert "100" in error.text(lambda m: m)


def test_a_forged_dimension_does_not_pad_rows(db, org, monkeypatch):
    """A1:XFD1048576 would make every row 16,384 cells and add a million empty rows: 17 billion cells. The test
    declares A1:XFD7 (7 × 16,384 cells if believed) and counts the cells read."""
    from openpyxl.utils import get_column_letter

    from disputes.ledger.columns import COLUMNS

    declared = f'<dimension ref="A1:{get_column_letter(len(COLUMNS))}7" />'.encode()
    forged = _rewrite_sheet(xlsx_bytes(GOOD), lambda xml: xml.replace(declared, b'<dimension ref="A1:XFD7" />'))
    assert b"XFD7" in zipfile.ZipFile(io.BytesIO(forged)).read("xl/worksheets/sheet1.xml")
    cells = []
    original = parse._cell
    monkeypatch.setattr(parse, "_cell", lambda value: cells.append(1) or original(value))
    sheet = parse.read(io.BytesIO(forged), "x.xlsx")
    assert len(sheet.rows) == len(GOOD) and all("__extra__" not in cells for _n, cells in sheet.rows)
    assert len(cells) <= 7 * parse.MAX_COLUMNS


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_overlong_cell_is_an_error_of_its_row_and_column(db, org, fmt):
    rows = [GOOD[0], dict(GOOD[1], applicant_name="长" * 5000)]
    data = xlsx_bytes(rows) if fmt == "xlsx" else csv_text(rows).encode()
    invalid = refused(db, data, f"ledger.{fmt}", org.user(Role.CLERK))
    assert [(e.row, e.column, e.text(lambda m: m)) for e in invalid.errors] == [
        (3, "applicant_name", "longer than 2,000 characters")
    ]


def test_a_cell_beyond_the_csv_modules_limit_is_reported_too(db, org):
    invalid = refused(db, csv_text([dict(GOOD[1], respondent_name="x" * 200_000)]).encode(), actor=org.user(Role.CLERK))
    assert [(e.row, e.column) for e in invalid.errors] == [(2, "respondent_name")]


def test_quoted_values_are_cut_in_messages(db, org):
    rows = [dict(GOOD[1], registered_on="9" * 1500, unit_code="U" * 1500)]
    invalid = refused(db, csv_text(rows).encode(), actor=org.user(Role.CLERK))
    texts = [e.text(lambda m: m) for e in invalid.errors]
    assert texts and all(len(t) < 200 for t in texts)
    assert f"“{'9' * 80}…” is not a date (YYYY-MM-DD)" in texts
    header = refused(db, ("\ufeff" + "z" * 3000 + ",registry_no\n").encode(), actor=org.user(Role.CLERK))
    assert all(len(e.column or "") <= 81 for e in header.errors)


def test_the_number_of_errors_kept_and_shown_is_bounded(db, org, login):
    rows = [dict(GOOD[1], registry_no=f"B-{i}", registered_on="not a date") for i in range(1500)]
    invalid = refused(db, csv_text(rows).encode(), actor=org.user(Role.CLERK))
    assert (len(invalid.errors), invalid.total) == (1000, 1500)
    client = login(org.user(Role.CLERK))
    client.post(
        "/ledger", data={"file": (io.BytesIO(csv_text(rows).encode()), "bad.csv")}, content_type="multipart/form-data"
    )
    job = db.session.scalar(sa.select(LedgerImport))
    assert (job.status, job.error_count, len(job.errors)) == ("invalid", 1500, 1000)
    page = client.get(f"/ledger/jobs/{job.id}").get_data(as_text=True)
    assert page.count("<tr><td>") == 100 and "1,500" in page
    assert len(page) < 100_000


def test_amount_like_values_in_messages_stay_short(db, org):
    invalid = refused(db, csv_text([dict(GOOD[1], claim_amount="1" * 1900)]).encode(), actor=org.user(Role.CLERK))
    assert all(len(e.text(lambda m: m)) < 200 for e in invalid.errors)


def test_decimal_amount_limits_of_the_ledger(db, org):
    bad = {
        "1e30": "claim_amount",
        "NaN": "claim_amount",
        "Infinity": "claim_amount",
        "1000000000": "claim_amount",
        "999999999999.99": "claim_amount",
        "-1": "claim_amount",
    }
    rows = [dict(GOOD[1], registry_no=f"A-{i}", claim_amount=value) for i, value in enumerate(bad)]
    invalid = refused(db, csv_text(rows).encode(), actor=org.user(Role.CLERK))
    assert sorted((e.row, e.column) for e in invalid.errors) == [(i + 2, "claim_amount") for i in range(len(bad))]
    load(db, csv_text([dict(GOOD[1], claim_amount="999,999,999.99")]).encode(), actor=org.user(Role.CLERK))
    assert db.session.scalar(sa.select(Case)).claims[0].amount == Decimal("999999999.99")


# --- ledger scope ---------------------------------------------------------------------------------------------


@pytest.fixture
def street(db, org, make_case):
    """Cases held outside the centre: one at the street's mediation committee, mediated there; one registered by
    the street itself whose arbitration went to the centre's commission (so the centre's clerk reads it)."""
    from disputes import organisation
    from disputes.workflow import arbitration, mediation
    from tests.conftest import PASSWORD

    district = organisation.add_user(db.session, "district-sup", "区级主管", [Role.SUPERVISOR], org.district, PASSWORD)
    street_mediator = organisation.add_user(
        db.session, "bj-mediator", "布吉调解员", [Role.MEDIATOR], org.street_mediation, PASSWORD
    )
    db.session.commit()
    mediated = make_case(org.street_mediation, actor=district)
    mediation.open_mediation(
        db.session, mediated, district, unit_id=org.street_mediation.id, applied_on=mediated.registered_on
    )
    mediation.accept_mediation(db.session, mediated, district, mediator_id=street_mediator.id)
    arbitrated = make_case(org.street, actor=district)
    arbitration.receive_application(
        db.session, arbitrated, district, unit_id=org.arbitration.id, received_on=arbitrated.registered_on
    )
    db.session.commit()
    return {"mediated": mediated, "arbitrated": arbitrated, "mediator": street_mediator, "district": district}


def _takeover(case, unit_code="LGC"):
    """The attack: the case's registry number, new names, no mediation, moved into the clerk's unit."""
    return dict(
        GOOD[5],
        registry_no=case.registry_no,
        unit_code=unit_code,
        applicant_name="改名",
        respondent_name="改名公司",
        registered_on=case.registered_on.isoformat(),
        arbitration_received_on=case.registered_on.isoformat(),
        arbitration_accepted_on=case.registered_on.isoformat(),
    )


def _unchanged(db, case, unit, name, tracks):
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert (case.unit_id, case.applicants[0].name) == (unit.id, name)
    assert (case.mediation is not None, case.arbitration is not None) == tracks
    return case


def test_an_update_cannot_touch_a_case_the_importer_may_not_edit(db, org, street):
    from disputes import policy

    clerk, case = org.user(Role.CLERK), street["mediated"]
    assert not policy.can_view_case(clerk, case)
    invalid = refused(db, csv_text([_takeover(case), GOOD[1]]).encode(), actor=clerk, update=True)
    assert [(e.row, e.column, e.text(lambda m: m)) for e in invalid.errors] == [
        (2, "registry_no", f"you may not change the case “{case.registry_no}”")
    ]
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 2, "nothing written, not even the good row"
    case = _unchanged(db, case, org.street_mediation, "张三", (True, False))
    assert policy.can_view_case(street["mediator"], case) and not policy.can_view_case(clerk, case)


def test_an_update_cannot_move_a_case_out_of_a_unit_the_importer_does_not_hold(db, org, street):
    from disputes import policy

    clerk, case = org.user(Role.CLERK), street["arbitrated"]
    assert policy.can_edit_parties(clerk, case), "the clerk reads and edits it through the commission"
    moved = refused(db, csv_text([_takeover(case)]).encode(), actor=clerk, update=True)
    assert [(e.row, e.column, e.text(lambda m: m)) for e in moved.errors] == [
        (
            2,
            "unit_code",
            (
                f"the case “{case.registry_no}” is held by “BJ”, a unit you do not hold: you may not "
                "replace it or move it out of that unit"
            ),
        )
    ]
    kept = refused(db, csv_text([_takeover(case, unit_code="BJ")]).encode(), actor=clerk, update=True)
    assert {e.column for e in kept.errors} == {"unit_code"}
    _unchanged(db, case, org.street, "张三", (False, True))
    # The district supervisor holds the street: the same row goes through, recorded on the case's timeline.
    load(
        db,
        csv_text([_takeover(case, unit_code="BJ")]).encode(),
        actor=street["district"],
        update=True,
        source="street.csv",
    )
    assert _unchanged(db, case, org.street, "改名", (False, True))


def test_the_web_upload_reports_refused_rows_and_writes_nothing(db, org, street, login):
    client = login(org.user(Role.CLERK))
    rows = [_takeover(street["mediated"]), _takeover(street["arbitrated"])]
    client.post(
        "/ledger",
        data={"file": (io.BytesIO(csv_text(rows).encode()), "takeover.csv"), "update": "y"},
        content_type="multipart/form-data",
    )
    job = db.session.scalar(sa.select(LedgerImport))
    assert job.status == "invalid" and [(e["row"], e["column"]) for e in job.errors] == [
        (2, "registry_no"),
        (3, "unit_code"),
    ]
    _unchanged(db, street["mediated"], org.street_mediation, "张三", (True, False))
    _unchanged(db, street["arbitrated"], org.street, "张三", (False, True))


def test_each_updated_case_names_the_import_on_its_timeline(db, org, login):
    from disputes.models import TimelineEntry

    client = login(org.user(Role.CLERK))
    client.post(
        "/ledger", data={"file": (io.BytesIO(csv_text(GOOD).encode()), "first.csv")}, content_type="multipart/form-data"
    )
    changed = [dict(row, applicant_name=row["applicant_name"] + "甲") for row in GOOD]
    client.post(
        "/ledger",
        data={"file": (io.BytesIO(csv_text(changed).encode()), "第二批.csv"), "update": "y"},
        content_type="multipart/form-data",
    )
    second = db.session.scalars(sa.select(LedgerImport).order_by(LedgerImport.id)).all()[-1]
    assert (second.status, second.updated_count) == ("done", len(GOOD))
    entries = db.session.scalars(sa.select(TimelineEntry).where(TimelineEntry.kind == "ledger_updated")).all()
    assert len(entries) == len(GOOD) and len({e.case_id for e in entries}) == len(GOOD)
    assert all(f"第二批.csv (#{second.id})" in e.reason for e in entries), [e.reason for e in entries]
    assert all(e.after["applicant_name"].endswith("甲") for e in entries)
    page = client.get(f"/cases/{entries[0].case_id}?tab=timeline").get_data(as_text=True)
    assert f"第二批.csv (#{second.id})" in page


@pytest.mark.parametrize(
    "role",
    [
        Role.CLERK,
        Role.MEDIATOR,
        Role.ARBITRATOR,
        Role.SUPERVISOR,
        Role.LAWYER,
        Role.COURT_LIAISON,
        Role.LEGAL_AID_OFFICER,
    ],
)
def test_editable_cases_in_sql_agrees_with_can_edit_parties(db, org, street, make_case, role):
    from disputes import policy
    from disputes.models import CaseAssignment

    own = make_case(org.mediation, actor=org.user(Role.MEDIATOR))
    assigned = make_case(org.centre)
    db.session.add(CaseAssignment(case_id=assigned.id, user_id=org.user(Role.MEDIATOR).id, role=Role.MEDIATOR))
    db.session.commit()
    user = org.user(role)
    cases = db.session.scalars(sa.select(Case)).all()
    in_sql = set(db.session.scalars(sa.select(Case.id).where(policy.editable_cases(user))))
    assert in_sql == {c.id for c in cases if policy.can_edit_parties(user, c)}
    assert own.id in in_sql or role != Role.MEDIATOR


# --- ID numbers in exports and previews -----------------------------------------------------------------------

WORKER_MASKED = "110105********002X"


def _reveals(db):
    from disputes.models import TimelineEntry

    return db.session.scalars(
        sa.select(TimelineEntry).where(TimelineEntry.kind == "ids_revealed").order_by(TimelineEntry.id)
    ).all()


@pytest.fixture
def ledger_cases(db, org):
    load(db, csv_text(GOOD).encode(), actor=org.user(Role.CLERK))
    return db.session.scalar(sa.select(Case).where(Case.registry_no == "L-0001"))


def _id_cells(data: bytes, name: str) -> dict[str, str]:
    return {cells["registry_no"]: cells["applicant_id_no"] for _n, cells in parse.read(io.BytesIO(data), name).rows}


def test_web_exports_mask_id_numbers_and_record_nothing(db, org, ledger_cases, login):
    from tests.conftest import WORKER_ID

    client = login(org.user(Role.CLERK))
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/ledger/export?format={fmt}")
        assert response.status_code == 200 and WORKER_ID.encode() not in response.data
        assert _id_cells(response.data, f"x.{fmt}")["L-0001"] == WORKER_MASKED
    assert _reveals(db) == []


def test_full_id_numbers_in_an_export_need_a_reason_and_are_recorded(app, db, org, ledger_cases, login):
    from tests.conftest import WORKER_ID
    from tests.pages import flashes, t

    client = login(org.user(Role.CLERK))
    assert 'id="export-reveal"' in client.get("/cases").get_data(as_text=True)
    response = client.post("/ledger/export?format=csv&status=closed", data={"reason": "  "})
    assert response.status_code == 302 and response.headers["Location"].endswith("/cases?status=closed")
    assert t(app, "Say why you need the full ID numbers.") in flashes(client.get(response.headers["Location"]))
    assert _reveals(db) == []
    for fmt in ("csv", "xlsx"):
        response = client.post(f"/ledger/export?format={fmt}", data={"reason": "移交法院核对身份"})
        assert response.status_code == 200 and "no-cache" not in response.headers.get("Cache-Control", "")
        assert _id_cells(response.data, f"x.{fmt}")["L-0001"] == WORKER_ID
    entries = _reveals(db)
    assert [(e.case_id, e.reason, e.actor_id, e.after["via"]) for e in entries] == [
        (ledger_cases.id, "移交法院核对身份", org.user(Role.CLERK).id, "ledger_export")
    ] * 2
    assert entries[0].after["parties"] == [ledger_cases.applicants[0].id]
    page = client.get(f"/cases/{ledger_cases.id}?tab=timeline").get_data(as_text=True)
    assert t(app, "In a ledger export") in page and "移交法院核对身份" in page


def test_without_the_unmask_right_an_export_stays_masked(db, org, ledger_cases, login):
    from disputes import policy

    liaison = org.user(Role.COURT_LIAISON)
    assert policy.can_view_case(liaison, ledger_cases) and not policy.can_reveal_ids(liaison, ledger_cases)
    client = login(liaison)
    assert 'id="export-reveal"' not in client.get("/cases").get_data(as_text=True)
    response = client.post("/ledger/export?format=csv", data={"reason": "想看"})
    assert _id_cells(response.data, "x.csv")["L-0001"] == WORKER_MASKED
    assert _reveals(db) == []


@pytest.mark.parametrize(
    "role", [Role.CLERK, Role.MEDIATOR, Role.ARBITRATOR, Role.LAWYER, Role.COURT_LIAISON, Role.SUPERVISOR, Role.ADMIN]
)
def test_reveal_scope_in_sql_agrees_with_can_reveal_ids(db, org, make_case, role):
    from disputes import policy
    from disputes.models import CaseAssignment

    cases = [make_case(org.centre), make_case(org.mediation, actor=org.user(Role.MEDIATOR)), make_case(org.centre)]
    db.session.add(CaseAssignment(case_id=cases[2].id, user_id=org.user(Role.LAWYER).id, role=Role.LAWYER))
    db.session.commit()
    user = org.user(role)
    in_sql = set(db.session.scalars(sa.select(Case.id).where(policy.reveal_scope(user))))
    assert in_sql == {c.id for c in cases if policy.can_reveal_ids(user, c)}


def test_cli_export_masks_unless_unmasked_with_a_reason(db, org, ledger_cases, runner, tmp_path):
    from tests.conftest import WORKER_ID

    out = tmp_path / "out.csv"
    result = runner.invoke(args=["ledger", "export", "--out", str(out)])
    assert result.exit_code == 0 and "masked" in result.output
    assert _id_cells(out.read_bytes(), "out.csv")["L-0001"] == WORKER_MASKED
    for args in (["--unmasked"], ["--unmasked", "--reason", " "], ["--reason", "核对"]):
        refused_run = runner.invoke(args=["ledger", "export", "--out", str(tmp_path / "no.csv"), *args])
        assert refused_run.exit_code == 2 and not (tmp_path / "no.csv").exists()
    assert _reveals(db) == []
    result = runner.invoke(args=["ledger", "export", "--out", str(out), "--unmasked", "--reason", "年度归档"])
    assert result.exit_code == 0 and "recorded in 1 case timeline" in result.output
    assert _id_cells(out.read_bytes(), "out.csv")["L-0001"] == WORKER_ID
    assert [(e.case_id, e.actor_id, e.reason, e.after["via"]) for e in _reveals(db)] == [
        (ledger_cases.id, None, "年度归档", "ledger_export")
    ]


def test_a_masked_export_updates_without_losing_the_number(db, org, ledger_cases):
    from tests.conftest import WORKER_ID

    text = exported(db)
    assert WORKER_MASKED in text and WORKER_ID not in text
    load(db, text.replace("张三", "张三丰").encode(), actor=org.user(Role.CLERK), update=True)
    db.session.expire_all()
    case = db.session.get(Case, ledger_cases.id)
    assert (case.applicants[0].name, case.applicants[0].id_number) == ("张三丰", WORKER_ID)
    # Into another database (no such case) a masked number is an error, not a silent loss.
    row = dict(GOOD[0], registry_no="NEW-1", applicant_id_no=WORKER_MASKED)
    invalid = refused(db, csv_text([row]).encode(), actor=org.user(Role.CLERK))
    assert [(e.row, e.column) for e in invalid.errors] == [(2, "applicant_id_no")]
    # The update's timeline entry keeps numbers masked.
    load(db, csv_text([dict(GOOD[0], applicant_id_no="")]).encode(), actor=org.user(Role.CLERK), update=True)
    from disputes.models import TimelineEntry

    entry = db.session.scalars(
        sa.select(TimelineEntry).where(TimelineEntry.kind == "ledger_updated").order_by(TimelineEntry.id.desc())
    ).first()
    assert entry.before["applicant_id_no"] == WORKER_MASKED and WORKER_ID not in str(entry.before)


@pytest.fixture
def doc_case(db, org, make_case):
    from tests.documents_fixtures import accepted_case

    return accepted_case(db, org, make_case)


def test_a_preview_masks_id_numbers_and_the_full_one_is_audited(app, db, org, doc_case, login):
    from tests.conftest import WORKER_ID

    client = login(org.user(Role.CLERK))
    url = f"/cases/{doc_case.id}/documents/arb_application/preview"  # the application form prints the ID number
    masked = client.get(url).get_data(as_text=True)
    assert WORKER_MASKED in masked and WORKER_ID not in masked
    panel = client.get(f"/cases/{doc_case.id}").get_data(as_text=True)
    assert f'action="{url}"' in panel
    missing = client.post(url, data={"reason": ""})
    assert missing.status_code == 302 and _reveals(db) == []
    full = client.post(url + "?lang=en", data={"reason": "当面核对身份"})
    assert full.status_code == 200 and WORKER_ID in full.get_data(as_text=True)
    assert "Application for labour dispute arbitration" in full.get_data(as_text=True)
    assert [(e.case_id, e.reason, e.after["via"]) for e in _reveals(db)] == [
        (doc_case.id, "当面核对身份", "document_preview")
    ]


def test_cli_preview_masks_unless_unmasked_with_a_reason(db, org, doc_case, runner, tmp_path, monkeypatch):
    from disputes.documents import render
    from tests.conftest import WORKER_ID

    seen = []
    original = render.render_pdf
    monkeypatch.setattr(render, "render_pdf", lambda html, *a, **k: seen.append(html) or original(html, *a, **k))
    args = [
        "documents",
        "render",
        "--case",
        doc_case.registry_no,
        "--doc",
        "arb_application",
        "-o",
        str(tmp_path / "p.pdf"),
    ]
    assert runner.invoke(args=args).exit_code == 0
    assert WORKER_MASKED in seen[-1] and WORKER_ID not in seen[-1]
    assert runner.invoke(args=[*args, "--unmasked"]).exit_code == 2
    assert runner.invoke(args=[*args, "--unmasked", "--reason", "归档"]).exit_code == 0
    assert WORKER_ID in seen[-1]
    assert [(e.actor_id, e.reason, e.after["via"]) for e in _reveals(db)] == [(None, "归档", "document_preview")]


def test_unassigned_arbitrators_and_mediators_open_no_documents(db, org, doc_case, make_case, login):
    from disputes.documents import issue as issuing
    from disputes.models import CaseAssignment
    from disputes.workflow import mediation

    doc = issuing.issue(db.session, doc_case, "arb_acceptance", "", org.user(Role.CLERK))
    db.session.commit()
    arbitrator = login(org.user(Role.ARBITRATOR))
    base = f"/cases/{doc_case.id}"
    assert arbitrator.get(base).status_code == 200, "the commission's arbitrator reads the case"
    urls = [f"{base}/documents/arb_acceptance/preview", f"/documents/{doc.id}.pdf"]
    assert [arbitrator.get(u).status_code for u in urls] == [403, 403]
    assert (
        arbitrator.post(f"{base}/documents/arb_acceptance/reissue", data={"key": "", "lang": "en"}).status_code == 403
    )
    assert 'id="documents"' not in arbitrator.get(base).get_data(as_text=True)
    db.session.add(CaseAssignment(case_id=doc_case.id, user_id=org.user(Role.ARBITRATOR).id, role=Role.ARBITRATOR))
    db.session.commit()
    assert [arbitrator.get(u).status_code for u in urls] == [200, 200]

    mediated = make_case(org.centre)
    mediation.open_mediation(
        db.session, mediated, org.user(Role.CLERK), unit_id=org.mediation.id, applied_on=mediated.registered_on
    )
    db.session.commit()
    mediator = login(org.user(Role.MEDIATOR))
    preview = f"/cases/{mediated.id}/documents/med_application/preview"
    assert mediator.get(f"/cases/{mediated.id}").status_code == 200 and mediator.get(preview).status_code == 403
    mediation.accept_mediation(db.session, mediated, org.user(Role.SUPERVISOR), mediator_id=org.user(Role.MEDIATOR).id)
    db.session.commit()
    assert mediator.get(preview).status_code == 200


# --- amounts --------------------------------------------------------------------------------------------------

TOO_BIG = ("At most %(limit)s yuan.", {"limit": "999,999,999.99"})
NOT_A_NUMBER = ("Enter an amount in yuan, for example 12000.50.", {})
BAD_AMOUNTS = [
    ("1e30", TOO_BIG),
    ("1e12", TOO_BIG),
    ("1000000000", TOO_BIG),
    ("NaN", NOT_A_NUMBER),
    ("Infinity", NOT_A_NUMBER),
    ("-Infinity", NOT_A_NUMBER),
    ("sNaN", NOT_A_NUMBER),
    ("-1", ("An amount cannot be negative.", {})),
]


def _input_value(response, name: str) -> str:
    from tests.pages import parse

    return next(e.get("value") for e in parse(response).iter("input") if e.get("name") == name)


def _intake(org, amount: str) -> dict:
    from tests.conftest import EMPLOYER_CODE, WORKER_ID

    return {
        "unit_id": str(org.centre.id),
        "registered_on": "2026-11-20",
        "dispute_known_on": "2026-10-01",
        "cause": "拖欠工资",
        "workers-0-name": "张三",
        "workers-0-id_number": WORKER_ID,
        "employers-0-name": "深圳市宏达电子科技有限公司",
        "employers-0-credit_code": EMPLOYER_CODE,
        "claims-0-category": "wages",
        "claims-0-amount": amount,
    }


@pytest.mark.parametrize(("typed", "message"), BAD_AMOUNTS)
def test_intake_refuses_impossible_amounts_and_keeps_the_input(app, db, org, login, typed, message):
    from tests.pages import t
    from tests.web.test_intake_web import errors_at

    client = login(org.user(Role.CLERK))
    response = client.post("/cases/new", data=_intake(org, typed))
    assert response.status_code == 200
    assert errors_at(response, "claims-0-amount") == [t(app, message[0], **message[1])]
    assert _input_value(response, "claims-0-amount") == typed
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0


@pytest.mark.parametrize(("typed", "message"), BAD_AMOUNTS)
def test_a_claim_row_with_only_an_impossible_amount_is_refused_not_ignored(app, db, org, login, typed, message):
    """A row is ignored when nothing is typed in it; an amount alone is something (found by the form fuzzer: a
    lone "sNaN" made the blank-row check raise, a 500)."""
    from tests.pages import t
    from tests.web.test_intake_web import errors_at

    client = login(org.user(Role.CLERK))
    response = client.post("/cases/new", data={**_intake(org, "12000"), "claims-1-amount": typed})
    assert response.status_code == 200
    assert errors_at(response, "claims-1-amount") == [t(app, message[0], **message[1])]
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0


def test_intake_takes_the_largest_amount(db, org, login):
    from tests.web.test_intake_web import form_values, intake_form

    client = login(org.user(Role.CLERK))
    review = client.post("/cases/new", data=_intake(org, "999999999.99"))
    assert client.post("/cases/new", data=form_values(intake_form(review))).status_code == 302
    assert db.session.scalar(sa.select(Case)).claims[0].amount == Decimal("999999999.99")


@pytest.mark.parametrize(("typed", "message"), [BAD_AMOUNTS[0], BAD_AMOUNTS[3], ("0", None)])
def test_mediation_agreement_refuses_impossible_amounts(app, db, org, make_case, login, typed, message):
    from tests.pages import field_errors, t
    from tests.security.test_security_fuzz import hidden_inputs
    from tests.web.test_mediation_web import post

    case = make_case()
    clerk = login(org.user(Role.CLERK))
    post(clerk, case, "open", unit_id=org.mediation.id, applied_on="2026-11-20")
    post(clerk, case, "accept", mediator_id=org.user(Role.MEDIATOR).id, accepted_on="2026-11-20")
    mediator = login(org.user(Role.MEDIATOR))
    db.session.expire_all()
    url = f"/cases/{case.id}/mediation/agreement"
    data = {
        **hidden_inputs(mediator, url, url),
        "signed_on": "2026-11-20",
        "terms-0-claim_id": case.claims[0].id,
        "terms-0-description": "支付工资",
        "terms-0-amount": typed if typed != "0" else "100",
        "instalments-0-due_on": "2026-12-01",
        "instalments-0-amount": typed,
    }
    response = mediator.post(f"/cases/{case.id}/mediation/agreement", data=data)
    assert response.status_code == 400
    message = message or ("The amount must be more than zero.", {})
    if typed != "0":
        assert field_errors(response, "terms-0-amount") == [t(app, message[0], **message[1])]
    assert field_errors(response, "instalments-0-amount") == [t(app, message[0], **message[1])]
    assert _input_value(response, "instalments-0-amount") == typed
    db.session.expire_all()
    assert case.mediation.state == "accepted"


@pytest.mark.parametrize(("typed", "message"), [BAD_AMOUNTS[1], BAD_AMOUNTS[4]])
def test_award_items_refuse_impossible_amounts(app, db, org, make_case, login, typed, message):
    from tests.arb_web import Web, iso
    from tests.pages import field_errors, t
    from tests.security.test_security_fuzz import hidden_inputs

    web = Web(db, org, login, make_case())
    web.hearing()
    (claim,) = web.case.claims
    web.as_(Role.ARBITRATOR)
    url = f"/cases/{web.case.id}/arbitration/record-award"
    response = web.client.post(
        url,
        data={
            **hidden_inputs(web.client, url, url),
            "awarded_on": iso(),
            "items-0-claim_id": claim.id,
            "items-0-amount": typed,
            "items-0-text": "支付工资",
        },
    )
    assert response.status_code == 400
    assert field_errors(response, "items-0-amount") == [t(app, message[0], **message[1])]
    assert _input_value(response, "items-0-amount") == typed
    assert web.arbitration.awards == []


@pytest.mark.parametrize("typed", ["NaN", "1e30", "Infinity"])
def test_minimum_wages_refuse_impossible_amounts(app, db, org, login, typed):
    from disputes.models import MinimumWage

    client = login(org.user(Role.ADMIN))
    before = db.session.scalar(sa.select(sa.func.count(MinimumWage.id)))
    response = client.post(
        "/admin/minimum-wages/new",
        data={
            "region_code": "440307",
            "region_name": "龙岗区",
            "effective_from": "2026-12-01",
            "monthly_amount": typed,
        },
    )
    assert response.status_code in (200, 400) and _input_value(response, "monthly_amount") == typed
    assert db.session.scalar(sa.select(sa.func.count(MinimumWage.id))) == before


@pytest.fixture
def money_rows(db, org, make_case):
    """A row in every table with a money column: a mediation agreement (terms, instalments), an award (items)."""
    from disputes.workflow.states import ArbitrationState, MediationState
    from tests.drive import Driver

    Driver(db.session, org, make_case()).mediation(MediationState.AGREEMENT)
    Driver(db.session, org, make_case()).arbitration(ArbitrationState.CLOSED)
    db.session.commit()


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("claims", "amount", "1000000000"),
        ("claims", "amount", "-0.01"),
        ("claims", "resolved_amount", "999999999999"),
        ("award_items", "amount", "1000000000"),
        ("agreement_terms", "amount", "1000000000"),
        ("instalments", "amount", "0"),
        ("instalments", "amount", "1000000000"),
        ("awards", "minimum_wage", "0"),
        ("awards", "minimum_wage", "1000000000"),
        ("minimum_wages", "monthly_amount", "1000000000"),
    ],
)
def test_the_database_refuses_amounts_out_of_range(db, money_rows, table, column, value):
    """Written around the forms, the CHECK constraints refuse it (PostgreSQL's NUMERIC(14, 2) stops only at 1e12)."""
    from sqlalchemy.exc import DBAPIError

    update = f"UPDATE {table} SET {column} = {{}} WHERE id = (SELECT min(id) FROM {table})"
    with pytest.raises(DBAPIError, match="(?i)check|constraint"):
        db.session.execute(sa.text(update.format(value)))
    db.session.rollback()
    db.session.execute(sa.text(update.format("999999999.99")))  # the largest amount is taken
    db.session.rollback()


def test_nan_never_reaches_a_money_column(db, money_rows):
    """PostgreSQL's NUMERIC holds NaN, which the CHECK refuses; SQLite turns a NaN into NULL, which only a nullable
    amount may be."""
    from sqlalchemy.exc import DBAPIError

    postgres = db.engine.dialect.name == "postgresql"
    nan = "CAST('NaN' AS NUMERIC)" if postgres else "0.0 * 1e999"  # SQLite: 0 × ∞ is NaN, stored as NULL
    for table, column in (("instalments", "amount"), ("minimum_wages", "monthly_amount"), ("claims", "amount")):
        update = sa.text(f"UPDATE {table} SET {column} = {nan} WHERE id = (SELECT min(id) FROM {table})")
        if postgres or table != "claims":
            with pytest.raises(DBAPIError, match="(?i)check|not null"):
                db.session.execute(update)
        else:
            db.session.execute(update)
            assert (
                db.session.execute(
                    sa.text("SELECT amount FROM claims WHERE id = (SELECT min(id) FROM claims)")
                ).scalar()
                is None
            )
        db.session.rollback()


AMOUNTS = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.floats(),
    st.none(),
    st.decimals(min_value=Decimal("1e15"), max_value=Decimal("1e40"), places=2),
    st.sampled_from(
        [
            Decimal("1E+30"),
            Decimal("-1E+30"),
            Decimal("sNaN"),
            Decimal("1E+99999"),
            Decimal("-0.005"),
            Decimal("9999999999999999.99"),
        ]
    ),
)


@given(AMOUNTS)
def test_money_formatting_never_raises(app, value):
    from disputes.documents import formatting
    from disputes.web.formats import money

    with app.test_request_context():
        shown = money(value)
    assert isinstance(shown, str) and shown
    assert isinstance(formatting.format_money(value), str)
    assert isinstance(formatting.money_in_capitals(value), str)
    assert isinstance(export.text(value if not isinstance(value, float) else None), str)


def test_pages_and_exports_survive_a_stored_huge_amount(db, org, make_case, login):
    """What a SQLite database kept from before the CHECK constraints (1e30), or PostgreSQL's largest amount."""
    case = make_case()
    huge = "1e30" if db.engine.dialect.name == "sqlite" else "999999999.99"
    with db.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA ignore_check_constraints = ON")
        conn.execute(
            sa.text(f"UPDATE claims SET amount = {huge}, resolved_amount = {huge} WHERE case_id = :id"), {"id": case.id}
        )
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA ignore_check_constraints = OFF")
    client = login(org.user(Role.CLERK))
    for url in ("/cases", f"/cases/{case.id}", "/ledger/export?format=xlsx", "/ledger/export?format=csv"):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert ("¥1,000,000,000,000,000," if huge == "1e30" else "¥999,999,999.99") in page
