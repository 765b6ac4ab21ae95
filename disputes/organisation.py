"""Units and users: the admin's operations, shared by the admin pages and the CLI."""
from __future__ import annotations

import re
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.i18n import N_, DomainError
from disputes.models import Role, Unit, UnitKind, User

MIN_PASSWORD_LENGTH = 10


def unit_by_code(session: Session, code: str) -> Unit:
    unit = session.scalar(sa.select(Unit).where(Unit.code == code))
    if unit is None:
        raise DomainError(N_("There is no unit with code %(code)s."), field="unit", code=code)
    return unit


def subtree(unit: Unit) -> sa.Select:
    """The ids of `unit` and every unit below it (their materialised paths start with its path)."""
    return sa.select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True))


REGION_CODE = re.compile(r"^[0-9]{6}$")  # ASCII: \d also takes full-width digits


def region_code(value: str | None) -> str | None:
    """A unit's administrative division code (行政区划代码, GB/T 2260): six digits, or none. The minimum wage of a
    final award is looked up by it (decisions.md)."""
    value = (value or "").strip()
    if value and not REGION_CODE.match(value):
        raise DomainError(N_("A region code is six digits (GB/T 2260), for example 440307."), field="region_code")
    return value or None


def add_unit(
    session: Session, code: str, name: str, kind: UnitKind | str, parent: Unit | None = None, **details
) -> Unit:
    code = code.strip()
    if not code or not name.strip():
        raise DomainError(N_("A unit needs a code and a name."), field="code")
    if "region_code" in details:
        details["region_code"] = region_code(details["region_code"])
    if session.scalar(sa.select(Unit.id).where(Unit.code == code)) is not None:
        raise DomainError(N_("The unit code %(code)s is taken."), field="code", code=code)
    unit = Unit(code=code, name=name.strip(), kind=UnitKind(kind), parent=parent, **details)
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    session.flush()
    return unit


def move_unit(session: Session, unit: Unit, new_parent: Unit | None) -> None:
    """Re-hang a unit and its whole subtree; a unit cannot move below itself."""
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise DomainError(N_("A unit cannot be placed below itself."), field="parent")
    old_prefix = unit.path
    new_prefix = f"{new_parent.path if new_parent else '/'}{unit.id}/"
    unit.parent = new_parent
    for node in session.scalars(sa.select(Unit).where(Unit.path.startswith(old_prefix, autoescape=True))):
        node.path = new_prefix + node.path[len(old_prefix):]
    session.flush()


def unit_tree(session: Session) -> list[tuple[Unit, int]]:
    """Every unit with its depth, parents before children, siblings by code."""
    units = list(session.scalars(sa.select(Unit)))
    by_parent: dict[int | None, list[Unit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in sorted(by_parent.get(parent_id, []), key=lambda u: u.code):
            ordered.append((unit, depth))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return ordered


def generate_password() -> str:
    return secrets.token_urlsafe(9)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            N_("A password needs at least %(n)d characters."), field="password", n=MIN_PASSWORD_LENGTH
        )


def add_user(
    session: Session,
    username: str,
    display_name: str,
    roles: list[Role | str],
    unit: Unit,
    password: str,
    locale: str = "zh_CN",
    **details,
) -> User:
    username = username.strip().lower()
    if not username:
        raise DomainError(N_("A user needs a username."), field="username")
    if session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise DomainError(N_("The username %(username)s is taken."), field="username", username=username)
    if not roles:
        raise DomainError(N_("A user needs at least one role."), field="roles")
    check_password_strength(password)
    user = User(username=username, display_name=display_name.strip() or username, unit=unit, locale=locale, **details)
    user.set_roles(roles)
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def reset_password(user: User, password: str) -> None:
    check_password_strength(password)
    user.set_password(password)
    user.failed_logins = 0
    user.locked_until = None
