"""Issue 18, part 4. Indexes for the clerk's "my work": the awards to serve and the unrouted cases, each walked in
its section's order so that the page stops at its 25 rows (the count stops at 1,001). Partial, declared on the
models in disputes/models/queue_indexes.py. And an arbitration commission's daily limit of hearings an arbitrator
(`units.hearings_per_arbitrator_day`, NULL: none). Plain CREATE INDEX and ADD COLUMN (a nullable column without a
constraint) on both dialects: no table rebuild, so the triggers of migrations 0010 and 0021 stay. The indexes are
built CONCURRENTLY on PostgreSQL (cases and arbitrations are the big tables).

Revision ID: 0035_h18b_queue_order_indexes
Revises: 0030_h17b_court_results
"""

import sqlalchemy as sa
from alembic import op

revision = "0035_h18b_queue_order_indexes"
down_revision = "0033_h20_portal"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_arbitrations_closed_award": (
        "arbitrations",
        ["closed_on", "case_id", "id"],
        "state = 'closed' AND closure_type = 'award'",
    ),
    "ix_cases_open_registered": ("cases", ["registered_on", "id"], "status = 'open'"),
}


def _create_index(name: str, table: str, columns: list[str], **where) -> None:
    """On PostgreSQL CONCURRENTLY, outside the migration's transaction, so writes go on while a big table is indexed
    (a plain build blocked them for 28–141 s at 1M cases); plainly on SQLite."""
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.create_index(name, table, columns, postgresql_concurrently=True, **where)
    else:
        op.create_index(name, table, columns, **where)


def _drop_index(name: str, table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.drop_index(name, table_name=table, postgresql_concurrently=True)
    else:
        op.drop_index(name, table_name=table)


def upgrade() -> None:
    for name, (table, columns, where) in INDEXES.items():
        _create_index(name, table, columns, postgresql_where=sa.text(where), sqlite_where=sa.text(where))
    op.add_column("units", sa.Column("hearings_per_arbitrator_day", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("units", "hearings_per_arbitrator_day")  # SQLite 3.35+ drops a plain column in place
    for name, (table, _columns, _where) in reversed(INDEXES.items()):
        _drop_index(name, table)
