"""The official tables' facts (issue 17): one row per accepted mediation or arbitration with what 人社统MA1/MA2
count about it (models/statistical_fact.py), refreshed per case by the fold of the statistics' change log; the
tables and their drill-down lists read these rows. Filled here from the tracks, cases and claims by the same
statement the fold uses (disputes/metrics/facts.py).

Revision ID: 0037_h17t_statistical_facts
Revises: 0036_h17c_count_targets
"""

import sqlalchemy as sa
from alembic import op

revision = "0037_h17t_statistical_facts"
down_revision = "0037_h19_stored_bytes_nullable"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(16, 2)


def upgrade() -> None:
    op.create_table(
        "statistical_facts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("accepted_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("collective", sa.Boolean(), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=False),
        sa.Column("main_cause", sa.String(length=32), nullable=False),
        sa.Column("claimed", MONEY, nullable=False),
        sa.Column("resolved", MONEY, nullable=False),
        sa.Column("recovered", MONEY, nullable=False),
        sa.Column("all_supported", sa.Boolean(), nullable=False),
        sa.Column("all_against", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistical_facts")),
    )
    from disputes.metrics import facts

    facts.refresh(op.get_bind(), None)
    op.create_index("ix_statistical_facts_case", "statistical_facts", ["case_id"])
    op.create_index("ix_statistical_facts_period", "statistical_facts", ["source", "until", "accepted_on"])
    op.create_index("ix_statistical_facts_unit", "statistical_facts", ["source", "unit_id", "accepted_on"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE statistical_facts")


def downgrade() -> None:
    op.drop_table("statistical_facts")
