"""The administration's history (issue 15): who changed which user, unit, rule or setting, when, from what to
what. Cases keep their own timeline; this is for everything an administrator edits."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes import clock
from disputes.extensions import db
from disputes.models.base import UTCDateTime
from disputes.models.user import User


class AdminAudit(db.Model):
    __tablename__ = "admin_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now_utc)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    entity: Mapped[str] = mapped_column(sa.String(32))  # user, unit, rule, calendar_day, minimum_wage, …
    entity_id: Mapped[str] = mapped_column(sa.String(64))  # the row's key as text (ids, dates, rule ids)
    action: Mapped[str] = mapped_column(sa.String(32))  # created, edited, deleted, …
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)

    actor: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.Index("ix_admin_audit_at", "at"),
        sa.Index("ix_admin_audit_entity", "entity", "entity_id"),
    )
