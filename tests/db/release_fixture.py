"""The previous release's demo as a fixture: rows per table, to load at that release's migration head.

Made once by running the previous release's own code (not today's) on an empty SQLite file:

    git archive 780b087 | tar -x -C /tmp/prev && cd /tmp/prev
    DATABASE_URL=sqlite:////tmp/prev/prev.sqlite flask db upgrade
    DATABASE_URL=sqlite:////tmp/prev/prev.sqlite flask demo load --cases 40
    python tests/db/release_fixture.py dump /tmp/prev/prev.sqlite tests/db/releases/0018_demo.json.gz

`load` puts the rows into a database migrated to that release's head, on SQLite or PostgreSQL: values are read
back through the target's own column types, and the statistics log the triggers write meanwhile is emptied (the
demo had folded it; the folded tables come with the rows).
"""

import base64
import gzip
import json
import sqlite3
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

RELEASES = Path(__file__).resolve().parent / "releases"
TRIGGER_LOG = "metric_changes"


def _plain(value):
    return {"base64": base64.b64encode(value).decode()} if isinstance(value, bytes) else value


def dump(sqlite_path: str, target: str) -> None:
    conn = sqlite3.connect(sqlite_path)
    tables = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    data = {"revision": conn.execute("SELECT version_num FROM alembic_version").fetchone()[0], "tables": {}}
    for name in tables:
        if name == "alembic_version":
            continue
        cursor = conn.execute(f'SELECT * FROM "{name}"')
        columns = [c[0] for c in cursor.description]
        rows = [[_plain(v) for v in row] for row in cursor]
        data["tables"][name] = {"columns": columns, "rows": rows}
    with gzip.open(target, "wt", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, separators=(",", ":"))


def read(name: str) -> dict:
    with gzip.open(RELEASES / name, "rt", encoding="utf-8") as source:
        return json.load(source)


def _coerce(value, column: sa.Column):
    if value is None:
        return None
    if isinstance(value, dict) and "base64" in value:
        return base64.b64decode(value["base64"])
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return bool(value)
    if isinstance(kind, sa.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, sa.Date):
        return date.fromisoformat(value)
    if isinstance(kind, sa.Numeric) and not isinstance(kind, sa.Float):
        return Decimal(str(value))
    if isinstance(kind, sa.JSON) and isinstance(value, str):
        return json.loads(value)
    return value


def load(conn: sa.Connection, data: dict) -> dict[str, int]:
    """Insert every table's rows in dependency order (replacing the reference rows the migrations seeded);
    returns the row count per table."""
    metadata = sa.MetaData()
    metadata.reflect(conn)
    tables = data["tables"]
    ordered = [t for t in metadata.sorted_tables if t.name in tables]
    for table in reversed(ordered):
        if table.name != "timeline_entries":  # append-only, and empty at this point
            conn.execute(table.delete())
    for table in ordered:
        columns = tables[table.name]["columns"]
        rows = [
            {c: _coerce(v, table.c[c]) for c, v in zip(columns, row, strict=True)} for row in tables[table.name]["rows"]
        ]
        if rows:
            conn.execute(table.insert(), rows)
            if conn.dialect.name == "postgresql" and "id" in table.c:
                sequence = f"pg_get_serial_sequence('{table.name}', 'id')"
                conn.execute(sa.text(f"SELECT setval({sequence}, max(id)) FROM {table.name}"))
    conn.execute(metadata.tables[TRIGGER_LOG].delete())
    return {name: len(content["rows"]) for name, content in tables.items()}


if __name__ == "__main__":
    if sys.argv[1:2] == ["dump"]:
        dump(sys.argv[2], sys.argv[3])
