"""Where stored files live (issue 19): issued PDFs and seal images, addressed by their SHA-256 (recorded on their
rows when they were stored), behind one small interface with three backends chosen by DOCUMENT_STORE:

- `db` (the default, today's behaviour): the bytes stay in their rows (issued_documents.pdf, unit_seals.png);
- `fs:/path`: one file per hash under /path (ab/cd/<hash>), written atomically — a shared volume for several hosts;
- `s3://bucket[/prefix]`: an S3-compatible object store (MinIO in deploy/compose.yaml) through boto3, with
  S3_ENDPOINT_URL, S3_REGION, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY from the environment.

Every read checks the bytes against their hash. Every writer and reader of those bytes goes through `keep` and
`load` below: with `db` the row holds the bytes as before; with `fs:` or `s3://` the bytes go to the store and the
row holds only their hash (its bytes column stays NULL), so an app instance keeps nothing of its own. A row that still
holds its bytes (written before the switch, not yet cleared) is read from the row. `copy_all` (`flask documents
migrate-store`) copies every stored file from one backend to another and reads each back to verify it; with
`--clear-rows` it then empties the bytes columns of the rows whose copy was verified.

An object written by a request that is then rolled back stays in the store, unreferenced and harmless: files are
named by their hash, so the next writer of the same bytes finds it there.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session


class StoreError(RuntimeError):
    """A file is missing from a store, or its bytes do not match their hash."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checked(sha256: str, data: bytes, where: str) -> bytes:
    if digest(data) != sha256:
        raise StoreError(f"{where}: {sha256} does not match its bytes")
    return data


class DocumentStore(Protocol):
    name: str

    def put(self, sha256: str, data: bytes) -> None: ...

    def get(self, sha256: str) -> bytes: ...

    def has(self, sha256: str) -> bool: ...


# The tables whose rows carry stored bytes: (table, its bytes column, its key column for the report).
SOURCES = (("issued_documents", "pdf", "id"), ("unit_seals", "png", "unit_id"))
COLUMNS = {table: (column, key) for table, column, key in SOURCES}


@dataclass(frozen=True)
class StoredFile:
    table: str
    key: int
    sha256: str


def stored_files(session: Session) -> Iterator[StoredFile]:
    """Every stored file the database records, without its bytes."""
    for table, _column, key in SOURCES:
        t = sa.table(table, sa.column(key), sa.column("sha256"))
        for row_key, sha256 in session.execute(sa.select(t.c[key], t.c.sha256).order_by(t.c[key])):
            yield StoredFile(table, row_key, sha256)


class DatabaseStore:
    """Today's store: the bytes are in their rows. `put` stores nothing new: a row holding the hash is the copy."""

    name = "db"

    def __init__(self, session: Session):
        self.session = session

    def _read(self, sha256: str) -> bytes | None:
        for table, column, _key in SOURCES:
            t = sa.table(table, sa.column(column, sa.LargeBinary), sa.column("sha256"))
            found = sa.select(t.c[column]).where(t.c.sha256 == sha256, t.c[column].is_not(None)).limit(1)
            data = self.session.scalar(found)
            if data is not None:
                return bytes(data)
        return None

    def get(self, sha256: str) -> bytes:
        data = self._read(sha256)
        if data is None:
            raise StoreError(f"db: no row holds {sha256}")
        return _checked(sha256, data, "db")

    def has(self, sha256: str) -> bool:
        return self._read(sha256) is not None

    def put(self, sha256: str, data: bytes) -> None:
        """Fill the emptied bytes column of the rows recorded with this hash (a move back into the database)."""
        _checked(sha256, data, "db")
        filled = 0
        for table, column, _key in SOURCES:
            t = sa.table(table, sa.column(column, sa.LargeBinary), sa.column("sha256"))
            done = self.session.execute(
                sa.update(t).where(t.c.sha256 == sha256, t.c[column].is_(None)).values({column: data})
            )
            filled += done.rowcount or 0
        if not filled and not self.has(sha256):
            raise StoreError(f"db: no row records {sha256}")

    def read_row(self, item: StoredFile) -> bytes:
        """One row's bytes by its key (no search by hash)."""
        column, key = COLUMNS[item.table]
        t = sa.table(item.table, sa.column(column, sa.LargeBinary), sa.column(key))
        data = self.session.scalar(sa.select(t.c[column]).where(t.c[key] == item.key))
        if data is None:
            raise StoreError(f"db: {item.table} {item.key} holds no bytes")
        return _checked(item.sha256, bytes(data), "db")


