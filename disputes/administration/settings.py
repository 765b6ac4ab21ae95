"""The rules and reference data an administrator keeps: deadline rules, the holiday calendar, minimum wages,
hearing rooms, metric targets, number patterns and seals. Each operation calls the owning domain module, then
writes the audit entry; the domain module's own checks (and errors) stand."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from disputes import numbering, reference
from disputes.administration import audit
from disputes.documents import seals
from disputes.metrics import targets
from disputes.models import CalendarDay, FinalityRule, HearingRoom, MetricTarget, MinimumWage, Unit, UnitSeal, User
from disputes.sla import calendar_admin, rules

WAGE_FIELDS = ("region_code", "region_name", "effective_from", "monthly_amount")
ROOM_FIELDS = ("unit_id", "name", "active")
FINALITY_FIELDS = ("region_code", "region_name", "category", "rule", "effective_from", "source")
DAY_FIELDS = ("day", "kind", "name")


# --- the deadline rules and the calendar ------------------------------------------------


def edit_rule(session: Session, actor: User, rule_id: str, **changes):
    """A new version of the rule (sla.rules.edit_rule); the old version stays for running timers."""
    before = rules.current_rules(session).get(rule_id)
    saved = rules.edit_rule(session, actor, rule_id, **changes)
    if saved is not before:
        shown = tuple(rules.EDITABLE)
        audit.record(
            session,
            actor,
            "rule",
            rule_id,
            "edited",
            audit.snapshot(before, (*shown, "version")),
            audit.snapshot(saved, (*shown, "version")),
        )
    return saved


def add_calendar_day(
    session: Session, actor: User, day, kind, name: str, recompute: bool = True
) -> tuple[CalendarDay, int]:
    """`recompute=False` leaves the timers to a background job the caller queues (a change may move many)."""
    row, count = calendar_admin.add_day(session, day, kind, name, actor, recompute=recompute)
    audit.record(session, actor, "calendar_day", row.day.isoformat(), "created", None, audit.snapshot(row, DAY_FIELDS))
    return row, count


def edit_calendar_day(session: Session, actor: User, row: CalendarDay, kind, name: str, recompute: bool = True) -> int:
    before = audit.snapshot(row, DAY_FIELDS)
    count = calendar_admin.edit_day(session, row, kind, name, actor, recompute=recompute)
    audit.record(session, actor, "calendar_day", row.day.isoformat(), "edited", before, audit.snapshot(row, DAY_FIELDS))
    return count


def delete_calendar_day(session: Session, actor: User, row: CalendarDay, recompute: bool = True) -> int:
    before, key = audit.snapshot(row, DAY_FIELDS), row.day.isoformat()
    count = calendar_admin.delete_day(session, row, actor, recompute=recompute)
    audit.record(session, actor, "calendar_day", key, "deleted", before, None)
    return count


def mark_year_complete(session: Session, actor: User, year: int, recompute: bool = True):
    row = calendar_admin.mark_year_complete(session, year, actor, recompute=recompute)
    audit.record(session, actor, "calendar_year", year, "on_record")
    return row


def import_calendar(session: Session, actor: User, content: bytes, recompute: bool = True):
    result = calendar_admin.import_csv(session, content, actor, recompute=recompute)
    audit.record(
        session,
        actor,
        "calendar_year",
        ",".join(str(y) for y in result.years),
        "imported",
        None,
        {"years": list(result.years), "days": result.days},
    )
    return result


# --- minimum wages and hearing rooms ----------------------------------------------------


def add_minimum_wage(session: Session, actor: User, data: reference.WageInput) -> MinimumWage:
    row = reference.add_minimum_wage(session, data)
    audit.record(session, actor, "minimum_wage", row.id, "created", None, audit.snapshot(row, WAGE_FIELDS))
    return row


def update_minimum_wage(session: Session, actor: User, row: MinimumWage, data: reference.WageInput) -> MinimumWage:
    before = audit.snapshot(row, WAGE_FIELDS)
    reference.update_minimum_wage(session, row, data)
    audit.record(session, actor, "minimum_wage", row.id, "edited", before, audit.snapshot(row, WAGE_FIELDS))
    return row


def delete_minimum_wage(session: Session, actor: User, row: MinimumWage) -> None:
    before, key = audit.snapshot(row, WAGE_FIELDS), row.id
    reference.delete_minimum_wage(session, row)
    audit.record(session, actor, "minimum_wage", key, "deleted", before, None)


def save_finality_rule(
    session: Session, actor: User, row: FinalityRule | None, data: reference.FinalityRuleInput
) -> FinalityRule:
    """Add (row None) or change a province's reading of which claims are final (Law Art 47)."""
    before = audit.snapshot(row, FINALITY_FIELDS) if row is not None else None
    saved = reference.save_finality_rule(session, row, data)
    audit.record(
        session,
        actor,
        "finality_rule",
        saved.id,
        "created" if before is None else "edited",
        before,
        audit.snapshot(saved, FINALITY_FIELDS),
    )
    return saved


