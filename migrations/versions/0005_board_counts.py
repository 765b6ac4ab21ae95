"""Deadline board counts (issue 4): covering partial indexes for the board's one-statement counts and the scan.

`ix_sla_timers_soon` (running timers) and `ix_sla_timers_open` (running, paused, breached) carry every column
the board's counts read (the dates, unit, person, rule and case), so the counts are index-only scans;
`ix_sla_timers_late` lets the scan see from the index alone that no breached timer's days late is behind; on
PostgreSQL autovacuum visits `sla_timers` after 1 % of its rows change (instead of 20 %), keeping the
visibility map fresh enough for those scans to stay index-only.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

RUNNING = "status = 'running'"
BREACHED = "status = 'breached'"
OPEN = "status IN ('running', 'paused', 'breached')"
WIDE = {
    "ix_sla_timers_soon": (["warn_on", "due_on", "unit_id", "responsible_id", "rule_id", "case_id"], RUNNING),
    "ix_sla_timers_open": (["status", "due_on", "unit_id", "responsible_id", "rule_id", "case_id"], OPEN),
}
NARROW = {
    "ix_sla_timers_soon": (["warn_on", "due_on"], RUNNING),
    "ix_sla_timers_open": (["status", "due_on", "unit_id", "responsible_id", "rule_id"], OPEN),
}
VACUUM = "autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01"


def _replace(indexes: dict) -> None:
    with op.batch_alter_table("sla_timers", schema=None) as batch_op:
        for name, (columns, where) in indexes.items():
            batch_op.drop_index(name)
            batch_op.create_index(
                name, columns, unique=False, postgresql_where=sa.text(where), sqlite_where=sa.text(where)
            )


def upgrade() -> None:
    _replace(WIDE)
    with op.batch_alter_table("sla_timers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sla_timers_late",
            ["due_on", "days_late"],
            unique=False,
            postgresql_where=sa.text(BREACHED),
            sqlite_where=sa.text(BREACHED),
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE sla_timers SET ({VACUUM})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE sla_timers RESET (autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor)")
    with op.batch_alter_table("sla_timers", schema=None) as batch_op:
        batch_op.drop_index("ix_sla_timers_late")
    _replace(NARROW)
