"""Checking a PostgreSQL backup (issue 19): restore a `pg_dump` into a scratch database, then check that it is a
whole database of this application (every table there, migrations at a known revision, row counts) and that every
issued document's stored PDF still has the hash and size recorded when it was issued — the PDF its row holds, or,
for a row holding only the hash, the file in the document store (fs/s3), which is backed up on its own. No Flask."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa


@dataclass
class Verdict:
    revision: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _libpq(url: sa.URL) -> list[str]:
    """pg_restore/psql connection options for `url` (the password goes through PGPASSWORD)."""
    options = ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432), "--username", url.username or ""]
    return [o for o in options if o]


def scratch_url(url: str, name: str | None = None) -> sa.URL:
    base = sa.engine.make_url(url)
    return base.set(drivername="postgresql+psycopg", database=name or f"{base.database}_restore_check")


def restore(dump: str, target: sa.URL) -> None:
    """Make `target` afresh and restore `dump` into it: pg_dump's custom format (pg_restore) or plain SQL (psql)."""
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    with open(dump, "rb") as handle:
        custom = handle.read(5) == b"PGDMP"
    env = {"PGPASSWORD": target.password or ""}
    if custom:
        command = ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", *_libpq(target), "-d", target.database]
        command.append(dump)
    else:
        command = ["psql", "-q", "-v", "ON_ERROR_STOP=1", *_libpq(target), "-d", target.database, "-f", dump]
    import os

    done = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{command[0]} failed: {done.stderr.strip()[-1500:]}")


def drop(target: sa.URL) -> None:
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    admin.dispose()


def check(
    engine: sa.Engine, metadata: sa.MetaData, heads: frozenset[str], load: Callable[[str], bytes] | None = None
) -> Verdict:
    """`load` reads a file from the document store by its hash (None: the `db` store, every row holds its PDF)."""
    from disputes.storage import StoreError

    verdict = Verdict()
    with engine.connect() as conn:
        present = set(sa.inspect(conn).get_table_names())
        missing = sorted(set(metadata.tables) - present)
        if missing:
            verdict.problems.append(f"tables missing: {', '.join(missing)}")
        if "alembic_version" in present:
            verdict.revision = ", ".join(conn.scalars(sa.text("SELECT version_num FROM alembic_version")))
        if verdict.revision not in heads:
            verdict.problems.append(f"migration revision {verdict.revision or 'none'} is not this code's head")
        for name in sorted(set(metadata.tables) & present):
            verdict.counts[name] = conn.scalar(sa.text(f'SELECT count(*) FROM "{name}"'))
        if "issued_documents" in present:
            rows = conn.execute(sa.text("SELECT id, number, sha256, size, pdf FROM issued_documents ORDER BY id"))
            for doc_id, number, sha256, size, pdf in rows:
                verdict.documents += 1
                where = f"issued document {doc_id} ({number or 'no number'})"
                if pdf is None:
                    if load is None:
                        verdict.problems.append(f"{where}: no PDF in its row and DOCUMENT_STORE is db")
                        continue
                    try:
                        body = load(sha256)  # the store checks the hash
                    except StoreError as error:
                        verdict.problems.append(f"{where}: {error}")
                        continue
                else:
                    body = bytes(pdf)
                if hashlib.sha256(body).hexdigest() != sha256 or len(body) != size:
                    verdict.problems.append(f"{where}: PDF hash mismatch")
    return verdict
