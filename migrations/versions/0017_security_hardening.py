"""Security hardening (issue 14, part B): session generations, one-time form tokens, import job heartbeats.

Revision ID: 0011_security_hardening
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_security_hardening"
down_revision = "0011_metric_dates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("ledger_imports") as batch:
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE ledger_imports SET heartbeat_at = created_at WHERE finished_at IS NULL")
    op.create_table(
        "form_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("result_url", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_form_submissions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_submissions")),
        sa.UniqueConstraint("token", name=op.f("uq_form_submissions_token")),
    )
    op.create_index(op.f("ix_form_submissions_user_id"), "form_submissions", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_form_submissions_user_id"), table_name="form_submissions")
    op.drop_table("form_submissions")
    with op.batch_alter_table("ledger_imports") as batch:
        batch.drop_column("heartbeat_at")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_generation")
