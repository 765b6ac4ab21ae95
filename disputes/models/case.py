"""The case, its parties, claims and the people assigned to it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes import clock
from disputes.extensions import db
from disputes.identity import mask_resident_id
from disputes.models.base import MONEY, CreatedAtMixin, UTCDateTime, enum_type, money_check
from disputes.models.enums import ClaimCategory, LimitationEventKind, PartyKind, PartySide, Role, Sex
from disputes.models.unit import Unit
from disputes.models.user import User
from disputes.workflow.states import CaseStage, CaseStatus


class Case(CreatedAtMixin, db.Model):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    registry_no: Mapped[str] = mapped_column(sa.String(64), unique=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"))
    registered_on: Mapped[date] = mapped_column(sa.Date)
    dispute_known_on: Mapped[date | None] = mapped_column(sa.Date)
    cause: Mapped[str] = mapped_column(sa.String(200))
    facts: Mapped[str] = mapped_column(sa.Text, default="")
    stage: Mapped[CaseStage] = mapped_column(enum_type(CaseStage, "case_stage"), default=CaseStage.INTAKE)
    status: Mapped[CaseStatus] = mapped_column(enum_type(CaseStatus, "case_status"), default=CaseStatus.OPEN)
    closed_on: Mapped[date | None] = mapped_column(sa.Date)
    worker_count: Mapped[int] = mapped_column(default=1)
    migrant_wage: Mapped[bool] = mapped_column(default=False)
    work_injury: Mapped[bool] = mapped_column(default=False)
    green_channel: Mapped[bool] = mapped_column(default=False)
    collective: Mapped[bool] = mapped_column(default=False)
    limitation_warning: Mapped[bool] = mapped_column(default=False)
    # Law Art 27(4): whether the employment lasts or on which day it ended (neither: not recorded). Both set is
    # refused by the operations (no CHECK: SQLite cannot add one to an existing table without rebuilding it).
    still_employed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    employment_ended_on: Mapped[date | None] = mapped_column(sa.Date)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    version_id: Mapped[int] = mapped_column(default=1)
    # Touched by every track operation, so two edits of one case through different tracks still conflict.
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[Unit] = relationship()
    created_by: Mapped[User | None] = relationship()
    parties: Mapped[list[Party]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Party.position"
    )
    claims: Mapped[list[Claim]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Claim.position"
    )
    assignments: Mapped[list[CaseAssignment]] = relationship(back_populates="case", cascade="all, delete-orphan")
    limitation_events: Mapped[list[LimitationEvent]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        order_by=lambda: [LimitationEvent.start_on, LimitationEvent.id],
    )
    timeline: Mapped[list[TimelineEntry]] = relationship(  # noqa: F821
        back_populates="case", order_by="TimelineEntry.at.desc(), TimelineEntry.id.desc()", lazy="dynamic"
    )

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        sa.CheckConstraint("worker_count >= 1", name="worker_count_positive"),
        sa.CheckConstraint("(status = 'closed') = (closed_on IS NOT NULL)", name="closed_on_iff_closed"),
        sa.CheckConstraint("closed_on IS NULL OR closed_on >= registered_on", name="closed_after_registered"),
        sa.Index("ix_cases_registered_on_id", "registered_on", "id"),
        sa.Index("ix_cases_unit_registered_on", "unit_id", "registered_on"),
        # Rare flags: a partial index lets the list's capped count read only the flagged cases.
        *(
            sa.Index(
                f"ix_cases_{flag}",
                "registered_on",
                "id",
                "unit_id",
                postgresql_where=sa.text(f"{flag} IS TRUE"),
                sqlite_where=sa.text(f"{flag} IS TRUE"),
            )
            for flag in ("collective", "work_injury", "limitation_warning")
        ),
        # The clerk's "cases to route" count walks the open cases in key order (issue 18 part 6).
        sa.Index(
            "ix_cases_open", "id", postgresql_where=sa.text("status = 'open'"), sqlite_where=sa.text("status = 'open'")
        ),
    )

    def parties_of(self, side: PartySide) -> list[Party]:
        return [p for p in self.parties if p.side == side and not p.third_party]

    @property
    def third_parties(self) -> list[Party]:
        """第三人 added to an arbitration (Rules Art 46 (1)): neither applicant nor respondent."""
        return [p for p in self.parties if p.third_party]

    @property
    def applicants(self) -> list[Party]:
        return self.parties_of(PartySide.APPLICANT)

    @property
    def respondents(self) -> list[Party]:
        return self.parties_of(PartySide.RESPONDENT)

    @property
    def claimed_total(self) -> Decimal:
        return sum((c.amount or Decimal(0) for c in self.claims), Decimal(0))

    def __repr__(self) -> str:
        return f"<Case {self.registry_no}>"


class Party(db.Model):
    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    side: Mapped[PartySide] = mapped_column(enum_type(PartySide, "party_side"))
    kind: Mapped[PartyKind] = mapped_column(enum_type(PartyKind, "party_kind"))
    name: Mapped[str] = mapped_column(sa.String(120), index=True)
    sex: Mapped[Sex | None] = mapped_column(enum_type(Sex, "sex"))
    birth_date: Mapped[date | None] = mapped_column(sa.Date)
    id_number: Mapped[str | None] = mapped_column(sa.String(18), index=True)  # a worker's other cases
    # Last four characters of the ID number: what staff read off a masked ID and search by.
    id_tail: Mapped[str | None] = mapped_column(sa.String(4), index=True)
    credit_code: Mapped[str | None] = mapped_column(sa.String(18), index=True)
    legal_representative: Mapped[str | None] = mapped_column(sa.String(80))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    address: Mapped[str | None] = mapped_column(sa.String(200))
    is_representative: Mapped[bool] = mapped_column(default=False)
    migrant_worker: Mapped[bool] = mapped_column(default=False)
    # An agent (委托代理人): the party of its side it acts for, and in what capacity (a law firm's lawyer,
    # the employer's HR officer, the worker's relative). Null for the parties themselves. No ON DELETE
    # action (SQLite adds a column-level reference, which reflects without one): the ORM nulls the
    # link of a deleted party's agents through `agents`, and a case's parties go together.
    represents_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parties.id"))
    capacity: Mapped[str | None] = mapped_column(sa.String(120))
    # A third party (第三人) joined to the arbitration: stored with side `respondent` (the side column's CHECK has
    # only the two sides) but listed among neither applicants nor respondents.
    third_party: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    case: Mapped[Case] = relationship(back_populates="parties")
    represents: Mapped[Party | None] = relationship(
        remote_side=[id], foreign_keys=[represents_id], back_populates="agents"
    )
    agents: Mapped[list[Party]] = relationship(back_populates="represents", foreign_keys=[represents_id])

    __table_args__ = (
        sa.CheckConstraint("id_number IS NULL OR length(id_number) = 18", name="id_number_length"),
        sa.CheckConstraint("credit_code IS NULL OR length(credit_code) = 18", name="credit_code_length"),
        sa.CheckConstraint("kind = 'employer' OR credit_code IS NULL", name="credit_code_employer_only"),
        sa.CheckConstraint("kind <> 'employer' OR id_number IS NULL", name="employer_has_no_id_number"),
        sa.CheckConstraint(
            "(id_number IS NULL AND id_tail IS NULL) OR COALESCE(id_tail = substr(id_number, 15, 4), FALSE)",
            name="id_tail_matches",
        ),
    )

    @property
    def is_agent(self) -> bool:
        """Someone acting for a party (an agent, or a representative who is not one of the workers):
        printed under the party, never as a party, an obligor or a co-applicant."""
        return self.kind in (PartyKind.AGENT, PartyKind.REPRESENTATIVE)

    @property
    def masked_id(self) -> str | None:
        return mask_resident_id(self.id_number) or None


class Claim(db.Model):
    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    category: Mapped[ClaimCategory] = mapped_column(enum_type(ClaimCategory, "claim_category"), index=True)
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    # The amount agreed (mediation, statement) or awarded for this claim.
    resolved_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    # The statistical forms' dispute cause (DisputeCause); NULL: the category's, through the mapping kept as data
    # (disputes/metrics/causes.py). Plain strings (and a money column) checked by the operations: SQLite cannot add
    # a CHECK to an existing table without rebuilding it.
    dispute_cause: Mapped[str | None] = mapped_column(sa.String(24))
    outcome: Mapped[str | None] = mapped_column(sa.String(24))  # ClaimOutcome; NULL: not decided yet
    # Paid to the worker so far: from the agreement's paid instalments where the case has them, else as recorded.
    recovered_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    # In a multi-worker case, the worker (a party of the case) whose claim this is; NULL: all of them / the only one.
    # No ON DELETE action (added to an existing SQLite table as a column-level reference); a case's parties go
    # together, and the ORM nulls the link of a removed party's claims.
    party_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parties.id"))

    case: Mapped[Case] = relationship(back_populates="claims")
    party: Mapped[Party | None] = relationship(foreign_keys=[party_id])

    __table_args__ = (
        sa.CheckConstraint(money_check("amount"), name="amount_in_range"),
        sa.CheckConstraint(money_check("resolved_amount"), name="resolved_in_range"),
    )


class CaseAssignment(db.Model):
    """A person working on a case in a role (mediator, arbitrator, lawyer…)."""

    __tablename__ = "case_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    role: Mapped[Role] = mapped_column(enum_type(Role, "assignment_role"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)
    active: Mapped[bool] = mapped_column(default=True)

    case: Mapped[Case] = relationship(back_populates="assignments")
    user: Mapped[User] = relationship()

    __table_args__ = (sa.UniqueConstraint("case_id", "user_id", "role", name="uq_case_assignments_case_user_role"),)


class CaseReader(db.Model):
    """Who reads a case wholesale, as one indexed key: `reader` > 0 is a unit (the case's own unit and every unit
    holding one of its tracks), `reader` < 0 is −(user id) of an active assignment.

    Written only by the database's triggers (migration 0019) on `cases`, the track tables and `case_assignments`,
    so every writer (the web, the ledger's COPY, the demo loader, raw SQL) keeps it current. `policy.case_scope`
    is one semi-join over it: `cases.id IN (SELECT case_id FROM case_readers WHERE reader = ANY(…))`, a single
    index range whose size the planner knows from the column's statistics (a UNION of a units table and the
    assignments would not: PostgreSQL guesses 200 distinct ids for any UNION and drives every plan from it)."""

    __tablename__ = "case_readers"

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    reader: Mapped[int] = mapped_column(primary_key=True)

    __table_args__ = (sa.Index("ix_case_readers_reader_case", "reader", "case_id", unique=True),)


class LimitationEvent(db.Model):
    """An interruption (Law Art 27(2)) or a suspension (27(3)) of the case's limitation period, as recorded at intake
    or later; the case's own mediation track interrupts it too without a row here (sla/limitation.py)."""

    __tablename__ = "limitation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LimitationEventKind] = mapped_column(enum_type(LimitationEventKind, "limitation_event_kind"))
    start_on: Mapped[date] = mapped_column(sa.Date)
    end_on: Mapped[date | None] = mapped_column(sa.Date)  # a mediation's or a suspension's end; NULL: not yet
    note: Mapped[str] = mapped_column(sa.String(200), default="")

    case: Mapped[Case] = relationship(back_populates="limitation_events")

    __table_args__ = (
        sa.CheckConstraint("end_on IS NULL OR end_on >= start_on", name="ends_after_start"),
        sa.CheckConstraint("end_on IS NULL OR kind IN ('mediation', 'suspension')", name="end_for_spans_only"),
    )
