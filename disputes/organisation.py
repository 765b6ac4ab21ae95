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
        node.path = new_prefix + node.path[len(old_prefix) :]
    session.flush()


_TREE = "organisation.unit_tree"


def unit_tree(session: Session) -> list[tuple[Unit, int]]:
    """Every unit with its depth, parents before children, siblings by code. Read once per transaction: a page asks
    for it three or four times (the scope's units, the unit filter, the pickers); a flush, commit or rollback
    forgets it, so a request that changes units reads them again (and so does one whose units were expired)."""
    cached = session.info.get(_TREE)
    if cached is None or any(sa.inspect(unit).expired for unit, _depth in cached):  # expire_all(): one read again
        cached = session.info[_TREE] = _read_tree(session)
    return list(cached)


def _read_tree(session: Session) -> list[tuple[Unit, int]]:
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


@sa.event.listens_for(Session, "after_flush")
@sa.event.listens_for(Session, "after_commit")
@sa.event.listens_for(Session, "after_soft_rollback")
def _forget_tree(session: Session, *_args) -> None:
    session.info.pop(_TREE, None)


# Words an attacker tries first here (NIST SP 800-63B 3.1.1.2: context-specific words), besides zxcvbn's own lists
# of common passwords, words and names, and the account's username and name: the service, the place, and the most
# common Chinese passwords' pinyin and number words, which zxcvbn's English lists do not know.
CONTEXT_WORDS = (
    "tiaoyuan",
    "caisu",
    "tiaoyuancaisu",
    "disputes",
    "laodong",
    "zhengyi",
    "zhongcai",
    "tiaojie",
    "falv",
    "yuanzhu",
    "shenzhen",
    "longgang",
    "guangdong",
    "beijing",
    "shanghai",
    "zhongguo",
    "china",
    "woaini",
    "wo ai ni",
    "1314520",
    "5201314",
    "520520",
    "woaini1314",
    "aini1314",
    "iloveyou",
    "zhangsan",
    "lisi",
    "wangwu",
    "wangwei",
    "liwei",
    "zhangwei",
    "wangfang",
    "liuyang",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
)
ZXCVBN_MAX_LENGTH = 72  # zxcvbn's own limit; a longer password is judged by its first 72 characters
MIN_PASSWORD_SCORE = 3  # zxcvbn's "safely unguessable" (about 10^8 guesses and more)


def generate_password() -> str:
    while True:  # 72 random bits: practically always strong; the loop only makes sure of it
        password = secrets.token_urlsafe(12)
        if _password_score(password, ()) >= MIN_PASSWORD_SCORE:
            return password


def _password_score(password: str, user_inputs) -> int:
    from zxcvbn import zxcvbn

    inputs = [word for word in (*CONTEXT_WORDS, *user_inputs) if word]
    return zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=inputs)["score"]


def check_password_strength(password: str, username: str = "", display_name: str = "") -> None:
    """At least 10 characters and not easy to guess (NIST SP 800-63B 5.1.1.2): common passwords, words and names,
    repetitions (aaaaaaaaaa), sequences (1234567890), keyboard walks (qwertyuiop) and the user's own names."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(N_("A password needs at least %(n)d characters."), field="password", n=MIN_PASSWORD_LENGTH)
    names = [name for name in (username.strip(), display_name.strip()) if len(name) >= 3]
    rest = password
    for name in names:  # the user's own names count for nothing: "clerk-clerk-clerk" is as weak as "--"
        rest = re.sub(re.escape(name), "", rest, flags=re.IGNORECASE)
    if min(_password_score(password, names), _password_score(rest, names)) < MIN_PASSWORD_SCORE:
        raise DomainError(
            N_(
                "This password is too easy to guess (a common password, a word or name, a repetition, a sequence or a "
                "keyboard pattern). Choose a longer one, e.g. several unrelated words."
            ),
            field="password",
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
    check_password_strength(password, username, display_name)
    user = User(username=username, display_name=display_name.strip() or username, unit=unit, locale=locale, **details)
    user.set_roles(roles)
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def reset_password(user: User, password: str) -> None:
    check_password_strength(password, user.username, user.display_name)
    user.set_password(password)
    user.end_sessions()
    user.failed_logins = 0
    user.locked_until = None


def head_candidates(session: Session, commission: Unit) -> list[User]:
    """Who may head a commission: active supervisors of the commission or of a unit above it (they read its cases)."""
    units = [commission.id, *(u.id for u in commission.ancestors())]
    return [
        u
        for u in session.scalars(
            sa.select(User).where(User.unit_id.in_(units), User.active.is_(True)).order_by(User.display_name, User.id)
        )
        if u.has_role(Role.SUPERVISOR)
    ]


def set_commission_heads(session: Session, commission: Unit, users: list[User]) -> None:
    """Name the commission's heads (仲裁委员会主任 and the 仲裁院负责人 they delegated, Rules Art 45): the only people
    who approve its extensions. Each must be a supervisor of the commission or of a unit above it."""
    if commission.kind != UnitKind.ARBITRATION_COMMISSION:
        raise DomainError(N_("Only an arbitration commission has heads."), field="heads")
    allowed = {u.id for u in head_candidates(session, commission)}
    for user in users:
        if user.id not in allowed:
            raise DomainError(
                N_("%(name)s is not an active supervisor of this commission or a unit above it."),
                field="heads",
                name=user.display_name,
            )
    commission.heads = list(dict.fromkeys(users))
    session.flush()
