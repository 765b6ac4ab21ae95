"""Routing and allocation (issue 16): a case's route, each unit's allocation rule, skills, absences,
recorded conflicts (回避) and every allocation with its explanation. New tables only: nothing to rebuild on SQLite.

Revision ID: 0019_allocation
Revises: 0021_calendar_recomputes
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_allocation"
down_revision = "0021_calendar_recomputes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "absences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_absences_absence_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_absences_recorded_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_absences_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absences")),
    )
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_absences_user_id"), ["user_id"], unique=False)

    op.create_table(
        "allocation_rules",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "method",
            sa.Enum(
                "rotation",
                "least_load",
                "category",
                "language",
                "manual",
                name="allocation_method",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("method <> 'manual'", name=op.f("ck_allocation_rules_rule_not_manual")),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_allocation_rules_unit_id_units"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_allocation_rules_updated_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_allocation_rules")),
    )
    op.create_table(
        "staff_skills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("category", "language", name="skill_kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_staff_skills_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_skills")),
        sa.UniqueConstraint("user_id", "kind", "value", name="uq_staff_skills_user_kind_value"),
    )
    with op.batch_alter_table("staff_skills", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_skills_user_id"), ["user_id"], unique=False)

    op.create_table(
        "allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "clerk",
                "mediator",
                "legal_aid_officer",
                "lawyer",
                "arbitrator",
                "court_liaison",
                "supervisor",
                "admin",
                name="allocation_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "method",
            sa.Enum(
                "rotation",
                "least_load",
                "category",
                "language",
                "manual",
                name="allocation_method",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_allocations_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_allocations_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_allocations_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_allocations_user_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocations")),
    )
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allocations_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_allocations_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index("ix_allocations_unit_role_at", ["unit_id", "role", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_allocations_user_id"), ["user_id"], unique=False)

    op.create_table(
        "case_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_conflicts_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_case_conflicts_recorded_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_case_conflicts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_conflicts")),
        sa.UniqueConstraint("case_id", "user_id", name="uq_case_conflicts_case_user"),
    )
    with op.batch_alter_table("case_conflicts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_conflicts_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_routes",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "route",
            sa.Enum(
                "mediation",
                "legal_aid",
                "arbitration",
                "advice",
                name="case_route",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=40), nullable=True),
        sa.Column("routed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("routed_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("route = 'advice' OR unit_id IS NOT NULL", name=op.f("ck_case_routes_route_has_unit")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_routes_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["routed_by_id"], ["users.id"], name=op.f("fk_case_routes_routed_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_case_routes_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_routes")),
    )


def downgrade():
    op.drop_table("case_routes")
    with op.batch_alter_table("case_conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_conflicts_case_id"))

    op.drop_table("case_conflicts")
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocations_user_id"))
        batch_op.drop_index("ix_allocations_unit_role_at")
        batch_op.drop_index(batch_op.f("ix_allocations_unit_id"))
        batch_op.drop_index(batch_op.f("ix_allocations_case_id"))

    op.drop_table("allocations")
    with op.batch_alter_table("staff_skills", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_skills_user_id"))

    op.drop_table("staff_skills")
    op.drop_table("allocation_rules")
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_absences_user_id"))

    op.drop_table("absences")
