"""The demo loader: a complete, valid and repeatable demonstration database."""

import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from disputes import clock, identity, numbering, organisation
from disputes.demo.cases import plan_cases
from disputes.demo.centre import DEMO_PASSWORD, DEMO_UNITS, DEMO_USERS, login_table
from disputes.demo.loader import is_empty, load
from disputes.documents import service_steps
from disputes.i18n import DomainError
from disputes.models import (
    Arbitration,
    Award,
    AwardService,
    Case,
    CaseAssignment,
    ClaimCategory,
    DocumentService,
    Extension,
    Hearing,
    IssuedDocument,
    Lawsuit,
    LegalAidApplication,
    Mediation,
    Party,
    PartyKind,
    PartySide,
    Role,
    ServiceMethod,
    SlaTimer,
    Suspension,
    TimelineEntry,
    TribunalMember,
    Unit,
    UnitKind,
    User,
)
from disputes.queues import build_queues
from disputes.sla.limitation import limitation_ended
from disputes.sla.periods import add_months
from disputes.sla.states import TimerStatus
from disputes.workflow.states import (
    Approval,
    ArbitrationState,
    CaseStatus,
    ClosureType,
    Finality,
    HearingState,
    LawsuitKind,
    LawsuitState,
    LegalAidState,
    MediationState,
    Performance,
    TribunalKind,
)
from tests.conftest import DEMO_CASES

CASES = DEMO_CASES
TODAY = date(2026, 11, 20)  # conftest.FROZEN_AT in Shanghai


def number_regex(pattern: str, code: str, year: int) -> re.Pattern:
    """The registry numbers a pattern can print in a year, with the sequence captured."""
    out, pos = [], 0
    for match in re.finditer(r"\{(code|year|seq)(?::0(\d)d)?\}", pattern):
        out.append(re.escape(pattern[pos : match.start()]))
        name, width = match.groups()
        out.append(
            {"code": re.escape(code), "year": str(year)}.get(name) or (rf"(\d{{{width},}})" if width else r"(\d+)")
        )
        pos = match.end()
    out.append(re.escape(pattern[pos:]))
    return re.compile("".join(out))


def table_counts(session) -> dict[str, int]:
    models = (Unit, User, Case, Party, CaseAssignment, TimelineEntry)
    return {m.__name__: session.scalar(sa.select(sa.func.count()).select_from(m)) for m in models}


@pytest.fixture
def loaded(demo_database):
    return demo_database


def test_cli_prints_summary_and_every_login(loaded):
    assert f"{CASES} cases" in loaded
    assert DEMO_PASSWORD in loaded
    for user in DEMO_USERS:
        assert re.search(rf"^{re.escape(user.username)}\s", loaded, re.MULTILINE), user.username
    assert login_table() in loaded


def test_users_hold_every_role_in_their_units(loaded, db):
    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    assert set(users) == {u.username for u in DEMO_USERS}
    for role in Role:
        assert any(role in u.roles for u in users.values()), role
    for spec in DEMO_USERS:
        user = users[spec.username]
        assert user.roles == set(spec.roles)
        assert user.unit.code == spec.unit
    assert users["clerk"].check_password(DEMO_PASSWORD)
    for short, role in {"legalaid": Role.LEGAL_AID_OFFICER, "court": Role.COURT_LIAISON}.items():
        assert users[short].roles == {role}


def test_unit_tree_names_and_patterns(loaded, db):
    units = {u.code: u for u in db.session.scalars(sa.select(Unit))}
    assert set(units) == {u.code for u in DEMO_UNITS}
    for code, unit in units.items():
        assert code.isascii() and unit.name_en
        expected = unit.parent.path if unit.parent else "/"
        assert unit.path == f"{expected}{unit.id}/"
        for fmt in unit.number_formats:
            assert "{year}" in fmt.pattern and "{seq" in fmt.pattern
    centre = units["LGC"]
    assert centre.kind == UnitKind.CENTRE and centre.parent.kind == UnitKind.DISTRICT
    assert {u.kind for u in centre.children} == {
        UnitKind.MEDIATION_COMMITTEE,
        UnitKind.ARBITRATION_COMMISSION,
        UnitKind.LEGAL_AID_CENTRE,
        UnitKind.COURT_LIAISON,
    }
    streets = [u for u in units.values() if u.kind == UnitKind.STREET]
    assert len(streets) == 3
    for street in streets:
        kinds = Counter(child.kind for child in street.children)
        assert kinds[UnitKind.MEDIATION_COMMITTEE] == 1 and kinds[UnitKind.COMMUNITY] >= 2
    parks = [u for u in units.values() if u.kind == UnitKind.ENTERPRISE]
    assert parks and all(p.parent.kind == UnitKind.COMMUNITY for p in parks)
    assert any(c.kind == UnitKind.MEDIATION_COMMITTEE for p in parks for c in p.children)


