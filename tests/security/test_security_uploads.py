"""Uploads: the ledger (CSV/XLSX), a unit's seal (PNG), the PDF on the public verification page.

Attacks tried (each refused with a message the uploader can act on, nothing stored):
  - ledger: a file of the wrong type (.exe, .pdf); a PDF or a binary renamed to .csv; a CSV renamed to .xlsx; a
    path-traversal file name (../../etc/passwd.csv) and a name with control
    characters; a body over MAX_CONTENT_LENGTH on the ledger, the seal and the verification uploads (413 page);
  - seal: a JPEG renamed .png; a traversal file name (the name is never used: the seal is stored by unit);
  - verification: a file that is not the PDF (reported as different, nothing written), a traversal file name.
Already covered elsewhere, not repeated: a seal that is not a PNG or too small/large (test_documents_web), a PNG
declaring a huge image (test_security_input), an XLSX zip bomb (test_security_exports), the 413 page of the
ledger in both languages (test_pages).
"""

import io

import pytest
import sqlalchemy as sa

from disputes.models import LedgerImport, Role, UnitSeal
from tests.documents_fixtures import accepted_case, seal_png
from tests.ledger_rows import GOOD, csv_text, xlsx_bytes
from tests.pages import flashes, parse, t, text

WRONG_CONTENT = "The file's content is not what its name says: only CSV text or XLSX workbooks."
FOLDER = "The file name must not contain a folder or control characters."
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"\0" * 64


def row_counts(db) -> dict[str, int]:
    counts = {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    db.session.rollback()
    return counts


def upload_ledger(client, data: bytes, name: str):
    return client.post("/ledger", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00", "ledger.exe", "Only CSV or XLSX files."),
        (PDF, "ledger.pdf", "Only CSV or XLSX files."),
        (PDF, "ledger.csv", WRONG_CONTENT),
        (b"\x7fELF\x02\x01\x01\x00" + b"\0" * 32, "ledger.csv", WRONG_CONTENT),
        (None, "ledger.xlsx", WRONG_CONTENT),  # a CSV renamed .xlsx
        (xlsx_bytes(GOOD), "ledger.csv", WRONG_CONTENT),  # a workbook renamed .csv
        (None, "../../../etc/passwd.csv", FOLDER),
        (None, "ledger\tcopy.csv", FOLDER),
    ],
    ids=["exe", "pdf", "pdf-as-csv", "elf-as-csv", "csv-as-xlsx", "xlsx-as-csv", "traversal", "control-characters"],
)
def test_a_bad_ledger_upload_is_refused_and_nothing_is_stored(app, db, org, login, data, name, message):
    client = login(org.user(Role.CLERK))
    before = row_counts(db)
    response = upload_ledger(client, csv_text(GOOD).encode() if data is None else data, name)
    assert response.status_code == 200
    assert t(app, message) in response.get_data(as_text=True)
    assert row_counts(db) == before
    assert db.session.scalar(sa.select(sa.func.count(LedgerImport.id))) == 0


def test_control_a_good_ledger_with_a_plain_name_is_accepted(db, org, login):
    client = login(org.user(Role.CLERK))
    response = upload_ledger(client, csv_text(GOOD).encode(), "台账 2026.csv")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(LedgerImport.file_name)) == "台账 2026.csv"


@pytest.mark.parametrize("target", ["ledger", "seal", "verify"])
def test_a_body_over_max_content_length_gets_the_413_page_and_stores_nothing(app, db, org, login, monkeypatch, target):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    client = login(org.user(Role.ADMIN if target == "seal" else Role.CLERK))
    client.post("/language", data={"locale": "en"})
    before = row_counts(db)
    big = b"x" * 8192
    path, field, name = {
        "ledger": ("/ledger", "file", "big.csv"),
        "seal": (f"/documents/seals/{org.arbitration.id}", "image", "big.png"),
        "verify": ("/verify", "pdf", "big.pdf"),
    }[target]
    data = {field: (io.BytesIO(big), name)} | ({"code": "ABCDEFGH"} if target == "verify" else {})
    response = client.post(path, data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    page = text(parse(response).find(".//main"))
    assert "File too large" in page and "Split it into smaller files" in page
    assert row_counts(db) == before


@pytest.mark.parametrize("name", ["seal.png", "../../../../tmp/seal.png", "..\\..\\seal.png"])
def test_a_jpeg_renamed_png_is_not_a_seal(app, db, org, login, name):
    from PIL import Image

    jpeg = io.BytesIO()
    Image.new("RGB", (200, 200), (200, 0, 0)).save(jpeg, "JPEG")
    client = login(org.user(Role.ADMIN))
    response = client.post(
        f"/documents/seals/{org.arbitration.id}",
        data={"image": (io.BytesIO(jpeg.getvalue()), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert flashes(response) and not any("saved" in f or "已保存" in f for f in flashes(response))
    assert db.session.get(UnitSeal, org.arbitration.id) is None


def test_a_seal_with_a_traversal_name_is_stored_by_unit_never_by_name(db, org, login, tmp_path, monkeypatch):
    """The name is never a path: the seal is a row of its unit, and nothing is written to the file system."""
    monkeypatch.chdir(tmp_path)
    client = login(org.user(Role.ADMIN))
    client.post(
        f"/documents/seals/{org.arbitration.id}",
        data={"image": (io.BytesIO(seal_png()), "../../seal.png")},
        content_type="multipart/form-data",
    )
    assert db.session.get(UnitSeal, org.arbitration.id) is not None
    assert list(tmp_path.iterdir()) == [] and not (tmp_path.parent.parent / "seal.png").exists()


@pytest.mark.parametrize("name", ["x.pdf", "../../../etc/passwd", "x.exe"])
def test_verification_of_a_file_that_is_not_the_pdf_says_so_and_stores_nothing(app, db, org, make_case, client, name):
    from disputes.documents import issue as issuing

    case = accepted_case(db, org, make_case)
    doc = issuing.issue(db.session, case, "arb_acceptance", "", org.user(Role.CLERK))
    db.session.commit()
    code = doc.code
    before = row_counts(db)
    client.post("/language", data={"locale": "en"})
    response = client.post(f"/verify/{code}", data={"pdf": (io.BytesIO(PDF), name)}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert row_counts(db) == before
    page = text(parse(response).find(".//main"))
    assert "not" in page.lower() and "passwd" not in page
