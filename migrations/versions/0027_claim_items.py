"""Claim items as data (issue 17): a claim's dispute cause for the statistical forms, its outcome, the amount
recovered, and in a multi-worker case the worker it belongs to (issue 16); award items and agreement terms carry
their cause too. Added columns only (no CHECK, which SQLite cannot add without rebuilding claims and setting aside
its statistics triggers): the operations check the values. Old rows keep NULL, read as their category's cause.

Revision ID: 0029_h17a_claim_items
Revises: 0019_allocation
"""

import sqlalchemy as sa
from alembic import op

revision = "0029_h17a_claim_items"
down_revision = "0030_h17b_court_results"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(14, 2)
CAUSED = ("claims", "award_items", "agreement_terms")


def upgrade():
    for table in CAUSED:
        op.add_column(table, sa.Column("dispute_cause", sa.String(24)))
    op.add_column("claims", sa.Column("outcome", sa.String(24)))
    op.add_column("claims", sa.Column("recovered_amount", MONEY))
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE claims ADD COLUMN party_id INTEGER "
            "CONSTRAINT fk_claims_party_id_parties REFERENCES parties (id)"
        )
    else:
        op.add_column("claims", sa.Column("party_id", sa.Integer()))
        op.create_foreign_key("fk_claims_party_id_parties", "claims", "parties", ["party_id"], ["id"])


def downgrade():
    conn = op.get_bind()
    for table in CAUSED:
        op.drop_column(table, "dispute_cause")
    op.drop_column("claims", "outcome")
    op.drop_column("claims", "recovered_amount")
    if conn.dialect.name == "sqlite":
        # SQLite drops a referencing column only by rebuilding the table: its triggers are set aside meanwhile.
        triggers = conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
        for name, _sql in triggers:
            op.execute(f'DROP TRIGGER "{name}"')
        with op.batch_alter_table("claims", recreate="always") as batch:
            batch.drop_column("party_id")
        for _name, sql in triggers:
            op.execute(sql)
    else:
        op.drop_constraint("fk_claims_party_id_parties", "claims", type_="foreignkey")
        op.drop_column("claims", "party_id")
