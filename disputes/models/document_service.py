"""Service of an issued document on one party (送达): how, when, to whom, by whom."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes import clock
from disputes.extensions import db
from disputes.models.base import UTCDateTime, enum_type
from disputes.models.case import Case, Party
from disputes.models.document import IssuedDocument
from disputes.models.enums import ServiceMethod
from disputes.models.user import User


class DocumentService(db.Model):
    """One document served on one party. A public notice is pending (no `served_at`) until it is deemed served."""

    __tablename__ = "document_services"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("issued_documents.id", ondelete="RESTRICT"), index=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    method: Mapped[ServiceMethod] = mapped_column(enum_type(ServiceMethod, "service_method"))
    served_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    place: Mapped[str | None] = mapped_column(sa.String(200))
    tracking_number: Mapped[str | None] = mapped_column(sa.String(40))
    address: Mapped[str | None] = mapped_column(sa.String(200))  # e-mail address or mobile number for a link
    published_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    publication: Mapped[str | None] = mapped_column(sa.String(200))  # where the notice was published
    recipient: Mapped[str | None] = mapped_column(sa.String(120))  # who signed (the party, an agent, a relative)
    refusal_note: Mapped[str | None] = mapped_column(sa.Text)  # refused: what happened, the witnesses
    officer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    event: Mapped[str | None] = mapped_column(sa.String(60))  # the workflow event this service fired, if any
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)

    document: Mapped[IssuedDocument] = relationship()
    case: Mapped[Case] = relationship()
    party: Mapped[Party] = relationship()
    officer: Mapped[User] = relationship(foreign_keys=[officer_id])
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])

    __table_args__ = (
        sa.UniqueConstraint("document_id", "party_id", name="uq_document_services_document_party"),
        sa.CheckConstraint("method = 'public_notice' OR served_at IS NOT NULL", name="served_unless_notice"),
        sa.CheckConstraint("method <> 'public_notice' OR published_on IS NOT NULL", name="notice_published"),
        sa.CheckConstraint("method <> 'post' OR tracking_number IS NOT NULL", name="post_tracked"),
        sa.CheckConstraint("method <> 'electronic' OR address IS NOT NULL", name="electronic_addressed"),
        sa.CheckConstraint(
            "method <> 'in_person' OR recipient IS NOT NULL OR refusal_note IS NOT NULL",
            name="in_person_signed_or_refused",
        ),
    )

    @property
    def pending(self) -> bool:
        return self.served_at is None

    @property
    def refused(self) -> bool:
        return bool(self.refusal_note)
