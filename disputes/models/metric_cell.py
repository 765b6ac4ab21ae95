"""The statistics' summary (issue 6): counts per unit and day, rolled up per unit and month, kept in step with
the track tables.

`metric_days` holds, per (unit, day) cell, how many track rows had each event on that day with each set of
attributes; `metric_months` is the same summed per month, what the readers read. `metric_changes` is the log the
database triggers of migration 0010 append to on every write that can change a cell (a case whose cells to redo,
or a cell a row left); `disputes.metrics.summary.fold` empties it."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from disputes.extensions import db
from disputes.models.litigation import Lawsuit
from disputes.models.mediation import Mediation

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class _Counted:
    """What a cell counts: rows of a track table (`source`) with an `event` and its attributes, in a grouping."""

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True)
    unit_id: Mapped[int] = mapped_column()
    grain: Mapped[str] = mapped_column(sa.String(8))  # unit, person or category
    group_key: Mapped[str] = mapped_column(sa.String(32), default="")  # the person's id or the category
    source: Mapped[str] = mapped_column(sa.String(16))
    event: Mapped[str] = mapped_column(sa.String(16))
    kind: Mapped[str] = mapped_column(sa.String(40), default="")  # closure type, state, rule or status
    flag1: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    flag2: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    n: Mapped[int] = mapped_column()
    days: Mapped[int] = mapped_column(default=0)


class MetricDay(_Counted, db.Model):
    __tablename__ = "metric_days"

    day: Mapped[date] = mapped_column(sa.Date)  # the event's day: the cell
    # The last day a row must also fall on (a pair of award days, see summary/cells.py); else `day`.
    day2: Mapped[date] = mapped_column(sa.Date)

    __table_args__ = (sa.Index("ix_metric_days_cell", "unit_id", "day"),)


MONTH_KEY = ("unit_id", "month", "grain", "month2", "group_key", "source", "event", "kind", "flag1", "flag2")


class MetricMonth(_Counted, db.Model):
    __tablename__ = "metric_months"

    month: Mapped[date] = mapped_column(sa.Date)  # the first day of the month
    month2: Mapped[date] = mapped_column(sa.Date)

    # One row per cell and attributes: a fold adds the changed days' differences to it (summary/cells.py).
    __table_args__ = (sa.Index("ix_metric_months_cell", *MONTH_KEY, unique=True),)


class MetricChange(db.Model):
    """A case whose cells to redo, a cell to redo (unit NULL: that day in every unit), or — all three NULL —
    everything."""

    __tablename__ = "metric_changes"

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True)
    case_id: Mapped[int | None] = mapped_column()
    unit_id: Mapped[int | None] = mapped_column()
    day: Mapped[date | None] = mapped_column(sa.Date)


# The as-of tests of the summary (disputes/metrics/summary/read.py), indexed by migration 0010.
SUMMARY_INDEXES = (
    sa.Index("ix_lawsuits_filed_on", Lawsuit.filed_on),
    sa.Index("ix_mediations_performance_noted_on", Mediation.performance_noted_on),
)
