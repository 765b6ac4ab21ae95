"""Statutory deadlines as data: the holiday calendar, versioned rules, running timers and notifications."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes.extensions import db
from disputes.models.base import CreatedAtMixin, UTCDateTime, enum_type
from disputes.models.case import Case
from disputes.models.user import User
from disputes.sla.states import AdjustmentKind, DayKind, NoticeKind, PeriodUnit, RuleKind, TimerStatus


class CalendarDay(db.Model):
    """An official rest day (holiday) or make-up working day; ordinary weekends are not stored."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    kind: Mapped[DayKind] = mapped_column(enum_type(DayKind, "day_kind"))
    name: Mapped[str] = mapped_column(sa.String(40))


class CalendarYear(db.Model):
    """A year whose official calendar is on record; deadlines falling in other years are provisional."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(sa.String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SlaRule(CreatedAtMixin, db.Model):
    """One version of a deadline rule. Editing a rule adds a version; timers keep the version they started with."""

    __tablename__ = "sla_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[str] = mapped_column(sa.String(48))
    version: Mapped[int] = mapped_column(default=1)
    kind: Mapped[RuleKind] = mapped_column(enum_type(RuleKind, "rule_kind"), default=RuleKind.TASK)
    title: Mapped[str] = mapped_column(sa.String(200))
    title_en: Mapped[str] = mapped_column(sa.String(200))
    period: Mapped[int] = mapped_column()
    unit: Mapped[PeriodUnit] = mapped_column(enum_type(PeriodUnit, "period_unit"))
    # Other periods by procedure, e.g. {"simplified": [3, "months"]} for the first instance.
    variants: Mapped[dict | None] = mapped_column(sa.JSON)
    triggers: Mapped[list] = mapped_column(sa.JSON)
    completed_by: Mapped[list] = mapped_column(sa.JSON)
    cancelled_by: Mapped[list] = mapped_column(sa.JSON, default=list)
    pausable: Mapped[bool] = mapped_column(default=False)
    max_extension_days: Mapped[int] = mapped_column(default=0)
    warning_days: Mapped[int] = mapped_column()
    legal_basis: Mapped[str] = mapped_column(sa.String(120))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (
        sa.UniqueConstraint("rule_id", "version", name="uq_sla_rules_rule_version"),
        sa.CheckConstraint("period >= 0", name="period_non_negative"),
        sa.CheckConstraint("warning_days >= 0", name="warning_non_negative"),
        sa.CheckConstraint("max_extension_days >= 0", name="extension_non_negative"),
    )


class SlaTimer(CreatedAtMixin, db.Model):
    __tablename__ = "sla_timers"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    rule_pk: Mapped[int] = mapped_column(sa.ForeignKey("sla_rules.id", ondelete="RESTRICT"))
    rule_id: Mapped[str] = mapped_column(sa.String(48))
    # The row the timer is about when a case can have several (a hearing, a legal-aid application, a lawsuit).
    subject_id: Mapped[int | None] = mapped_column()
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"))
    responsible_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[TimerStatus] = mapped_column(enum_type(TimerStatus, "timer_status"), default=TimerStatus.RUNNING)
    started_on: Mapped[date] = mapped_column(sa.Date)
    period: Mapped[int] = mapped_column()
    unit: Mapped[PeriodUnit] = mapped_column(enum_type(PeriodUnit, "period_unit"))
    nominal_on: Mapped[date] = mapped_column(sa.Date)
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    provisional: Mapped[bool] = mapped_column(default=False)
    paused_since: Mapped[date | None] = mapped_column(sa.Date)
    paused_days: Mapped[int] = mapped_column(default=0)
    extension_days: Mapped[int] = mapped_column(default=0)
    # The day from which the timer is "due soon"; the scan and the board read it from an index.
    warn_on: Mapped[date | None] = mapped_column(sa.Date)
    warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_on: Mapped[date | None] = mapped_column(sa.Date)
    completed_by: Mapped[str | None] = mapped_column(sa.String(48))
    breached_on: Mapped[date | None] = mapped_column(sa.Date)
    days_late: Mapped[int | None] = mapped_column()

    case: Mapped[Case] = relationship(backref=sa.orm.backref("timers", order_by="SlaTimer.id", lazy="selectin"))
    rule: Mapped[SlaRule] = relationship()
    responsible: Mapped[User | None] = relationship()
    adjustments: Mapped[list[SlaAdjustment]] = relationship(
        back_populates="timer", cascade="all, delete-orphan", order_by="SlaAdjustment.id"
    )

    __table_args__ = (
        sa.CheckConstraint("(status = 'paused') = (paused_since IS NOT NULL)", name="paused_iff_since"),
        sa.CheckConstraint("status = 'paused' OR due_on IS NOT NULL", name="due_unless_paused"),
        sa.CheckConstraint(
            "(status IN ('met', 'met_late', 'cancelled')) = (completed_on IS NOT NULL)", name="completed_iff_done"
        ),
        sa.CheckConstraint("status NOT IN ('breached', 'met_late') OR breached_on IS NOT NULL", name="breach_dated"),
        sa.CheckConstraint("paused_days >= 0 AND extension_days >= 0", name="adjustments_non_negative"),
        # What the scan and the board read, each from a small partial index.
        sa.Index(
            "ix_sla_timers_to_warn",
            "warn_on",
            postgresql_where=sa.text("status = 'running' AND warned_at IS NULL"),
            sqlite_where=sa.text("status = 'running' AND warned_at IS NULL"),
        ),
        sa.Index(
            "ix_sla_timers_to_breach",
            "due_on",
            postgresql_where=sa.text("status = 'running'"),
            sqlite_where=sa.text("status = 'running'"),
        ),
        # The board's counts (board.py) read these two alone, index-only: running timers from warn_on (due
        # today, soon, overdue all have warn_on <= today since warn_on = due_on - warning days), breached and
        # suspended ones by status; each holds every column a count filters on. Migration 0005 also has
        # PostgreSQL autovacuum this table after 1 % of its rows change, so the visibility map stays fresh.
        sa.Index(
            "ix_sla_timers_soon",
            "warn_on",
            "due_on",
            "unit_id",
            "responsible_id",
            "rule_id",
            "case_id",
            postgresql_where=sa.text("status = 'running'"),
            sqlite_where=sa.text("status = 'running'"),
        ),
        sa.Index(
            "ix_sla_timers_open",
            "status",
            "due_on",
            "unit_id",
            "responsible_id",
            "rule_id",
            "case_id",
            postgresql_where=sa.text("status IN ('running', 'paused', 'breached')"),
            sqlite_where=sa.text("status IN ('running', 'paused', 'breached')"),
        ),
        # The board's overdue group, oldest first (ORDER BY due_on, id LIMIT n): walked in order, index-only, to the
        # page's last row instead of a bitmap heap scan and sort of every overdue timer (issue 18 part 6).
        sa.Index(
            "ix_sla_timers_overdue",
            "due_on",
            "id",
            postgresql_include=["unit_id", "responsible_id", "rule_id", "case_id"],
            postgresql_where=sa.text("status IN ('running', 'breached')"),
            sqlite_where=sa.text("status IN ('running', 'breached')"),
        ),
        # The scan's daily "days late" refresh asks this alone whether any breached timer is behind.
        sa.Index(
            "ix_sla_timers_late",
            "due_on",
            "days_late",
            postgresql_where=sa.text("status = 'breached'"),
            sqlite_where=sa.text("status = 'breached'"),
        ),
    )


class SlaAdjustment(db.Model):
    """A suspension (pause) or an approved extension applied to one timer, kept for the explanation."""

    __tablename__ = "sla_adjustments"

    id: Mapped[int] = mapped_column(primary_key=True)
    timer_id: Mapped[int] = mapped_column(sa.ForeignKey("sla_timers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AdjustmentKind] = mapped_column(enum_type(AdjustmentKind, "adjustment_kind"))
    start_on: Mapped[date] = mapped_column(sa.Date)
    end_on: Mapped[date | None] = mapped_column(sa.Date)
    days: Mapped[int | None] = mapped_column()
    months: Mapped[int | None] = mapped_column()  # an extension in months (the court's first instance)

    timer: Mapped[SlaTimer] = relationship(back_populates="adjustments")


class Notification(CreatedAtMixin, db.Model):
    """An in-app message about a timer; one per timer, person and kind, so a warning is never sent twice."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    timer_id: Mapped[int] = mapped_column(sa.ForeignKey("sla_timers.id", ondelete="CASCADE"))
    kind: Mapped[NoticeKind] = mapped_column(enum_type(NoticeKind, "notice_kind"))
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    timer: Mapped[SlaTimer] = relationship()
    case: Mapped[Case] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("timer_id", "user_id", "kind", name="uq_notifications_once"),
        sa.Index("ix_notifications_user_unread", "user_id", "read_at"),
        sa.Index(
            "ix_notifications_to_email",
            "created_at",
            postgresql_where=sa.text("emailed_at IS NULL AND read_at IS NULL"),
            sqlite_where=sa.text("emailed_at IS NULL AND read_at IS NULL"),
        ),
    )


class CalendarRecompute(CreatedAtMixin, db.Model):
    """A calendar change's recomputation of the open timers it may move, run in the background (issue 18): the
    changed days (`first`..`last`), who changed them, and the job's progress and outcome."""

    __tablename__ = "calendar_recomputes"

    id: Mapped[int] = mapped_column(primary_key=True)
    first: Mapped[date] = mapped_column(sa.Date)
    last: Mapped[date] = mapped_column(sa.Date)
    change: Mapped[str] = mapped_column(sa.String(200))  # what was changed, as stored text (a day and its name)
    # ImportStatus values: queued, running, done, failed.
    status: Mapped[str] = mapped_column(sa.String(10), default="queued")
    timers_total: Mapped[int] = mapped_column(default=0)  # the open timers whose period meets the changed days
    timers_done: Mapped[int] = mapped_column(default=0)
    timers_changed: Mapped[int] = mapped_column(default=0)  # of those, the ones whose deadline moved
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="recompute_status"),
        sa.CheckConstraint("first <= last", name="recompute_days_ordered"),
    )

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")

    @property
    def percent(self) -> int:
        if self.status == "done":
            return 100
        return min(99, self.timers_done * 100 // self.timers_total) if self.timers_total else 0
