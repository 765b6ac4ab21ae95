"""Court outcomes per award item (issue 17, 裁审衔接): court_item_results. A new table only: nothing to rebuild on
SQLite.

Revision ID: 0030_h17b_court_results
Revises: 0019_allocation
"""

import sqlalchemy as sa
from alembic import op

revision = "0030_h17b_court_results"
down_revision = "0019_allocation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "court_item_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lawsuit_id", sa.Integer(), nullable=False),
        sa.Column("award_item_id", sa.Integer(), nullable=True),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column(
            "ruling",
            sa.Enum(
                "upheld",
                "changed",
                "revoked",
                "mediated",
                "withdrawn",
                name="item_ruling",
                native_enum=False,
                create_constraint=True,
                length=9,
            ),
            nullable=False,
        ),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lawsuit_id"], ["lawsuits.id"], name=op.f("fk_court_item_results_lawsuit_id_lawsuits"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["award_item_id"],
            ["award_items.id"],
            name=op.f("fk_court_item_results_award_item_id_award_items"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_court_item_results_claim_id_claims"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_court_item_results_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_court_item_results")),
    )
    with op.batch_alter_table("court_item_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_court_item_results_lawsuit_id"), ["lawsuit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_court_item_results_award_item_id"), ["award_item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_court_item_results_decided_on"), ["decided_on"], unique=False)


def downgrade():
    op.drop_table("court_item_results")
