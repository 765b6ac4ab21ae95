"""The four tracks: mediation, legal aid, arbitration (tribunal, hearings, suspensions, extensions,
awards) and litigation; minimum wages by region, seeded with published figures.

Revision ID: 0003
Revises: 0002
"""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Monthly minimum wage (first tier) as published by the provincial governments; admins add new ones.
MINIMUM_WAGES = [
    ("440300", "深圳市", date(2022, 7, 1), Decimal("2360.00")),
    ("440300", "深圳市", date(2025, 3, 1), Decimal("2520.00")),
    ("440100", "广州市", date(2021, 12, 1), Decimal("2300.00")),
    ("440100", "广州市", date(2025, 3, 1), Decimal("2500.00")),
    ("110000", "北京市", date(2023, 9, 1), Decimal("2420.00")),
    ("110000", "北京市", date(2025, 9, 1), Decimal("2540.00")),
    ("310000", "上海市", date(2023, 7, 1), Decimal("2690.00")),
    ("310000", "上海市", date(2025, 7, 1), Decimal("2740.00")),
]


def upgrade():
    op.create_table(
        "minimum_wages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("region_name", sa.String(length=60), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("monthly_amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.CheckConstraint("monthly_amount > 0", name=op.f("ck_minimum_wages_monthly_amount_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minimum_wages")),
        sa.UniqueConstraint("region_code", "effective_from", name="uq_minimum_wage_region_date"),
    )
    op.create_table(
        "hearing_rooms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_hearing_rooms_unit_id_units"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hearing_rooms")),
        sa.UniqueConstraint("unit_id", "name", name="uq_hearing_room_name"),
    )
    with op.batch_alter_table("hearing_rooms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hearing_rooms_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "arbitrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "received",
                "correction_requested",
                "refused",
                "accepted",
                "served",
                "tribunal_formed",
                "heard",
                "closing",
                "closed",
                name="arbitration_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("correction_requested_on", sa.Date(), nullable=True),
        sa.Column("correction_note", sa.Text(), nullable=True),
        sa.Column("complete_on", sa.Date(), nullable=False),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("refused_on", sa.Date(), nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.Column("served_on", sa.Date(), nullable=True),
        sa.Column("defence_received_on", sa.Date(), nullable=True),
        sa.Column("defence_served_on", sa.Date(), nullable=True),
        sa.Column(
            "tribunal_kind",
            sa.Enum("sole", "three_member", name="tribunal_kind", native_enum=False, create_constraint=True),
            nullable=True,
        ),
        sa.Column("tribunal_formed_on", sa.Date(), nullable=True),
        sa.Column("tribunal_notified_on", sa.Date(), nullable=True),
        sa.Column("simplified", sa.Boolean(), nullable=False),
        sa.Column("simplified_ground", sa.String(length=300), nullable=True),
        sa.Column("pre_hearing_mediation_on", sa.Date(), nullable=True),
        sa.Column("pre_hearing_mediation_note", sa.Text(), nullable=True),
        sa.Column("advance_execution_on", sa.Date(), nullable=True),
        sa.Column("advance_execution_note", sa.Text(), nullable=True),
        sa.Column("suspended_since", sa.Date(), nullable=True),
        sa.Column(
            "closure_type",
            sa.Enum(
                "mediation_statement",
                "award",
                "withdrawn",
                "deemed_withdrawn",
                "terminated",
                "transferred",
                name="closure_type",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("closure_note", sa.Text(), nullable=True),
        sa.Column("closure_requested_on", sa.Date(), nullable=True),
        sa.Column("closure_requested_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closure_approved_by_id", sa.Integer(), nullable=True),
        sa.Column("award_effective_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(state = 'closed') = (closed_on IS NOT NULL)", name=op.f("ck_arbitrations_closed_iff_closed_on")
        ),
        sa.CheckConstraint(
            "NOT (state IN ('accepted', 'closing', 'heard', 'served', 'tribunal_formed')) OR accepted_on IS NOT NULL",
            name=op.f("ck_arbitrations_accepted_has_date"),
        ),
        sa.CheckConstraint(
            "accepted_on IS NULL OR number IS NOT NULL", name=op.f("ck_arbitrations_accepted_has_number")
        ),
        sa.CheckConstraint(
            "state <> 'closed' OR accepted_on IS NOT NULL OR closure_type = 'deemed_withdrawn'",
            name=op.f("ck_arbitrations_closed_accepted_or_lapsed"),
        ),
        sa.CheckConstraint(
            "NOT (state IN ('heard', 'served', 'tribunal_formed')) OR served_on IS NOT NULL",
            name=op.f("ck_arbitrations_served_has_date"),
        ),
        sa.CheckConstraint(
            "NOT (state IN ('heard', 'tribunal_formed')) OR tribunal_kind IS NOT NULL",
            name=op.f("ck_arbitrations_tribunal_has_kind"),
        ),
        sa.CheckConstraint(
            "state <> 'closed' OR accepted_on IS NULL OR closure_approved_by_id IS NOT NULL",
            name=op.f("ck_arbitrations_closure_approved"),
        ),
        sa.CheckConstraint(
            "state <> 'refused' OR (refused_on IS NOT NULL AND refusal_reason IS NOT NULL)",
            name=op.f("ck_arbitrations_refusal_has_reason"),
        ),
        sa.CheckConstraint(
            "state NOT IN ('closing', 'closed') OR closure_type IS NOT NULL",
            name=op.f("ck_arbitrations_closing_has_type"),
        ),
        sa.CheckConstraint(
            "suspended_since IS NULL OR state IN ('accepted', 'closed', 'closing', 'heard', 'served', "
            "'tribunal_formed')",
            name=op.f("ck_arbitrations_suspended_only_accepted"),
        ),
        sa.CheckConstraint(
            "accepted_on IS NULL OR accepted_on >= received_on", name=op.f("ck_arbitrations_accepted_after_received")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_arbitrations_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["closure_approved_by_id"],
            ["users.id"],
            name=op.f("fk_arbitrations_closure_approved_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["closure_requested_by_id"],
            ["users.id"],
            name=op.f("fk_arbitrations_closure_requested_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_arbitrations_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arbitrations")),
        sa.UniqueConstraint("case_id", name=op.f("uq_arbitrations_case_id")),
        sa.UniqueConstraint("number", name=op.f("uq_arbitrations_number")),
    )
    with op.batch_alter_table("arbitrations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_arbitrations_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_arbitrations_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "mediations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "applied",
                "accepted",
                "in_session",
                "agreement",
                "failed",
                "withdrawn",
                "lapsed",
                name="mediation_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("mediator_id", sa.Integer(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.Column("agreement_signed_on", sa.Date(), nullable=True),
        sa.Column("agreement_summary", sa.Text(), nullable=True),
        sa.Column(
            "performance",
            sa.Enum(
                "pending",
                "performed",
                "partly_performed",
                "defaulted",
                name="performance",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("performance_noted_on", sa.Date(), nullable=True),
        sa.Column("performance_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(state = 'agreement') = (agreement_signed_on IS NOT NULL)", name=op.f("ck_mediations_agreement_iff_signed")
        ),
        sa.CheckConstraint(
            "(state = 'agreement') = (performance IS NOT NULL)", name=op.f("ck_mediations_performance_iff_agreement")
        ),
        sa.CheckConstraint(
            "(state IN ('agreement', 'failed', 'lapsed', 'withdrawn')) = (ended_on IS NOT NULL)",
            name=op.f("ck_mediations_ended_iff_ended_on"),
        ),
        sa.CheckConstraint(
            "NOT (state IN ('accepted', 'agreement', 'in_session')) OR (mediator_id IS NOT NULL AND accepted_on IS "
            "NOT NULL)",
            name=op.f("ck_mediations_accepted_has_mediator"),
        ),
        sa.CheckConstraint(
            "accepted_on IS NULL OR accepted_on >= applied_on", name=op.f("ck_mediations_accepted_after_applied")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_mediations_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["mediator_id"], ["users.id"], name=op.f("fk_mediations_mediator_id_users"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_mediations_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediations")),
        sa.UniqueConstraint("case_id", name=op.f("uq_mediations_case_id")),
        sa.UniqueConstraint("number", name=op.f("uq_mediations_number")),
    )
    with op.batch_alter_table("mediations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mediations_mediator_id"), ["mediator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mediations_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_mediations_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "agreement_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mediation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.CheckConstraint("amount IS NULL OR amount >= 0", name=op.f("ck_agreement_terms_term_amount_non_negative")),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_agreement_terms_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["mediation_id"],
            ["mediations.id"],
            name=op.f("fk_agreement_terms_mediation_id_mediations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_terms")),
    )
    with op.batch_alter_table("agreement_terms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_terms_mediation_id"), ["mediation_id"], unique=False)

    op.create_table(
        "awards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("arbitration_id", sa.Integer(), nullable=False),
        sa.Column(
            "finality",
            sa.Enum("final", "non_final", name="finality", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("number", sa.String(length=64), nullable=True),
        sa.Column("awarded_on", sa.Date(), nullable=False),
        sa.Column("partial", sa.Boolean(), nullable=False),
        sa.Column("minimum_wage", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=True),
        sa.Column("issued_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("minimum_wage > 0", name=op.f("ck_awards_minimum_wage_positive")),
        sa.CheckConstraint("served_on IS NULL OR served_on >= awarded_on", name=op.f("ck_awards_served_after_award")),
        sa.ForeignKeyConstraint(
            ["arbitration_id"],
            ["arbitrations.id"],
            name=op.f("fk_awards_arbitration_id_arbitrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"], ["users.id"], name=op.f("fk_awards_issued_by_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awards")),
        sa.UniqueConstraint("number", name=op.f("uq_awards_number")),
    )
    with op.batch_alter_table("awards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_awards_arbitration_id"), ["arbitration_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_awards_awarded_on"), ["awarded_on"], unique=False)

    op.create_table(
        "confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mediation_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "arbitral_review",
                "court_confirmation",
                name="confirmation_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("body", sa.String(length=120), nullable=True),
        sa.Column(
            "result",
            sa.Enum(
                "pending", "confirmed", "refused", name="confirmation_result", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(result = 'pending') = (decided_on IS NULL)", name=op.f("ck_confirmations_decided_iff_result")
        ),
        sa.CheckConstraint(
            "decided_on IS NULL OR decided_on >= applied_on", name=op.f("ck_confirmations_decided_after_applied")
        ),
        sa.ForeignKeyConstraint(
            ["mediation_id"],
            ["mediations.id"],
            name=op.f("fk_confirmations_mediation_id_mediations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_confirmations")),
    )
    with op.batch_alter_table("confirmations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_confirmations_mediation_id"), ["mediation_id"], unique=False)

    op.create_table(
        "extensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("arbitration_id", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum("requested", "approved", "rejected", name="approval", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(state = 'requested') = (decided_on IS NULL AND decided_by_id IS NULL)",
            name=op.f("ck_extensions_decided_iff_not_requested"),
        ),
        sa.CheckConstraint("days BETWEEN 1 AND 15", name=op.f("ck_extensions_days_within_fifteen")),
        sa.ForeignKeyConstraint(
            ["arbitration_id"],
            ["arbitrations.id"],
            name=op.f("fk_extensions_arbitration_id_arbitrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_extensions_decided_by_id_users"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_extensions_requested_by_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extensions")),
    )
    with op.batch_alter_table("extensions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_extensions_arbitration_id"), ["arbitration_id"], unique=False)

    op.create_table(
        "hearings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("arbitration_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=True),
        sa.Column("online_link", sa.String(length=300), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "scheduled",
                "held",
                "postponed",
                "cancelled",
                name="hearing_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("notice_served_on", sa.Date(), nullable=True),
        sa.Column("postponement_reason", sa.Text(), nullable=True),
        sa.Column("applicant_attended", sa.Boolean(), nullable=True),
        sa.Column("respondent_attended", sa.Boolean(), nullable=True),
        sa.Column("record", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state <> 'postponed' OR postponement_reason IS NOT NULL", name=op.f("ck_hearings_postponement_has_reason")
        ),
        sa.CheckConstraint(
            "state = 'held' OR (applicant_attended IS NULL AND respondent_attended IS NULL)",
            name=op.f("ck_hearings_attendance_only_held"),
        ),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_hearings_ends_after_start")),
        sa.CheckConstraint(
            "room_id IS NOT NULL OR online_link IS NOT NULL", name=op.f("ck_hearings_hearing_has_place")
        ),
        sa.ForeignKeyConstraint(
            ["arbitration_id"],
            ["arbitrations.id"],
            name=op.f("fk_hearings_arbitration_id_arbitrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["hearing_rooms.id"], name=op.f("fk_hearings_room_id_hearing_rooms"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hearings")),
    )
    with op.batch_alter_table("hearings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hearings_arbitration_id"), ["arbitration_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hearings_room_id"), ["room_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hearings_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "instalments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mediation_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.CheckConstraint("amount > 0", name=op.f("ck_instalments_instalment_amount_positive")),
        sa.ForeignKeyConstraint(
            ["mediation_id"], ["mediations.id"], name=op.f("fk_instalments_mediation_id_mediations"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instalments")),
    )
    with op.batch_alter_table("instalments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_instalments_mediation_id"), ["mediation_id"], unique=False)

    op.create_table(
        "legal_aid_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "applied",
                "materials_requested",
                "granted",
                "refused",
                "objection",
                "refusal_upheld",
                "assigned",
                "closed",
                name="legal_aid_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("matter", sa.String(length=300), nullable=False),
        sa.Column("hardship_waived", sa.Boolean(), nullable=False),
        sa.Column("hardship_statement", sa.Text(), nullable=True),
        sa.Column("materials_requested_on", sa.Date(), nullable=True),
        sa.Column("materials_note", sa.Text(), nullable=True),
        sa.Column("complete_on", sa.Date(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("review_later", sa.Boolean(), nullable=False),
        sa.Column("lawyer_id", sa.Integer(), nullable=True),
        sa.Column("law_firm", sa.String(length=120), nullable=True),
        sa.Column("assigned_on", sa.Date(), nullable=True),
        sa.Column("objection_on", sa.Date(), nullable=True),
        sa.Column("objection_reason", sa.Text(), nullable=True),
        sa.Column("objection_decided_on", sa.Date(), nullable=True),
        sa.Column(
            "closure",
            sa.Enum("completed", "terminated", name="legal_aid_closure", native_enum=False, create_constraint=True),
            nullable=True,
        ),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closure_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(state = 'closed') = (closed_on IS NOT NULL AND closure IS NOT NULL)",
            name=op.f("ck_legal_aid_applications_closed_iff"),
        ),
        sa.CheckConstraint(
            "NOT (state IN ('assigned', 'closed', 'granted', 'refused')) OR decided_on IS NOT NULL",
            name=op.f("ck_legal_aid_applications_decided_has_date"),
        ),
        sa.CheckConstraint(
            "state <> 'refused' OR decision_reason IS NOT NULL",
            name=op.f("ck_legal_aid_applications_refusal_has_reason"),
        ),
        sa.CheckConstraint(
            "state NOT IN ('assigned', 'closed') OR closure = 'terminated' OR lawyer_id IS NOT NULL",
            name=op.f("ck_legal_aid_applications_assigned_has_lawyer"),
        ),
        sa.CheckConstraint(
            "state NOT IN ('objection', 'refusal_upheld') OR objection_on IS NOT NULL",
            name=op.f("ck_legal_aid_applications_objection_has_date"),
        ),
        sa.CheckConstraint(
            "hardship_waived OR hardship_statement IS NOT NULL",
            name=op.f("ck_legal_aid_applications_hardship_stated_or_waived"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_legal_aid_applications_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_legal_aid_applications_decided_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["lawyer_id"], ["users.id"], name=op.f("fk_legal_aid_applications_lawyer_id_users"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_legal_aid_applications_party_id_parties"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_legal_aid_applications_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_aid_applications")),
        sa.UniqueConstraint("case_id", "party_id", name="uq_legal_aid_case_party"),
        sa.UniqueConstraint("number", name=op.f("uq_legal_aid_applications_number")),
    )
    with op.batch_alter_table("legal_aid_applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_legal_aid_applications_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_legal_aid_applications_lawyer_id"), ["lawyer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_legal_aid_applications_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_legal_aid_applications_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "mediation_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mediation_id", sa.Integer(), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("online_link", sa.String(length=300), nullable=True),
        sa.Column("mediator_id", sa.Integer(), nullable=False),
        sa.Column("attendees", sa.String(length=500), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "continue",
                "agreement",
                "partial",
                "failed",
                name="session_outcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("next_at IS NULL OR next_at > held_at", name=op.f("ck_mediation_sessions_next_after_held")),
        sa.CheckConstraint(
            "place IS NOT NULL OR online_link IS NOT NULL", name=op.f("ck_mediation_sessions_session_has_place")
        ),
        sa.ForeignKeyConstraint(
            ["mediation_id"],
            ["mediations.id"],
            name=op.f("fk_mediation_sessions_mediation_id_mediations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mediator_id"], ["users.id"], name=op.f("fk_mediation_sessions_mediator_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_sessions")),
    )
    with op.batch_alter_table("mediation_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mediation_sessions_mediation_id"), ["mediation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mediation_sessions_next_at"), ["next_at"], unique=False)

    op.create_table(
        "suspensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("arbitration_id", sa.Integer(), nullable=False),
        sa.Column(
            "ground",
            sa.Enum(
                "party_died",
                "lost_capacity",
                "employer_dissolved",
                "force_majeure",
                "depends_on_other_case",
                "awaiting_determination",
                "other",
                name="suspension_ground",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum("requested", "approved", "rejected", name="approval", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(state = 'approved') = (started_on IS NOT NULL)", name=op.f("ck_suspensions_started_iff_approved")
        ),
        sa.CheckConstraint(
            "(state = 'requested') = (decided_on IS NULL AND decided_by_id IS NULL)",
            name=op.f("ck_suspensions_decided_iff_not_requested"),
        ),
        sa.CheckConstraint(
            "ended_on IS NULL OR (started_on IS NOT NULL AND ended_on >= started_on)",
            name=op.f("ck_suspensions_ends_after"),
        ),
        sa.ForeignKeyConstraint(
            ["arbitration_id"],
            ["arbitrations.id"],
            name=op.f("fk_suspensions_arbitration_id_arbitrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_suspensions_decided_by_id_users"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["ended_by_id"], ["users.id"], name=op.f("fk_suspensions_ended_by_id_users"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_suspensions_requested_by_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suspensions")),
    )
    with op.batch_alter_table("suspensions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suspensions_arbitration_id"), ["arbitration_id"], unique=False)

    op.create_table(
        "tribunal_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("arbitration_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "seat",
            sa.Enum("sole", "presiding", "member", name="tribunal_seat", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["arbitration_id"],
            ["arbitrations.id"],
            name=op.f("fk_tribunal_members_arbitration_id_arbitrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_tribunal_members_user_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tribunal_members")),
        sa.UniqueConstraint("arbitration_id", "user_id", name="uq_tribunal_member"),
    )
    with op.batch_alter_table("tribunal_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tribunal_members_arbitration_id"), ["arbitration_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tribunal_members_user_id"), ["user_id"], unique=False)

    op.create_table(
        "award_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("award_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column(
            "category",
            sa.Enum(
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
                name="claim_category",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column(
            "finality",
            sa.Enum("final", "non_final", name="finality", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.CheckConstraint("amount IS NULL OR amount >= 0", name=op.f("ck_award_items_item_amount_non_negative")),
        sa.ForeignKeyConstraint(
            ["award_id"], ["awards.id"], name=op.f("fk_award_items_award_id_awards"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_award_items_claim_id_claims"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_items")),
    )
    with op.batch_alter_table("award_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_award_items_award_id"), ["award_id"], unique=False)

    op.create_table(
        "lawsuits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("lawsuit", "revocation", name="lawsuit_kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column(
            "state",
            sa.Enum(
                "filed",
                "first_instance",
                "judged",
                "appeal",
                "second_instance",
                "closed",
                "revocation_applied",
                "upheld",
                "revoked",
                name="lawsuit_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "plaintiff",
            sa.Enum("worker", "employer", name="litigant", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("court", sa.String(length=120), nullable=False),
        sa.Column("court_case_no", sa.String(length=64), nullable=True),
        sa.Column("award_id", sa.Integer(), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column(
            "procedure",
            sa.Enum(
                "ordinary",
                "simplified",
                "small_claims",
                name="court_procedure",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("docketed_on", sa.Date(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "judgment",
                "court_mediation",
                "withdrawal",
                name="court_outcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("judged_on", sa.Date(), nullable=True),
        sa.Column("judgment_summary", sa.Text(), nullable=True),
        sa.Column(
            "appellant",
            sa.Enum("worker", "employer", name="appellant", native_enum=False, create_constraint=True),
            nullable=True,
        ),
        sa.Column("appealed_on", sa.Date(), nullable=True),
        sa.Column("appeal_court", sa.String(length=120), nullable=True),
        sa.Column("appeal_case_no", sa.String(length=64), nullable=True),
        sa.Column(
            "second_outcome",
            sa.Enum(
                "judgment",
                "court_mediation",
                "withdrawal",
                name="second_outcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind = 'revocation') = (state IN ('revocation_applied', 'revoked', 'upheld'))",
            name=op.f("ck_lawsuits_state_matches_kind"),
        ),
        sa.CheckConstraint(
            "(state IN ('closed', 'upheld', 'revoked')) = (closed_on IS NOT NULL)",
            name=op.f("ck_lawsuits_closed_iff_closed_on"),
        ),
        sa.CheckConstraint(
            "kind <> 'revocation' OR (plaintiff = 'employer' AND award_id IS NOT NULL)",
            name=op.f("ck_lawsuits_revocation_by_employer_against_award"),
        ),
        sa.CheckConstraint("state <> 'judged' OR outcome IS NOT NULL", name=op.f("ck_lawsuits_judged_has_outcome")),
        sa.CheckConstraint(
            "state NOT IN ('appeal', 'second_instance') OR (appealed_on IS NOT NULL AND appellant IS NOT NULL)",
            name=op.f("ck_lawsuits_appeal_has_date"),
        ),
        sa.CheckConstraint(
            "state NOT IN ('judged', 'appeal', 'second_instance', 'closed', 'upheld', 'revoked') OR judged_on IS NOT "
            "NULL",
            name=op.f("ck_lawsuits_decided_has_date"),
        ),
        sa.ForeignKeyConstraint(
            ["award_id"], ["awards.id"], name=op.f("fk_lawsuits_award_id_awards"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_lawsuits_case_id_cases"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lawsuits")),
    )
    with op.batch_alter_table("lawsuits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lawsuits_award_id"), ["award_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lawsuits_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lawsuits_state"), ["state"], unique=False)

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))

    minimum_wages = sa.table(
        "minimum_wages",
        sa.column("region_code", sa.String),
        sa.column("region_name", sa.String),
        sa.column("effective_from", sa.Date),
        sa.column("monthly_amount", sa.Numeric(14, 2)),
    )
    op.bulk_insert(
        minimum_wages,
        [
            {"region_code": code, "region_name": name, "effective_from": start, "monthly_amount": amount}
            for code, name, start, amount in MINIMUM_WAGES
        ],
    )


def downgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("updated_at")

    with op.batch_alter_table("lawsuits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lawsuits_state"))
        batch_op.drop_index(batch_op.f("ix_lawsuits_case_id"))
        batch_op.drop_index(batch_op.f("ix_lawsuits_award_id"))

    op.drop_table("lawsuits")
    with op.batch_alter_table("award_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_award_items_award_id"))

    op.drop_table("award_items")
    with op.batch_alter_table("tribunal_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tribunal_members_user_id"))
        batch_op.drop_index(batch_op.f("ix_tribunal_members_arbitration_id"))

    op.drop_table("tribunal_members")
    with op.batch_alter_table("suspensions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suspensions_arbitration_id"))

    op.drop_table("suspensions")
    with op.batch_alter_table("mediation_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mediation_sessions_next_at"))
        batch_op.drop_index(batch_op.f("ix_mediation_sessions_mediation_id"))

    op.drop_table("mediation_sessions")
    with op.batch_alter_table("legal_aid_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_legal_aid_applications_unit_id"))
        batch_op.drop_index(batch_op.f("ix_legal_aid_applications_state"))
        batch_op.drop_index(batch_op.f("ix_legal_aid_applications_lawyer_id"))
        batch_op.drop_index(batch_op.f("ix_legal_aid_applications_case_id"))

    op.drop_table("legal_aid_applications")
    with op.batch_alter_table("instalments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_instalments_mediation_id"))

    op.drop_table("instalments")
    with op.batch_alter_table("hearings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hearings_starts_at"))
        batch_op.drop_index(batch_op.f("ix_hearings_room_id"))
        batch_op.drop_index(batch_op.f("ix_hearings_arbitration_id"))

    op.drop_table("hearings")
    with op.batch_alter_table("extensions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_extensions_arbitration_id"))

    op.drop_table("extensions")
    with op.batch_alter_table("confirmations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_confirmations_mediation_id"))

    op.drop_table("confirmations")
    with op.batch_alter_table("awards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_awards_awarded_on"))
        batch_op.drop_index(batch_op.f("ix_awards_arbitration_id"))

    op.drop_table("awards")
    with op.batch_alter_table("agreement_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_terms_mediation_id"))

    op.drop_table("agreement_terms")
    with op.batch_alter_table("mediations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mediations_unit_id"))
        batch_op.drop_index(batch_op.f("ix_mediations_state"))
        batch_op.drop_index(batch_op.f("ix_mediations_mediator_id"))

    op.drop_table("mediations")
    with op.batch_alter_table("arbitrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_arbitrations_unit_id"))
        batch_op.drop_index(batch_op.f("ix_arbitrations_state"))

    op.drop_table("arbitrations")
    with op.batch_alter_table("hearing_rooms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hearing_rooms_unit_id"))

    op.drop_table("hearing_rooms")
    op.drop_table("minimum_wages")
