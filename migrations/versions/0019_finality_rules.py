"""Finality per claim and enforceable terms (issue 13 part B).

`finality_rules`: how each region reads Law Art 47 per claim category (tested by amount, always final, never
final) from a date on, with its source; seeded with the national reading and Chongqing's published one.
`award_items` gains whose claim it decides and the enforceable term (obligor, obligee, days after effect);
`statement_terms` holds a mediation statement's terms (Law Art 42, 51).

SQLite: the new columns are added in place (a column-level reference); the downgrade rebuilds `award_items` with
every trigger set aside meanwhile, as migration 0018 does.

Revision ID: 0019_finality_rules
Revises: 0011_amounts_unknown_people
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0019_finality_rules"
down_revision = "0011_amounts_unknown_people"
branch_labels = None
depends_on = None

CATEGORIES = (
    "wages",
    "overtime",
    "economic_compensation",
    "damages",
    "work_injury_medical",
    "work_injury_benefits",
    "social_insurance",
    "working_time_leave",
    "confirm_employment",
    "contract_termination",
    "other",
)
MONEY = sa.Numeric(14, 2)
NATIONAL = "《劳动争议调解仲裁法》第四十七条（2008年5月1日起施行）"
LAW_START = date(2008, 5, 1)
CHONGQING = (
    "重庆市人力资源和社会保障局《劳动争议仲裁》适用情形第5项（2023年7月28日发布）：劳动者请求用人单位支付"
    "养老、医疗、工伤、失业、生育保险待遇，属于因执行国家的劳动标准在社会保险方面发生的争议，适用终局裁决。"
    "https://rlsbj.cq.gov.cn/ztzl/zjskzcfwb/gfygzcp/ygzc/202307/t20230728_12196234_wap.html"
)
# The national reading (docs/decisions.md): Art 47(1) money claims by amount, Art 47(2) standards always final.
SEED = [
    *[
        ("000000", "全国", c, "amount", LAW_START, NATIONAL + "第（一）项")
        for c in ("wages", "overtime", "work_injury_medical", "economic_compensation", "damages")
    ],
    *[
        ("000000", "全国", c, "final", LAW_START, NATIONAL + "第（二）项")
        for c in ("working_time_leave", "social_insurance")
    ],
    ("500000", "重庆市", "work_injury_benefits", "final", date(2023, 7, 28), CHONGQING),
]


def upgrade() -> None:
    rules = op.create_table(
        "finality_rules",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("region_code", sa.String(12), nullable=False),
        sa.Column("region_name", sa.String(60), nullable=False),
        sa.Column(
            "category",
            sa.Enum(*CATEGORIES, name="claim_category", native_enum=False, create_constraint=True, length=21),
            nullable=False,
        ),
        sa.Column("rule", sa.String(16), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
        sa.UniqueConstraint("region_code", "category", "effective_from", name="uq_finality_rule_region_category_date"),
        sa.CheckConstraint("rule IN ('amount', 'final', 'non_final')", name="finality_rule_kind"),
    )
    op.bulk_insert(
        rules,
        [
            dict(zip(("region_code", "region_name", "category", "rule", "effective_from", "source"), row, strict=True))
            for row in SEED
        ],
    )
    op.create_table(
        "statement_terms",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("arbitration_id", sa.Integer(), sa.ForeignKey("arbitrations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), sa.ForeignKey("claims.id", ondelete="SET NULL")),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("amount", MONEY),
        sa.Column("obligor_id", sa.Integer(), sa.ForeignKey("parties.id", ondelete="SET NULL")),
        sa.Column("obligee_id", sa.Integer(), sa.ForeignKey("parties.id", ondelete="SET NULL")),
        sa.Column("due_on", sa.Date()),
        sa.CheckConstraint(
            "amount IS NULL OR (amount >= 0 AND amount <= 999999999.99)", name="statement_term_amount_in_range"
        ),
    )
    op.create_index("ix_statement_terms_arbitration_id", "statement_terms", ["arbitration_id"])
    op.add_column("award_items", sa.Column("claimant", sa.String(16), nullable=False, server_default="worker"))
    op.add_column("award_items", sa.Column("due_days", sa.Integer()))
    if op.get_bind().dialect.name == "sqlite":
        for column in ("obligor_id", "obligee_id"):
            op.execute(
                f"ALTER TABLE award_items ADD COLUMN {column} INTEGER "
                f"CONSTRAINT fk_award_items_{column}_parties REFERENCES parties (id)"
            )
    else:
        for column in ("obligor_id", "obligee_id"):
            op.add_column("award_items", sa.Column(column, sa.Integer()))
            op.create_foreign_key(f"fk_award_items_{column}_parties", "award_items", "parties", [column], ["id"])
    # Items recorded before: the employer's own applications decided the employer's claims.
    op.execute(
        "UPDATE award_items SET claimant = 'employer' WHERE award_id IN ("
        "SELECT aw.id FROM awards aw JOIN arbitrations ar ON ar.id = aw.arbitration_id "
        "WHERE EXISTS (SELECT 1 FROM parties p WHERE p.case_id = ar.case_id AND p.side = 'applicant' "
        "AND p.kind = 'employer' AND NOT p.third_party))"
    )


def downgrade() -> None:
    conn = op.get_bind()
    op.drop_index("ix_statement_terms_arbitration_id", "statement_terms")
    op.drop_table("statement_terms")
    op.drop_table("finality_rules")
    if conn.dialect.name == "sqlite":
        triggers = conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
        for name, _sql in triggers:
            op.execute(f'DROP TRIGGER "{name}"')
        with op.batch_alter_table("award_items", recreate="always") as batch:
            for column in ("obligor_id", "obligee_id", "due_days", "claimant"):
                batch.drop_column(column)
        for _name, sql in triggers:
            op.execute(sql)
    else:
        for column in ("obligor_id", "obligee_id"):
            op.drop_constraint(f"fk_award_items_{column}_parties", "award_items", type_="foreignkey")
        for column in ("obligor_id", "obligee_id", "due_days", "claimant"):
            op.drop_column("award_items", column)
