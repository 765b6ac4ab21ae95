"""Metric targets per unit (issue 6), seeded with the defaults; indexes on the dates the metrics select by.

Revision ID: 0007
Revises: 0006
"""

from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Defaults for every unit (unit_id NULL): closure rate ≥ 95 %, mediation success ≥ 75 % (metrics.md).
DEFAULTS = (("arbitration.closure_rate", Decimal("0.9500")), ("mediation.success_rate", Decimal("0.7500")))

INDEXES = (
    ("ix_arbitrations_accepted_on", "arbitrations", "accepted_on"),
    ("ix_arbitrations_closed_on", "arbitrations", "closed_on"),
    ("ix_mediations_ended_on", "mediations", "ended_on"),
    ("ix_mediations_agreement_signed_on", "mediations", "agreement_signed_on"),
    ("ix_cases_closed_on", "cases", "closed_on"),
    ("ix_legal_aid_applications_decided_on", "legal_aid_applications", "decided_on"),
    ("ix_sla_timers_breached_on", "sla_timers", "breached_on"),
    ("ix_sla_timers_completed_on", "sla_timers", "completed_on"),
)


def upgrade() -> None:
    targets = op.create_table(
        "metric_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("figure", sa.String(length=48), nullable=False),
        sa.Column("minimum", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.CheckConstraint("minimum >= 0 AND minimum <= 1", name=op.f("ck_metric_targets_minimum_is_fraction")),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_metric_targets_unit_id_units"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_targets")),
        sa.UniqueConstraint("unit_id", "figure", name="uq_metric_targets_unit_figure"),
    )
    op.bulk_insert(
        targets,
        [
            {"id": n, "unit_id": None, "figure": figure, "minimum": minimum}
            for n, (figure, minimum) in enumerate(DEFAULTS, start=1)
        ],
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('metric_targets', 'id'), 2)")
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])
    met = sa.text("status = 'met'")
    op.create_index(
        "ix_sla_timers_met", "sla_timers", ["rule_id", "case_id", "subject_id"], postgresql_where=met, sqlite_where=met
    )


def downgrade() -> None:
    op.drop_index("ix_sla_timers_met", table_name="sla_timers")
    for name, table, _column in INDEXES:
        op.drop_index(name, table_name=table)
    op.drop_table("metric_targets")
