"""Deadline rules as data: the current version of each rule, and edits that add a version."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.i18n import N_, DomainError
from disputes.models.sla import SlaRule
from disputes.models.user import User
from disputes.sla import events

SEED = Path(__file__).parent / "data" / "rules.json"
EDITABLE = (
    "title",
    "title_en",
    "period",
    "unit",
    "variants",
    "triggers",
    "completed_by",
    "cancelled_by",
    "pausable",
    "max_extension_days",
    "warning_days",
    "legal_basis",
    "note",
    "active",
)
EVENT_FIELDS = ("triggers", "completed_by", "cancelled_by")


def seed_rows() -> list[dict]:
    """The spec's rules (deadlines.md) as shipped; migration 0004 loads them as version 1."""
    return json.loads(SEED.read_text(encoding="utf-8"))


CACHE_KEY = "sla.rules"


def current_rules(session: Session) -> dict[str, SlaRule]:
    """The newest version of every rule, keyed by its stable id (read once per session; edits refresh it)."""
    cached = session.info.get(CACHE_KEY)
    if cached is not None and all(rule in session for rule in cached.values()):
        return cached
    newest = (
        sa.select(SlaRule.rule_id, sa.func.max(SlaRule.version).label("version")).group_by(SlaRule.rule_id).subquery()
    )
    rows = session.scalars(
        sa.select(SlaRule).join(
            newest, sa.and_(SlaRule.rule_id == newest.c.rule_id, SlaRule.version == newest.c.version)
        )
    )
    session.info[CACHE_KEY] = found = {rule.rule_id: rule for rule in rows}
    return found


def check_events(values: dict) -> None:
    """A rule names events by their action (or one of the few non-action events), and only actions that declare
    the date they carry: a timer starts, ends or is cancelled on that date."""
    known = events.known_events()
    for field in EVENT_FIELDS:
        names = list(values.get(field) or ())
        unknown = [name for name in names if name not in known]
        if unknown:
            raise DomainError(N_("Unknown events: %(names)s."), field=field, names=", ".join(unknown))
        undated = [name for name in names if known[name] is not None and known[name].dated_by is None]
        if undated:
            raise DomainError(
                N_("These steps record no date a deadline could run from: %(names)s."),
                field=field,
                names=", ".join(undated),
            )
    for field in ("triggers", "completed_by"):
        if not values.get(field):
            raise DomainError(N_("Name at least one event."), field=field)


def history(session: Session, rule_id: str) -> list[SlaRule]:
    return list(session.scalars(sa.select(SlaRule).where(SlaRule.rule_id == rule_id).order_by(SlaRule.version.desc())))


def edit_rule(session: Session, actor: User, rule_id: str, **changes) -> SlaRule:
    """Add a new version; timers already running keep the version they started with."""
    current = current_rules(session).get(rule_id)
    if current is None:
        raise DomainError(N_("There is no rule %(rule)s."), rule=rule_id)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(N_("These fields cannot be edited: %(fields)s."), fields=", ".join(sorted(unknown)))
    values = {name: getattr(current, name) for name in EDITABLE} | changes
    if values["period"] is None or values["period"] < 0:
        raise DomainError(N_("The period cannot be negative."), field="period")
    if values["warning_days"] is None or values["warning_days"] < 0:
        raise DomainError(N_("The warning window cannot be negative."), field="warning_days")
    check_events(values)
    if all(values[name] == getattr(current, name) for name in EDITABLE):
        return current
    rule = SlaRule(rule_id=rule_id, version=current.version + 1, kind=current.kind, created_by_id=actor.id, **values)
    session.add(rule)
    session.flush()
    session.info.pop(CACHE_KEY, None)
    return rule
