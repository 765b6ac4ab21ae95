"""`flask backup verify FILE` (issue 19): a pg_dump restored into a scratch database and checked — tables, the
migration revision, counts, each issued document's PDF against its recorded hash. PostgreSQL only (pg_dump)."""

import subprocess

import pytest
import sqlalchemy as sa

from tests.issued import fake_issue


@pytest.fixture
def postgres(app, db):
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        pytest.skip("backups are pg_dump files: run with TEST_DATABASE_URL for PostgreSQL")
    return url


def _dump(url, path):
    command = ["pg_dump", "-Fc", "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432)]
    command += ["-U", url.username or "postgres", "-f", str(path), url.database]
    subprocess.run(command, check=True, capture_output=True)


def test_a_good_backup_is_restored_counted_and_its_documents_checked(app, db, postgres, org, make_case, tmp_path):
    case = make_case(org.centre)
    fake_issue(db.session, case, "med_application", number="深龙调〔2026〕1号")
    db.session.commit()
    dump = tmp_path / "disputes.dump"
    _dump(postgres, dump)
    result = app.test_cli_runner().invoke(args=["backup", "verify", str(dump), "--scratch", "h19_verify_ok"])
    assert result.exit_code == 0, result.output
    assert "1 issued document(s) checked against their recorded hashes." in result.output
    counts = {line.split()[0]: int(line.split()[1]) for line in result.output.splitlines() if line.startswith("  ")}
    assert counts["cases"] == 1 and counts["issued_documents"] == 1
    assert result.output.rstrip().endswith("Backup verified.")
    admin = sa.create_engine(postgres.set(database="postgres"))
    with admin.connect() as conn:  # the scratch database is dropped afterwards
        assert conn.scalar(sa.text("SELECT count(*) FROM pg_database WHERE datname = 'h19_verify_ok'")) == 0
    admin.dispose()


def test_a_backup_whose_document_changed_is_refused(app, db, postgres, org, make_case, tmp_path):
    case = make_case(org.centre)
    document = fake_issue(db.session, case, "med_application", number="深龙调〔2026〕2号")
    db.session.commit()
    with db.engine.begin() as conn:
        conn.execute(sa.text("SET LOCAL session_replication_role = replica"))  # past any guard trigger
        conn.execute(
            sa.text("UPDATE issued_documents SET pdf = :pdf WHERE id = :id"), {"pdf": b"%PDF-x", "id": document.id}
        )
    dump = tmp_path / "tampered.dump"
    _dump(postgres, dump)
    result = app.test_cli_runner().invoke(args=["backup", "verify", str(dump), "--scratch", "h19_verify_bad"])
    assert result.exit_code == 1
    assert f"PROBLEM: issued document {document.id} (深龙调〔2026〕2号): PDF hash mismatch" in result.output


def test_an_unreadable_file_is_a_clear_error(app, db, postgres, tmp_path):
    junk = tmp_path / "junk.sql"
    junk.write_text("this is not SQL;\n")
    result = app.test_cli_runner().invoke(args=["backup", "verify", str(junk), "--scratch", "h19_verify_junk"])
    assert result.exit_code == 1 and "psql failed" in result.output


def test_documents_held_only_in_the_store_are_checked_there(app, db, postgres, org, make_case, tmp_path, monkeypatch):
    from disputes import storage

    monkeypatch.setitem(app.config, "DOCUMENT_STORE", f"fs:{tmp_path / 'documents'}")
    storage.forget()
    try:
        case = make_case(org.centre)
        document = fake_issue(db.session, case, "med_application", number="深龙调〔2026〕3号")
        db.session.commit()
        with db.engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT pdf FROM issued_documents WHERE id = :id"), {"id": document.id}) is None
        dump = tmp_path / "hash-only.dump"
        _dump(postgres, dump)
        runner = app.test_cli_runner()
        result = runner.invoke(args=["backup", "verify", str(dump), "--scratch", "h19_verify_store"])
        assert result.exit_code == 0, result.output
        assert "1 issued document(s) checked against their recorded hashes." in result.output
        storage.current(db.session).path(document.sha256).unlink()  # the store's backup lacks the file
        result = runner.invoke(args=["backup", "verify", str(dump), "--scratch", "h19_verify_store"])
        assert result.exit_code == 1
        assert f"{document.sha256} is missing" in result.output
    finally:
        storage.forget()
