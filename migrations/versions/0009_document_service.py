"""Service of documents (送达) per party (issue 5).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

METHODS = ("in_person", "post", "electronic", "public_notice")


def upgrade() -> None:
    op.create_table(
        "document_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column(
            "method",
            sa.Enum(*METHODS, name="service_method", native_enum=False, create_constraint=True, length=13),
            nullable=False,
        ),
        sa.Column("served_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("tracking_number", sa.String(length=40), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("publication", sa.String(length=200), nullable=True),
        sa.Column("recipient", sa.String(length=120), nullable=True),
        sa.Column("refusal_note", sa.Text(), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=60), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "method = 'public_notice' OR served_at IS NOT NULL", name=op.f("ck_document_services_served_unless_notice")
        ),
        sa.CheckConstraint(
            "method <> 'public_notice' OR published_on IS NOT NULL", name=op.f("ck_document_services_notice_published")
        ),
        sa.CheckConstraint(
            "method <> 'post' OR tracking_number IS NOT NULL", name=op.f("ck_document_services_post_tracked")
        ),
        sa.CheckConstraint(
            "method <> 'electronic' OR address IS NOT NULL", name=op.f("ck_document_services_electronic_addressed")
        ),
        sa.CheckConstraint(
            "method <> 'in_person' OR recipient IS NOT NULL OR refusal_note IS NOT NULL",
            name=op.f("ck_document_services_in_person_signed_or_refused"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["issued_documents.id"],
            name=op.f("fk_document_services_document_id_issued_documents"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_document_services_case_id_cases"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_document_services_party_id_parties"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["users.id"], name=op.f("fk_document_services_officer_id_users"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_document_services_recorded_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_services")),
        sa.UniqueConstraint("document_id", "party_id", name="uq_document_services_document_party"),
    )
    with op.batch_alter_table("document_services") as batch_op:
        for column in ("document_id", "case_id", "party_id", "served_at", "published_on"):
            batch_op.create_index(batch_op.f(f"ix_document_services_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("document_services")