def test_every_case_is_complete_valid_and_numbered_in_order(loaded, db):
    cases = list(db.session.scalars(sa.select(Case).order_by(Case.id)))
    assert len(cases) == CASES
    assert len({c.registry_no for c in cases}) == CASES
    sequences = defaultdict(list)
    for case in cases:
        assert any(p.kind == PartyKind.WORKER for p in case.applicants), case.registry_no
        assert any(p.kind == PartyKind.EMPLOYER for p in case.respondents), case.registry_no
        assert 1 <= len(case.claims) <= 4
        for party in case.parties:
            assert party.id_number is None or identity.is_valid_resident_id(party.id_number), party.id_number
            assert party.credit_code is None or identity.is_valid_credit_code(party.credit_code), party.credit_code
        owner, pattern = numbering.pattern_owner(case.unit, numbering.REGISTRY)
        assert pattern != numbering.DEFAULT_PATTERN
        match = number_regex(pattern, owner.code, case.registered_on.year).fullmatch(case.registry_no)
        assert match, (case.registry_no, pattern)
        sequences[owner.code, case.registered_on.year].append(int(match.group(1)))
        assert add_months(TODAY, -18) <= case.registered_on < TODAY and case.registered_on.weekday() < 5
        ended = limitation_ended(case.dispute_known_on, case.registered_on, db.session)
        assert case.limitation_warning == (ended is not None)
        assert case.collective == (case.worker_count >= 10)
        registered = case.timeline.filter_by(kind="case_registered").one()
        assert clock.to_local(registered.at).date() == case.registered_on
        assert registered.actor_id == case.created_by_id
    for numbers in sequences.values():
        assert numbers == list(range(1, len(numbers) + 1))


ASSIGNED_BY = {
    Role.MEDIATOR: "mediation.accept",
    Role.ARBITRATOR: "arbitration.form_tribunal",
    Role.LAWYER: "legal_aid.assign",
}


def test_assignments_come_from_the_tracks(loaded, db):
    """Every assignment was made by a track's operation (accepting a mediation, forming a tribunal…)."""
    assignments = list(db.session.scalars(sa.select(CaseAssignment)))
    assert assignments and all(a.role in a.user.roles for a in assignments)
    for assignment in assignments:
        assert (
            assignment.case.timeline.filter(
                TimelineEntry.kind.in_((ASSIGNED_BY[assignment.role], "case.allocated"))
            ).count()
            >= 1
        )
        if assignment.role == Role.MEDIATOR:
            assert assignment.case.mediation is not None


def test_second_load_is_refused_and_adds_nothing(loaded, runner, db):
    before = table_counts(db.session)
    result = runner.invoke(args=["demo", "load", "--cases", "5"])
    assert result.exit_code != 0
    assert "already holds data" in result.output + str(result.exception)
    db.session.expire_all()
    assert table_counts(db.session) == before


def test_load_refuses_any_existing_unit(db):
    organisation.add_unit(db.session, "X", "某区", UnitKind.DISTRICT)
    assert not is_empty(db.session)
    with pytest.raises(DomainError):
        load(db.session, case_count=3)


def test_load_gives_the_clock_back(db, frozen_clock):
    load(db.session, case_count=3)
    assert clock.now_utc() == frozen_clock


def test_clock_frozen_restores_an_unfrozen_clock():
    moment = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
    clock.freeze(None)
    with clock.frozen(moment):
        assert clock.now_utc() == moment
    assert clock.now_utc() != moment


