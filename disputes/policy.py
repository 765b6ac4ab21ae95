"""Who may do what on which case: one function per question.

Every view and CLI command asks here; nothing else decides access.
Reading scope (domain.md, “Who may do what”):
- supervisors, clerks, legal-aid officers, arbitrators and court liaison
  officers read the cases held by their unit and every unit below it;
- mediators read the cases of their own unit;
- anyone also reads the cases they are assigned to (lawyers only those);
- an admin manages users and units but reads no case file unless they
  also hold a case role.
"""
import sqlalchemy as sa

from disputes.models import Case, CaseAssignment, Role, Unit, User

CASE_ROLES = frozenset(Role) - {Role.ADMIN}
SUBTREE_READERS = frozenset(
    {Role.SUPERVISOR, Role.CLERK, Role.LEGAL_AID_OFFICER, Role.ARBITRATOR, Role.COURT_LIAISON}
)
REGISTRARS = frozenset({Role.CLERK, Role.MEDIATOR, Role.ARBITRATOR, Role.SUPERVISOR})
ID_READERS = frozenset({Role.CLERK, Role.MEDIATOR, Role.ARBITRATOR, Role.SUPERVISOR, Role.LEGAL_AID_OFFICER})


def _subtree_ids(unit: Unit) -> sa.Select:
    return sa.select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True))


def _assigned_case_ids(user: User) -> sa.Select:
    return sa.select(CaseAssignment.case_id).where(
        CaseAssignment.user_id == user.id, CaseAssignment.active.is_(True)
    )


def can_read_cases(user: User) -> bool:
    return user.is_authenticated and user.has_role(*CASE_ROLES)


def case_scope(user: User) -> sa.ColumnElement[bool]:
    """A WHERE clause on `Case` selecting exactly the cases `user` may read."""
    if not can_read_cases(user):
        return sa.false()
    clauses = [Case.id.in_(_assigned_case_ids(user))]
    if user.has_role(*SUBTREE_READERS):
        clauses.append(Case.unit_id.in_(_subtree_ids(user.unit)))
    elif user.has_role(Role.MEDIATOR):
        clauses.append(Case.unit_id == user.unit_id)
    return sa.or_(*clauses)


def _in_subtree(unit: Unit, root: Unit) -> bool:
    return unit.path.startswith(root.path)


def is_assigned(user: User, case: Case, *roles: Role) -> bool:
    return any(
        a.user_id == user.id and a.active and (not roles or a.role in roles) for a in case.assignments
    )


def can_view_case(user: User, case: Case) -> bool:
    if not can_read_cases(user):
        return False
    if is_assigned(user, case):
        return True
    if user.has_role(*SUBTREE_READERS):
        return _in_subtree(case.unit, user.unit)
    if user.has_role(Role.MEDIATOR):
        return case.unit_id == user.unit_id
    return False


def can_register_cases(user: User) -> bool:
    return user.is_authenticated and user.has_role(*REGISTRARS)


def registration_units(user: User, all_units: list[Unit]) -> list[Unit]:
    """Units a user may register a case into: a mediator's own, the others' subtree."""
    if not can_register_cases(user):
        return []
    if user.has_role(Role.CLERK, Role.ARBITRATOR, Role.SUPERVISOR):
        return [u for u in all_units if u.active and _in_subtree(u, user.unit)]
    return [u for u in all_units if u.active and u.id == user.unit_id]


def can_edit_parties(user: User, case: Case) -> bool:
    if not (can_register_cases(user) and can_view_case(user, case)):
        return False
    if user.has_role(Role.CLERK, Role.ARBITRATOR, Role.SUPERVISOR):
        return True
    return case.unit_id == user.unit_id or is_assigned(user, case, Role.MEDIATOR)


def can_reveal_ids(user: User, case: Case) -> bool:
    """Unmasking an ID number is for roles that need it, and is always audited."""
    if not can_view_case(user, case):
        return False
    return user.has_role(*ID_READERS) or is_assigned(user, case, Role.LAWYER)


def can_administer(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMIN)
