"""The mediation track: the mediation, its sessions, agreement terms and instalments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes.extensions import db
from disputes.models.base import MONEY, CreatedAtMixin, UTCDateTime, enum_type, money_check
from disputes.models.case import Case, Claim
from disputes.models.unit import Unit
from disputes.models.user import User
from disputes.workflow.states import (
    MEDIATION_ENDED,
    MEDIATION_WITH_MEDIATOR,
    ConfirmationKind,
    ConfirmationResult,
    MediationState,
    Performance,
    SessionOutcome,
    sql_in,
)


class Mediation(CreatedAtMixin, db.Model):
    __tablename__ = "mediations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    state: Mapped[MediationState] = mapped_column(
        enum_type(MediationState, "mediation_state"), default=MediationState.APPLIED, index=True
    )
    applied_on: Mapped[date] = mapped_column(sa.Date)
    accepted_on: Mapped[date | None] = mapped_column(sa.Date)
    mediator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    ended_on: Mapped[date | None] = mapped_column(sa.Date)
    end_reason: Mapped[str | None] = mapped_column(sa.Text)
    agreement_signed_on: Mapped[date | None] = mapped_column(sa.Date)
    agreement_summary: Mapped[str | None] = mapped_column(sa.Text)
    performance: Mapped[Performance | None] = mapped_column(enum_type(Performance, "performance"))
    performance_noted_on: Mapped[date | None] = mapped_column(sa.Date)
    performance_note: Mapped[str | None] = mapped_column(sa.Text)

    case: Mapped[Case] = relationship(backref=sa.orm.backref("mediation", uselist=False))
    unit: Mapped[Unit] = relationship()
    mediator: Mapped[User | None] = relationship()
    sessions: Mapped[list[MediationSession]] = relationship(
        back_populates="mediation", cascade="all, delete-orphan", order_by="MediationSession.held_at"
    )
    terms: Mapped[list[AgreementTerm]] = relationship(
        back_populates="mediation", cascade="all, delete-orphan", order_by="AgreementTerm.position"
    )
    instalments: Mapped[list[Instalment]] = relationship(
        back_populates="mediation", cascade="all, delete-orphan", order_by="Instalment.due_on"
    )
    confirmations: Mapped[list[Confirmation]] = relationship(
        back_populates="mediation", cascade="all, delete-orphan", order_by="Confirmation.applied_on"
    )

    __table_args__ = (
        # An agreement imported from a ledger may not name its mediator (ledger.md: the column is optional).
        sa.CheckConstraint(
            f"NOT ({sql_in('state', MEDIATION_WITH_MEDIATOR - {MediationState.AGREEMENT})}) "
            "OR (mediator_id IS NOT NULL AND accepted_on IS NOT NULL)",
            name="accepted_has_mediator",
        ),
        sa.CheckConstraint("state <> 'agreement' OR accepted_on IS NOT NULL", name="agreement_accepted"),
        sa.CheckConstraint(f"({sql_in('state', MEDIATION_ENDED)}) = (ended_on IS NOT NULL)", name="ended_iff_ended_on"),
        sa.CheckConstraint("(state = 'agreement') = (agreement_signed_on IS NOT NULL)", name="agreement_iff_signed"),
        sa.CheckConstraint("(state = 'agreement') = (performance IS NOT NULL)", name="performance_iff_agreement"),
        sa.CheckConstraint("accepted_on IS NULL OR accepted_on >= applied_on", name="accepted_after_applied"),
    )

    @property
    def performance_due_on(self) -> date | None:
        """When the agreement must be performed: its last instalment (deadlines.md, `mediation.performance`)."""
        dates = [i.due_on for i in self.instalments]
        return max(dates) if dates else self.agreement_signed_on

    @property
    def agreed_total(self) -> Decimal:
        return sum((t.amount or Decimal(0) for t in self.terms), Decimal(0))


class MediationSession(CreatedAtMixin, db.Model):
    __tablename__ = "mediation_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    mediation_id: Mapped[int] = mapped_column(sa.ForeignKey("mediations.id", ondelete="CASCADE"), index=True)
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str | None] = mapped_column(sa.String(200))
    online_link: Mapped[str | None] = mapped_column(sa.String(300))
    mediator_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    attendees: Mapped[str] = mapped_column(sa.String(500))
    summary: Mapped[str] = mapped_column(sa.Text)
    outcome: Mapped[SessionOutcome] = mapped_column(enum_type(SessionOutcome, "session_outcome"))
    next_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    mediation: Mapped[Mediation] = relationship(back_populates="sessions")
    mediator: Mapped[User] = relationship()

    __table_args__ = (
        sa.CheckConstraint("place IS NOT NULL OR online_link IS NOT NULL", name="session_has_place"),
        sa.CheckConstraint("next_at IS NULL OR next_at > held_at", name="next_after_held"),
    )


class AgreementTerm(db.Model):
    """One agreed term, usually against one claim, with the amount agreed."""

    __tablename__ = "agreement_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    mediation_id: Mapped[int] = mapped_column(sa.ForeignKey("mediations.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    claim_id: Mapped[int | None] = mapped_column(sa.ForeignKey("claims.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(sa.String(500))
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    dispute_cause: Mapped[str | None] = mapped_column(sa.String(24))  # its claim's, or its category's

    mediation: Mapped[Mediation] = relationship(back_populates="terms")
    claim: Mapped[Claim | None] = relationship()

    __table_args__ = (sa.CheckConstraint(money_check("amount"), name="term_amount_in_range"),)


class Instalment(db.Model):
    """One payment of the agreed schedule, and when it was actually paid."""

    __tablename__ = "instalments"

    id: Mapped[int] = mapped_column(primary_key=True)
    mediation_id: Mapped[int] = mapped_column(sa.ForeignKey("mediations.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date] = mapped_column(sa.Date)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    paid_on: Mapped[date | None] = mapped_column(sa.Date)

    mediation: Mapped[Mediation] = relationship(back_populates="instalments")

    __table_args__ = (
        sa.CheckConstraint(money_check("amount", positive=True, nullable=False), name="instalment_amount_in_range"),
    )


class Confirmation(db.Model):
    """A request to have the agreement reviewed by arbitration or confirmed by a court."""

    __tablename__ = "confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    mediation_id: Mapped[int] = mapped_column(sa.ForeignKey("mediations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ConfirmationKind] = mapped_column(enum_type(ConfirmationKind, "confirmation_kind"))
    applied_on: Mapped[date] = mapped_column(sa.Date)
    body: Mapped[str | None] = mapped_column(sa.String(120))
    result: Mapped[ConfirmationResult] = mapped_column(
        enum_type(ConfirmationResult, "confirmation_result"), default=ConfirmationResult.PENDING
    )
    decided_on: Mapped[date | None] = mapped_column(sa.Date)
    note: Mapped[str | None] = mapped_column(sa.Text)

    mediation: Mapped[Mediation] = relationship(back_populates="confirmations")

    __table_args__ = (
        sa.CheckConstraint("(result = 'pending') = (decided_on IS NULL)", name="decided_iff_result"),
        sa.CheckConstraint("decided_on IS NULL OR decided_on >= applied_on", name="decided_after_applied"),
    )
