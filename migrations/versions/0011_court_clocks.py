"""The court's clocks (issue 12, finding 10): the judgment's service and the revocation ruling's receipt on the
lawsuit, approved first-instance extensions, extensions in months on timer adjustments; and the rules' data —
`litigation.appeal` now starts when the judgment is served (CPL Art 171), `litigation.sue_after_revocation` is new
(Law Art 49: 15 days from receipt of the ruling).

A rule change is data: `sync_rules` brings the newest stored version of each rule named in RULES in line with
`disputes/sla/data/rules.json` — a new rule is inserted as version 1, a changed one gets a new version (running
timers keep theirs). On a database created after this change, migration 0004 has already seeded the file as it
is, so nothing is added.

Revision ID: 0011_court_clocks
Revises: 0010
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0011_court_clocks"
down_revision = "0010"
branch_labels = None
depends_on = None

SEED = Path(__file__).resolve().parents[2] / "disputes" / "sla" / "data" / "rules.json"
RULES = ("litigation.appeal", "litigation.sue_after_revocation")
EDITABLE = (
    "title",
    "title_en",
    "period",
    "unit",
    "variants",
    "triggers",
    "completed_by",
    "cancelled_by",
    "pausable",
    "max_extension_days",
    "warning_days",
    "legal_basis",
    "note",
    "active",
)
DEFAULTS = {"variants": None, "max_extension_days": 0, "active": True, "cancelled_by": [], "note": ""}

rules_table = sa.table(
    "sla_rules",
    sa.column("id", sa.Integer),
    *(sa.column(name) for name in ("rule_id", "kind", "title", "title_en", "unit", "legal_basis", "note")),
    *(sa.column(name, sa.Integer) for name in ("version", "period", "max_extension_days", "warning_days")),
    *(sa.column(name, sa.Boolean) for name in ("pausable", "active")),
    *(sa.column(name, sa.JSON(none_as_null=True)) for name in ("variants", "triggers", "completed_by", "cancelled_by")),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def sync_rules(bind, rule_ids=RULES) -> list[str]:
    """Add a version (or the first) of each named rule whose newest stored version differs from rules.json; the
    rules changed, in order."""
    seed = {row["rule_id"]: DEFAULTS | row for row in json.loads(SEED.read_text(encoding="utf-8"))}
    changed = []
    for rule_id in rule_ids:
        wanted = seed[rule_id]
        newest = (
            bind.execute(
                sa.select(rules_table)
                .where(rules_table.c.rule_id == rule_id)
                .order_by(rules_table.c.version.desc())
                .limit(1)
            )
            .mappings()
            .first()
        )
        if newest is not None and all(_same(newest[name], wanted[name]) for name in EDITABLE):
            continue
        version = 1 if newest is None else newest["version"] + 1
        row = {name: wanted[name] for name in EDITABLE} | {
            "rule_id": rule_id,
            "kind": wanted["kind"],
            "version": version,
            "created_at": datetime.now(UTC),
        }
        bind.execute(sa.insert(rules_table).values(**row))
        changed.append(rule_id)
    return changed


def _same(stored, wanted) -> bool:
    if isinstance(stored, str) and isinstance(wanted, list | dict):
        stored = json.loads(stored)
    return stored == wanted or (stored in (None, [], {}, "") and wanted in (None, [], {}, ""))


# New columns of `lawsuits` and their CHECKs. On SQLite each CHECK goes with its column in ADD COLUMN: a batch
# rebuild of the table would drop the statistics triggers migration 0010 put on it.
LAWSUIT_COLUMNS = {
    "judgment_served_on": ("served_after_judgment", "judgment_served_on IS NULL OR judgment_served_on >= judged_on"),
    "ruling_received_on": (
        "ruling_received_after_revocation",
        "ruling_received_on IS NULL OR (state = 'revoked' AND ruling_received_on >= closed_on)",
    ),
}


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column, (check, condition) in LAWSUIT_COLUMNS.items():
        name = f"ck_lawsuits_{check}"
        if sqlite:
            op.execute(f"ALTER TABLE lawsuits ADD COLUMN {column} DATE CONSTRAINT {name} CHECK ({condition})")
        else:
            op.add_column("lawsuits", sa.Column(column, sa.Date(), nullable=True))
            op.create_check_constraint(op.f(name), "lawsuits", condition)
    op.create_table(
        "lawsuit_extensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lawsuit_id", sa.Integer(), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("approver", sa.String(length=120), nullable=False),
        sa.Column("higher_court", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("months > 0", name=op.f("ck_lawsuit_extensions_months_positive")),
        sa.ForeignKeyConstraint(
            ["lawsuit_id"], ["lawsuits.id"], name=op.f("fk_lawsuit_extensions_lawsuit_id_lawsuits"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_lawsuit_extensions_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lawsuit_extensions")),
    )
    op.create_index(op.f("ix_lawsuit_extensions_lawsuit_id"), "lawsuit_extensions", ["lawsuit_id"], unique=False)
    op.add_column("sla_adjustments", sa.Column("months", sa.Integer(), nullable=True))
    sync_rules(op.get_bind())


def downgrade() -> None:
    bind = op.get_bind()
    # The rule this migration added goes (its timers first); the appeal keeps its versions (data, not schema).
    timers = sa.table("sla_timers", sa.column("rule_id", sa.String))
    bind.execute(sa.delete(timers).where(timers.c.rule_id == "litigation.sue_after_revocation"))
    bind.execute(sa.delete(rules_table).where(rules_table.c.rule_id == "litigation.sue_after_revocation"))
    op.drop_column("sla_adjustments", "months")
    op.drop_index(op.f("ix_lawsuit_extensions_lawsuit_id"), table_name="lawsuit_extensions")
    op.drop_table("lawsuit_extensions")
    sqlite = bind.dialect.name == "sqlite"
    for column, (check, _condition) in LAWSUIT_COLUMNS.items():
        if not sqlite:  # SQLite drops a column together with its own CHECK
            op.drop_constraint(op.f(f"ck_lawsuits_{check}"), "lawsuits", type_="check")
        op.drop_column("lawsuits", column)