def test_same_seed_same_plans_other_seed_other_plans():
    first, again, other = (plan_cases(seed, TODAY, 30) for seed in (11, 11, 12))
    assert first == again
    assert [p.intake.parties[0].name for p in first] != [p.intake.parties[0].name for p in other]


def test_the_mix_looks_like_a_real_register():
    plans = plan_cases(20261121, TODAY, 300)
    intakes = [p.intake for p in plans]
    moments = [p.moment for p in plans]
    assert moments == sorted(moments)
    collective = [i for i in intakes if i.worker_count]
    assert 0.03 <= len(collective) / 300 <= 0.15
    for intake in collective:
        assert 10 <= intake.worker_count <= 60
        assert 3 <= sum(p.is_representative for p in intake.workers()) <= 5
    workers = [p for i in intakes for p in i.workers()]
    assert 0.3 <= sum(w.migrant_worker for w in workers) / len(workers) <= 0.5
    injuries = sum(any(c.category.startswith("work_injury") for c in i.claims) for i in intakes)
    assert 0.05 <= injuries / 300 <= 0.18
    single_wages = [
        c.amount for i in intakes if not i.worker_count for c in i.claims if c.category == ClaimCategory.WAGES
    ]
    assert single_wages and all(3000 <= a <= 60000 for a in single_wages)
    assert any(limitation_ended(i.dispute_known_on, i.registered_on) for i in intakes)
    pairs = Counter(
        (i.parties[0].id_number, next(p.name for p in i.parties if p.kind == PartyKind.EMPLOYER)) for i in intakes
    )
    assert any(n > 1 for n in pairs.values())
    assert any(p.kind == PartyKind.AGENT and p.side == PartySide.APPLICANT for i in intakes for p in i.parties)
    assert any(p.kind == PartyKind.EMPLOYER and not p.credit_code for i in intakes for p in i.parties)
    assert 0.45 <= sum(p.mediator is not None for p in plans) / 300 <= 0.75
    assert len({p.unit_code for p in plans}) >= 4


