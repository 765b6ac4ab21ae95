"""Two partial indexes for issue 18's queues at a million cases (part 6): the open cases in key order (the clerk's
"cases to route" count: 9,000 index entries instead of 131,000 rows of `pk_cases`, 45 -> 16 ms) and the board's
overdue timers in the order it shows them, covering what its filters read (a 99-123 ms bitmap heap scan and sort of
98,888 timers -> an index-only walk to the page's last row, under 5 ms). Built concurrently on PostgreSQL.

And on PostgreSQL a finer histogram of `parties.name` (statistics target 1,000 instead of 100): a one-character
search takes the character as a surname prefix, and with 100 buckets the planner put 廖's 15,124 parties at 250
(a bucket holds 25,000 names), so it sorted all their cases to show 50 (188-353 ms); estimated at 13,309 it walks the
cases newest first and stops at the 50th match (39 ms).

Revision ID: 0038_h18c_queue_indexes
Revises: 0037_h18_party_id_number
"""

import sqlalchemy as sa
from alembic import op

revision = "0038_h18c_queue_indexes"
down_revision = "0037_h18_party_id_number"
branch_labels = None
depends_on = None

OPEN = "status = 'open'"
OVERDUE = "status IN ('running', 'breached')"


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _postgres():
        with op.get_context().autocommit_block():
            op.create_index(
                "ix_cases_open", "cases", ["id"], postgresql_where=sa.text(OPEN), postgresql_concurrently=True
            )
            op.create_index(
                "ix_sla_timers_overdue",
                "sla_timers",
                ["due_on", "id"],
                postgresql_include=["unit_id", "responsible_id", "rule_id", "case_id"],
                postgresql_where=sa.text(OVERDUE),
                postgresql_concurrently=True,
            )
        op.execute("ALTER TABLE parties ALTER COLUMN name SET STATISTICS 1000")
        op.execute("ANALYZE parties (name)")
    else:
        op.create_index("ix_cases_open", "cases", ["id"], sqlite_where=sa.text(OPEN))
        op.create_index("ix_sla_timers_overdue", "sla_timers", ["due_on", "id"], sqlite_where=sa.text(OVERDUE))


def downgrade() -> None:
    if _postgres():
        op.execute("ALTER TABLE parties ALTER COLUMN name SET STATISTICS -1")
        with op.get_context().autocommit_block():
            op.drop_index("ix_sla_timers_overdue", table_name="sla_timers", postgresql_concurrently=True)
            op.drop_index("ix_cases_open", table_name="cases", postgresql_concurrently=True)
    else:
        op.drop_index("ix_sla_timers_overdue", table_name="sla_timers")
        op.drop_index("ix_cases_open", table_name="cases")
