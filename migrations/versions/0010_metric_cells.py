"""The statistics' summary: metric_days and metric_months, the metric_changes log and the triggers that fill it.

Every INSERT, UPDATE or DELETE on a table the figures read appends to metric_changes the cases it touched and, for
rows that change or go, the (unit, day) cells they were counted in; disputes/metrics/summary/fold.py redoes those
cells. PostgreSQL gets statement-level triggers over transition tables (a 100,000-row COPY appends in one
statement); SQLite row-level ones.

Revision ID: 0010
Revises: 0009
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

ARBITRATION_OF = "(SELECT a.{col} FROM arbitrations a WHERE a.id = r.arbitration_id)"

# table: (the case of a row r, the cells r is counted in as (unit, date[, join])), the columns that matter on
# UPDATE (None: any).
WATCHED = {
    "cases": ("r.id", [("r.unit_id", "r.closed_on")], None),
    "arbitrations": (
        "r.case_id",
        [
            ("r.unit_id", "r.accepted_on"),
            ("r.unit_id", "r.closed_on"),
            ("r.unit_id", "w.awarded_on", ("awards w", "w.arbitration_id = r.id")),
        ],
        None,
    ),
    "awards": (ARBITRATION_OF.format(col="case_id"), [(ARBITRATION_OF.format(col="unit_id"), "r.awarded_on")], None),
    "suspensions": (ARBITRATION_OF.format(col="case_id"), [], None),
    "mediations": ("r.case_id", [("r.unit_id", "r.ended_on"), ("r.unit_id", "r.agreement_signed_on")], None),
    "legal_aid_applications": ("r.case_id", [("r.unit_id", "r.decided_on")], None),
    "sla_timers": (
        "r.case_id",
        [("r.unit_id", "r.breached_on"), ("r.unit_id", "r.completed_on")],
        ("status", "breached_on", "completed_on", "rule_id", "unit_id", "case_id", "subject_id"),
    ),
    "lawsuits": ("r.case_id", [], None),
    "claims": ("r.case_id", [], None),
    "case_assignments": ("r.case_id", [], None),
}
EVENTS = ("insert", "update", "delete")
LOG = "INSERT INTO metric_changes (case_id, unit_id, day) "


def _row(expression: str, row: str) -> str:
    """`expression` about the row `r` written for one row of the trigger (r → NEW or OLD, or a table alias)."""
    return re.sub(r"\br\.", f"{row}.", expression)


def _rows(first: str, second: str, columns) -> str:
    """The transition table `first` as `r`; on an UPDATE with `columns`, only rows where one of them changed."""
    if not columns:
        return f"{first} r"
    changed = " OR ".join(f"r.{c} IS DISTINCT FROM o.{c}" for c in columns)
    return f"{first} r JOIN {second} o ON o.id = r.id AND ({changed})"


def _postgres_body(table: str, event: str) -> str:
    case, cells, columns = WATCHED[table]
    columns = columns if event == "update" else None
    parts = []
    if event != "delete":
        parts.append(f"SELECT {case}, NULL::integer, NULL::date FROM {_rows('new_rows', 'old_rows', columns)}")
    if event != "insert":
        old = _rows("old_rows", "new_rows", columns)
        parts.append(f"SELECT {case}, NULL::integer, NULL::date FROM {old}")
        for unit, day, *join in cells:
            source = old + (f" JOIN {join[0][0]} ON {join[0][1]}" if join else "")
            parts.append(f"SELECT NULL::integer, {unit}, {day} FROM {source} WHERE {day} IS NOT NULL")
    return LOG + " UNION ".join(parts) + ";"


def _postgres(table: str, event: str) -> list[str]:
    name = f"metric_changes_{table}_{event}"
    referencing = {
        "insert": "NEW TABLE AS new_rows",
        "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": "OLD TABLE AS old_rows",
    }[event]
    function = (
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{_postgres_body(table, event)} RETURN NULL; END $$"
    )
    trigger = (
        f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} REFERENCING {referencing} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
    )
    return [function, trigger]


def _sqlite(table: str, event: str) -> list[str]:
    case, cells, columns = WATCHED[table]
    rows = {"insert": ("NEW",), "update": ("NEW", "OLD"), "delete": ("OLD",)}[event]
    statements = [f"{LOG}SELECT {_row(case, row)}, NULL, NULL;" for row in rows]
    if event != "insert":
        for unit, day, *join in cells:
            unit, day = _row(unit, "OLD"), _row(day, "OLD")
            source, condition = join[0] if join else (None, "1")
            statements.append(
                f"{LOG}SELECT NULL, {unit}, {day}"
                + (f" FROM {source}" if source else "")
                + f" WHERE {_row(condition, 'OLD')} AND {day} IS NOT NULL;"
            )
    of = f" OF {', '.join(columns)}" if event == "update" and columns else ""
    name = f"metric_changes_{table}_{event}"
    return [
        f"CREATE TRIGGER {name} AFTER {event.upper()}{of} ON {table} FOR EACH ROW BEGIN "
        + " ".join(statements)
        + " END"
    ]


def _counted(table: str, day: str, index: list[str], unique: bool = False) -> None:
    big = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        table,
        sa.Column("id", big, nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column(day, sa.Date(), nullable=False),
        sa.Column(f"{day}2", sa.Date(), nullable=False),
        sa.Column("grain", sa.String(length=8), nullable=False),
        sa.Column("group_key", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("flag1", sa.SmallInteger(), nullable=False),
        sa.Column("flag2", sa.SmallInteger(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    )
    op.create_index(f"ix_{table}_cell", table, index, unique=unique)


def upgrade() -> None:
    _counted("metric_days", "day", ["unit_id", "day"])
    _counted(
        "metric_months",
        "month",
        ["unit_id", "month", "grain", "month2", "group_key", "source", "event", "kind", "flag1", "flag2"],
        unique=True,
    )
    changes = op.create_table(
        "metric_changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_changes")),
    )
    # The as-of tests of the summary (summary/read.py): the latest filing and the latest performance noted.
    op.create_index("ix_lawsuits_filed_on", "lawsuits", ["filed_on"])
    op.create_index("ix_mediations_performance_noted_on", "mediations", ["performance_noted_on"])
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in WATCHED:
        for event in EVENTS:
            for statement in (_postgres if postgres else _sqlite)(table, event):
                op.execute(statement)
    if postgres:  # the log is emptied by every fold: vacuum it after a thousand dead rows, not after 20 % of it
        op.execute(
            "ALTER TABLE metric_changes SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000)"
        )
    op.bulk_insert(changes, [{"case_id": None, "unit_id": None, "day": None}])  # build everything


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in WATCHED:
        for event in EVENTS:
            name = f"metric_changes_{table}_{event}"
            op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
            if postgres:
                op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_index("ix_mediations_performance_noted_on", table_name="mediations")
    op.drop_index("ix_lawsuits_filed_on", table_name="lawsuits")
    op.drop_table("metric_changes")
    for table in ("metric_months", "metric_days"):
        op.drop_index(f"ix_{table}_cell", table_name=table)
        op.drop_table(table)
