"""When an outbound message failed: after the last retry, or the time the provider's delivery report gives
(issue 20). A nullable column without a constraint: plain ADD COLUMN on both dialects, no table rebuild.

Revision ID: 0037_h20c_message_failed_at
Revises: 0036_h17c_count_targets
"""

import sqlalchemy as sa
from alembic import op

revision = "0037_h20c_message_failed_at"
down_revision = "0036_h17c_count_targets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbound_messages", sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("outbound_messages", "failed_at")  # SQLite ≥ 3.35 drops a plain column in place