def test_full_demo_covers_every_track_state_and_gives_everyone_work(runner, db, login):
    """The default load: every state of every track at least twice, and a /work page with items for each user."""
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    session = db.session

    def counts(column) -> Counter:
        return Counter(dict(session.execute(sa.select(column, sa.func.count()).group_by(column)).all()))

    for column, enum in (
        (Mediation.state, MediationState),
        (LegalAidApplication.state, LegalAidState),
        (Arbitration.state, ArbitrationState),
        (Lawsuit.state, LawsuitState),
    ):
        found = counts(column)
        assert all(found[state] >= 2 for state in enum), (enum.__name__, found)
    assert set(ClosureType) <= set(counts(Arbitration.closure_type))
    assert set(Performance) <= set(counts(Mediation.performance))
    finalities = Counter(
        frozenset(a.finality for a in arbitration.awards if not a.partial)
        for arbitration in session.scalars(sa.select(Arbitration).where(Arbitration.awards.any()))
    )
    assert {frozenset({f}) for f in Finality} | {frozenset(Finality)} <= set(finalities)
    assert session.scalar(sa.select(sa.func.count()).select_from(Award).where(Award.partial.is_(True)))
    assert session.scalar(sa.select(sa.func.count()).where(Arbitration.suspended_since.is_not(None)))
    assert session.scalar(
        sa.select(sa.func.count())
        .select_from(Award)
        .where(Award.effective_on.is_not(None), Award.finality == Finality.NON_FINAL)
    )
    # Issue 12: awards served on the parties on different days, one by public notice, a lawsuit by one party
    # only (the other party's period ran out), and a case closed with a breach on record.
    services = session.execute(sa.select(AwardService.award_id, AwardService.served_on)).all()
    by_award: dict = {}
    for award_id, served_on in services:
        by_award.setdefault(award_id, set()).add(served_on)
    assert any(len(days) > 1 for days in by_award.values())
    assert session.scalar(
        sa.select(sa.func.count())
        .select_from(DocumentService)
        .where(
            DocumentService.method == ServiceMethod.PUBLIC_NOTICE, DocumentService.event == "arbitration.serve_award"
        )
    )
    one_side = [
        t
        for t in session.scalars(sa.select(SlaTimer).where(SlaTimer.rule_id == "litigation.sue_nonfinal"))
        if t.completed_by == "litigation.file"
    ]
    assert any(
        t.completed_by == "sla.period_ended"
        for s in one_side
        for t in s.case.timers
        if t.rule_id == "litigation.sue_nonfinal" and t.subject_id != s.subject_id
    )
    closed_late = session.scalars(
        sa.select(SlaTimer).where(SlaTimer.status == TimerStatus.CANCELLED, SlaTimer.breached_on.is_not(None))
    ).all()
    assert any(t.case.status == CaseStatus.CLOSED for t in closed_late)
    for model in (Suspension, Extension):
        assert Approval.REQUESTED in counts(model.state) and Approval.APPROVED in counts(model.state)
    # Issue 17: the court's results per item for the litigated awards, some decided differently (裁审比对); past
    # absences for the workload report.
    from disputes.models import Absence, CourtItemResult
    from disputes.workflow.states import DIFFERENT_RULINGS, ItemRuling

    rulings = counts(CourtItemResult.ruling)
    assert rulings[ItemRuling.UPHELD] and any(rulings[r] for r in DIFFERENT_RULINGS), rulings
    assert session.scalar(sa.select(sa.func.count()).where(Absence.ends_on < clock.today_local())) >= 2
    # An approved extension is told to the parties: its 延期通知书 issued and served on each of them (Law Art 43).
    notices = session.scalars(sa.select(IssuedDocument).where(IssuedDocument.kind == "arb_extension_notice")).all()
    assert notices
    for notice in notices:
        served = session.scalars(sa.select(DocumentService.party_id).where(DocumentService.document_id == notice.id))
        assert set(served) == {p.id for p in service_steps.principals(notice.case)}
        extension = session.get(Extension, int(notice.subject_key))
        assert extension.state == Approval.APPROVED and extension.decided_by.username == "director"
    assert counts(Lawsuit.kind)[LawsuitKind.REVOCATION] >= 2
    assert counts(Hearing.state)[HearingState.POSTPONED] >= 2
    three = session.scalars(sa.select(Arbitration).where(Arbitration.tribunal_kind == TribunalKind.THREE_MEMBER)).all()
    assert any(a.case.collective and len(a.tribunal) == 3 for a in three)
    assert session.scalar(sa.select(sa.func.count(sa.distinct(TribunalMember.user_id)))) == 3
    today = clock.today_local()
    monday = today - timedelta(days=today.weekday())
    for first in (monday, monday + timedelta(days=7)):
        week = [
            h
            for h in session.scalars(sa.select(Hearing))
            if h.state != HearingState.CANCELLED
            and first <= clock.to_local(h.starts_at).date() < first + timedelta(days=7)
        ]
        assert len({h.room_id for h in week}) >= 2, first
    for spec in DEMO_USERS:
        user = session.scalar(sa.select(User).where(User.username == spec.username))
        response = login(user, DEMO_PASSWORD).get("/work")
        if Role.ADMIN in spec.roles:
            assert response.status_code == 403
            continue
        assert response.status_code == 200, spec.username
        assert sum(s.total for q in build_queues(session, user) for s in q.sections) > 0, spec.username


def test_every_registered_case_is_routed_and_allocations_say_why(loaded, db):
    """Issue 16: no case waits unrouted; the backlog went to the committees by their rules, skipping the absent."""
    from disputes.models import Absence, Allocation
    from disputes.workflow import allocation, routing

    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(routing.unrouted_filter())) == 0
    rows = db.session.scalars(sa.select(Allocation)).all()
    assert rows
    absent = db.session.scalar(sa.select(Absence))
    assert absent.user.username == "mediator3" and absent.starts_on <= TODAY <= absent.ends_on
    texts = ["; ".join(m % p for m, p in allocation.explain(r)) for r in rows]
    assert any(f"{absent.user.display_name} skipped: away until" in x for x in texts)
    assert all(r.user_id != absent.user_id for r in rows)
    for row in rows:
        assert row.case.mediation.mediator == row.user
