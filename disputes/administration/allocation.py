"""How new work is given, as the administrator's edits: a unit's rule, absences and skills, each audited.

The rules themselves (rotation, load, category, language; who is skipped and why) are the domain's, in
`disputes/workflow/allocation.py`; these operations add the audit entry an administrator's edit writes."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.administration import audit
from disputes.models import Absence, AllocationMethod, SkillKind, StaffSkill, Unit, User
from disputes.workflow import allocation

ABSENCE_FIELDS = ("user_id", "starts_on", "ends_on", "note")
SKILL_FIELDS = ("user_id", "kind", "value")


def set_rule(session: Session, actor: User, unit: Unit, method: AllocationMethod | str) -> None:
    before = {"method": allocation.rule_of(session, unit).value}
    allocation.set_rule(session, actor, unit, method)
    audit.record(
        session,
        actor,
        "allocation_rule",
        unit.id,
        "edited",
        before,
        {"method": allocation.rule_of(session, unit).value},
    )


def record_absence(
    session: Session, actor: User, person: User, starts_on: date | None, ends_on: date | None, note: str = ""
) -> Absence:
    row = allocation.record_absence(session, actor, person, starts_on, ends_on, note)
    audit.record(session, actor, "absence", row.id, "created", None, audit.snapshot(row, ABSENCE_FIELDS))
    return row


def remove_absence(session: Session, actor: User, row: Absence) -> None:
    before, key = audit.snapshot(row, ABSENCE_FIELDS), row.id
    session.delete(row)
    session.flush()
    audit.record(session, actor, "absence", key, "deleted", before, None)


def add_skill(session: Session, actor: User, user_id: int, kind: SkillKind, value: str) -> StaffSkill:
    """A language or dispute category the person takes cases in; adding one they have already changes nothing."""
    row = session.scalar(
        sa.select(StaffSkill).where(StaffSkill.user_id == user_id, StaffSkill.kind == kind, StaffSkill.value == value)
    )
    if row is None:
        row = StaffSkill(user_id=user_id, kind=kind, value=value)
        session.add(row)
        session.flush()
        audit.record(session, actor, "skill", row.id, "created", None, audit.snapshot(row, SKILL_FIELDS))
    return row


def remove_skill(session: Session, actor: User, row: StaffSkill) -> None:
    before, key = audit.snapshot(row, SKILL_FIELDS), row.id
    session.delete(row)
    session.flush()
    audit.record(session, actor, "skill", key, "deleted", before, None)
