"""The official tables' facts (issue 17): one row per accepted mediation or arbitration with what the forms 人社统MA1
and MA2 count about it — its unit, dates, closing state, the case's collective flag and workers, and what its claims
say (main cause, amounts, whether every claim was supported or every one lost). Refreshed per case by the fold of
the statistics' change log (disputes/metrics/facts.py), so that a table is one scan of narrow rows instead of a join
over tracks, cases and claims; both a cell and its drill-down list read these rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from disputes.extensions import db
from disputes.models.metric_cell import BIG_ID

FACT_MONEY = sa.Numeric(16, 2)  # the sum of a case's claims


class StatisticalFact(db.Model):
    __tablename__ = "statistical_facts"

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(12))  # "mediation" | "arbitration"
    row_id: Mapped[int] = mapped_column()  # the mediation's or the arbitration's id
    case_id: Mapped[int] = mapped_column()
    unit_id: Mapped[int] = mapped_column()
    accepted_on: Mapped[date] = mapped_column(sa.Date)
    ended_on: Mapped[date | None] = mapped_column(sa.Date)  # a mediation's end, an arbitration's closing date
    until: Mapped[date] = mapped_column(sa.Date)  # ended_on, or 9999-12-31 while open: one range for "not ended before"
    kind: Mapped[str] = mapped_column(sa.String(40), default="")  # the mediation's state, the closure type
    collective: Mapped[bool] = mapped_column(default=False)
    workers: Mapped[int] = mapped_column(default=1)
    main_cause: Mapped[str] = mapped_column(sa.String(32))
    claimed: Mapped[Decimal] = mapped_column(FACT_MONEY, default=0)
    resolved: Mapped[Decimal] = mapped_column(FACT_MONEY, default=0)
    recovered: Mapped[Decimal] = mapped_column(FACT_MONEY, default=0)
    all_supported: Mapped[bool] = mapped_column(default=False)  # claims, every one supported
    all_against: Mapped[bool] = mapped_column(default=False)  # claims, every one rejected or withdrawn

    __table_args__ = (
        sa.Index("ix_statistical_facts_case", "case_id"),
        sa.Index("ix_statistical_facts_period", "source", "until", "accepted_on"),
        sa.Index("ix_statistical_facts_unit", "source", "unit_id", "accepted_on"),
    )
