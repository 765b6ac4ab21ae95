"""Column types and mixins shared by the models."""

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from disputes import clock


class UTCDateTime(sa.TypeDecorator):
    """A timezone-aware timestamp stored as UTC on every backend (SQLite keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def enum_type(enum_cls: type[StrEnum], name: str) -> sa.Enum:
    """A VARCHAR column with a CHECK constraint listing the enum's values."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


MONEY = sa.Numeric(14, 2)
# The largest amount any money field takes (claims, awards, agreements, instalments, minimum wages): far beyond any
# labour claim, and well inside NUMERIC(14, 2) (whose limit, 999,999,999,999.99, PostgreSQL enforces with an error).
MAX_MONEY = Decimal("999999999.99")


def money_check(column: str, *, positive: bool = False, nullable: bool = True) -> str:
    """The SQL of a CHECK bounding a money column to [0, MAX_MONEY] (or (0, …] when `positive`). NaN, which
    PostgreSQL's NUMERIC can hold, fails it: NaN compares greater than every number."""
    bound = f"{column} {'>' if positive else '>='} 0 AND {column} <= {MAX_MONEY}"
    return f"{column} IS NULL OR ({bound})" if nullable else bound


class CreatedAtMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc, nullable=False)
