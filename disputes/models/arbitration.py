"""The arbitration track: the arbitration, its tribunal, hearings, suspensions and extensions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes.extensions import db
from disputes.models.base import MONEY, CreatedAtMixin, UTCDateTime, enum_type
from disputes.models.case import Case, Party
from disputes.models.unit import Unit
from disputes.models.user import User
from disputes.workflow.states import (
    ARBITRATION_ACCEPTED,
    ARBITRATION_SERVED,
    ARBITRATION_WITH_TRIBUNAL,
    Approval,
    ArbitrationState,
    ClosureType,
    HearingState,
    JoinCapacity,
    RefusalGround,
    RestartKind,
    SuspensionGround,
    TribunalKind,
    TribunalSeat,
    sql_in,
)


class Arbitration(CreatedAtMixin, db.Model):
    __tablename__ = "arbitrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    state: Mapped[ArbitrationState] = mapped_column(
        enum_type(ArbitrationState, "arbitration_state"), default=ArbitrationState.RECEIVED, index=True
    )
    received_on: Mapped[date] = mapped_column(sa.Date)
    correction_requested_on: Mapped[date | None] = mapped_column(sa.Date)
    correction_note: Mapped[str | None] = mapped_column(sa.Text)
    # When the application became complete (Rules Art 46: corrected materials restart the clock).
    complete_on: Mapped[date] = mapped_column(sa.Date)
    accepted_on: Mapped[date | None] = mapped_column(sa.Date)
    refused_on: Mapped[date | None] = mapped_column(sa.Date)
    refusal_reason: Mapped[str | None] = mapped_column(sa.Text)
    # Null for refusals recorded before the ground was asked for (and ledger imports): printed as `other`.
    refusal_ground: Mapped[RefusalGround | None] = mapped_column(enum_type(RefusalGround, "refusal_ground"))
    served_on: Mapped[date | None] = mapped_column(sa.Date)
    defence_received_on: Mapped[date | None] = mapped_column(sa.Date)
    defence_served_on: Mapped[date | None] = mapped_column(sa.Date)
    tribunal_kind: Mapped[TribunalKind | None] = mapped_column(enum_type(TribunalKind, "tribunal_kind"))
    tribunal_formed_on: Mapped[date | None] = mapped_column(sa.Date)
    tribunal_notified_on: Mapped[date | None] = mapped_column(sa.Date)
    simplified: Mapped[bool] = mapped_column(default=False)
    simplified_ground: Mapped[str | None] = mapped_column(sa.String(300))
    pre_hearing_mediation_on: Mapped[date | None] = mapped_column(sa.Date)
    pre_hearing_mediation_note: Mapped[str | None] = mapped_column(sa.Text)
    advance_execution_on: Mapped[date | None] = mapped_column(sa.Date)
    advance_execution_note: Mapped[str | None] = mapped_column(sa.Text)
    suspended_since: Mapped[date | None] = mapped_column(sa.Date)
    closure_type: Mapped[ClosureType | None] = mapped_column(enum_type(ClosureType, "closure_type"))
    closure_note: Mapped[str | None] = mapped_column(sa.Text)
    closure_requested_on: Mapped[date | None] = mapped_column(sa.Date)
    closure_requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    # The date of the act that ends the proceedings (Law Art 43): the award's date, the mediation statement's, the
    # decision's for a withdrawal, termination or transfer. Recorded with the closure request; `closed_on` takes
    # it when the supervisor approves, `closure_approved_on` holds the approval's own date.
    closure_act_on: Mapped[date | None] = mapped_column(sa.Date)
    closed_on: Mapped[date | None] = mapped_column(sa.Date)
    closure_approved_on: Mapped[date | None] = mapped_column(sa.Date)
    closure_approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))

    case: Mapped[Case] = relationship(backref=sa.orm.backref("arbitration", uselist=False))
    unit: Mapped[Unit] = relationship()
    closure_requested_by: Mapped[User | None] = relationship(foreign_keys=[closure_requested_by_id])
    closure_approved_by: Mapped[User | None] = relationship(foreign_keys=[closure_approved_by_id])
    tribunal: Mapped[list[TribunalMember]] = relationship(
        back_populates="arbitration", cascade="all, delete-orphan", order_by="TribunalMember.id"
    )
    hearings: Mapped[list[Hearing]] = relationship(
        back_populates="arbitration", cascade="all, delete-orphan", order_by="Hearing.starts_at"
    )
    suspensions: Mapped[list[Suspension]] = relationship(
        back_populates="arbitration", cascade="all, delete-orphan", order_by="Suspension.id"
    )
    extensions: Mapped[list[Extension]] = relationship(
        back_populates="arbitration", cascade="all, delete-orphan", order_by="Extension.id"
    )
    awards: Mapped[list[Award]] = relationship(  # noqa: F821
        back_populates="arbitration", cascade="all, delete-orphan", order_by="Award.id"
    )
    restarts: Mapped[list[ArbitrationRestart]] = relationship(
        back_populates="arbitration", cascade="all, delete-orphan", order_by="ArbitrationRestart.id"
    )
    statement_terms: Mapped[list[StatementTerm]] = relationship(  # noqa: F821
        back_populates="arbitration", cascade="all, delete-orphan", order_by="StatementTerm.position"
    )

    __table_args__ = (
        sa.CheckConstraint(
            f"NOT ({sql_in('state', ARBITRATION_ACCEPTED - {ArbitrationState.CLOSED})}) OR accepted_on IS NOT NULL",
            name="accepted_has_date",
        ),
        sa.CheckConstraint("accepted_on IS NULL OR number IS NOT NULL", name="accepted_has_number"),
        # Only an application whose corrections never came closes without acceptance (Rules Art 29).
        sa.CheckConstraint(
            "state <> 'closed' OR accepted_on IS NOT NULL OR closure_type = 'deemed_withdrawn'",
            name="closed_accepted_or_lapsed",
        ),
        sa.CheckConstraint(
            "state <> 'refused' OR (refused_on IS NOT NULL AND refusal_reason IS NOT NULL)", name="refusal_has_reason"
        ),
        sa.CheckConstraint(
            f"NOT ({sql_in('state', ARBITRATION_SERVED)}) OR served_on IS NOT NULL", name="served_has_date"
        ),
        sa.CheckConstraint(
            f"NOT ({sql_in('state', ARBITRATION_WITH_TRIBUNAL)}) OR tribunal_kind IS NOT NULL",
            name="tribunal_has_kind",
        ),
        sa.CheckConstraint("state NOT IN ('closing', 'closed') OR closure_type IS NOT NULL", name="closing_has_type"),
        sa.CheckConstraint("(state = 'closed') = (closed_on IS NOT NULL)", name="closed_iff_closed_on"),
        # A closure someone asked for names its approver; one imported from a ledger may name neither (unknown).
        sa.CheckConstraint(
            "state <> 'closed' OR accepted_on IS NULL OR closure_approved_by_id IS NOT NULL "
            "OR closure_requested_by_id IS NULL",
            name="closure_approved",
        ),
        sa.CheckConstraint("accepted_on IS NULL OR accepted_on >= received_on", name="accepted_after_received"),
        sa.CheckConstraint(
            f"suspended_since IS NULL OR {sql_in('state', ARBITRATION_ACCEPTED)}", name="suspended_only_accepted"
        ),
    )

    @property
    def suspended(self) -> bool:
        return self.suspended_since is not None

    @property
    def approved_extension_days(self) -> int:
        return sum(e.days for e in self.extensions if e.state == Approval.APPROVED)

    def members(self) -> list[User]:
        return [m.user for m in self.tribunal]


class TribunalMember(db.Model):
    __tablename__ = "tribunal_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    arbitration_id: Mapped[int] = mapped_column(sa.ForeignKey("arbitrations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    seat: Mapped[TribunalSeat] = mapped_column(enum_type(TribunalSeat, "tribunal_seat"))

    arbitration: Mapped[Arbitration] = relationship(back_populates="tribunal")
    user: Mapped[User] = relationship()

    __table_args__ = (sa.UniqueConstraint("arbitration_id", "user_id", name="uq_tribunal_member"),)


class HearingRoom(db.Model):
    __tablename__ = "hearing_rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    active: Mapped[bool] = mapped_column(default=True)

    unit: Mapped[Unit] = relationship()

    __table_args__ = (sa.UniqueConstraint("unit_id", "name", name="uq_hearing_room_name"),)


class Hearing(CreatedAtMixin, db.Model):
    __tablename__ = "hearings"

    id: Mapped[int] = mapped_column(primary_key=True)
    arbitration_id: Mapped[int] = mapped_column(sa.ForeignKey("arbitrations.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("hearing_rooms.id", ondelete="RESTRICT"), index=True)
    online_link: Mapped[str | None] = mapped_column(sa.String(300))
    state: Mapped[HearingState] = mapped_column(
        enum_type(HearingState, "hearing_state"), default=HearingState.SCHEDULED
    )
    notice_served_on: Mapped[date | None] = mapped_column(sa.Date)
    postponement_reason: Mapped[str | None] = mapped_column(sa.Text)
    applicant_attended: Mapped[bool | None] = mapped_column()
    respondent_attended: Mapped[bool | None] = mapped_column()
    record: Mapped[str | None] = mapped_column(sa.Text)

    arbitration: Mapped[Arbitration] = relationship(back_populates="hearings")
    room: Mapped[HearingRoom | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("room_id IS NOT NULL OR online_link IS NOT NULL", name="hearing_has_place"),
        sa.CheckConstraint("state <> 'postponed' OR postponement_reason IS NOT NULL", name="postponement_has_reason"),
        sa.CheckConstraint(
            "state = 'held' OR (applicant_attended IS NULL AND respondent_attended IS NULL)",
            name="attendance_only_held",
        ),
    )


class Suspension(CreatedAtMixin, db.Model):
    """中止: requested by the arbitrator, approved by a supervisor; the days between start and end pause the clock."""

    __tablename__ = "suspensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    arbitration_id: Mapped[int] = mapped_column(sa.ForeignKey("arbitrations.id", ondelete="CASCADE"), index=True)
    ground: Mapped[SuspensionGround] = mapped_column(enum_type(SuspensionGround, "suspension_ground"))
    reason: Mapped[str] = mapped_column(sa.Text)
    requested_on: Mapped[date] = mapped_column(sa.Date)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))  # None: unknown
    state: Mapped[Approval] = mapped_column(enum_type(Approval, "approval"), default=Approval.REQUESTED)
    decided_on: Mapped[date | None] = mapped_column(sa.Date)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    decision_note: Mapped[str | None] = mapped_column(sa.Text)
    started_on: Mapped[date | None] = mapped_column(sa.Date)
    ended_on: Mapped[date | None] = mapped_column(sa.Date)
    ended_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))

    arbitration: Mapped[Arbitration] = relationship(back_populates="suspensions")
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __table_args__ = (
        sa.CheckConstraint(
            "(state = 'requested') = (decided_on IS NULL AND decided_by_id IS NULL)", name="decided_iff_not_requested"
        ),
        sa.CheckConstraint("(state = 'approved') = (started_on IS NOT NULL)", name="started_iff_approved"),
        sa.CheckConstraint(
            "ended_on IS NULL OR (started_on IS NOT NULL AND ended_on >= started_on)", name="ends_after"
        ),
    )

    @property
    def days(self) -> int | None:
        """Suspended days: resumption date − suspension date (deadlines.md)."""
        return (self.ended_on - self.started_on).days if self.started_on and self.ended_on else None


class Extension(CreatedAtMixin, db.Model):
    """延期: up to 15 days in all, approved by a supervisor (Law Art 43)."""

    __tablename__ = "extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    arbitration_id: Mapped[int] = mapped_column(sa.ForeignKey("arbitrations.id", ondelete="CASCADE"), index=True)
    days: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(sa.Text)
    requested_on: Mapped[date] = mapped_column(sa.Date)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))  # None: unknown
    state: Mapped[Approval] = mapped_column(enum_type(Approval, "approval"), default=Approval.REQUESTED)
    decided_on: Mapped[date | None] = mapped_column(sa.Date)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    decision_note: Mapped[str | None] = mapped_column(sa.Text)
    # The award deadline just before and just after the decision, read from the timer (the approval form prints
    # them; today's timer would show later changes). None when the timer was paused or absent.
    due_before: Mapped[date | None] = mapped_column(sa.Date)
    due_after: Mapped[date | None] = mapped_column(sa.Date)

    arbitration: Mapped[Arbitration] = relationship(back_populates="extensions")
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __table_args__ = (
        sa.CheckConstraint("days BETWEEN 1 AND 15", name="days_within_fifteen"),
        sa.CheckConstraint(
            "(state = 'requested') = (decided_on IS NULL AND decided_by_id IS NULL)", name="decided_iff_not_requested"
        ),
    )


class ArbitrationRestart(CreatedAtMixin, db.Model):
    """An event after acceptance from whose date the award period runs again (Rules Art 46 items 1, 3, 4, 5):
    a party added, claims added or changed, a counter-claim merged, a transferred case received."""

    __tablename__ = "arbitration_restarts"

    id: Mapped[int] = mapped_column(primary_key=True)
    arbitration_id: Mapped[int] = mapped_column(sa.ForeignKey("arbitrations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RestartKind] = mapped_column(enum_type(RestartKind, "restart_kind"))
    # The day the period runs from: the decision to add, the acceptance of the claims or counter-claim, the receipt.
    effective_on: Mapped[date] = mapped_column(sa.Date)
    party_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parties.id", ondelete="SET NULL"))
    capacity: Mapped[JoinCapacity | None] = mapped_column(enum_type(JoinCapacity, "join_capacity"))
    # A transferred case: the body that transferred it (移送机关).
    transferred_from: Mapped[str | None] = mapped_column(sa.String(200))
    # A counter-claim: the employer's claims as stated, and their total when they have one.
    claims_text: Mapped[str | None] = mapped_column(sa.Text)
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    note: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))

    arbitration: Mapped[Arbitration] = relationship(back_populates="restarts")
    party: Mapped[Party | None] = relationship()
    recorded_by: Mapped[User] = relationship()

    __table_args__ = (
        sa.CheckConstraint("kind <> 'add_party' OR capacity IS NOT NULL", name="added_party_has_capacity"),
        sa.CheckConstraint("kind <> 'transfer_in' OR transferred_from IS NOT NULL", name="transfer_has_body"),
        sa.CheckConstraint("kind <> 'counter_claim' OR claims_text IS NOT NULL", name="counter_claim_has_claims"),
        sa.CheckConstraint("amount IS NULL OR amount >= 0", name="amount_non_negative"),
    )
