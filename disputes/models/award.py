"""Awards, their items classified final or non-final, and the minimum wage they are measured against."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes.extensions import db
from disputes.models.base import MONEY, CreatedAtMixin, enum_type, money_check
from disputes.models.case import Claim, Party
from disputes.models.enums import ClaimCategory
from disputes.models.user import User
from disputes.workflow.states import Finality


class Award(CreatedAtMixin, db.Model):
    """One award document's worth of items: a mixed award is two of these, one final and one non-final."""

    __tablename__ = "awards"

    id: Mapped[int] = mapped_column(primary_key=True)
    arbitration_id: Mapped[int] = mapped_column(sa.ForeignKey("arbitrations.id", ondelete="CASCADE"), index=True)
    finality: Mapped[Finality] = mapped_column(enum_type(Finality, "finality"))
    # Given when the closure is approved (a partial award: when recorded), so a rejected closure wastes no number.
    number: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    awarded_on: Mapped[date] = mapped_column(sa.Date, index=True)
    # 先行裁决: a partial award on part of the claims before the case closes.
    partial: Mapped[bool] = mapped_column(default=False)
    # The region's monthly minimum wage the finality was judged against; None for an award imported from a ledger
    # whose unit has no figure on record (the ledger gives the finality).
    minimum_wage: Mapped[Decimal | None] = mapped_column(MONEY)
    reasons: Mapped[str] = mapped_column(sa.Text, default="")
    # The day the award had reached every party it is served on (each party's own day: `services`).
    served_on: Mapped[date | None] = mapped_column(sa.Date)
    # When this award document took legal effect: a final award on the day it is made (Law Art 47), a non-final
    # one the day after the last party's period to sue ran out with no lawsuit (Art 50), as the timers say.
    effective_on: Mapped[date | None] = mapped_column(sa.Date)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))  # None: unknown

    arbitration: Mapped[Arbitration] = relationship(back_populates="awards")  # noqa: F821
    items: Mapped[list[AwardItem]] = relationship(
        back_populates="award", cascade="all, delete-orphan", order_by="AwardItem.position"
    )
    issued_by: Mapped[User | None] = relationship()
    services: Mapped[list[AwardService]] = relationship(
        back_populates="award", cascade="all, delete-orphan", order_by="AwardService.id"
    )

    __table_args__ = (
        sa.CheckConstraint("served_on IS NULL OR served_on >= awarded_on", name="served_after_award"),
        sa.CheckConstraint(money_check("minimum_wage", positive=True), name="minimum_wage_in_range"),
    )

    @property
    def total(self) -> Decimal:
        return sum((i.amount or Decimal(0) for i in self.items), Decimal(0))

    def served_on_party(self, party_id: int) -> date | None:
        """The day this award document reached the party, if it has."""
        return next(
            (s.served_on for s in self.services if (s.party.id if s.party is not None else s.party_id) == party_id),
            None,
        )


