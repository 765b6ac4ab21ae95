"""The indexed reading scope (case_readers, migration 0019) selects exactly what the former rule selected.

The former `policy.case_scope` — an OR of sub-queries over every track table — is kept here as the oracle. A
hypothesis test builds random unit trees, cases with tracks placed anywhere (then moved, removed, cases moved),
assignments and users of every role mix, and compares the two scopes for every user, on the backend of the run
(SQLite, or PostgreSQL with TEST_DATABASE_URL); `case_readers` must equal what the cases, tracks and
assignments say. The demo
centre's users get the same cases as under the former rule."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes import policy
from disputes.models import (
    Arbitration,
    Case,
    CaseAssignment,
    CaseReader,
    LegalAidApplication,
    Mediation,
    Party,
    Role,
    Unit,
    UnitKind,
    User,
)
from disputes.organisation import subtree
from disputes.workflow.states import ArbitrationState

TRACK_TABLES = (Mediation, Arbitration, LegalAidApplication)


def former_case_scope(user: User) -> sa.ColumnElement[bool]:
    """`policy.case_scope` as it was before migration 0019 (commit e7ad896): the oracle."""
    if not policy.can_read_cases(user):
        return sa.false()

    def with_track_in(units):
        return [Case.id.in_(sa.select(t.case_id).where(t.unit_id.in_(units))) for t in TRACK_TABLES]

    assigned = sa.select(CaseAssignment.case_id).where(
        CaseAssignment.user_id == user.id, CaseAssignment.active.is_(True)
    )
    clauses = [Case.id.in_(assigned)]
    if user.has_role(*policy.SUBTREE_READERS):
        units = subtree(user.unit)
        clauses += [Case.unit_id.in_(units), *with_track_in(units)]
    elif user.has_role(Role.MEDIATOR):
        clauses += [Case.unit_id == user.unit_id, *with_track_in([user.unit_id])]
    if user.has_role(Role.COURT_LIAISON) and user.unit.parent is not None:
        units = subtree(user.unit.parent)
        decided = sa.select(Arbitration.case_id).where(Arbitration.state.in_(policy.COURT_VISIBLE))
        clauses.append(sa.and_(Case.id.in_(decided), sa.or_(Case.unit_id.in_(units), *with_track_in(units))))
    return sa.or_(*clauses)


def ids(session, clause) -> set[int]:
    return set(session.scalars(sa.select(Case.id).where(clause)))


def expected_pairs(session) -> set[tuple[int, int]]:
    """(case, reader) as the cases, tracks and active assignments say: units > 0, −user id for a person."""
    pairs = {tuple(r) for r in session.execute(sa.select(Case.id, Case.unit_id))}
    for track in TRACK_TABLES:
        pairs |= {tuple(r) for r in session.execute(sa.select(track.case_id, track.unit_id))}
    pairs |= {
        (case_id, -user_id)
        for case_id, user_id in session.execute(
            sa.select(CaseAssignment.case_id, CaseAssignment.user_id).where(CaseAssignment.active.is_(True))
        )
    }
    return pairs


def kept_pairs(session) -> set[tuple[int, int]]:
    return {tuple(r) for r in session.execute(sa.select(CaseReader.case_id, CaseReader.reader))}


ROLES = sorted(Role, key=str)
ARBITRATION_STATES = ("received", "refused", "closed")
DAY = date(2026, 3, 2)


@st.composite
def worlds(draw):
    n_units = draw(st.integers(2, 7))
    parents = [None] + [draw(st.integers(0, i - 1)) for i in range(1, n_units)]
    unit = st.integers(0, n_units - 1)
    users = draw(
        st.lists(st.tuples(unit, st.sets(st.sampled_from(ROLES), min_size=1, max_size=3)), min_size=1, max_size=6)
    )
    cases = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "unit": unit,
                    "mediation": st.none() | unit,
                    "arbitration": st.none() | st.tuples(unit, st.sampled_from(ARBITRATION_STATES)),
                    "legal_aid": st.lists(unit, max_size=2),
                }
            ),
            min_size=1,
            max_size=10,
        )
    )
    n_cases, n_users = len(cases), len(users)
    assignments = draw(
        st.lists(
            st.tuples(
                st.integers(0, n_cases - 1),
                st.integers(0, n_users - 1),
                st.sampled_from([Role.MEDIATOR, Role.ARBITRATOR, Role.LAWYER]),
                st.booleans(),
            ),
            max_size=6,
            unique_by=lambda a: (a[0], a[1], a[2]),
        )
    )
    # Afterwards: a case or a track moves to another unit, a track goes, an assignment ends or starts again.
    changes = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["case", "mediation", "arbitration", "legal_aid", "drop", "toggle", "unassign"]),
                st.integers(0, n_cases - 1),
                unit,
            ),
            max_size=5,
        )
    )
    return parents, users, cases, assignments, changes


def build(session, world, prefix: str):
    parents, users_spec, cases_spec, assignments, changes = world
    units: list[Unit] = []
    for i, parent in enumerate(parents):
        u = Unit(
            code=f"{prefix}{i}",
            name=f"单位{i}",
            kind=UnitKind.CENTRE if i else UnitKind.DISTRICT,
            parent=units[parent] if parent is not None else None,
            path="",
        )
        session.add(u)
        session.flush()
        u.path = f"{u.parent.path if u.parent else '/'}{u.id}/"
        units.append(u)
    users = []
    for i, (unit, roles) in enumerate(users_spec):
        user = User(username=f"{prefix}user{i}", display_name=f"用户{i}", password_hash="x", unit=units[unit])
        user.set_roles(roles)
        session.add(user)
        users.append(user)
    session.flush()
    cases = []
    for i, spec in enumerate(cases_spec):
        case = Case(registry_no=f"{prefix}-{i}", unit=units[spec["unit"]], registered_on=DAY, cause="欠薪")
        session.add(case)
        session.flush()
        parties = [
            Party(case_id=case.id, position=n, side="applicant", kind="worker", name=name)
            for n, name in enumerate(("张三", "李四"))
        ]
        session.add_all(parties)
        if spec["mediation"] is not None:
            session.add(Mediation(case_id=case.id, unit_id=units[spec["mediation"]].id, applied_on=DAY))
        if spec["arbitration"] is not None:
            unit, state = spec["arbitration"]
            extra = {
                "received": {},
                "refused": {"refused_on": DAY, "refusal_reason": "不予受理"},
                "closed": {"closed_on": DAY, "closure_type": "deemed_withdrawn"},
            }[state]
            session.add(
                Arbitration(
                    case_id=case.id,
                    unit_id=units[unit].id,
                    state=ArbitrationState(state),
                    received_on=DAY,
                    complete_on=DAY,
                    **extra,
                )
            )
        session.flush()
        for party, unit in zip(parties, spec["legal_aid"], strict=False):
            session.add(
                LegalAidApplication(
                    case_id=case.id,
                    party_id=party.id,
                    unit_id=units[unit].id,
                    applied_on=DAY,
                    matter="仲裁代理",
                    complete_on=DAY,
                    hardship_waived=True,
                )
            )
        cases.append(case)
    for case, user, role, active in assignments:
        session.add(CaseAssignment(case_id=cases[case].id, user_id=users[user].id, role=role, active=active))
    session.flush()
    for what, case, unit in changes:
        case_id, unit_id = cases[case].id, units[unit].id
        if what == "case":
            session.execute(sa.update(Case).where(Case.id == case_id).values(unit_id=unit_id))
        elif what == "drop":
            for track in TRACK_TABLES:
                session.execute(sa.delete(track).where(track.case_id == case_id))
        elif what == "toggle":
            session.execute(
                sa.update(CaseAssignment)
                .where(CaseAssignment.case_id == case_id)
                .values(active=sa.not_(CaseAssignment.active))
            )
        elif what == "unassign":
            session.execute(
                sa.delete(CaseAssignment).where(CaseAssignment.case_id == case_id, CaseAssignment.role == Role.LAWYER)
            )
        else:
            track = {"mediation": Mediation, "arbitration": Arbitration, "legal_aid": LegalAidApplication}[what]
            session.execute(sa.update(track).where(track.case_id == case_id).values(unit_id=unit_id))
    session.flush()
    session.expire_all()
    return users


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(world=worlds())
def test_the_indexed_scope_reads_what_the_former_rule_read(db, world):
    session = db.session
    outer = session.begin_nested()
    try:
        users = build(session, world, "p")
        assert kept_pairs(session) == expected_pairs(session)
        for user in users:
            new = ids(session, policy.case_scope(user))
            assert new == ids(session, former_case_scope(user)), sorted(user.roles)
            assert new == ids(session, policy.case_scope(user, per_row=True)), sorted(user.roles)  # the probe form
            # the per-case check agrees with the SQL scope
            assert new == {c.id for c in session.scalars(sa.select(Case)) if policy.can_view_case(user, c)}
    finally:
        outer.rollback()
        session.expire_all()


def test_case_readers_follow_every_write(db, org, make_case):
    """Opening a track adds its unit; moving it replaces it unless the case or another track still holds it; an
    assignment adds its person while active."""
    session = db.session
    case = make_case(unit=org.centre)
    pairs = lambda: set(session.scalars(sa.select(CaseReader.reader).where(CaseReader.case_id == case.id)))
    assert pairs() == {org.centre.id}
    session.add(Mediation(case_id=case.id, unit_id=org.mediation.id, applied_on=DAY))
    session.add(Arbitration(case_id=case.id, unit_id=org.mediation.id, received_on=DAY, complete_on=DAY))
    session.flush()
    assert pairs() == {org.centre.id, org.mediation.id}
    session.execute(sa.update(Mediation).where(Mediation.case_id == case.id).values(unit_id=org.street_mediation.id))
    assert pairs() == {org.centre.id, org.mediation.id, org.street_mediation.id}  # the arbitration still holds it
    session.execute(sa.update(Arbitration).where(Arbitration.case_id == case.id).values(unit_id=org.arbitration.id))
    assert pairs() == {org.centre.id, org.street_mediation.id, org.arbitration.id}
    session.execute(sa.update(Case).where(Case.id == case.id).values(unit_id=org.arbitration.id))
    assert pairs() == {org.street_mediation.id, org.arbitration.id}
    session.execute(sa.delete(Mediation).where(Mediation.case_id == case.id))
    assert pairs() == {org.arbitration.id}
    lawyer, mediator = org.user(Role.LAWYER), org.user(Role.MEDIATOR)
    session.add_all(
        [
            CaseAssignment(case_id=case.id, user_id=lawyer.id, role=Role.LAWYER),
            CaseAssignment(case_id=case.id, user_id=mediator.id, role=Role.MEDIATOR, active=False),
        ]
    )
    session.flush()
    assert pairs() == {org.arbitration.id, -lawyer.id}
    session.execute(
        sa.update(CaseAssignment).where(CaseAssignment.case_id == case.id).values(active=sa.not_(CaseAssignment.active))
    )
    assert pairs() == {org.arbitration.id, -mediator.id}


def test_every_demo_user_reads_the_cases_of_the_former_rule(demo_database, db):
    session = db.session
    users = list(session.scalars(sa.select(User).order_by(User.id)))
    assert len(users) > 10
    read = 0
    for user in users:
        new = ids(session, policy.case_scope(user))
        assert new == ids(session, former_case_scope(user)), user.username
        assert new == ids(session, policy.case_scope(user, per_row=True)), user.username
        read += bool(new)
    assert read > 5
    assert kept_pairs(session) == expected_pairs(session)


def test_the_scope_is_one_semi_join(db, org):
    """One `cases.id IN (SELECT case_id FROM case_readers WHERE reader IN (…))`: no OR, no track table."""
    for role in (Role.CLERK, Role.MEDIATOR, Role.LAWYER, Role.ARBITRATOR, Role.SUPERVISOR):
        sql = str(sa.select(Case.id).where(policy.case_scope(org.user(role))).compile())
        assert sql.count("FROM case_readers") == 1 and sql.count("SELECT") == 2, sql
        for table in ("mediations", "legal_aid_applications", "arbitrations", "case_assignments", "units"):
            assert table not in sql
        assert " OR " not in sql


def test_a_detached_user_gets_the_same_scope(db, org, make_case):
    """Without a session the units are a sub-select instead of a literal list: same cases."""
    session = db.session
    make_case(unit=org.mediation)
    make_case(unit=org.arbitration)
    for role in (Role.CLERK, Role.MEDIATOR, Role.SUPERVISOR):
        user = org.user(role)
        attached = ids(session, policy.case_scope(user))
        assert user.roles and user.unit.path  # loaded before the user leaves the session
        session.expunge(user)
        try:
            assert ids(session, policy.case_scope(user)) == attached
        finally:
            session.add(user)
