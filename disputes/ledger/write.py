"""Bulk writing: ids taken in one go, then each table's rows in one COPY (PostgreSQL) or one executemany.

Ids are allocated before the rows are built so that child rows can name their parents without a round
trip per row; on PostgreSQL they come from the tables' own sequences, so concurrent writers never clash.
"""
from __future__ import annotations

import time
from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.extensions import db


def table(name: str) -> sa.Table:
    return db.metadata.tables[name]


def allocate(session: Session, name: str, count: int, taken: dict[str, int] | None = None) -> list[int]:
    """`count` fresh ids for table `name`. On SQLite (one writer at a time) they follow max(id) and the
    ids already handed out in this import (`taken` remembers them per table)."""
    if count <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(
            sa.text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": name, "n": count},
        )
        return [r[0] for r in rows]
    taken = taken if taken is not None else {}
    if name not in taken:
        taken[name] = session.scalar(sa.select(sa.func.coalesce(sa.func.max(table(name).c.id), 0)))
    first = taken[name] + 1
    taken[name] += count
    return list(range(first, first + count))


SECONDS: defaultdict[str, float] = defaultdict(float)  # time spent writing each table, for the benchmark


def insert(session: Session, name: str, rows: list[dict]) -> None:
    """All rows of one table (every dict has the same keys)."""
    if not rows:
        return
    started = time.perf_counter()
    try:
        _insert(session, name, rows)
    finally:
        SECONDS[name] += time.perf_counter() - started


def _insert(session: Session, name: str, rows: list[dict]) -> None:
    target = table(name)
    if session.get_bind().dialect.name != "postgresql":
        session.execute(target.insert(), rows)
        return
    from psycopg.types.json import Jsonb

    columns = list(rows[0])
    json_columns = {c for c in columns if isinstance(target.c[c].type, sa.JSON)}
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(
        f"COPY {name} ({', '.join(columns)}) FROM STDIN"
    ) as copy:
        write = copy.write_row
        if json_columns:
            for row in rows:
                write([Jsonb(row[c]) if c in json_columns and row[c] is not None else row[c] for c in columns])
        else:
            for row in rows:
                write([row[c] for c in columns])


def delete_where(session: Session, name: str, column: str, ids: list[int]) -> None:
    for first in range(0, len(ids), 1000):
        chunk = ids[first:first + 1000]
        session.execute(sa.delete(table(name)).where(table(name).c[column].in_(chunk)))
