"""The legal-aid track: one application per applicant worker, decided, assigned and closed."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes.extensions import db
from disputes.models.base import CreatedAtMixin, enum_type
from disputes.models.case import Case, Party
from disputes.models.unit import Unit
from disputes.models.user import User
from disputes.workflow.states import LEGAL_AID_DECIDED, LegalAidClosure, LegalAidState, sql_in


class LegalAidApplication(CreatedAtMixin, db.Model):
    __tablename__ = "legal_aid_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    state: Mapped[LegalAidState] = mapped_column(
        enum_type(LegalAidState, "legal_aid_state"), default=LegalAidState.APPLIED, index=True
    )
    applied_on: Mapped[date] = mapped_column(sa.Date)
    matter: Mapped[str] = mapped_column(sa.String(300))
    # Green channel (LAL Art 42): the hardship review is waived, with the ground recorded.
    hardship_waived: Mapped[bool] = mapped_column(default=False)
    hardship_statement: Mapped[str | None] = mapped_column(sa.Text)
    materials_requested_on: Mapped[date | None] = mapped_column(sa.Date)
    materials_note: Mapped[str | None] = mapped_column(sa.Text)
    # The date the application became complete: the `legal_aid.decide` clock starts here.
    complete_on: Mapped[date] = mapped_column(sa.Date)
    decided_on: Mapped[date | None] = mapped_column(sa.Date)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    # LAL Art 44: aid granted first when a deadline is under 7 days away, reviewed afterwards.
    review_later: Mapped[bool] = mapped_column(default=False)
    lawyer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    law_firm: Mapped[str | None] = mapped_column(sa.String(120))
    assigned_on: Mapped[date | None] = mapped_column(sa.Date)
    objection_on: Mapped[date | None] = mapped_column(sa.Date)
    objection_reason: Mapped[str | None] = mapped_column(sa.Text)
    objection_decided_on: Mapped[date | None] = mapped_column(sa.Date)
    closure: Mapped[LegalAidClosure | None] = mapped_column(enum_type(LegalAidClosure, "legal_aid_closure"))
    closed_on: Mapped[date | None] = mapped_column(sa.Date)
    closure_note: Mapped[str | None] = mapped_column(sa.Text)

    case: Mapped[Case] = relationship(backref=sa.orm.backref("legal_aid", order_by="LegalAidApplication.id"))
    party: Mapped[Party] = relationship()
    unit: Mapped[Unit] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    lawyer: Mapped[User | None] = relationship(foreign_keys=[lawyer_id])

    __table_args__ = (
        sa.CheckConstraint(
            f"NOT ({sql_in('state', LEGAL_AID_DECIDED | {LegalAidState.REFUSED})}) OR decided_on IS NOT NULL",
            name="decided_has_date",
        ),
        sa.CheckConstraint("state <> 'refused' OR decision_reason IS NOT NULL", name="refusal_has_reason"),
        sa.CheckConstraint(
            "state NOT IN ('assigned', 'closed') OR closure = 'terminated' OR lawyer_id IS NOT NULL",
            name="assigned_has_lawyer",
        ),
        sa.CheckConstraint(
            "state NOT IN ('objection', 'refusal_upheld') OR objection_on IS NOT NULL", name="objection_has_date"
        ),
        sa.CheckConstraint("(state = 'closed') = (closed_on IS NOT NULL AND closure IS NOT NULL)", name="closed_iff"),
        sa.CheckConstraint("hardship_waived OR hardship_statement IS NOT NULL", name="hardship_stated_or_waived"),
        sa.UniqueConstraint("case_id", "party_id", name="uq_legal_aid_case_party"),
    )
