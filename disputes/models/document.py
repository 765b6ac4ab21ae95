"""Issued documents: the exact PDF bytes handed out, with their number, hash and verification code."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes import clock
from disputes.extensions import db
from disputes.models.base import UTCDateTime
from disputes.models.case import Case
from disputes.models.unit import Unit
from disputes.models.user import User


class IssuedDocument(db.Model):
    """One version of one document instance (kind + subject) of a case, immutable once written.

    Reprinting returns the issued bytes unchanged (`pdf`, or with an fs/s3 store the file named by `sha256`);
    reissuing adds the next version and keeps this one.
    Documents that belong to no single case (a hearing day's batch) have no case.
    """

    __tablename__ = "issued_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    subject_key: Mapped[str] = mapped_column(sa.String(60), default="")
    version: Mapped[int] = mapped_column(default=1)
    lang: Mapped[str] = mapped_column(sa.String(8), default="zh_CN")
    number: Mapped[str | None] = mapped_column(sa.String(80))
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column()
    page_count: Mapped[int] = mapped_column()
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)  # None: in the document store
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)

    case: Mapped[Case | None] = relationship()
    unit: Mapped[Unit] = relationship()
    issued_by: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("case_id", "kind", "subject_key", "version", name="uq_issued_documents_version"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        sa.CheckConstraint("lang IN ('zh_CN', 'en')", name="lang_known"),
        sa.CheckConstraint("length(sha256) = 64", name="sha256_length"),
        sa.CheckConstraint("page_count >= 1", name="page_count_positive"),
    )


class UnitSeal(db.Model):
    """A unit's e-seal image (PNG), printed over issuer and date instead of the placeholder circle."""

    __tablename__ = "unit_seals"

    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    png: Mapped[bytes | None] = mapped_column(sa.LargeBinary)  # None: in the document store (storage.py)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)

    unit: Mapped[Unit] = relationship()
    uploaded_by: Mapped[User | None] = relationship()
