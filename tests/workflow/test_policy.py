"""Who sees what (disputes.policy): the SQL scope and the per-case check must always agree."""

from functools import partial

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from disputes import organisation, policy
from disputes.i18n import DomainError
from disputes.models import Case, CaseAssignment, Role, Unit, UnitKind
from tests.conftest import PASSWORD

CENTRE_SUBTREE = {"centre", "mediation", "arbitration", "legal_aid", "court"}
ALL_CASES = CENTRE_SUBTREE | {"street_mediation", "street"}


class World:
    """The org fixture plus a case in each of seven units, some assignments and a few more users."""

    def __init__(self, db, org, make_case):
        add = partial(organisation.add_user, db.session, password=PASSWORD)
        self.org = org
        self.users = {role.value: org.user(role) for role in Role}
        self.users["street_clerk"] = add("bj-clerk", "布吉书记员", [Role.CLERK], org.street)
        self.users["street_mediator"] = add("bjm-mediator", "布吉调解员", [Role.MEDIATOR], org.street_mediation)
        self.users["district_supervisor"] = add("lg-supervisor", "区主管", [Role.SUPERVISOR], org.district)
        self.users["admin_supervisor"] = add("lg-admin-sup", "管理兼主管", [Role.ADMIN, Role.SUPERVISOR], org.district)
        self.users["mediator_and_lawyer"] = add("both", "调解员兼律师", [Role.MEDIATOR, Role.LAWYER], org.mediation)
        db.session.commit()
        clerk, street_clerk = org.user(Role.CLERK), self.users["street_clerk"]
        self.cases = {name: make_case(unit=getattr(org, name), actor=clerk) for name in sorted(CENTRE_SUBTREE)}
        self.cases["street_mediation"] = make_case(unit=org.street_mediation, actor=street_clerk)
        self.cases["street"] = make_case(unit=org.street, actor=street_clerk)
        assign = [
            ("street_mediation", Role.LAWYER, Role.LAWYER, True),  # the lawyer reads only this
            ("arbitration", Role.MEDIATOR, Role.MEDIATOR, True),  # a mediator helping another unit
            ("street", Role.ARBITRATOR, Role.ARBITRATOR, False),  # an ended assignment gives nothing
        ]
        for case_name, user_role, as_role, active in assign:
            self.cases[case_name].assignments.append(
                CaseAssignment(user=org.user(user_role), role=as_role, active=active)
            )
        db.session.commit()

    def names(self, case_ids) -> set[str]:
        by_id = {case.id: name for name, case in self.cases.items()}
        return {by_id[i] for i in case_ids}


@pytest.fixture
def world(db, org, make_case):
    return World(db, org, make_case)


def scoped(db, user) -> set[int]:
    return set(db.session.scalars(sa.select(Case.id).where(policy.case_scope(user))))


def viewable(world, user) -> set[int]:
    return {case.id for case in world.cases.values() if policy.can_view_case(user, case)}


