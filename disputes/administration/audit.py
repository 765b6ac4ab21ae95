"""The administration's audit trail: one entry per change, with what the row was before and after."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.models import AdminAudit, User

PER_PAGE = 50


def plain(value):
    """A value as JSON keeps it: dates as ISO text, amounts as text (no float rounding), enums by value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def snapshot(row, fields) -> dict:
    return {name: plain(getattr(row, name)) for name in fields}


def record(
    session: Session,
    actor: User | None,
    entity: str,
    entity_id,
    action: str,
    before: dict | None = None,
    after: dict | None = None,
) -> AdminAudit | None:
    """Write one entry; an edit that changed nothing writes none (returns None)."""
    if action == "edited" and before == after:
        return None
    if before is not None and after is not None and action == "edited":
        keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
        before, after = {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
    entry = AdminAudit(
        actor_id=actor.id if actor is not None else None,
        entity=entity,
        entity_id=str(entity_id),
        action=action,
        before=before,
        after=after,
    )
    session.add(entry)
    session.flush()
    return entry


def entities(session: Session) -> list[str]:
    return list(session.scalars(sa.select(AdminAudit.entity).distinct().order_by(AdminAudit.entity)))


def page(
    session: Session, entity: str | None, page_no: int, per_page: int | None = None
) -> tuple[list[AdminAudit], int]:
    """Newest first, optionally one kind of entity; the entries of one page and the number of all."""
    per_page = per_page or PER_PAGE
    where = [AdminAudit.entity == entity] if entity else []
    total = session.scalar(sa.select(sa.func.count()).select_from(AdminAudit).where(*where))
    rows = session.scalars(
        sa.select(AdminAudit)
        .where(*where)
        .order_by(AdminAudit.at.desc(), AdminAudit.id.desc())
        .offset((page_no - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(rows), total
