"""Transfers between units and bodies, a court's delegated mediation and its result, linked case groups (issue 16).
New tables only: nothing to rebuild on SQLite.

Revision ID: 0026_h16t_transfers
Revises: 0019_allocation
"""

import sqlalchemy as sa
from alembic import op

revision = "0026_h16t_transfers"
down_revision = "0029_h17a_claim_items"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "same_employer",
                "counter_claim",
                "same_worker",
                "consolidated",
                name="link_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_case_groups_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_groups")),
    )
    op.create_table(
        "case_group_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["added_by_id"],
            ["users.id"],
            name=op.f("fk_case_group_members_added_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_group_members_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["case_groups.id"],
            name=op.f("fk_case_group_members_group_id_case_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_group_members")),
        sa.UniqueConstraint("case_id", name=op.f("uq_case_group_members_case_id")),
    )
    with op.batch_alter_table("case_group_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_group_members_group_id"), ["group_id"], unique=False)

    op.create_table(
        "case_transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "track",
            sa.Enum(
                "mediation",
                "arbitration",
                name="transfer_track",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("from_unit_id", sa.Integer(), nullable=False),
        sa.Column("to_unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "accepted",
                "returned",
                name="transfer_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column(
            "requested_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("return_reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "(status = 'accepted') = (received_on IS NOT NULL)",
            name=op.f("ck_case_transfers_transfer_received"),
        ),
        sa.CheckConstraint(
            "(status = 'pending') = (decided_at IS NULL)",
            name=op.f("ck_case_transfers_transfer_decided"),
        ),
        sa.CheckConstraint(
            "(status = 'returned') = (return_reason IS NOT NULL)",
            name=op.f("ck_case_transfers_transfer_return_reason"),
        ),
        sa.CheckConstraint(
            "from_unit_id <> to_unit_id",
            name=op.f("ck_case_transfers_transfer_elsewhere"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_transfers_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_case_transfers_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["from_unit_id"],
            ["units.id"],
            name=op.f("fk_case_transfers_from_unit_id_units"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_case_transfers_requested_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["to_unit_id"],
            ["units.id"],
            name=op.f("fk_case_transfers_to_unit_id_units"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_transfers")),
    )
    with op.batch_alter_table("case_transfers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_transfers_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_case_transfers_pending",
            ["to_unit_id", "requested_at"],
            unique=False,
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        )
        batch_op.create_index(
            "uq_case_transfers_one_pending",
            ["case_id", "track"],
            unique=True,
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        )

    op.create_table(
        "court_delegations",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "delegated",
                "entrusted",
                name="delegation_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("court", sa.String(length=120), nullable=False),
        sa.Column("court_reference", sa.String(length=80), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "result",
            sa.Enum(
                "agreement",
                "no_agreement",
                name="delegation_result",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("returned_on", sa.Date(), nullable=True),
        sa.Column("return_letter", sa.String(length=120), nullable=True),
        sa.Column("return_note", sa.String(length=500), nullable=True),
        sa.Column("returned_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(result IS NULL) = (returned_on IS NULL)",
            name=op.f("ck_court_delegations_delegation_result_dated"),
        ),
        sa.CheckConstraint(
            "returned_on IS NULL OR returned_on >= received_on",
            name=op.f("ck_court_delegations_delegation_returned_after"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_court_delegations_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_court_delegations_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["returned_by_id"],
            ["users.id"],
            name=op.f("fk_court_delegations_returned_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_court_delegations")),
    )


def downgrade():
    op.drop_table("court_delegations")
    with op.batch_alter_table("case_transfers", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_case_transfers_one_pending",
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        )
        batch_op.drop_index(
            "ix_case_transfers_pending",
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        )
        batch_op.drop_index(batch_op.f("ix_case_transfers_case_id"))

    op.drop_table("case_transfers")
    with op.batch_alter_table("case_group_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_group_members_group_id"))

    op.drop_table("case_group_members")
    op.drop_table("case_groups")
