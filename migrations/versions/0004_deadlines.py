"""Deadlines: the holiday calendar (seeded 2024–2026), versioned rules (seeded from the spec),
timers with their adjustments, and notifications.

The calendar rows come from `disputes/sla/data/holidays.csv` (generated once from the
chinese-calendar package, checked against the State Council notices); the rules from
`disputes/sla/data/rules.json`. A database created later gets the same seed.

Revision ID: 0004
Revises: 0003
"""

import csv
import json
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

DATA = Path(__file__).resolve().parents[2] / "disputes" / "sla" / "data"
SEEDED_YEARS = (2024, 2025, 2026)
SOURCE = "chinese-calendar 1.11.0, checked against the State Council notices"


def upgrade():
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("holiday", "workday", name="day_kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_days")),
    )
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_calendar_years")),
    )
    op.create_table(
        "sla_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=48), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("task", "period", name="rule_kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column(
            "unit",
            sa.Enum(
                "days",
                "working_days",
                "months",
                "reverse",
                name="period_unit",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("variants", sa.JSON(), nullable=True),
        sa.Column("triggers", sa.JSON(), nullable=False),
        sa.Column("completed_by", sa.JSON(), nullable=False),
        sa.Column("cancelled_by", sa.JSON(), nullable=False),
        sa.Column("pausable", sa.Boolean(), nullable=False),
        sa.Column("max_extension_days", sa.Integer(), nullable=False),
        sa.Column("warning_days", sa.Integer(), nullable=False),
        sa.Column("legal_basis", sa.String(length=120), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("max_extension_days >= 0", name=op.f("ck_sla_rules_extension_non_negative")),
        sa.CheckConstraint("period >= 0", name=op.f("ck_sla_rules_period_non_negative")),
        sa.CheckConstraint("warning_days >= 0", name=op.f("ck_sla_rules_warning_non_negative")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_sla_rules_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_rules")),
        sa.UniqueConstraint("rule_id", "version", name="uq_sla_rules_rule_version"),
    )
    op.create_table(
        "sla_timers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("rule_pk", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=48), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("responsible_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "running",
                "paused",
                "met",
                "met_late",
                "breached",
                "cancelled",
                name="timer_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column(
            "unit",
            sa.Enum(
                "days",
                "working_days",
                "months",
                "reverse",
                name="period_unit",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("nominal_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("paused_since", sa.Date(), nullable=True),
        sa.Column("paused_days", sa.Integer(), nullable=False),
        sa.Column("extension_days", sa.Integer(), nullable=False),
        sa.Column("warn_on", sa.Date(), nullable=True),
        sa.Column("warned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("completed_by", sa.String(length=48), nullable=True),
        sa.Column("breached_on", sa.Date(), nullable=True),
        sa.Column("days_late", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(status = 'paused') = (paused_since IS NOT NULL)", name=op.f("ck_sla_timers_paused_iff_since")
        ),
        sa.CheckConstraint(
            "(status IN ('met', 'met_late', 'cancelled')) = (completed_on IS NOT NULL)",
            name=op.f("ck_sla_timers_completed_iff_done"),
        ),
        sa.CheckConstraint("status = 'paused' OR due_on IS NOT NULL", name=op.f("ck_sla_timers_due_unless_paused")),
        sa.CheckConstraint(
            "status NOT IN ('breached', 'met_late') OR breached_on IS NOT NULL", name=op.f("ck_sla_timers_breach_dated")
        ),
        sa.CheckConstraint(
            "paused_days >= 0 AND extension_days >= 0", name=op.f("ck_sla_timers_adjustments_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_sla_timers_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["responsible_id"], ["users.id"], name=op.f("fk_sla_timers_responsible_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["rule_pk"], ["sla_rules.id"], name=op.f("fk_sla_timers_rule_pk_sla_rules"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_sla_timers_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_timers")),
    )
    with op.batch_alter_table("sla_timers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sla_timers_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_sla_timers_open",
            ["status", "due_on", "unit_id", "responsible_id", "rule_id"],
            unique=False,
            postgresql_where=sa.text("status IN ('running', 'paused', 'breached')"),
            sqlite_where=sa.text("status IN ('running', 'paused', 'breached')"),
        )
        batch_op.create_index(
            "ix_sla_timers_to_breach",
            ["due_on"],
            unique=False,
            postgresql_where=sa.text("status = 'running'"),
            sqlite_where=sa.text("status = 'running'"),
        )
        batch_op.create_index(
            "ix_sla_timers_soon",
            ["warn_on", "due_on"],
            unique=False,
            postgresql_where=sa.text("status = 'running'"),
            sqlite_where=sa.text("status = 'running'"),
        )
        batch_op.create_index(
            "ix_sla_timers_to_warn",
            ["warn_on"],
            unique=False,
            postgresql_where=sa.text("status = 'running' AND warned_at IS NULL"),
            sqlite_where=sa.text("status = 'running' AND warned_at IS NULL"),
        )

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("timer_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("due_soon", "breached", name="notice_kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_notifications_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["timer_id"], ["sla_timers.id"], name=op.f("fk_notifications_timer_id_sla_timers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("timer_id", "user_id", "kind", name="uq_notifications_once"),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index("ix_notifications_user_unread", ["user_id", "read_at"], unique=False)
        batch_op.create_index(
            "ix_notifications_to_email",
            ["created_at"],
            unique=False,
            postgresql_where=sa.text("emailed_at IS NULL AND read_at IS NULL"),
            sqlite_where=sa.text("emailed_at IS NULL AND read_at IS NULL"),
        )

    op.create_table(
        "sla_adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("timer_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("suspension", "extension", name="adjustment_kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["timer_id"], ["sla_timers.id"], name=op.f("fk_sla_adjustments_timer_id_sla_timers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_adjustments")),
    )
    with op.batch_alter_table("sla_adjustments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sla_adjustments_timer_id"), ["timer_id"], unique=False)
    _seed()


def _seed() -> None:
    days = sa.table(
        "calendar_days", sa.column("day", sa.Date), sa.column("kind", sa.String), sa.column("name", sa.String)
    )
    with open(DATA / "holidays.csv", encoding="utf-8") as handle:
        rows = [
            {"day": date.fromisoformat(r["day"]), "kind": r["kind"], "name": r["name"]}
            for r in csv.DictReader(handle)
            if int(r["day"][:4]) in SEEDED_YEARS
        ]
    op.bulk_insert(days, rows)
    years = sa.table(
        "calendar_years",
        sa.column("year", sa.Integer),
        sa.column("source", sa.String),
        sa.column("recorded_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    op.bulk_insert(years, [{"year": y, "source": SOURCE, "recorded_at": now} for y in SEEDED_YEARS])
    rules = sa.table(
        "sla_rules",
        *(sa.column(name) for name in ("rule_id", "kind", "title", "title_en", "unit", "legal_basis", "note")),
        *(sa.column(name, sa.Integer) for name in ("version", "period", "max_extension_days", "warning_days")),
        *(sa.column(name, sa.Boolean) for name in ("pausable", "active")),
        *(
            sa.column(name, sa.JSON(none_as_null=True))
            for name in ("variants", "triggers", "completed_by", "cancelled_by")
        ),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    seed = json.loads((DATA / "rules.json").read_text(encoding="utf-8"))
    defaults = {"version": 1, "variants": None, "max_extension_days": 0, "active": True, "created_at": now}
    op.bulk_insert(rules, [defaults | r for r in seed])


def downgrade():
    with op.batch_alter_table("sla_adjustments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sla_adjustments_timer_id"))

    op.drop_table("sla_adjustments")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_user_unread")
        batch_op.drop_index("ix_notifications_to_email")

    op.drop_table("notifications")
    with op.batch_alter_table("sla_timers", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_sla_timers_to_warn",
            postgresql_where=sa.text("status = 'running' AND warned_at IS NULL"),
            sqlite_where=sa.text("status = 'running' AND warned_at IS NULL"),
        )
        batch_op.drop_index("ix_sla_timers_soon")
        batch_op.drop_index(
            "ix_sla_timers_to_breach",
            postgresql_where=sa.text("status = 'running'"),
            sqlite_where=sa.text("status = 'running'"),
        )
        batch_op.drop_index(
            "ix_sla_timers_open",
            postgresql_where=sa.text("status IN ('running', 'paused', 'breached')"),
            sqlite_where=sa.text("status IN ('running', 'paused', 'breached')"),
        )
        batch_op.drop_index(batch_op.f("ix_sla_timers_case_id"))

    op.drop_table("sla_timers")
    op.drop_table("sla_rules")
    op.drop_table("calendar_years")
    op.drop_table("calendar_days")
