"""Restarts and pauses of the award period (Rules Art 46), the commission's heads (Art 45), extension due dates.

- `arbitration_restarts`: a party added, claims added or changed, a counter-claim merged, a transferred case
  received — each restarts the award period from its date.
- `parties.third_party`: a third party (第三人) joined to the arbitration.
- `commission_heads`: who may approve an extension of a commission's cases (仲裁委员会主任 or the delegated
  仲裁院负责人), named by the administrator.
- `extensions.due_before` / `due_after`: the award deadline around the decision, for the approval form.
- `sla_adjustments.kind` gains `public_notice`: a pending public-notice service pauses the award period.
- New versions of the rules `arbitration.award` and `green.close` whose triggers include the four restart events
  (a rule change is a new version; running timers keep theirs).

Revision ID: 0011_arbitration_restarts
Revises: 0010
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0011_arbitration_restarts"
down_revision = "0011_award_life"
branch_labels = None
depends_on = None

RESTART_EVENTS = (
    "arbitration.add_party",
    "arbitration.change_claims",
    "arbitration.counter_claim",
    "arbitration.transfer_in",
)
RESTARTED_RULES = ("arbitration.award", "green.close")
OLD_KINDS = ("suspension", "extension")
NEW_KINDS = ("suspension", "extension", "public_notice")
RULE_COLUMNS = (
    "rule_id",
    "version",
    "kind",
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
    "created_by_id",
    "created_at",
)


def _adjustment_kind(kinds, length):
    return sa.Enum(*kinds, name="adjustment_kind", native_enum=False, create_constraint=True, length=length)


def _set_adjustment_kinds(kinds, length) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f("ck_sla_adjustments_adjustment_kind"), "sla_adjustments", type_="check")
        op.alter_column("sla_adjustments", "kind", type_=sa.String(length), existing_nullable=False)
        op.create_check_constraint(
            op.f("ck_sla_adjustments_adjustment_kind"), "sla_adjustments", sa.column("kind").in_(kinds)
        )
        return
    # SQLite cannot alter a CHECK: rebuild the table (nothing refers to it and it has no triggers).
    with op.batch_alter_table(
        "sla_adjustments",
        recreate="always",
        reflect_args=[sa.Column("kind", _adjustment_kind(kinds, length), nullable=False)],
    ) as batch_op:
        batch_op.alter_column("kind", type_=_adjustment_kind(kinds, length), existing_nullable=False)


def _rules():
    return sa.table(
        "sla_rules",
        sa.column("id", sa.Integer),
        *(sa.column(name) for name in ("rule_id", "kind", "title", "title_en", "unit", "legal_basis", "note")),
        *(
            sa.column(name, sa.Integer)
            for name in ("version", "period", "max_extension_days", "warning_days", "created_by_id")
        ),
        *(sa.column(name, sa.Boolean) for name in ("pausable", "active")),
        *(
            sa.column(name, sa.JSON(none_as_null=True))
            for name in ("variants", "triggers", "completed_by", "cancelled_by")
        ),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )


def _newest(conn, rules, rule_id):
    return (
        conn.execute(sa.select(rules).where(rules.c.rule_id == rule_id).order_by(rules.c.version.desc()).limit(1))
        .mappings()
        .first()
    )


def _add_rule_versions() -> None:
    conn = op.get_bind()
    rules = _rules()
    now = datetime.now(UTC)
    for rule_id in RESTARTED_RULES:
        current = _newest(conn, rules, rule_id)
        if current is None:
            continue
        triggers = list(current["triggers"] or [])
        missing = [event for event in RESTART_EVENTS if event not in triggers]
        if not missing:
            continue
        row = {name: current[name] for name in RULE_COLUMNS}
        row.update(version=current["version"] + 1, triggers=triggers + missing, created_by_id=None, created_at=now)
        conn.execute(rules.insert().values(**row))


def _remove_rule_versions() -> None:
    """Back to the version before ours; timers started on ours move to it (their period and unit are their own)."""
    conn = op.get_bind()
    rules = _rules()
    timers = sa.table("sla_timers", sa.column("rule_pk", sa.Integer))
    for rule_id in RESTARTED_RULES:
        current = _newest(conn, rules, rule_id)
        if current is None or not set(RESTART_EVENTS) <= set(current["triggers"] or []) or current["version"] == 1:
            continue
        previous = conn.execute(
            sa.select(rules.c.id).where(rules.c.rule_id == rule_id, rules.c.version == current["version"] - 1)
        ).scalar()
        conn.execute(timers.update().where(timers.c.rule_pk == current["id"]).values(rule_pk=previous))
        conn.execute(rules.delete().where(rules.c.id == current["id"]))


def upgrade() -> None:
    op.create_table(
        "arbitration_restarts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("arbitration_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "add_party",
                "change_claims",
                "counter_claim",
                "transfer_in",
                name="restart_kind",
                native_enum=False,
                create_constraint=True,
                length=13,
            ),
            nullable=False,
        ),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column(
            "capacity",
            sa.Enum(
                "applicant",
                "respondent",
                "third_party",
                name="join_capacity",
                native_enum=False,
                create_constraint=True,
                length=11,
            ),
            nullable=True,
        ),
        sa.Column("transferred_from", sa.String(length=200), nullable=True),
        sa.Column("claims_text", sa.Text(), nullable=True),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind <> 'add_party' OR capacity IS NOT NULL", name=op.f("ck_arbitration_restarts_added_party_has_capacity")
        ),
        sa.CheckConstraint(
            "kind <> 'transfer_in' OR transferred_from IS NOT NULL",
            name=op.f("ck_arbitration_restarts_transfer_has_body"),
        ),
        sa.CheckConstraint(
            "kind <> 'counter_claim' OR claims_text IS NOT NULL",
            name=op.f("ck_arbitration_restarts_counter_claim_has_claims"),
        ),
        sa.CheckConstraint("amount IS NULL OR amount >= 0", name=op.f("ck_arbitration_restarts_amount_non_negative")),
        sa.ForeignKeyConstraint(
            ["arbitration_id"],
            ["arbitrations.id"],
            name=op.f("fk_arbitration_restarts_arbitration_id_arbitrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_arbitration_restarts_party_id_parties"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_arbitration_restarts_recorded_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arbitration_restarts")),
    )
    with op.batch_alter_table("arbitration_restarts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_arbitration_restarts_arbitration_id"), ["arbitration_id"], unique=False)
    op.create_table(
        "commission_heads",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_commission_heads_unit_id_units"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_commission_heads_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("unit_id", "user_id", name=op.f("pk_commission_heads")),
    )
    with op.batch_alter_table("commission_heads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commission_heads_user_id"), ["user_id"], unique=False)
    # Plain ADD COLUMNs (no table rebuild: parties is referenced by other tables, extensions has none to lose).
    op.add_column("parties", sa.Column("third_party", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("extensions", sa.Column("due_before", sa.Date(), nullable=True))
    op.add_column("extensions", sa.Column("due_after", sa.Date(), nullable=True))
    _set_adjustment_kinds(NEW_KINDS, 13)
    _add_rule_versions()


def downgrade() -> None:
    _remove_rule_versions()
    op.execute("DELETE FROM sla_adjustments WHERE kind = 'public_notice'")
    _set_adjustment_kinds(OLD_KINDS, 10)
    # Plain DROP COLUMNs (SQLite ≥ 3.35): rebuilding `parties` would cascade to the rows that refer to it.
    op.drop_column("extensions", "due_after")
    op.drop_column("extensions", "due_before")
    op.drop_column("parties", "third_party")
    with op.batch_alter_table("commission_heads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commission_heads_user_id"))
    op.drop_table("commission_heads")
    with op.batch_alter_table("arbitration_restarts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_arbitration_restarts_arbitration_id"))
    op.drop_table("arbitration_restarts")
