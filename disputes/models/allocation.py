"""Where a registered case goes (its route) and who in a unit gets it (allocation by the unit's rule)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes import clock
from disputes.extensions import db
from disputes.models.base import UTCDateTime, enum_type
from disputes.models.case import Case
from disputes.models.enums import Role
from disputes.models.unit import Unit
from disputes.models.user import User


class Route(StrEnum):
    MEDIATION = "mediation"
    LEGAL_AID = "legal_aid"
    ARBITRATION = "arbitration"
    ADVICE = "advice"  # advice given, no case pursued: the registration is closed the same day


class AllocationMethod(StrEnum):
    ROTATION = "rotation"
    LEAST_LOAD = "least_load"
    CATEGORY = "category"
    LANGUAGE = "language"
    MANUAL = "manual"  # an allocation made by hand (with its reason); never a unit's rule


class SkillKind(StrEnum):
    CATEGORY = "category"
    LANGUAGE = "language"


class CaseRoute(db.Model):
    """The routing decision at intake (or later on the case page); a case without one waits in the clerk's queue."""

    __tablename__ = "case_routes"

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    route: Mapped[Route] = mapped_column(enum_type(Route, "case_route"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"))
    language: Mapped[str | None] = mapped_column(sa.String(40))  # a language the parties need other than Mandarin
    routed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)
    routed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    case: Mapped[Case] = relationship(backref=sa.orm.backref("route", uselist=False, cascade="all, delete-orphan"))
    unit: Mapped[Unit | None] = relationship()
    routed_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.CheckConstraint("route = 'advice' OR unit_id IS NOT NULL", name="route_has_unit"),)


class AllocationRule(db.Model):
    """How a unit gives new work to its mediators or arbitrators; a unit without a row allocates by rotation."""

    __tablename__ = "allocation_rules"

    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    method: Mapped[AllocationMethod] = mapped_column(enum_type(AllocationMethod, "allocation_method"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    unit: Mapped[Unit] = relationship()

    __table_args__ = (sa.CheckConstraint("method <> 'manual'", name="rule_not_manual"),)


class StaffSkill(db.Model):
    """A dispute category or a language a person takes, for the rules that allocate by them."""

    __tablename__ = "staff_skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SkillKind] = mapped_column(enum_type(SkillKind, "skill_kind"))
    value: Mapped[str] = mapped_column(sa.String(40))

    user: Mapped[User] = relationship()

    __table_args__ = (sa.UniqueConstraint("user_id", "kind", "value", name="uq_staff_skills_user_kind_value"),)


class Absence(db.Model):
    """A person away (leave, training, sickness) from one day to another, both included: not given new work."""

    __tablename__ = "absences"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    note: Mapped[str] = mapped_column(sa.String(200), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="absence_ends_after_start"),)


class CaseConflict(db.Model):
    """A recorded ground for a person to stand aside (回避, Law Art 33) on one case: never allocated it."""

    __tablename__ = "case_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(sa.String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    __table_args__ = (sa.UniqueConstraint("case_id", "user_id", name="uq_case_conflicts_case_user"),)


class Allocation(db.Model):
    """One giving of a case to a person, with the rule and the reasons (`detail`) that chose them."""

    __tablename__ = "allocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    role: Mapped[Role] = mapped_column(enum_type(Role, "allocation_role"))
    method: Mapped[AllocationMethod] = mapped_column(enum_type(AllocationMethod, "allocation_method"))
    # {"after": name, "skipped": [{"name", "why": "away"|"conflict", "until"}], "loads": {name: load}, "match": value}
    detail: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(sa.String(200))  # a manual allocation's or a bulk move's
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    case: Mapped[Case] = relationship()
    unit: Mapped[Unit] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])

    __table_args__ = (sa.Index("ix_allocations_unit_role_at", "unit_id", "role", "at"),)
