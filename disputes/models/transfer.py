"""Transfers of a case's track between units and bodies (移送), a court's delegated mediation (委派/委托调解) and its
result going back, and groups of linked cases (same employer, counter-claim, same worker, consolidated hearing)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes import clock
from disputes.extensions import db
from disputes.models.base import UTCDateTime, enum_type
from disputes.models.case import Case
from disputes.models.unit import Unit
from disputes.models.user import User


class TransferTrack(StrEnum):
    MEDIATION = "mediation"
    ARBITRATION = "arbitration"


class TransferStatus(StrEnum):
    PENDING = "pending"  # requested, waiting in the receiving unit's queue
    ACCEPTED = "accepted"  # the receiving unit holds the track now
    RETURNED = "returned"  # the receiving unit sent it back, with its reason: the sending unit still holds it


class DelegationKind(StrEnum):
    DELEGATED = "delegated"  # 委派调解: before the court files the case
    ENTRUSTED = "entrusted"  # 委托调解: after filing, the court entrusts the mediation


class DelegationResult(StrEnum):
    AGREEMENT = "agreement"
    NO_AGREEMENT = "no_agreement"


class LinkKind(StrEnum):
    SAME_EMPLOYER = "same_employer"
    COUNTER_CLAIM = "counter_claim"
    SAME_WORKER = "same_worker"
    CONSOLIDATED = "consolidated"  # 合并审理: heard together


class CaseTransfer(db.Model):
    """One request to move a case's mediation or arbitration to another unit, and the receiving unit's answer. The
    case keeps its number, history, documents and timers; only the track's unit (and its holder) changes."""

    __tablename__ = "case_transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    track: Mapped[TransferTrack] = mapped_column(enum_type(TransferTrack, "transfer_track"))
    from_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"))
    to_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"))
    status: Mapped[TransferStatus] = mapped_column(
        enum_type(TransferStatus, "transfer_status"), default=TransferStatus.PENDING
    )
    reason: Mapped[str] = mapped_column(sa.String(500))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    received_on: Mapped[date | None] = mapped_column(sa.Date)  # accepted: the day of receipt (Rules Art 46 (5))
    return_reason: Mapped[str | None] = mapped_column(sa.String(500))

    case: Mapped[Case] = relationship()
    from_unit: Mapped[Unit] = relationship(foreign_keys=[from_unit_id])
    to_unit: Mapped[Unit] = relationship(foreign_keys=[to_unit_id])
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __table_args__ = (
        sa.CheckConstraint("from_unit_id <> to_unit_id", name="transfer_elsewhere"),
        sa.CheckConstraint("(status = 'pending') = (decided_at IS NULL)", name="transfer_decided"),
        sa.CheckConstraint(
            "(status = 'accepted') = (received_on IS NOT NULL)",
            name="transfer_received",
        ),
        sa.CheckConstraint(
            "(status = 'returned') = (return_reason IS NOT NULL)",
            name="transfer_return_reason",
        ),
        # The receiving unit's queue: pending transfers by unit.
        sa.Index(
            "ix_case_transfers_pending",
            "to_unit_id",
            "requested_at",
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        ),
        # At most one open request per track of a case.
        sa.Index(
            "uq_case_transfers_one_pending",
            "case_id",
            "track",
            unique=True,
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        ),
    )


class CourtDelegation(db.Model):
    """A court's delegated (委派) or entrusted (委托) mediation, received with the court's reference, and the result
    going back to the court (agreement or not, the day it was sent, the letter's reference)."""

    __tablename__ = "court_delegations"

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[DelegationKind] = mapped_column(enum_type(DelegationKind, "delegation_kind"))
    court: Mapped[str] = mapped_column(sa.String(120))
    court_reference: Mapped[str] = mapped_column(sa.String(80))  # the court's 案号 or 委派调解 number
    received_on: Mapped[date] = mapped_column(sa.Date)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    result: Mapped[DelegationResult | None] = mapped_column(enum_type(DelegationResult, "delegation_result"))
    returned_on: Mapped[date | None] = mapped_column(sa.Date)
    return_letter: Mapped[str | None] = mapped_column(sa.String(120))  # the 告知函's reference as sent
    return_note: Mapped[str | None] = mapped_column(sa.String(500))
    returned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    case: Mapped[Case] = relationship(backref=sa.orm.backref("delegation", uselist=False, cascade="all, delete-orphan"))
    returned_by: Mapped[User | None] = relationship(foreign_keys=[returned_by_id])

    __table_args__ = (
        sa.CheckConstraint("(result IS NULL) = (returned_on IS NULL)", name="delegation_result_dated"),
        sa.CheckConstraint(
            "returned_on IS NULL OR returned_on >= received_on",
            name="delegation_returned_after",
        ),
    )


class CaseGroup(db.Model):
    """Linked cases, each keeping its own number: scheduled, served and closed together."""

    __tablename__ = "case_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[LinkKind] = mapped_column(enum_type(LinkKind, "link_kind"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    members: Mapped[list[CaseGroupMember]] = relationship(
        back_populates="group",
        cascade="all, delete-orphan",
        order_by="CaseGroupMember.id",
    )


class CaseGroupMember(db.Model):
    """A case in a group; a case is in one group at most."""

    __tablename__ = "case_group_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("case_groups.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    group: Mapped[CaseGroup] = relationship(back_populates="members")
    case: Mapped[Case] = relationship()
