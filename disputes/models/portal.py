"""The parties' side (issue 20): one-time codes, outbound messages and online applications."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes import clock
from disputes.extensions import db
from disputes.models.base import UTCDateTime, enum_type
from disputes.models.case import Case
from disputes.models.document import IssuedDocument
from disputes.models.enums import ApplicationStatus, MessageChannel, MessageStatus
from disputes.models.unit import Unit
from disputes.models.user import User


class PortalCode(db.Model):
    """A one-time code sent to a phone or e-mail address; only its keyed hash is stored."""

    __tablename__ = "portal_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact: Mapped[str] = mapped_column(sa.String(200), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(40))  # "sign_in", or "open:<e-service id>"
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (sa.CheckConstraint("attempts >= 0", name="attempts_non_negative"),)


class OutboundMessage(db.Model):
    """One message to one recipient about one event: the unique key makes a second send of it a no-op."""

    __tablename__ = "outbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str] = mapped_column(sa.String(120))
    recipient: Mapped[str] = mapped_column(sa.String(200))
    channel: Mapped[MessageChannel] = mapped_column(enum_type(MessageChannel, "message_channel"))
    subject: Mapped[str] = mapped_column(sa.String(200), default="")
    body: Mapped[str] = mapped_column(sa.Text)  # as stored: a one-time code in it is masked
    status: Mapped[MessageStatus] = mapped_column(
        enum_type(MessageStatus, "message_status"),
        default=MessageStatus.QUEUED,
        index=True,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    provider_id: Mapped[str | None] = mapped_column(sa.String(100))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parties.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the provider's time, from its report
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the last retry, or the provider's report

    case: Mapped[Case | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("event_key", "recipient", name="uq_outbound_messages_event_recipient"),
        sa.CheckConstraint("attempts >= 0", name="attempts_non_negative"),
    )


class OnlineApplication(db.Model):
    """A mediation or arbitration application filed in the portal, waiting for a clerk's check."""

    __tablename__ = "online_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(24), unique=True)  # what the applicant quotes
    kind: Mapped[str] = mapped_column(sa.String(20))  # "mediation" or "arbitration"
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_type(ApplicationStatus, "application_status"),
        default=ApplicationStatus.SUBMITTED,
        index=True,
    )
    data: Mapped[dict] = mapped_column(sa.JSON)  # the applicant, the employer, the claims, the facts
    contact_phone: Mapped[str | None] = mapped_column(sa.String(40))
    contact_email: Mapped[str | None] = mapped_column(sa.String(200))
    drafted_by: Mapped[str | None] = mapped_column(sa.String(120))  # 代书: the legal-aid lawyer who drafted it
    collective_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id", ondelete="SET NULL"))

    unit: Mapped[Unit] = relationship()
    decided_by: Mapped[User | None] = relationship()
    case: Mapped[Case | None] = relationship()
    uploads: Mapped[list[ApplicationUpload]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        order_by="ApplicationUpload.id",
    )
    members: Mapped[list[CollectiveMember]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        order_by="CollectiveMember.id",
    )

    __table_args__ = (
        sa.CheckConstraint("kind IN ('mediation', 'arbitration')", name="kind_known"),
        sa.CheckConstraint("contact_phone IS NOT NULL OR contact_email IS NOT NULL", name="has_contact"),
        sa.CheckConstraint("status <> 'accepted' OR case_id IS NOT NULL", name="accepted_has_case"),
        sa.CheckConstraint(
            "status NOT IN ('correction', 'refused') OR decision_reason IS NOT NULL",
            name="decision_has_reason",
        ),
    )


class ApplicationUpload(db.Model):
    """An evidence file of an online application, stored under the instance folder (outside the web root)."""

    __tablename__ = "application_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("online_applications.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200))  # as the applicant named it (shown, never a path)
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)

    application: Mapped[OnlineApplication] = relationship(back_populates="uploads")


class CollectiveMember(db.Model):
    """A worker who joined a collective application by its shared link, and whom they elect as representative."""

    __tablename__ = "collective_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("online_applications.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    id_number: Mapped[str] = mapped_column(sa.String(18))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    vote_for_id: Mapped[int | None] = mapped_column(sa.ForeignKey("collective_members.id", ondelete="SET NULL"))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)

    application: Mapped[OnlineApplication] = relationship(back_populates="members")

    __table_args__ = (
        sa.UniqueConstraint(
            "application_id",
            "id_number",
            name="uq_collective_members_application_id_number",
        ),
    )


class ServiceConsent(db.Model):
    """A party's 送达地址确认书 with consent to electronic service: the confirmed address, signed in the portal
    (after a code proved it) or on paper (recorded by a clerk). Withdrawn consents stay, dated."""

    __tablename__ = "service_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id", ondelete="CASCADE"), index=True)
    address: Mapped[str] = mapped_column(sa.String(200))  # the mobile number or e-mail address for the link
    postal_address: Mapped[str | None] = mapped_column(sa.String(200))
    signed_via: Mapped[str] = mapped_column(sa.String(10))  # "portal" or "paper"
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        sa.CheckConstraint("signed_via IN ('portal', 'paper')", name="signed_via_known"),
        sa.CheckConstraint("signed_via = 'portal' OR recorded_by_id IS NOT NULL", name="paper_recorded"),
    )


class ElectronicService(db.Model):
    """A document sent by link to a consenting party: sent, delivered (the gateway's report), opened. Opening it
    after a one-time code completes service: the `document_services` row is written then, dated the opening."""

    __tablename__ = "electronic_services"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("issued_documents.id", ondelete="RESTRICT"), index=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id", ondelete="CASCADE"), index=True)
    consent_id: Mapped[int] = mapped_column(sa.ForeignKey("service_consents.id", ondelete="RESTRICT"))
    address: Mapped[str] = mapped_column(sa.String(200))
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outbound_messages.id", ondelete="SET NULL"))
    sent_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    service_id: Mapped[int | None] = mapped_column(sa.ForeignKey("document_services.id", ondelete="SET NULL"))

    message: Mapped[OutboundMessage | None] = relationship()
    sent_by: Mapped[User] = relationship()
    document: Mapped[IssuedDocument] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("document_id", "party_id", name="uq_electronic_services_document_party"),
        sa.CheckConstraint("(opened_at IS NULL) = (service_id IS NULL)", name="opened_iff_served"),
    )
