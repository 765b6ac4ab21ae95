"""The document store (issue 19): issued PDFs and seals by their hash in the database (today), on a filesystem or
in an S3-compatible bucket; `flask documents migrate-store` copies them over and checks every copy."""

import hashlib
import io

import boto3
import pytest
import sqlalchemy as sa
from botocore.response import StreamingBody
from botocore.stub import Stubber

from config import problems
from disputes import storage
from disputes.models import IssuedDocument

PDF = b"%PDF-1.7 a stored document"
SHA = hashlib.sha256(PDF).hexdigest()


def test_the_filesystem_store_keeps_files_by_hash_and_checks_them(tmp_path):
    store = storage.FilesystemStore(tmp_path)
    assert not store.has(SHA)
    store.put(SHA, PDF)
    assert store.has(SHA) and store.get(SHA) == PDF
    assert store.path(SHA) == tmp_path / SHA[:2] / SHA[2:4] / SHA
    assert not [p for p in store.path(SHA).parent.iterdir() if p.name.startswith(".incoming-")]
    with pytest.raises(storage.StoreError, match="does not match"):
        store.put(SHA, PDF + b"x")  # bytes that are not what the hash says are refused
    store.path(SHA).write_bytes(PDF + b" changed on disk")
    with pytest.raises(storage.StoreError, match="does not match"):
        store.get(SHA)
    with pytest.raises(storage.StoreError, match="missing"):
        store.get("0" * 64)
    with pytest.raises(storage.StoreError, match="not a SHA-256"):
        store.path("../../etc/passwd")


def _stubbed():
    client = boto3.client(
        "s3",
        region_name="us-east-1",
        aws_access_key_id="k",
        aws_secret_access_key="s",
        endpoint_url="http://minio:9000",
    )
    return client, Stubber(client)


def test_the_s3_store_puts_gets_and_checks_objects():
    client, stub = _stubbed()
    store = storage.S3Store("documents", "prod/", client=client)
    key = "prod/" + SHA
    where = {"Bucket": "documents", "Key": key}
    stub.add_client_error("head_object", "404", expected_params=where, http_status_code=404)
    stub.add_response("put_object", {}, {"Bucket": "documents", "Key": key, "Body": PDF})
    stub.add_response("head_object", {"ContentLength": len(PDF)}, {"Bucket": "documents", "Key": key})
    body = StreamingBody(io.BytesIO(PDF), len(PDF))
    stub.add_response("get_object", {"Body": body}, {"Bucket": "documents", "Key": key})
    wrong = StreamingBody(io.BytesIO(b"tampered"), 8)
    stub.add_response("get_object", {"Body": wrong}, {"Bucket": "documents", "Key": key})
    stub.add_client_error("get_object", "NoSuchKey", expected_params={"Bucket": "documents", "Key": key})
    with stub:
        assert not store.has(SHA)
        store.put(SHA, PDF)
        assert store.has(SHA)
        assert store.get(SHA) == PDF
        with pytest.raises(storage.StoreError, match="does not match"):
            store.get(SHA)
        with pytest.raises(storage.StoreError, match="NoSuchKey"):
            store.get(SHA)
    stub.assert_no_pending_responses()


@pytest.mark.parametrize(
    ("value", "parsed"),
    [("db", ("db", "", "")), ("fs:/srv/docs", ("fs", "/srv/docs", "")), ("s3://bucket/a/b", ("s3", "bucket", "a/b"))],
)
def test_the_setting_names_a_backend(value, parsed):
    assert storage.parse_setting(value) == parsed


def test_a_wrong_store_setting_is_refused_at_start_up():
    assert problems({"DOCUMENT_STORE": "fs:relative"}) == ["DOCUMENT_STORE: DOCUMENT_STORE=fs:/absolute/path"]
    assert problems({"DOCUMENT_STORE": "ftp://x"})[0].startswith("DOCUMENT_STORE: DOCUMENT_STORE must be")
    assert problems({"DOCUMENT_STORE": "s3://bucket"}) == []


def test_migrate_store_copies_every_document_and_checks_it(db, demo_database, runner, tmp_path):
    documents = db.session.execute(sa.select(IssuedDocument.id, IssuedDocument.sha256)).all()
    assert documents
    hashes = {sha for _id, sha in documents}
    target = tmp_path / "store"
    result = runner.invoke(args=["documents", "migrate-store", "--to", f"fs:{target}"])
    assert result.exit_code == 0, result.output
    assert f"{len(documents)} copied, 0 already there" in result.output
    fs = storage.FilesystemStore(target)
    for document_id, sha in documents:
        pdf = db.session.scalar(sa.select(IssuedDocument.pdf).where(IssuedDocument.id == document_id))
        assert fs.get(sha) == pdf
    assert {p.name for p in target.rglob("*") if p.is_file()} == hashes

    again = runner.invoke(args=["documents", "migrate-store", "--to", f"fs:{target}"])
    assert "0 copied" in again.output and f"{len(documents)} already there" in again.output

    # A file changed in the source store is reported, not copied: the command fails.
    broken = min(hashes)
    fs.path(broken).write_bytes(b"not the issued PDF")
    copy = runner.invoke(args=["documents", "migrate-store", "--from", f"fs:{target}", "--to", f"fs:{tmp_path / 'b'}"])
    assert copy.exit_code == 1
    assert "FAILED issued_documents" in copy.output and broken in copy.output
    assert not storage.FilesystemStore(tmp_path / "b").has(broken)
    assert len([p for p in (tmp_path / "b").rglob("*") if p.is_file()]) == len(hashes) - 1


def test_migrate_store_refuses_an_unknown_store(db, runner):
    result = runner.invoke(args=["documents", "migrate-store", "--to", "ftp://x"])
    assert result.exit_code != 0 and "must be db, fs:/path or s3://" in result.output
