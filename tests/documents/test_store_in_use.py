"""Documents through the store (issue 19): with DOCUMENT_STORE set to a filesystem or an S3-compatible bucket the
rows hold only the hash of their bytes, and issuing, downloading, the case file, the hearing day's batch, the seals
and `flask documents migrate-store` all work from the store; a file missing there is a plain 503 page, not a
traceback. The S3 backend runs against an in-memory client answering as S3 does (botocore's ClientError)."""

import io
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from botocore.exceptions import ClientError
from pypdf import PdfReader

from disputes import storage
from disputes.documents import hearing_day, seals
from disputes.documents import issue as issuing
from disputes.models import IssuedDocument, OnlineApplication, Role, UnitSeal
from tests.documents.test_case_file import closed_case, hearing_day_cases  # noqa: F401  (fixtures)
from tests.documents_fixtures import accepted_case, seal_png

UNAVAILABLE = "无法从文书存储中读取该文件"  # the 503 page, in the clerk's language (zh_CN, the default)


class FakeS3:
    """The three calls S3Store makes, on a dict, failing as S3 does."""

    def __init__(self):
        self.objects: dict[tuple[str, str], bytes] = {}

    def put_object(self, Bucket, Key, Body):
        self.objects[(Bucket, Key)] = bytes(Body)
        return {}

    def _missing(self, code, operation):
        return ClientError({"Error": {"Code": code, "Message": "Not Found"}}, operation)

    def get_object(self, Bucket, Key):
        if (Bucket, Key) not in self.objects:
            raise self._missing("NoSuchKey", "GetObject")
        return {"Body": io.BytesIO(self.objects[(Bucket, Key)])}

    def head_object(self, Bucket, Key):
        if (Bucket, Key) not in self.objects:
            raise self._missing("404", "HeadObject")
        return {"ContentLength": len(self.objects[(Bucket, Key)])}


class Store:
    """The configured store of a test, and a way to lose one of its files."""

    def __init__(self, kind, tmp_path, monkeypatch, app):
        self.kind = kind
        if kind == "fs":
            self.setting = f"fs:{tmp_path / 'documents'}"
        else:
            self.client = FakeS3()
            monkeypatch.setattr(storage, "s3_client", lambda environ=None: self.client)
            self.setting = "s3://documents/prod"
        monkeypatch.setitem(app.config, "DOCUMENT_STORE", self.setting)
        storage.forget()

    def files(self) -> int:
        if self.kind == "fs":
            return len([p for p in storage.current(None).root.rglob("*") if p.is_file()])
        return len(self.client.objects)

    def lose(self, sha256: str) -> None:
        if self.kind == "fs":
            storage.current(None).path(sha256).unlink()
        else:
            del self.client.objects[("documents", "prod/" + sha256)]


@pytest.fixture(params=["fs", "s3"])
def store(request, app, tmp_path, monkeypatch):
    made = Store(request.param, tmp_path, monkeypatch, app)
    yield made
    storage.forget()


def _column(db, doc_id):
    return db.session.scalar(sa.select(IssuedDocument.pdf).where(IssuedDocument.id == doc_id))


def test_an_issued_document_is_kept_in_the_store_and_served_from_it(db, org, make_case, login, store):
    case = accepted_case(db, org, make_case)
    doc = issuing.issue(db.session, case, "arb_acceptance", "", org.user(Role.CLERK))
    db.session.commit()
    assert _column(db, doc.id) is None  # the row holds the hash only
    assert store.files() == 1
    data = storage.current(db.session).get(doc.sha256)
    assert data.startswith(b"%PDF") and len(data) == doc.size
    db.session.expire_all()
    client = login(org.user(Role.CLERK))
    download = client.get(f"/documents/{doc.id}.pdf")
    assert download.status_code == 200 and download.data == data
    again = db.session.get(IssuedDocument, doc.id)
    assert issuing.reprint(again) == data
    case_file = client.get(f"/cases/{case.id}/case-file.pdf")
    assert case_file.status_code == 200, case_file.status_code
    assert len(PdfReader(io.BytesIO(case_file.data)).pages) >= 2 + doc.page_count

    store.lose(doc.sha256)
    missing = client.get(f"/documents/{doc.id}.pdf")
    assert missing.status_code == 503
    page = missing.get_data(as_text=True)
    assert UNAVAILABLE in page and "Traceback" not in page  # the page in the clerk's language
    with pytest.raises(storage.StoreError, match=f"issued document {doc.id} .*{doc.sha256}"):
        issuing.reprint(again)


def test_the_case_file_reads_the_store(store, db, org, closed_case, login):  # noqa: F811
    case, docs = closed_case
    assert all(_column(db, d.id) is None for d in docs)
    response = login(org.user(Role.CLERK)).get(f"/cases/{case.id}/case-file.pdf")
    assert response.status_code == 200
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 2 + sum(d.page_count for d in docs)
    store.lose(docs[1].sha256)
    lost = login(org.user(Role.CLERK)).get(f"/cases/{case.id}/case-file.pdf")
    assert lost.status_code == 503 and UNAVAILABLE in lost.get_data(as_text=True)


