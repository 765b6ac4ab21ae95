"""The statistics' UPDATE triggers on sla_timers and parties are linear in the rows a statement changes (issue 18).

Migration 0010 (and 0016) found the changed rows by joining the statement's two transition tables on id. PL/pgSQL
plans that statement once per session and keeps the plan; transition tables have no statistics, so the plan is
made for the size of the first UPDATE that fires the trigger in the session. After a few one-row updates it is a
nested loop, and a later 10,000-row UPDATE compares every new row with every old one (100 million row pairs:
1.6 s fresh, 39 s after six one-row updates in the same session, measured on 140,000 timers, bench/timer_trigger.py).

The changed rows are now the difference of the two transition tables over the id and the watched columns
(`EXCEPT`, which PostgreSQL runs by hashing or sorting, never pair by pair), whatever plan is cached. The log is
the same: a row is in `new EXCEPT old` exactly when its old version differs in a watched column (EXCEPT compares
NULLs as equal, as IS DISTINCT FROM does), and every column the log reads is watched. SQLite's row-level triggers
are unchanged.

Revision ID: 0020_linear_statistics_triggers
Revises: 0019_queue_indexes
"""

import re

from alembic import op

revision = "0020_linear_statistics_triggers"
down_revision = "0019_queue_indexes"
branch_labels = None
depends_on = None

AWARD = "'arbitration.award'"
# As migration 0016 left them: (the case of a row r, the cells r is counted in as (unit, date[, join])), the
# columns that matter on UPDATE.
WATCHED = {
    "sla_timers": (
        "r.case_id",
        [
            ("r.unit_id", "r.breached_on"),
            ("r.unit_id", "r.completed_on"),
            ("a.unit_id", "r.due_on", ("arbitrations a", f"a.case_id = r.case_id AND r.rule_id = {AWARD}")),
        ],
        ("status", "breached_on", "completed_on", "rule_id", "unit_id", "case_id", "subject_id", "due_on"),
    ),
    "parties": ("r.case_id", [], ("case_id", "kind")),
}
LOG = "INSERT INTO metric_changes (case_id, unit_id, day) "


def _read(table: str) -> set[str]:
    """The columns of r the log reads."""
    case, cells, _columns = WATCHED[table]
    text = " ".join([case, *(" ".join([unit, day, *(join[0] if join else ())]) for unit, day, *join in cells)])
    return set(re.findall(r"\br\.(\w+)", text))


def _parts(table: str, new: str, old: str) -> list[str]:
    case, cells, _columns = WATCHED[table]
    parts = [
        f"SELECT {case}, NULL::integer, NULL::date FROM {new}",
        f"SELECT {case}, NULL::integer, NULL::date FROM {old}",
    ]
    for unit, day, *join in cells:
        source = old + (f" JOIN {join[0][0]} ON {join[0][1]}" if join else "")
        parts.append(f"SELECT NULL::integer, {unit}, {day} FROM {source} WHERE {day} IS NOT NULL")
    return parts


def linear_body(table: str) -> str:
    columns = WATCHED[table][2]
    assert _read(table) <= set(columns), table  # what the log reads is watched: the difference finds every change
    listed = ", ".join(("id", *columns))
    return (
        f"WITH changed_new AS (SELECT {listed} FROM new_rows EXCEPT SELECT {listed} FROM old_rows), "
        f"changed_old AS (SELECT {listed} FROM old_rows EXCEPT SELECT {listed} FROM new_rows) "
        + LOG
        + " UNION ".join(_parts(table, "changed_new r", "changed_old r"))
        + ";"
    )


def joined_body(table: str) -> str:
    """Migration 0016's body (the transition tables joined on id), for the downgrade."""
    changed = " OR ".join(f"r.{c} IS DISTINCT FROM o.{c}" for c in WATCHED[table][2])
    new = f"new_rows r JOIN old_rows o ON o.id = r.id AND ({changed})"
    old = f"old_rows r JOIN new_rows o ON o.id = r.id AND ({changed})"
    return LOG + " UNION ".join(_parts(table, new, old)) + ";"


def _replace(body) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite's triggers are row-level: nothing to join
    for table in WATCHED:
        op.execute(
            f"CREATE OR REPLACE FUNCTION metric_changes_{table}_update() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {body(table)} RETURN NULL; END $$"
        )


def upgrade() -> None:
    _replace(linear_body)


def downgrade() -> None:
    _replace(joined_body)
