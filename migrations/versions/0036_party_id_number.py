"""An index on parties.id_number: the case page's "same worker" links and the list's search by a full resident ID
look a worker up by the number, which read all 2.5 million parties at a million cases (270 ms of a 350 ms case
page, issue 18 part 5).

Revision ID: 0037_h18_party_id_number
Revises: 0036_h17c_count_targets
"""

from alembic import op

revision = "0037_h18_party_id_number"
down_revision = "0037_h17t_statistical_facts"
branch_labels = None
depends_on = None


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
    _create_index("ix_parties_id_number", "parties", ["id_number"])


def downgrade() -> None:
    _drop_index("ix_parties_id_number", "parties")