def add_hearing_room(session: Session, actor: User, unit: Unit | None, name: str, active: bool = True) -> HearingRoom:
    room = reference.add_hearing_room(session, unit, name, active=active)
    audit.record(session, actor, "hearing_room", room.id, "created", None, audit.snapshot(room, ROOM_FIELDS))
    return room


def update_hearing_room(session: Session, actor: User, room: HearingRoom, name: str, active: bool) -> HearingRoom:
    before = audit.snapshot(room, ROOM_FIELDS)
    reference.update_hearing_room(session, room, name, active)
    audit.record(session, actor, "hearing_room", room.id, "edited", before, audit.snapshot(room, ROOM_FIELDS))
    return room


# --- targets, number patterns, seals ----------------------------------------------------


def _target(session: Session, unit: Unit | None, figure: str) -> str | None:
    row = (
        session.query(MetricTarget)
        .filter(
            MetricTarget.figure == figure,
            MetricTarget.unit_id.is_(None) if unit is None else MetricTarget.unit_id == unit.id,
        )
        .one_or_none()
    )
    return audit.plain(row.minimum) if row is not None else None


def set_target(session: Session, actor: User, unit: Unit | None, figure: str, minimum: Decimal | None) -> None:
    before = _target(session, unit, figure)
    targets.set_target(session, actor, unit, figure, minimum)
    key = f"{unit.id if unit is not None else 'default'}:{figure}"
    audit.record(
        session, actor, "target", key, "edited", {"minimum": before}, {"minimum": _target(session, unit, figure)}
    )


def _pattern(unit: Unit, family: str) -> str | None:
    return next((f.pattern for f in unit.number_formats if f.family == family), None)


def set_number_pattern(session: Session, actor: User, unit: Unit, family: str, pattern: str) -> None:
    """The unit's own pattern for a family; an empty pattern removes it (the unit inherits its parent's)."""
    before = _pattern(unit, family)
    if pattern:
        numbering.set_pattern(session, unit, family, pattern)
    else:
        unit.number_formats = [f for f in unit.number_formats if f.family != family]
        session.flush()
    audit.record(
        session,
        actor,
        "number_pattern",
        f"{unit.id}:{family}",
        "edited",
        {"pattern": before},
        {"pattern": _pattern(unit, family)},
    )


def set_seal(session: Session, actor: User, unit: Unit, data: bytes, max_bytes: int):
    before = session.get(UnitSeal, unit.id)
    before_hash = before.sha256 if before is not None else None
    seal = seals.set_seal(session, unit, data, actor, max_bytes)
    audit.record(session, actor, "seal", unit.id, "edited", {"sha256": before_hash}, {"sha256": seal.sha256})
    return seal


def remove_seal(session: Session, actor: User, unit: Unit) -> None:
    seal = session.get(UnitSeal, unit.id)
    if seal is None:
        return
    before = {"sha256": seal.sha256}
    seals.remove_seal(session, unit)
    audit.record(session, actor, "seal", unit.id, "deleted", before, None)
