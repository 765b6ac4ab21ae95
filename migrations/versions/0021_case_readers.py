"""The reading scope as one indexed table: case_readers, kept by triggers (issue 18).

`case_readers(case_id, reader)` holds who reads a case wholesale, as one integer key: a unit (reader = unit id):
the case's own unit and every unit holding one of its tracks (mediation, arbitration, legal aid); a person
(reader = −user id): each active assignment. Triggers on `cases`, the three track tables and `case_assignments`
keep it current whoever writes (the web, the ledger's COPY, the demo loader, raw SQL); a pair goes only when no
row names it any more. PostgreSQL gets statement-level triggers over transition tables (one INSERT … SELECT per
COPY statement), SQLite row-level ones. Existing cases are backfilled.

PostgreSQL also gets `ix_parties_name_pattern (name text_pattern_ops, case_id)`: a one-character search is a
name prefix (`LIKE '廖%'`), which this btree answers as an index-only range (15,124 names at 1,000,000 cases:
7 ms) where the trigram index fetched every matching row (161 ms). PostgreSQL-only, like the trigram indexes,
so the models do not name it (migrations/env.py leaves `_pattern` indexes out of the comparison).

Revision ID: 0019_case_readers
Revises: 0019_admin_audit
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_case_readers"
down_revision = "0019_admin_audit"
branch_labels = None
depends_on = None

TRACKS = ("mediations", "arbitrations", "legal_aid_applications")
# table: (the case of a row, its reader key, the condition for a row to give one, the columns that matter)
SOURCES = {
    "cases": ("id", "unit_id", "true", ("id", "unit_id")),
    **{t: ("case_id", "unit_id", "true", ("case_id", "unit_id")) for t in TRACKS},
    "case_assignments": ("case_id", "-user_id", "active", ("case_id", "user_id", "active")),
}


def _still_given(alias: str) -> str:
    """No row gives the pair (`alias`.case_id, `alias`.reader) any more."""
    unit = [f"SELECT 1 FROM cases c WHERE c.id = {alias}.case_id AND c.unit_id = {alias}.reader"]
    unit += [f"SELECT 1 FROM {t} t WHERE t.case_id = {alias}.case_id AND t.unit_id = {alias}.reader" for t in TRACKS]
    person = (
        f"SELECT 1 FROM case_assignments a WHERE a.case_id = {alias}.case_id AND a.user_id = -{alias}.reader "
        "AND a.active"
    )
    units = " AND ".join(f"NOT EXISTS ({q})" for q in unit)
    return f"CASE WHEN {alias}.reader > 0 THEN {units} ELSE NOT EXISTS ({person}) END"


def _given(table: str, row: str) -> str:
    """The (case_id, reader) pairs the rows of transition table `row` give."""
    case, reader, condition, _columns = SOURCES[table]
    prefix = lambda e: e.replace("-user_id", f"-{row}.user_id") if e.startswith("-") else f"{row}.{e}"
    where = "true" if condition == "true" else f"{row}.{condition}"
    return f"SELECT {prefix(case)} AS case_id, {prefix(reader)} AS reader FROM {{rows}} WHERE {where}"


def _postgres(table: str) -> list[str]:
    _case, _reader, _condition, columns = SOURCES[table]
    changed = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in columns)
    add = (
        "INSERT INTO case_readers (case_id, reader) SELECT DISTINCT case_id, reader FROM ({pairs}) p "
        "ON CONFLICT DO NOTHING;"
    )
    gone = (
        "DELETE FROM case_readers r USING ({pairs}) g WHERE r.case_id = g.case_id AND r.reader = g.reader AND "
        + _still_given("r")
        + ";"
    )
    new_pairs = _given(table, "n").format(rows="new_rows n")
    old_pairs = _given(table, "o").format(rows="old_rows o")
    bodies = {
        "insert": ("NEW TABLE AS new_rows", add.format(pairs=new_pairs)),
        "update": (
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            add.format(
                pairs=_given(table, "n").format(rows=f"new_rows n JOIN old_rows o ON o.id = n.id AND ({changed})")
            )
            + " "
            + gone.format(
                pairs=_given(table, "o").format(rows=f"old_rows o JOIN new_rows n ON n.id = o.id AND ({changed})")
            ),
        ),
    }
    if table != "cases":  # a deleted case takes its rows with it (ON DELETE CASCADE)
        bodies["delete"] = ("OLD TABLE AS old_rows", gone.format(pairs=old_pairs))
    statements = []
    for event, (referencing, body) in bodies.items():
        name = f"case_readers_{table}_{event}"
        statements += [
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$",
            (
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            ),
        ]
    return statements


def _sqlite(table: str) -> list[str]:
    case, reader, condition, columns = SOURCES[table]
    new = lambda e: e.replace("-user_id", "-NEW.user_id") if e.startswith("-") else f"NEW.{e}"
    old = lambda e: e.replace("-user_id", "-OLD.user_id") if e.startswith("-") else f"OLD.{e}"
    add = (
        f"INSERT OR IGNORE INTO case_readers (case_id, reader) SELECT {new(case)}, {new(reader)} "
        f"WHERE {'1' if condition == 'true' else new(condition)};"
    )
    drop = (
        f"DELETE FROM case_readers WHERE case_id = {old(case)} AND reader = {old(reader)} AND "
        + _still_given("case_readers")
        + ";"
    )
    triggers = {"insert": ("INSERT", add), "update": (f"UPDATE OF {', '.join(columns)}", add + " " + drop)}
    triggers["delete"] = ("DELETE", drop if table != "cases" else "DELETE FROM case_readers WHERE case_id = OLD.id;")
    return [
        f"CREATE TRIGGER case_readers_{table}_{event} AFTER {when} ON {table} FOR EACH ROW BEGIN {body} END"
        for event, (when, body) in triggers.items()
    ]


def _names(table: str, postgres: bool) -> list[str]:
    events = ("insert", "update") if table == "cases" and postgres else ("insert", "update", "delete")
    return [f"case_readers_{table}_{event}" for event in events]


def upgrade() -> None:
    op.create_table(
        "case_readers",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reader", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_readers_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", "reader", name=op.f("pk_case_readers")),
    )
    op.create_index("ix_case_readers_reader_case", "case_readers", ["reader", "case_id"], unique=True)
    parts = [_given(table, "s").format(rows=f"{table} s") for table in SOURCES]
    op.execute("INSERT INTO case_readers (case_id, reader) " + " UNION ".join(parts))
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in SOURCES:
        for statement in (_postgres if postgres else _sqlite)(table):
            op.execute(statement)
    if postgres:
        op.execute("CREATE INDEX ix_parties_name_pattern ON parties (name text_pattern_ops, case_id)")
        op.execute("ANALYZE case_readers")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("DROP INDEX IF EXISTS ix_parties_name_pattern")
    for table in SOURCES:
        for name in _names(table, postgres):
            op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
            if postgres:
                op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_index("ix_case_readers_reader_case", table_name="case_readers")
    op.drop_table("case_readers")