EXPECTED = {
    "clerk": CENTRE_SUBTREE,
    "supervisor": CENTRE_SUBTREE,  # the centre's subtree, not the street
    "mediator": {"mediation", "arbitration"},  # own unit plus the assigned case
    "legal_aid_officer": {"legal_aid"},
    "lawyer": {"street_mediation"},  # only what they are assigned to
    "arbitrator": {"arbitration"},  # the ended assignment on the street case gives nothing
    "court_liaison": {"court"},
    "admin": set(),  # administers, reads no case file
    "street_clerk": {"street", "street_mediation"},
    "street_mediator": {"street_mediation"},
    "district_supervisor": ALL_CASES,
    "admin_supervisor": ALL_CASES,  # an admin who also holds a case role reads by that role
    "mediator_and_lawyer": {"mediation"},
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_scope_and_case_check_agree(db, world, who):
    user = world.users[who]
    assert scoped(db, user) == viewable(world, user)
    assert world.names(scoped(db, user)) == EXPECTED[who]


def test_every_role_of_the_fixture_is_covered():
    assert {r.value for r in Role} <= set(EXPECTED)


def test_agreement_survives_changes(db, world, org):
    """Re-hang the street under the centre, end the lawyer's assignment, deactivate a unit: still in step."""
    organisation.move_unit(db.session, org.street, org.centre)
    world.cases["street_mediation"].assignments[0].active = False
    org.mediation.active = False
    db.session.commit()
    for who, user in world.users.items():
        assert scoped(db, user) == viewable(world, user), who
    assert world.names(scoped(db, world.users["supervisor"])) == ALL_CASES
    assert world.names(scoped(db, world.users["lawyer"])) == set()
    assert world.names(scoped(db, world.users["mediator"])) == {"mediation", "arbitration"}


def test_a_unit_cannot_move_below_itself(db, org):
    with pytest.raises(DomainError):
        organisation.move_unit(db.session, org.district, org.street_mediation)
    with pytest.raises(DomainError):
        organisation.move_unit(db.session, org.street, org.street)


def test_subtree_is_not_a_mere_string_prefix(db, org, make_case):
    """A unit whose id starts with the same digits (/1/ and /12/) is not in the subtree."""
    district_path = org.district.path
    roots = []
    while len(roots) < 200:
        unit = organisation.add_unit(db.session, f"R{len(roots)}", f"另一区{len(roots)}", UnitKind.DISTRICT)
        roots.append(unit)
        if unit.path.startswith(district_path.rstrip("/")):
            break
    lookalike = roots[-1]
    assert lookalike.path != district_path and lookalike.path.startswith(district_path[:-1])
    clerk = organisation.add_user(db.session, "r-clerk", "书记员", [Role.CLERK], lookalike, PASSWORD)
    supervisor = organisation.add_user(db.session, "lg-sup", "区主管", [Role.SUPERVISOR], org.district, PASSWORD)
    db.session.commit()
    case = make_case(unit=lookalike, actor=clerk)
    assert not policy.can_view_case(supervisor, case)
    assert case.id not in scoped(db, supervisor)
    assert case.id in scoped(db, clerk)


def test_anonymous_and_inactive_users_see_nothing(db, world):
    anonymous = AnonymousUserMixin()
    assert not policy.can_read_cases(anonymous)
    assert not policy.can_register_cases(anonymous)
    assert not policy.can_administer(anonymous)
    assert all(not policy.can_view_case(anonymous, case) for case in world.cases.values())
    assert set(db.session.scalars(sa.select(Case.id).where(policy.case_scope(anonymous)))) == set()

    clerk = world.users["clerk"]
    clerk.active = False
    db.session.commit()
    assert scoped(db, clerk) == viewable(world, clerk) == set()


# --- registration units ---------------------------------------------------------------------------

REGISTRATION = {
    "clerk": CENTRE_SUBTREE,
    "supervisor": CENTRE_SUBTREE,
    "arbitrator": {"arbitration"},
    "mediator": {"mediation"},  # own unit only
    "legal_aid_officer": set(),
    "lawyer": set(),
    "court_liaison": set(),
    "admin": set(),
}


def unit_names(org, units) -> set[str]:
    by_id = {getattr(org, name).id: name for name in (*ALL_CASES, "district")}
    return {by_id[u.id] for u in units}


@pytest.mark.parametrize("role", sorted(REGISTRATION))
def test_registration_units(db, org, role):
    all_units = list(db.session.scalars(sa.select(Unit)))
    user = org.user(role)
    assert unit_names(org, policy.registration_units(user, all_units)) == REGISTRATION[role]
    assert policy.can_register_cases(user) == bool(REGISTRATION[role])


def test_registration_skips_inactive_units(db, org):
    org.legal_aid.active = False
    org.mediation.active = False
    db.session.commit()
    all_units = list(db.session.scalars(sa.select(Unit)))
    expected = CENTRE_SUBTREE - {"legal_aid", "mediation"}
    assert unit_names(org, policy.registration_units(org.user(Role.CLERK), all_units)) == expected
    assert policy.registration_units(org.user(Role.MEDIATOR), all_units) == []  # the mediator's own unit is closed


# --- other questions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "case_name", "expected"),
    [
        ("clerk", "centre", True),
        ("clerk", "street", False),  # cannot even read it
        ("supervisor", "court", True),
        ("arbitrator", "arbitration", True),
        ("mediator", "mediation", True),
        ("mediator", "arbitration", True),  # assigned as mediator
        ("mediator", "centre", False),
        ("street_mediator", "street_mediation", True),
        ("legal_aid_officer", "legal_aid", False),  # reads, but does not register or edit
        ("lawyer", "street_mediation", False),
        ("court_liaison", "court", False),
        ("admin", "centre", False),
    ],
)
def test_can_edit_parties(world, who, case_name, expected):
    assert policy.can_edit_parties(world.users[who], world.cases[case_name]) is expected


@pytest.mark.parametrize(
    ("who", "case_name", "expected"),
    [
        ("clerk", "centre", True),
        ("supervisor", "court", True),
        ("mediator", "mediation", True),
        ("arbitrator", "arbitration", True),
        ("legal_aid_officer", "legal_aid", True),
        ("lawyer", "street_mediation", True),  # assigned as lawyer
        ("lawyer", "centre", False),
        ("court_liaison", "court", False),  # reads the case, but not the full ID numbers
        ("admin", "centre", False),
        ("clerk", "street", False),
        ("admin_supervisor", "street", True),
    ],
)
def test_can_reveal_ids(world, who, case_name, expected):
    assert policy.can_reveal_ids(world.users[who], world.cases[case_name]) is expected


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_can_administer_only_admins(world, who):
    assert policy.can_administer(world.users[who]) is (Role.ADMIN in world.users[who].roles)