class AwardService(db.Model):
    """The day one award document reached one party: that party's periods to sue or to apply for revocation run
    from it (Law Art 48–50, "自收到仲裁裁决书之日起")."""

    __tablename__ = "award_services"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(sa.ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id", ondelete="CASCADE"), index=True)
    served_on: Mapped[date] = mapped_column(sa.Date)

    award: Mapped[Award] = relationship(back_populates="services")
    party: Mapped[Party] = relationship()

    __table_args__ = (sa.UniqueConstraint("award_id", "party_id", name="uq_award_services_award_party"),)


CLAIMANT_WORKER = "worker"
CLAIMANT_EMPLOYER = "employer"
CLAIMANTS = (CLAIMANT_WORKER, CLAIMANT_EMPLOYER)


class AwardItem(db.Model):
    __tablename__ = "award_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(sa.ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    claim_id: Mapped[int | None] = mapped_column(sa.ForeignKey("claims.id", ondelete="SET NULL"))
    category: Mapped[ClaimCategory] = mapped_column(enum_type(ClaimCategory, "claim_category"))
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    text: Mapped[str] = mapped_column(sa.String(500))
    finality: Mapped[Finality] = mapped_column(enum_type(Finality, "finality"))
    # Whose claim the item decides: a worker's (Art 47(1) may make it final) or an employer's, in its own
    # application or as a counter-claim (never final: Arts 47-49 give the worker the suit, the employer revocation).
    claimant: Mapped[str] = mapped_column(sa.String(16), default=CLAIMANT_WORKER, server_default=CLAIMANT_WORKER)
    # The enforceable term (Law Art 51): who pays whom, within how many days of the award taking effect. No ON
    # DELETE action (added to an existing SQLite table as a column-level reference); a case's parties go together.
    obligor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parties.id"))
    obligee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parties.id"))
    due_days: Mapped[int | None] = mapped_column()
    dispute_cause: Mapped[str | None] = mapped_column(sa.String(24))  # its claim's, or its category's

    award: Mapped[Award] = relationship(back_populates="items")
    claim: Mapped[Claim | None] = relationship()
    obligor: Mapped[Party | None] = relationship(foreign_keys=[obligor_id])
    obligee: Mapped[Party | None] = relationship(foreign_keys=[obligee_id])

    __table_args__ = (sa.CheckConstraint(money_check("amount"), name="item_amount_in_range"),)


class MinimumWage(db.Model):
    """A region's monthly minimum wage from a date on; the final-award threshold is 12 times it."""

    __tablename__ = "minimum_wages"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.String(12))
    region_name: Mapped[str] = mapped_column(sa.String(60))
    effective_from: Mapped[date] = mapped_column(sa.Date)
    monthly_amount: Mapped[Decimal] = mapped_column(MONEY)

    __table_args__ = (
        sa.UniqueConstraint("region_code", "effective_from", name="uq_minimum_wage_region_date"),
        sa.CheckConstraint(
            money_check("monthly_amount", positive=True, nullable=False), name="monthly_amount_in_range"
        ),
    )


class FinalityRule(db.Model):
    """How a region reads Law Art 47 for one claim category from a date on: tested by amount (47(1)), always final
    (47(2)) or never final. The national rules (region 000000) apply unless a province, city or district has its
    own rule for the category; `source` names the text the reading rests on."""

    __tablename__ = "finality_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.String(12))
    region_name: Mapped[str] = mapped_column(sa.String(60))
    category: Mapped[ClaimCategory] = mapped_column(enum_type(ClaimCategory, "claim_category"))
    rule: Mapped[str] = mapped_column(sa.String(16))
    effective_from: Mapped[date] = mapped_column(sa.Date)
    source: Mapped[str] = mapped_column(sa.String(500))

    __table_args__ = (
        sa.UniqueConstraint("region_code", "category", "effective_from", name="uq_finality_rule_region_category_date"),
        sa.CheckConstraint("rule IN ('amount', 'final', 'non_final')", name="finality_rule_kind"),
    )


class StatementTerm(db.Model):
    """One term of an arbitration mediation statement (仲裁调解书, Law Art 42): what is paid or done, by whom, to
    whom, by when; like a mediation agreement's terms, so the statement can be enforced (Law Art 51)."""

    __tablename__ = "statement_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    arbitration_id: Mapped[int] = mapped_column(sa.ForeignKey("arbitrations.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    claim_id: Mapped[int | None] = mapped_column(sa.ForeignKey("claims.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(sa.String(500))
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    obligor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parties.id", ondelete="SET NULL"))
    obligee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parties.id", ondelete="SET NULL"))
    due_on: Mapped[date | None] = mapped_column(sa.Date)

    arbitration: Mapped[Arbitration] = relationship(back_populates="statement_terms")  # noqa: F821
    claim: Mapped[Claim | None] = relationship()
    obligor: Mapped[Party | None] = relationship(foreign_keys=[obligor_id])
    obligee: Mapped[Party | None] = relationship(foreign_keys=[obligee_id])

    __table_args__ = (sa.CheckConstraint(money_check("amount"), name="statement_term_amount_in_range"),)
