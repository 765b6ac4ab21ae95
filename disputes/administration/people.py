"""Users and units, as an administrator edits them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from disputes import numbering, organisation
from disputes.administration import audit
from disputes.i18n import N_, DomainError
from disputes.models import Role, Unit, UnitKind, User

USER_FIELDS = ("username", "display_name", "unit_id", "locale", "email", "phone", "active")
UNIT_FIELDS = (
    "code",
    "name",
    "name_en",
    "kind",
    "region_code",
    "address",
    "phone",
    "active",
    "parent_id",
    "hearings_per_arbitrator_day",
)
SELF_DEMOTION = N_("You cannot deactivate yourself or drop your own admin role.")


def _user_state(user: User) -> dict:
    return audit.snapshot(user, USER_FIELDS) | {"roles": sorted(r.value for r in user.roles)}


def _unit_state(unit: Unit) -> dict:
    registry = next((f.pattern for f in unit.number_formats if f.family == numbering.REGISTRY), None)
    return audit.snapshot(unit, UNIT_FIELDS) | {"registry_pattern": registry, "heads": sorted(u.id for u in unit.heads)}


def create_user(
    session: Session, actor: User, username: str, display_name: str, roles, unit: Unit | None, password: str, **details
) -> User:
    user = organisation.add_user(session, username, display_name, roles, unit, password, **details)
    audit.record(session, actor, "user", user.id, "created", None, _user_state(user))
    return user


@dataclass
class UserChanges:
    display_name: str
    unit: Unit | None
    roles: list[str]
    locale: str
    email: str | None = None
    phone: str | None = None
    active: bool = True


def edit_user(session: Session, actor: User, user: User, changes: UserChanges) -> None:
    """Nobody deactivates themselves or drops their own admin role (the last admin would lock everyone out). A
    change of roles or a deactivation ends the user's signed-in sessions: they sign in again with the new rights."""
    if user.id == actor.id and (not changes.active or Role.ADMIN.value not in {Role(r).value for r in changes.roles}):
        raise DomainError(SELF_DEMOTION, field="active")
    before = _user_state(user)
    roles_before, active_before = user.roles, user.active
    user.display_name = changes.display_name.strip()
    user.unit = changes.unit
    user.set_roles(changes.roles)
    user.locale = changes.locale
    user.email = changes.email or None
    user.phone = changes.phone or None
    user.active = changes.active
    if user.roles != roles_before or (active_before and not user.active):
        user.end_sessions()
    session.flush()
    audit.record(session, actor, "user", user.id, "edited", before, _user_state(user))


def reset_password(session: Session, actor: User, user: User, password: str) -> None:
    """The password is never written to the trail, only that it was reset (and the account unlocked)."""
    organisation.reset_password(user, password)
    session.flush()
    audit.record(session, actor, "user", user.id, "password_reset")


def create_unit(
    session: Session,
    actor: User,
    code: str,
    name: str,
    kind,
    parent: Unit | None,
    registry_pattern: str | None = None,
    **details,
) -> Unit:
    unit = organisation.add_unit(session, code, name, kind, parent, **details)
    if registry_pattern:
        numbering.set_pattern(session, unit, numbering.REGISTRY, registry_pattern)
    audit.record(session, actor, "unit", unit.id, "created", None, _unit_state(unit))
    return unit


@dataclass
class UnitChanges:
    name: str
    kind: UnitKind | str
    parent: Unit | None
    name_en: str | None = None
    region_code: str | None = None
    address: str | None = None
    phone: str | None = None
    active: bool = True
    registry_pattern: str = ""
    heads: list[User] | None = None  # None: not a commission's form, heads untouched
    hearings_per_arbitrator_day: int | None = None  # a commission's daily limit of hearings an arbitrator (None: none)


def edit_unit(session: Session, actor: User, unit: Unit, changes: UnitChanges) -> None:
    before = _unit_state(unit)
    was_commission = unit.kind == UnitKind.ARBITRATION_COMMISSION
    for name in ("name", "name_en", "kind", "region_code", "address", "phone", "active"):
        value = getattr(changes, name)
        setattr(unit, name, value if value != "" else None)
    unit.region_code = organisation.region_code(unit.region_code)
    if changes.parent is not unit.parent:
        organisation.move_unit(session, unit, changes.parent)
    pattern = (changes.registry_pattern or "").strip()
    if pattern != (before["registry_pattern"] or ""):
        if pattern:
            numbering.set_pattern(session, unit, numbering.REGISTRY, pattern)
        else:
            unit.number_formats = [f for f in unit.number_formats if f.family != numbering.REGISTRY]
    still_commission = was_commission and unit.kind == UnitKind.ARBITRATION_COMMISSION
    unit.hearings_per_arbitrator_day = changes.hearings_per_arbitrator_day if still_commission else None
    if changes.heads is not None and still_commission and {u.id for u in changes.heads} != {u.id for u in unit.heads}:
        organisation.set_commission_heads(session, unit, changes.heads)
    session.flush()
    audit.record(session, actor, "unit", unit.id, "edited", before, _unit_state(unit))
