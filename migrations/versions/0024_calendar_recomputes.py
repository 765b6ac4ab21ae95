"""Calendar recomputations as background jobs (issue 18): a change to the holiday calendar records a job that
recomputes, in batches, the open timers whose period meets the changed days; the admin follows its progress.

Revision ID: 0021_calendar_recomputes
Revises: 0020_linear_statistics_triggers
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_calendar_recomputes"
down_revision = "0020_linear_statistics_triggers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_recomputes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first", sa.Date(), nullable=False),
        sa.Column("last", sa.Date(), nullable=False),
        sa.Column("change", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("timers_total", sa.Integer(), nullable=False),
        sa.Column("timers_done", sa.Integer(), nullable=False),
        sa.Column("timers_changed", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_calendar_recomputes_recompute_status")
        ),
        sa.CheckConstraint("first <= last", name=op.f("ck_calendar_recomputes_recompute_days_ordered")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_calendar_recomputes_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_recomputes")),
    )
    op.create_index(op.f("ix_calendar_recomputes_created_by_id"), "calendar_recomputes", ["created_by_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_calendar_recomputes_created_by_id"), table_name="calendar_recomputes")
    op.drop_table("calendar_recomputes")
