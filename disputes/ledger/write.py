"""Bulk writing: ids taken in one go, then each table's rows in one COPY (PostgreSQL) or one executemany.

Ids are allocated before the rows are built so that child rows can name their parents without a round
trip per row; on PostgreSQL they come from the tables' own sequences, so concurrent writers never clash.
"""

from __future__ import annotations

import csv
import io
import json
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
    engine = session.get_bind()
    if engine.dialect.name == "postgresql":
        # A connection of its own: sequences are outside transactions, and the session's connection may be
        # busy with a COPY in the writer thread (see pipe.CopyPipe).
        with engine.connect() as conn:
            return list(
                conn.scalars(
                    sa.text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
                    {"t": name, "n": count},
                )
            )
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
    columns = list(rows[0])
    json_columns = [c for c in columns if isinstance(target.c[c].type, sa.JSON)]
    raw = session.connection().connection.driver_connection
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')") as copy,
    ):
        for first in range(0, len(rows), 2000):
            copy.write(csv_block(rows[first : first + 2000], columns, json_columns))


NULL = "\\N"


def csv_block(rows: list[dict], columns: list[str], json_columns: list[str]) -> str:
    """Rows as COPY's CSV: the C csv writer is several times faster than psycopg's row by row formatting.
    None is written as \\N (COPY's NULL here), so an empty string stays ''; dates, timestamps, decimals and
    booleans are written as PostgreSQL reads them (ISO dates, True/False)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if json_columns:
        rows = [
            {**row, **{c: None if row[c] is None else json.dumps(row[c], ensure_ascii=False) for c in json_columns}}
            for row in rows
        ]
    writer.writerows([[NULL if row[c] is None else row[c] for c in columns] for row in rows])
    return out.getvalue()


def delete_where(session: Session, name: str, column: str, ids: list[int]) -> None:
    for first in range(0, len(ids), 1000):
        chunk = ids[first : first + 1000]
        session.execute(sa.delete(table(name)).where(table(name).c[column].in_(chunk)))