class FilesystemStore:
    """One file per hash under `root`, in two levels of folders so no folder grows too large."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.name = f"fs:{self.root}"

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise StoreError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, sha256: str, data: bytes) -> None:
        _checked(sha256, data, self.name)
        target = self.path(sha256)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)  # another host sees the whole file or none of it
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, sha256: str) -> bytes:
        try:
            data = self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise StoreError(f"{self.name}: {sha256} is missing") from None
        return _checked(sha256, data, self.name)

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()


class S3Store:
    """Objects `<prefix><hash>` in one bucket of an S3-compatible store."""

    def __init__(self, bucket: str, prefix: str = "", client=None, environ: Mapping[str, str] = os.environ):
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.name = f"s3://{bucket}/{self.prefix}"
        self.client = client if client is not None else s3_client(environ)

    def key(self, sha256: str) -> str:
        return self.prefix + sha256

    def put(self, sha256: str, data: bytes) -> None:
        _checked(sha256, data, self.name)
        self.client.put_object(Bucket=self.bucket, Key=self.key(sha256), Body=data)

    def get(self, sha256: str) -> bytes:
        from botocore.exceptions import ClientError

        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as error:
            raise StoreError(f"{self.name}: {sha256}: {error.response['Error'].get('Code')}") from None
        return _checked(sha256, response["Body"].read(), self.name)

    def has(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as error:
            if error.response["Error"].get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True


def s3_client(environ: Mapping[str, str] = os.environ):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=environ.get("S3_ENDPOINT_URL") or None,
        region_name=environ.get("S3_REGION") or None,
        aws_access_key_id=environ.get("S3_ACCESS_KEY_ID") or None,
        aws_secret_access_key=environ.get("S3_SECRET_ACCESS_KEY") or None,
    )


def parse_setting(value: str) -> tuple[str, str, str]:
    """DOCUMENT_STORE as (kind, location, prefix); ValueError names what is wrong."""
    value = (value or "db").strip()
    if value == "db":
        return "db", "", ""
    if value.startswith("fs:"):
        path = value.removeprefix("fs:")
        if not path.startswith("/"):
            raise ValueError("DOCUMENT_STORE=fs:/absolute/path")
        return "fs", path, ""
    if value.startswith("s3://"):
        bucket, _slash, prefix = value.removeprefix("s3://").partition("/")
        if not bucket:
            raise ValueError("DOCUMENT_STORE=s3://bucket[/prefix]")
        return "s3", bucket, prefix
    raise ValueError("DOCUMENT_STORE must be db, fs:/path or s3://bucket[/prefix]")


def open_store(value: str, session: Session, environ: Mapping[str, str] = os.environ, client=None) -> DocumentStore:
    kind, location, prefix = parse_setting(value)
    if kind == "db":
        return DatabaseStore(session)
    if kind == "fs":
        return FilesystemStore(location)
    return S3Store(location, prefix, client=client, environ=environ)


# The configured store. The app factory says where the setting is read (its config, in an app context); this module
# knows nothing of Flask. fs and s3 stores are made once per setting (an S3 client is costly to make).
_setting: Callable[[], str] = lambda: "db"
_environ: Callable[[], Mapping[str, str]] = lambda: os.environ
_opened: dict[str, DocumentStore] = {}


def use_setting(setting: Callable[[], str], environ: Callable[[], Mapping[str, str]] | None = None) -> None:
    global _setting, _environ
    _setting = setting
    if environ is not None:
        _environ = environ


def forget() -> None:
    """Drop the stores opened so far (a test that changes the setting or the S3 client)."""
    _opened.clear()


def setting() -> str:
    return (_setting() or "db").strip()


def in_rows() -> bool:
    """Whether the configured store is the rows themselves (`db`)."""
    return parse_setting(setting())[0] == "db"


def current(session: Session) -> DocumentStore:
    value = setting()
    if parse_setting(value)[0] == "db":
        return DatabaseStore(session)
    if value not in _opened:
        _opened[value] = open_store(value, session, _environ())
    return _opened[value]


def keep(session: Session, data: bytes) -> tuple[str, bytes | None]:
    """Store `data` in the configured store: (its hash, the bytes its row's column holds — None unless `db`)."""
    sha256 = digest(data)
    if in_rows():
        return sha256, data
    current(session).put(sha256, data)
    return sha256, None


def load(session: Session, sha256: str, held: bytes | None, what: str) -> bytes:
    """The bytes recorded with `sha256`: from the row when it still holds them, else from the configured store,
    checked against the hash. StoreError names `what` (e.g. "issued document 12") when they cannot be had."""
    try:
        if held is not None:
            return _checked(sha256, bytes(held), "db")
        return current(session).get(sha256)
    except StoreError as error:
        raise StoreError(f"{what}: {error}") from None


@dataclass
class Copied:
    copied: int = 0
    present: int = 0  # already in the target with the right bytes
    cleared: int = 0  # rows whose bytes column was emptied (--clear-rows)
    failed: list[str] = field(default_factory=list)


def copy_all(
    session: Session,
    source: DocumentStore,
    target: DocumentStore,
    clear_rows: bool = False,
    rows_first: bool = False,
) -> Copied:
    """Copy every stored file the database records from `source` to `target`, then read it back from `target`
    and check it against its recorded hash. A file missing or wrong in the source is reported, not copied.
    With `rows_first`, a row that still holds its bytes is their source, whatever `source` is (files written
    before and after a switch of DOCUMENT_STORE are each taken from where they are).
    With `clear_rows` (not into `db`), the rows whose copy was verified no longer hold their bytes (the caller
    commits)."""
    if clear_rows and isinstance(target, DatabaseStore):
        raise StoreError("the rows cannot be cleared when the target is the database")
    result = Copied()
    for item in stored_files(session):
        where = f"{item.table} {item.key}"
        try:
            if target.has(item.sha256):
                target.get(item.sha256)  # there, and its bytes are right
                result.present += 1
            else:
                if isinstance(source, DatabaseStore) or (rows_first and _holds(session, item)):
                    data = DatabaseStore(session).read_row(item)
                else:
                    data = source.get(item.sha256)
                target.put(item.sha256, data)
                target.get(item.sha256)
                result.copied += 1
        except StoreError as error:
            result.failed.append(f"{where}: {error}")
            continue
        if clear_rows and _holds(session, item):
            column, key = COLUMNS[item.table]
            t = sa.table(item.table, sa.column(column, sa.LargeBinary), sa.column(key))
            session.execute(sa.update(t).where(t.c[key] == item.key).values({column: None}))
            result.cleared += 1
    return result


def _holds(session: Session, item: StoredFile) -> bool:
    column, key = COLUMNS[item.table]
    t = sa.table(item.table, sa.column(column, sa.LargeBinary), sa.column(key))
    return bool(session.scalar(sa.select(t.c[column].is_not(None)).where(t.c[key] == item.key)))
