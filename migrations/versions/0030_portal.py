"""The parties' side (issue 20): one-time codes, outbound messages (one per event and recipient), online
applications with their evidence and collective members, consents to electronic service and documents served
by link. New tables only: nothing to rebuild on SQLite.

Revision ID: 0033_h20_portal
Revises: 0019_allocation
"""

import sqlalchemy as sa
from alembic import op

revision = "0033_h20_portal"
down_revision = "0028_h16d_timer_owners"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "portal_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "expires_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_portal_codes_attempts_non_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_codes")),
    )
    with op.batch_alter_table("portal_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_portal_codes_contact"), ["contact"], unique=False)

    op.create_table(
        "online_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "submitted",
                "correction",
                "accepted",
                "refused",
                name="application_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=True),
        sa.Column("contact_email", sa.String(length=200), nullable=True),
        sa.Column("drafted_by", sa.String(length=120), nullable=True),
        sa.Column("collective_token", sa.String(length=64), nullable=True),
        sa.Column(
            "submitted_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('mediation', 'arbitration')",
            name=op.f("ck_online_applications_kind_known"),
        ),
        sa.CheckConstraint(
            "status <> 'accepted' OR case_id IS NOT NULL",
            name=op.f("ck_online_applications_accepted_has_case"),
        ),
        sa.CheckConstraint(
            "status NOT IN ('correction', 'refused') OR decision_reason IS NOT NULL",
            name=op.f("ck_online_applications_decision_has_reason"),
        ),
        sa.CheckConstraint(
            "contact_phone IS NOT NULL OR contact_email IS NOT NULL",
            name=op.f("ck_online_applications_has_contact"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_online_applications_case_id_cases"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_online_applications_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["units.id"],
            name=op.f("fk_online_applications_unit_id_units"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_applications")),
        sa.UniqueConstraint("collective_token", name=op.f("uq_online_applications_collective_token")),
        sa.UniqueConstraint("reference", name=op.f("uq_online_applications_reference")),
    )
    with op.batch_alter_table("online_applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_online_applications_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_online_applications_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "application_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["online_applications.id"],
            name=op.f("fk_application_uploads_application_id_online_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_uploads")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_application_uploads_stored_name")),
    )
    with op.batch_alter_table("application_uploads", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_uploads_application_id"),
            ["application_id"],
            unique=False,
        )

    op.create_table(
        "collective_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("vote_for_id", sa.Integer(), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["online_applications.id"],
            name=op.f("fk_collective_members_application_id_online_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vote_for_id"],
            ["collective_members.id"],
            name=op.f("fk_collective_members_vote_for_id_collective_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_members")),
        sa.UniqueConstraint(
            "application_id",
            "id_number",
            name="uq_collective_members_application_id_number",
        ),
    )
    with op.batch_alter_table("collective_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_collective_members_application_id"),
            ["application_id"],
            unique=False,
        )

    op.create_table(
        "outbound_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_key", sa.String(length=120), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "sms",
                "email",
                name="message_channel",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "sent",
                "delivered",
                "failed",
                name="message_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("provider_id", sa.String(length=100), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "delivered_at",
            sa.DateTime(timezone=True),
            nullable=True,
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_outbound_messages_attempts_non_negative")),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_outbound_messages_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_outbound_messages_party_id_parties"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbound_messages")),
        sa.UniqueConstraint("event_key", "recipient", name="uq_outbound_messages_event_recipient"),
    )
    with op.batch_alter_table("outbound_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbound_messages_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbound_messages_status"), ["status"], unique=False)
    op.create_table(
        "service_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("postal_address", sa.String(length=200), nullable=True),
        sa.Column("signed_via", sa.String(length=10), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "signed_via = 'portal' OR recorded_by_id IS NOT NULL", name=op.f("ck_service_consents_paper_recorded")
        ),
        sa.CheckConstraint("signed_via IN ('portal', 'paper')", name=op.f("ck_service_consents_signed_via_known")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_service_consents_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_service_consents_party_id_parties"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_service_consents_recorded_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_consents")),
    )
    with op.batch_alter_table("service_consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_consents_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_consents_party_id"), ["party_id"], unique=False)

    op.create_table(
        "electronic_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("consent_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("sent_by_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(opened_at IS NULL) = (service_id IS NULL)", name=op.f("ck_electronic_services_opened_iff_served")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_electronic_services_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["consent_id"],
            ["service_consents.id"],
            name=op.f("fk_electronic_services_consent_id_service_consents"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["issued_documents.id"],
            name=op.f("fk_electronic_services_document_id_issued_documents"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["outbound_messages.id"],
            name=op.f("fk_electronic_services_message_id_outbound_messages"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_electronic_services_party_id_parties"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"], ["users.id"], name=op.f("fk_electronic_services_sent_by_id_users"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["document_services.id"],
            name=op.f("fk_electronic_services_service_id_document_services"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_electronic_services")),
        sa.UniqueConstraint("document_id", "party_id", name="uq_electronic_services_document_party"),
    )
    with op.batch_alter_table("electronic_services", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_electronic_services_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_electronic_services_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_electronic_services_party_id"), ["party_id"], unique=False)


def downgrade():
    with op.batch_alter_table("electronic_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_electronic_services_party_id"))
        batch_op.drop_index(batch_op.f("ix_electronic_services_document_id"))
        batch_op.drop_index(batch_op.f("ix_electronic_services_case_id"))

    op.drop_table("electronic_services")
    with op.batch_alter_table("service_consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_consents_party_id"))
        batch_op.drop_index(batch_op.f("ix_service_consents_case_id"))

    op.drop_table("service_consents")
    with op.batch_alter_table("outbound_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbound_messages_status"))
        batch_op.drop_index(batch_op.f("ix_outbound_messages_case_id"))

    op.drop_table("outbound_messages")
    with op.batch_alter_table("collective_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collective_members_application_id"))

    op.drop_table("collective_members")
    with op.batch_alter_table("application_uploads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_uploads_application_id"))

    op.drop_table("application_uploads")
    with op.batch_alter_table("online_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_online_applications_unit_id"))
        batch_op.drop_index(batch_op.f("ix_online_applications_status"))

    op.drop_table("online_applications")
    with op.batch_alter_table("portal_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portal_codes_contact"))

    op.drop_table("portal_codes")
