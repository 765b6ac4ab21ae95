"""Organisation units: a tree (district → street → community …) with kinds."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes.extensions import db
from disputes.models.base import enum_type
from disputes.models.enums import UnitKind

# The heads of an arbitration commission (仲裁委员会主任, or the 仲裁院负责人 they delegated: Rules Art 45), named by
# the administrator; only they approve extensions of the commission's cases.
commission_heads = sa.Table(
    "commission_heads",
    db.metadata,
    sa.Column("unit_id", sa.ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Unit(db.Model):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str | None] = mapped_column(sa.String(160))
    kind: Mapped[UnitKind] = mapped_column(enum_type(UnitKind, "unit_kind"))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    # Materialised path "/1/4/9/" so a subtree is one indexed prefix match.
    path: Mapped[str] = mapped_column(sa.String(255), default="/", index=True)
    region_code: Mapped[str | None] = mapped_column(sa.String(12))
    address: Mapped[str | None] = mapped_column(sa.String(200))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    active: Mapped[bool] = mapped_column(default=True)
    # An arbitration commission's most hearings an arbitrator sits in a day (NULL: no limit; migration 0035).
    hearings_per_arbitrator_day: Mapped[int | None] = mapped_column()

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.code")
    number_formats: Mapped[list[NumberFormat]] = relationship(back_populates="unit", cascade="all, delete-orphan")
    heads: Mapped[list[User]] = relationship(secondary=commission_heads, order_by="User.display_name")  # noqa: F821

    __table_args__ = (sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),)

    def ancestors(self) -> list[Unit]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def display_name(self, locale: str = "zh_CN") -> str:
        return self.name_en if locale.startswith("en") and self.name_en else self.name

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


class NumberFormat(db.Model):
    """How a unit writes one family of numbers, e.g. `深龙调援〔{year}〕{seq}号`."""

    __tablename__ = "number_formats"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="CASCADE"))
    family: Mapped[str] = mapped_column(sa.String(32))
    pattern: Mapped[str] = mapped_column(sa.String(120))

    unit: Mapped[Unit] = relationship(back_populates="number_formats")

    __table_args__ = (sa.UniqueConstraint("unit_id", "family", name="uq_number_formats_unit_family"),)


class NumberSequence(db.Model):
    """The last number handed out per unit, family and year; only ever incremented."""

    __tablename__ = "number_sequences"

    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), primary_key=True)
    family: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)

    __table_args__ = (sa.CheckConstraint("last_value >= 0", name="last_value_non_negative"),)
