"""What `/readyz` checks: the database answers and its migrations are at head, the read replica answers (when
DATABASE_REPLICA_URL is set; its replay lag is reported), Redis answers (when configured), the document store
answers (when it is a folder or a bucket rather than the rows), the fonts the PDFs need are installed. Each check
returns None when fine, else a short reason (no secrets)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import sqlalchemy as sa
from flask import Flask

REQUIRED_FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC")
_heads: frozenset[str] | None = None
_fonts_ok_at: float | None = None


def migration_heads() -> frozenset[str]:
    """The head revisions of migrations/ (read once: the code does not change under a running process)."""
    global _heads
    if _heads is None:
        from alembic.script import ScriptDirectory

        from disputes.extensions import MIGRATIONS

        _heads = frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())
    return _heads


def database(engine: sa.Engine) -> str | None:
    try:
        with engine.connect() as conn:
            applied = frozenset(conn.scalars(sa.text("SELECT version_num FROM alembic_version")))
    except Exception as error:  # noqa: BLE001  (any failure to reach the database makes the instance unready)
        return f"database unreachable ({type(error).__name__})"
    if applied != migration_heads():
        return f"migrations not at head (database at {', '.join(sorted(applied)) or 'none'})"
    return None


def replica(engine: sa.Engine) -> tuple[str | None, float | None]:
    """(None, lag in seconds) when the replica answers, else (reason, None). The lag is how long ago the last
    transaction it replayed was committed on the primary (PostgreSQL hot standby); None when it is not a standby
    (or not PostgreSQL). A lag is reported, not failed: a lagging replica only makes the report pages staler (they
    say by how much they may be), and failing would take every instance out of the load balancer at once."""
    try:
        with engine.connect() as conn:
            if engine.dialect.name != "postgresql":
                conn.execute(sa.text("SELECT 1"))
                return None, None
            lag = conn.scalar(
                sa.text(
                    "SELECT CASE WHEN pg_is_in_recovery() THEN "
                    "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
                )
            )
    except Exception as error:  # noqa: BLE001  (a replica out of reach: the report pages would fail)
        return f"replica unreachable ({type(error).__name__})", None
    return None, None if lag is None else round(float(lag), 1)


def redis_url(app: Flask) -> str:
    broker = app.config.get("CELERY_BROKER_URL") or ""
    return app.config.get("REDIS_URL") or (broker if broker.startswith("redis") else "")


def redis(url: str) -> str | None:
    import redis as redis_py

    try:
        redis_py.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2).ping()
    except Exception as error:  # noqa: BLE001
        return f"redis unreachable ({type(error).__name__})"
    return None


def fonts() -> str | None:
    """The CJK faces the documents name, asked of fontconfig; a found answer is kept for ten minutes."""
    global _fonts_ok_at
    if _fonts_ok_at is not None and time.monotonic() - _fonts_ok_at < 600:
        return None
    if shutil.which("fc-match") is None:
        return "fontconfig (fc-match) is not installed"
    missing = []
    for family in REQUIRED_FONTS:
        found = subprocess.run(
            ["fc-match", "-f", "%{family}", family], check=False, capture_output=True, text=True, timeout=5
        )
        if family not in found.stdout:
            missing.append(family)
    if missing:
        return f"fonts missing: {', '.join(missing)} (install fonts-noto-cjk)"
    _fonts_ok_at = time.monotonic()
    return None


def document_store(value: str) -> str | None:
    """A folder store must exist and be writable (a missing mount would fail every issue); a bucket must answer a
    lookup (a missing key is an answer). The rows (`db`) need nothing more than the database."""
    from disputes import storage

    try:
        kind, location, _prefix = storage.parse_setting(value)
        if kind == "db":
            return None
        if kind == "fs" and not (os.path.isdir(location) and os.access(location, os.W_OK | os.X_OK)):
            return f"document store {value} is not a writable folder"
        if kind == "s3":  # the app's own store (its client made once) when this is its setting
            store = storage.current(None) if value.strip() == storage.setting() else storage.open_store(value, None)
            store.has("0" * 64)
    except Exception as error:  # noqa: BLE001  (a store out of reach: every document issue and download would fail)
        return f"document store unreachable ({type(error).__name__})"
    return None


def check(app: Flask, engine: sa.Engine) -> dict[str, str | None]:
    results = {"database": database(engine), "fonts": fonts()}
    store = app.config.get("DOCUMENT_STORE") or "db"
    if store.strip() != "db":
        results["store"] = document_store(store)
    url = redis_url(app)
    if url:
        results["redis"] = redis(url)
    return results
