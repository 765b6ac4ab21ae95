"""Targets on counts as well as rates: a count's target is its annual number, compared pro rata for a part of the
year (issue 17). The minimum widens from a fraction to a number; the domain keeps rates within 0–1.

Revision ID: 0036_h17c_count_targets
Revises: 0029_h17a_claim_items
"""

import sqlalchemy as sa
from alembic import op

revision = "0036_h17c_count_targets"
down_revision = "0035_h18b_queue_order_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("metric_targets", recreate="always") as batch:
        batch.drop_constraint(op.f("ck_metric_targets_minimum_is_fraction"), type_="check")
        batch.alter_column(
            "minimum", type_=sa.Numeric(precision=12, scale=4), existing_type=sa.Numeric(precision=5, scale=4)
        )
        batch.create_check_constraint("minimum_not_negative", "minimum >= 0")


def downgrade() -> None:
    op.execute("DELETE FROM metric_targets WHERE minimum > 1")
    with op.batch_alter_table("metric_targets", recreate="always") as batch:
        batch.drop_constraint(op.f("ck_metric_targets_minimum_not_negative"), type_="check")
        batch.alter_column(
            "minimum", type_=sa.Numeric(precision=5, scale=4), existing_type=sa.Numeric(precision=12, scale=4)
        )
        batch.create_check_constraint("minimum_is_fraction", "minimum >= 0 AND minimum <= 1")
