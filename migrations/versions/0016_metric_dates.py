"""The metrics follow the dates (issue 12): the statistics' triggers also watch what the new figures read, the
award deadlines get an index, the seeded mediation target moves to the all-inclusive rate, and every cell is
built again.

- `arbitration.due_closure_rate` counts an arbitration in the cell of its award deadline (the `arbitration.award`
  timer's due_on): the timers' trigger now also logs a changed due_on (not the scan's days_late or warnings),
  and names the deadline's old cell; the arbitrations' trigger names it too when an arbitration moves.
- `arbitration.finality_rate` / `finality_pending` read the right-to-sue timers and the case's principal parties:
  parties get the triggers (a party added, removed or changing kind or case).
- The default target "mediation success ≥ 75 %" (migration 0007) is the district's all-inclusive figure
  (metrics.md: overall.mediation_success_rate); a unit's own targets stay where their admins put them.

Revision ID: 0011_metric_dates
Revises: 0010
"""

import re

from alembic import op

revision = "0011_metric_dates"
down_revision = "0011_arbitration_restarts"
branch_labels = None
depends_on = None

AWARD = "'arbitration.award'"
# table: (the case of a row r, the cells r is counted in as (unit, date[, join])), the columns that matter on
# UPDATE (None: any) — as in migration 0010, for the tables whose triggers change here.
BEFORE = {
    "arbitrations": (
        "r.case_id",
        [
            ("r.unit_id", "r.accepted_on"),
            ("r.unit_id", "r.closed_on"),
            ("r.unit_id", "w.awarded_on", ("awards w", "w.arbitration_id = r.id")),
        ],
        None,
    ),
    "sla_timers": (
        "r.case_id",
        [("r.unit_id", "r.breached_on"), ("r.unit_id", "r.completed_on")],
        ("status", "breached_on", "completed_on", "rule_id", "unit_id", "case_id", "subject_id"),
    ),
}
AFTER = {
    "arbitrations": (
        "r.case_id",
        [
            *BEFORE["arbitrations"][1],
            ("r.unit_id", "t.due_on", ("sla_timers t", f"t.case_id = r.case_id AND t.rule_id = {AWARD}")),
        ],
        None,
    ),
    "sla_timers": (
        "r.case_id",
        [
            *BEFORE["sla_timers"][1],
            ("a.unit_id", "r.due_on", ("arbitrations a", f"a.case_id = r.case_id AND r.rule_id = {AWARD}")),
        ],
        (*BEFORE["sla_timers"][2], "due_on"),
    ),
    "parties": ("r.case_id", [], ("case_id", "kind")),
}
EVENTS = ("insert", "update", "delete")
LOG = "INSERT INTO metric_changes (case_id, unit_id, day) "
MEDIATION_TARGET, ALL_INCLUSIVE_TARGET = "mediation.success_rate", "overall.mediation_success_rate"


def _row(expression: str, row: str) -> str:
    return re.sub(r"\br\.", f"{row}.", expression)


def _rows(first: str, second: str, columns) -> str:
    if not columns:
        return f"{first} r"
    changed = " OR ".join(f"r.{c} IS DISTINCT FROM o.{c}" for c in columns)
    return f"{first} r JOIN {second} o ON o.id = r.id AND ({changed})"


def _postgres(watched: dict, table: str, event: str) -> list[str]:
    case, cells, columns = watched[table]
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
    name = f"metric_changes_{table}_{event}"
    referencing = {
        "insert": "NEW TABLE AS new_rows",
        "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": "OLD TABLE AS old_rows",
    }[event]
    function = (
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{LOG + ' UNION '.join(parts)}; RETURN NULL; END $$"
    )
    trigger = (
        f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} REFERENCING {referencing} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
    )
    return [function, trigger]


def _sqlite(watched: dict, table: str, event: str) -> list[str]:
    case, cells, columns = watched[table]
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
    return [
        f"CREATE TRIGGER metric_changes_{table}_{event} AFTER {event.upper()}{of} ON {table} FOR EACH ROW BEGIN "
        + " ".join(statements)
        + " END"
    ]


def _drop(table: str, postgres: bool) -> None:
    for event in EVENTS:
        name = f"metric_changes_{table}_{event}"
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
        if postgres:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")


def _install(watched: dict) -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in AFTER:
        _drop(table, postgres)
    for table in watched:
        for event in EVENTS:
            for statement in (_postgres if postgres else _sqlite)(watched, table, event):
                op.execute(statement)


def _move_target(source: str, target: str) -> None:
    """The default row (unit NULL) of `source` becomes `target`'s, unless `target` already has a default."""
    op.execute(
        f"UPDATE metric_targets SET figure = '{target}' WHERE figure = '{source}' AND unit_id IS NULL "
        f"AND NOT EXISTS (SELECT 1 FROM metric_targets o WHERE o.figure = '{target}' AND o.unit_id IS NULL)"
    )


def upgrade() -> None:
    _install(AFTER)
    # Each case's award deadline by date (due-date closure, and the cells' fold of a day), and the running
    # right-to-sue periods as of a date.
    op.create_index("ix_sla_timers_rule_due", "sla_timers", ["rule_id", "due_on"])
    _move_target(MEDIATION_TARGET, ALL_INCLUSIVE_TARGET)
    op.execute("INSERT INTO metric_changes (case_id, unit_id, day) VALUES (NULL, NULL, NULL)")  # build everything


def downgrade() -> None:
    _move_target(ALL_INCLUSIVE_TARGET, MEDIATION_TARGET)
    op.drop_index("ix_sla_timers_rule_due", table_name="sla_timers")
    _install(BEFORE)
    op.execute("INSERT INTO metric_changes (case_id, unit_id, day) VALUES (NULL, NULL, NULL)")
