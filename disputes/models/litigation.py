"""The litigation track as the centre follows it: lawsuits and applications to revoke a final award."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes.extensions import db
from disputes.models.award import Award, AwardItem
from disputes.models.base import CreatedAtMixin, enum_type
from disputes.models.case import Case, Claim
from disputes.workflow.states import (
    REVOCATION_STATES,
    CourtOutcome,
    CourtProcedure,
    ItemRuling,
    LawsuitKind,
    LawsuitState,
    Litigant,
    sql_in,
)


class Lawsuit(CreatedAtMixin, db.Model):
    __tablename__ = "lawsuits"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LawsuitKind] = mapped_column(enum_type(LawsuitKind, "lawsuit_kind"))
    state: Mapped[LawsuitState] = mapped_column(enum_type(LawsuitState, "lawsuit_state"), index=True)
    plaintiff: Mapped[Litigant] = mapped_column(enum_type(Litigant, "litigant"))
    court: Mapped[str] = mapped_column(sa.String(120))
    court_case_no: Mapped[str | None] = mapped_column(sa.String(64))
    award_id: Mapped[int | None] = mapped_column(sa.ForeignKey("awards.id", ondelete="RESTRICT"), index=True)
    filed_on: Mapped[date] = mapped_column(sa.Date)
    procedure: Mapped[CourtProcedure | None] = mapped_column(enum_type(CourtProcedure, "court_procedure"))
    docketed_on: Mapped[date | None] = mapped_column(sa.Date)
    outcome: Mapped[CourtOutcome | None] = mapped_column(enum_type(CourtOutcome, "court_outcome"))
    judged_on: Mapped[date | None] = mapped_column(sa.Date)
    judgment_summary: Mapped[str | None] = mapped_column(sa.Text)
    # When the judgment reached the parties (the last of them): the appeal period runs from it (CPL Art 171).
    judgment_served_on: Mapped[date | None] = mapped_column(sa.Date)
    appellant: Mapped[Litigant | None] = mapped_column(enum_type(Litigant, "appellant"))
    appealed_on: Mapped[date | None] = mapped_column(sa.Date)
    appeal_court: Mapped[str | None] = mapped_column(sa.String(120))
    appeal_case_no: Mapped[str | None] = mapped_column(sa.String(64))
    second_outcome: Mapped[CourtOutcome | None] = mapped_column(enum_type(CourtOutcome, "second_outcome"))
    closed_on: Mapped[date | None] = mapped_column(sa.Date)
    # When the ruling revoking the award reached the parties: 15 days to sue run from it (Law Art 49).
    ruling_received_on: Mapped[date | None] = mapped_column(sa.Date)
    note: Mapped[str | None] = mapped_column(sa.Text)

    case: Mapped[Case] = relationship(backref=sa.orm.backref("lawsuits", order_by="Lawsuit.id"))
    award: Mapped[Award | None] = relationship()
    extensions: Mapped[list[LawsuitExtension]] = relationship(
        back_populates="lawsuit", cascade="all, delete-orphan", order_by="LawsuitExtension.id"
    )

    __table_args__ = (
        sa.CheckConstraint(
            f"(kind = 'revocation') = ({sql_in('state', REVOCATION_STATES)})", name="state_matches_kind"
        ),
        sa.CheckConstraint(
            "kind <> 'revocation' OR (plaintiff = 'employer' AND award_id IS NOT NULL)",
            name="revocation_by_employer_against_award",
        ),
        sa.CheckConstraint(
            "state NOT IN ('judged', 'appeal', 'second_instance', 'closed', 'upheld', 'revoked') "
            "OR judged_on IS NOT NULL",
            name="decided_has_date",
        ),
        sa.CheckConstraint("state <> 'judged' OR outcome IS NOT NULL", name="judged_has_outcome"),
        sa.CheckConstraint(
            "state NOT IN ('appeal', 'second_instance') OR (appealed_on IS NOT NULL AND appellant IS NOT NULL)",
            name="appeal_has_date",
        ),
        sa.CheckConstraint(
            "(state IN ('closed', 'upheld', 'revoked')) = (closed_on IS NOT NULL)", name="closed_iff_closed_on"
        ),
        sa.CheckConstraint(
            "judgment_served_on IS NULL OR judgment_served_on >= judged_on", name="served_after_judgment"
        ),
        sa.CheckConstraint(
            "ruling_received_on IS NULL OR (state = 'revoked' AND ruling_received_on >= closed_on)",
            name="ruling_received_after_revocation",
        ),
    )


class LawsuitExtension(CreatedAtMixin, db.Model):
    """An approved extension of the first instance (CPL Art 152, 164, 168): months added to its period."""

    __tablename__ = "lawsuit_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    lawsuit_id: Mapped[int] = mapped_column(sa.ForeignKey("lawsuits.id", ondelete="CASCADE"), index=True)
    months: Mapped[int] = mapped_column()
    approved_on: Mapped[date] = mapped_column(sa.Date)
    approver: Mapped[str] = mapped_column(sa.String(120))  # as the court's approval names them (院长, 上级法院)
    # A further extension of the ordinary procedure, approved by the higher court (CPL Art 152).
    higher_court: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    lawsuit: Mapped[Lawsuit] = relationship(back_populates="extensions")

    __table_args__ = (sa.CheckConstraint("months > 0", name="months_positive"),)


class CourtItemResult(CreatedAtMixin, db.Model):
    """The court's result for one item of the award taken to court (or one claim, when the lawsuit is against no
    award), as the court-liaison officer copies it from the judgment: the source of the 裁审衔接 figures."""

    __tablename__ = "court_item_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    lawsuit_id: Mapped[int] = mapped_column(sa.ForeignKey("lawsuits.id", ondelete="CASCADE"), index=True)
    award_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("award_items.id", ondelete="SET NULL"), index=True)
    claim_id: Mapped[int | None] = mapped_column(sa.ForeignKey("claims.id", ondelete="SET NULL"))
    ruling: Mapped[ItemRuling] = mapped_column(enum_type(ItemRuling, "item_ruling"))
    decided_on: Mapped[date] = mapped_column(sa.Date, index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    lawsuit: Mapped[Lawsuit] = relationship(
        backref=sa.orm.backref("item_results", cascade="all, delete-orphan", order_by="CourtItemResult.id")
    )
    award_item: Mapped[AwardItem | None] = relationship()
    claim: Mapped[Claim | None] = relationship()
