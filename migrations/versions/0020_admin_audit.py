"""The administration's audit trail (issue 15): one row per administrative change, with its before and after.

A new table only: no rebuild, so SQLite and PostgreSQL take the same steps and the statistics' triggers are not
touched.

Revision ID: 0019_admin_audit
Revises: 0019_finality_rules
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_admin_audit"
down_revision = "0019_finality_rules"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "admin_audit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="RESTRICT"), nullable=True),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
    )
    op.create_index("ix_admin_audit_at", "admin_audit", ["at"])
    op.create_index("ix_admin_audit_entity", "admin_audit", ["entity", "entity_id"])


def downgrade() -> None:
    op.drop_index("ix_admin_audit_entity", table_name="admin_audit")
    op.drop_index("ix_admin_audit_at", table_name="admin_audit")
    op.drop_table("admin_audit")