def test_the_hearing_day_batch_reads_the_store(store, db, org, hearing_day_cases, login):  # noqa: F811
    assert all(_column(db, notice.id) is None for _case, _hearing, notice in hearing_day_cases)
    pdf, made = hearing_day.build(db.session, date(2026, 12, 8), org.centre, "en")
    assert made["notices"] == 2 and len(PdfReader(io.BytesIO(pdf)).pages) == 1 + 3
    page = login(org.user(Role.CLERK)).get("/arbitration/hearing-day/2026-12-08?lang=en")
    assert page.status_code == 200 and page.mimetype == "application/pdf"

    store.lose(hearing_day_cases[0][2].sha256)
    lost = login(org.user(Role.CLERK)).get("/arbitration/hearing-day/2026-12-08")
    assert lost.status_code == 503 and UNAVAILABLE in lost.get_data(as_text=True)


def test_a_seal_is_kept_in_the_store(db, org, make_case, login, store):
    case = accepted_case(db, org, make_case)
    client = login(org.user(Role.ADMIN))
    response = client.post(
        f"/documents/seals/{org.arbitration.id}",
        data={"image": (io.BytesIO(seal_png()), "seal.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    seal = db.session.get(UnitSeal, org.arbitration.id)
    db.session.refresh(seal)
    assert seal.png is None and store.files() == 1
    assert client.get(f"/documents/seals/{org.arbitration.id}.png").data == seal_png()
    assert seals.seal_uri(db.session, org.arbitration).startswith("data:image/png;base64,")
    clerk = login(org.user(Role.CLERK))
    html = clerk.get(f"/cases/{case.id}/documents/arb_acceptance/preview").get_data(as_text=True)
    assert 'class="seal-image" src="data:image/png;base64,' in html


def test_migrate_store_moves_the_bytes_out_of_the_rows_and_back(db, demo_database, runner, app, tmp_path, monkeypatch):
    before = dict(db.session.execute(sa.select(IssuedDocument.id, IssuedDocument.pdf)).all())
    seals_before = db.session.scalar(sa.select(sa.func.count()).select_from(UnitSeal))
    assert before
    target = f"fs:{tmp_path / 'moved'}"
    monkeypatch.setitem(app.config, "DOCUMENT_STORE", target)  # switched first: new documents go there at once
    storage.forget()
    moved = runner.invoke(args=["documents", "migrate-store", "--to", target, "--clear-rows"])
    assert moved.exit_code == 0, moved.output
    assert f"{len(before) + seals_before} row(s) now hold only their hash" in moved.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).where(IssuedDocument.pdf.is_not(None))) == 0
    assert db.session.scalar(sa.select(sa.func.count()).where(UnitSeal.png.is_not(None))) == 0
    doc = db.session.get(IssuedDocument, min(before))
    assert issuing.reprint(doc) == before[doc.id]  # served from the store now

    monkeypatch.setitem(app.config, "DOCUMENT_STORE", "db")
    storage.forget()
    refused = runner.invoke(args=["documents", "migrate-store", "--to", "db", "--clear-rows"])
    assert refused.exit_code != 0 and "cannot be cleared" in refused.output
    back = runner.invoke(args=["documents", "migrate-store", "--from", target, "--to", "db"])
    assert back.exit_code == 0, back.output
    db.session.expire_all()
    assert dict(db.session.execute(sa.select(IssuedDocument.id, IssuedDocument.pdf)).all()) == before


def test_a_row_without_bytes_under_the_db_store_is_a_clear_error(db, org, make_case, login):
    case = accepted_case(db, org, make_case)
    doc = issuing.issue(db.session, case, "arb_acceptance", "", org.user(Role.CLERK))
    db.session.commit()
    db.session.execute(sa.update(IssuedDocument).where(IssuedDocument.id == doc.id).values(pdf=None))
    db.session.commit()
    response = login(org.user(Role.CLERK)).get(f"/documents/{doc.id}.pdf")
    assert response.status_code == 503
    assert "存储的文件暂不可用" in response.get_data(as_text=True) and UNAVAILABLE in response.get_data(as_text=True)


def test_a_partys_upload_is_kept_in_the_store_and_the_clerk_reads_it_from_there(
    app, client, db, org, login, store, tmp_path, monkeypatch
):
    """Evidence from the portal goes to the store like the documents (no instance keeps it), re-encoded and read
    back checked against its hash; a lost file is the same 503 page."""
    from tests.portal.test_filing import file_application, photo

    monkeypatch.setitem(app.config, "MESSAGE_OUTBOX", str(tmp_path / "outbox.jsonl"))
    file_application(client, org.centre.id, files=[(io.BytesIO(photo()), "工资条.png")])
    [upload] = db.session.scalar(sa.select(OnlineApplication)).uploads
    folder = Path(app.instance_path) / "portal_uploads"
    assert not (folder / upload.stored_name).exists()  # not on this instance's disk
    assert store.files() == 1
    kept = storage.current(db.session).get(upload.sha256)
    assert kept.startswith(b"\xff\xd8\xff") and len(kept) == upload.size  # the re-encoded JPEG
    clerk = login(org.user(Role.CLERK))
    url = f"/applications/{upload.application_id}/uploads/{upload.id}"
    download = clerk.get(url)
    assert download.status_code == 200 and download.data == kept
    store.lose(upload.sha256)
    lost = clerk.get(url)
    assert lost.status_code == 503 and UNAVAILABLE in lost.get_data(as_text=True)
