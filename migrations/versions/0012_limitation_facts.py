"""The limitation period of Law Art 27 (issue 12, finding 8): what a case records for it, and a new version of
the `limitation.claim` rule.

- `cases.still_employed`, `cases.employment_ended_on` (Art 27(4)); plain ADD COLUMN (no table rebuild, so the
  triggers of migration 0010 on `cases` stay; its trigger logs every UPDATE of a case, which these columns'
  edits are too).
- `limitation_events`: interruptions (27(2)) and suspensions (27(3)).
- The rule's newest version is copied as the next version with `pausable` true (it pauses for its own
  suspensions, deadlines.md rule 6; an arbitration's suspension does not pause it, sla/timers.py) and the
  mediation's events as triggers: an application interrupts the period and its end restarts it in full.
  Copying the newest version keeps an administrator's edits; running timers keep the version they started with.

Revision ID: 0011_limitation_facts
Revises: 0010
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0011_limitation_facts"
down_revision = "0011_court_clocks"
branch_labels = None
depends_on = None

RULE_ID = "limitation.claim"
KINDS = ("demand", "complaint", "mediation", "agreed_to_perform", "suspension")
RESTARTS = ["mediation.open", "mediation.agreement", "mediation.fail", "mediation.withdraw", "mediation.lapse"]
NOTE = (
    "从当事人知道或者应当知道其权利被侵害之日起计算；向对方主张权利、向有关部门请求权利救济（含申请调解）、对方同意履行义务的，时效中断，"
    "从中断时起重新计算（调解的，自调解终结之日起）；时效中止的，中止期间不计入；劳动关系存续期间拖欠劳动报酬的，自劳动关系终止之日起计算；"
    "立案时仅作提示，不阻止登记"
)

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


def _rules() -> sa.Table:
    json_columns = ("variants", "triggers", "completed_by", "cancelled_by")
    return sa.table(
        "sla_rules",
        sa.column("id", sa.Integer),
        *(
            sa.column(name, sa.JSON(none_as_null=True))
            if name in json_columns
            else sa.column(name, sa.Boolean)
            if name in ("pausable", "active")
            else sa.column(name, sa.DateTime(timezone=True))
            if name == "created_at"
            else sa.column(name)
            for name in RULE_COLUMNS
        ),
    )


def upgrade() -> None:
    op.add_column("cases", sa.Column("still_employed", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("cases", sa.Column("employment_ended_on", sa.Date(), nullable=True))
    op.create_table(
        "limitation_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(*KINDS, name="limitation_event_kind", native_enum=False, create_constraint=True, length=17),
            nullable=False,
        ),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.CheckConstraint("end_on IS NULL OR end_on >= start_on", name=op.f("ck_limitation_events_ends_after_start")),
        sa.CheckConstraint(
            "end_on IS NULL OR kind IN ('mediation', 'suspension')",
            name=op.f("ck_limitation_events_end_for_spans_only"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_limitation_events_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_limitation_events")),
    )
    op.create_index(op.f("ix_limitation_events_case_id"), "limitation_events", ["case_id"], unique=False)

    rules = _rules()
    bind = op.get_bind()
    newest = (
        bind.execute(
            sa.select(*(rules.c[name] for name in RULE_COLUMNS))
            .where(rules.c.rule_id == RULE_ID)
            .order_by(rules.c.version.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    if newest is None:
        return
    row = dict(newest)
    row["version"] += 1
    row["pausable"] = True
    row["triggers"] = list(row["triggers"]) + [event for event in RESTARTS if event not in row["triggers"]]
    row["note"] = NOTE
    row["created_by_id"] = None
    row["created_at"] = datetime.now(UTC)
    bind.execute(rules.insert().values(**row))


def downgrade() -> None:
    rules = _rules()
    bind = op.get_bind()
    versions = bind.execute(
        sa.select(rules.c.id, rules.c.version)
        .where(rules.c.rule_id == RULE_ID)
        .order_by(rules.c.version.desc())
        .limit(2)
    ).all()
    if len(versions) == 2:
        (added, _), (previous, _) = versions
        timers = sa.table("sla_timers", sa.column("rule_pk", sa.Integer))
        bind.execute(timers.update().where(timers.c.rule_pk == added).values(rule_pk=previous))
        bind.execute(rules.delete().where(rules.c.id == added))
    op.drop_index(op.f("ix_limitation_events_case_id"), table_name="limitation_events")
    op.drop_table("limitation_events")
    op.drop_column("cases", "employment_ended_on")
    op.drop_column("cases", "still_employed")
