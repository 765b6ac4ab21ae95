"""Metric targets (issue 6): a minimum per unit and figure; a row without a unit is the default for every unit."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes.extensions import db
from disputes.models.arbitration import Arbitration
from disputes.models.case import Case
from disputes.models.legal_aid import LegalAidApplication
from disputes.models.mediation import Mediation
from disputes.models.sla import SlaTimer
from disputes.models.unit import Unit


class MetricTarget(db.Model):
    __tablename__ = "metric_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="CASCADE"))
    figure: Mapped[str] = mapped_column(sa.String(48))
    # A rate as a fraction (0.95 = 95 %), or a count as its annual number (compared pro rata for a part of the
    # year); the figure is on target when it is at least this.
    minimum: Mapped[Decimal] = mapped_column(sa.Numeric(12, 4))

    unit: Mapped[Unit | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("unit_id", "figure", name="uq_metric_targets_unit_figure"),
        sa.CheckConstraint("minimum >= 0", name="minimum_not_negative"),
    )


# The date columns the metrics select their rows by (disputes/metrics), indexed by migration 0007; declared here
# so that the models stay in step with the migrations without touching the track modules.
METRIC_INDEXES = (
    sa.Index("ix_arbitrations_accepted_on", Arbitration.accepted_on),
    sa.Index("ix_arbitrations_closed_on", Arbitration.closed_on),
    sa.Index("ix_mediations_ended_on", Mediation.ended_on),
    sa.Index("ix_mediations_agreement_signed_on", Mediation.agreement_signed_on),
    sa.Index("ix_cases_closed_on", Case.closed_on),
    sa.Index("ix_legal_aid_applications_decided_on", LegalAidApplication.decided_on),
    sa.Index("ix_sla_timers_breached_on", SlaTimer.breached_on),
    sa.Index("ix_sla_timers_completed_on", SlaTimer.completed_on),
    # The on-time tests' IN (…) sets: the met timers of one rule, read from the index alone.
    sa.Index(
        "ix_sla_timers_met",
        SlaTimer.rule_id,
        SlaTimer.case_id,
        SlaTimer.subject_id,
        postgresql_where=sa.text("status = 'met'"),
        sqlite_where=sa.text("status = 'met'"),
    ),
    # Each case's award deadline by date, and the right-to-sue periods running on a date (migration 0011).
    sa.Index("ix_sla_timers_rule_due", SlaTimer.rule_id, SlaTimer.due_on),
)
