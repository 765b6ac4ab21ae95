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


def upgrade() -> None:
    op.create_index(op.f("ix_parties_id_number"), "parties", ["id_number"])


def downgrade() -> None:
    op.drop_index(op.f("ix_parties_id_number"), table_name="parties")
