"""Routing at intake and allocation by rule: rotation order, least load weighted, skills, absences and conflicts
skipped with their explanation, manual assignment with a reason."""

from datetime import date, timedelta

import pytest

from disputes import clock, organisation
from disputes.i18n import DomainError
from disputes.models import Allocation, AllocationMethod, CaseRoute, Role, Route, SkillKind, StaffSkill
from disputes.sla.states import OPEN_STATUSES
from disputes.workflow import allocation, routing
from disputes.workflow.states import CaseStage, CaseStatus, MediationState
from tests.conftest import PASSWORD


def _mediators(db, org, names=("王振华", "李建华", "孙秀英")):
    people = [org.user(Role.MEDIATOR)]
    people[0].display_name = names[0]
    for i, name in enumerate(names[1:], start=2):
        people.append(organisation.add_user(db.session, f"m{i}", name, [Role.MEDIATOR], org.mediation, PASSWORD))
    db.session.commit()
    return people


def _text(row: Allocation) -> str:
    return "; ".join(message % params for message, params in allocation.explain(row))


def _route(db, org, case, unit=None, **kw):
    routed = routing.route_case(
        db.session, case, org.user(Role.CLERK), Route.MEDIATION, (unit or org.mediation).id, **kw
    )
    db.session.commit()
    return routed


def test_rotation_goes_round_the_unit_in_order(db, org, make_case):
    first, second, third = _mediators(db, org)
    given = [_route(db, org, make_case()).allocation for _ in range(4)]
    assert [a.user for a in given] == [first, second, third, first]
    assert _text(given[0]) == "rotation: first in the unit's order"
    assert _text(given[1]) == "rotation: next after 王振华"
    assert _text(given[3]) == "rotation: next after 孙秀英"


def test_routing_to_mediation_opens_and_accepts_it_for_the_mediator(db, org, make_case):
    first, *_ = _mediators(db, org)
    case = make_case()
    assert routing.is_unrouted(case)
    routed = _route(db, org, case)
    assert case.mediation.state == MediationState.ACCEPTED and case.mediation.mediator == first
    assert case.stage == CaseStage.MEDIATION and not routing.is_unrouted(case)
    assert routed.route.route == Route.MEDIATION and routed.route.unit == org.mediation
    assert any(a.user == first and a.active and a.role == Role.MEDIATOR for a in case.assignments)
    kinds = [e.kind for e in case.timeline]
    assert "case.routed" in kinds and "case.allocated" in kinds


def test_absent_and_conflicted_people_are_skipped_and_said_so(db, org, make_case):
    first, second, third, fourth = _mediators(db, org, names=("王振华", "李建华", "孙秀英", "周明"))
    _route(db, org, make_case())  # to 王振华
    today = clock.today_local()
    allocation.record_absence(
        db.session, org.user(Role.SUPERVISOR), second, today - timedelta(days=1), date(today.year, 12, 10)
    )
    case = make_case()
    allocation.record_conflict(db.session, case, org.user(Role.SUPERVISOR), third, "申请人之兄")
    db.session.commit()
    given = _route(db, org, case).allocation
    assert given.user == fourth
    assert _text(given) == (
        "rotation: next after 王振华; 李建华 skipped: away until 12-10; 孙秀英 skipped: stands aside (申请人之兄)"
    )
    # with 周明 standing aside too, 王振华 is the only one left
    other = make_case()
    allocation.record_conflict(db.session, other, org.user(Role.SUPERVISOR), fourth, "曾代理被申请人")
    allocation.record_conflict(db.session, other, org.user(Role.SUPERVISOR), third, "亲属")
    db.session.commit()
    assert _route(db, org, other).allocation.user == first


def test_rotation_in_a_unit_of_one_says_so(db, org, make_case):
    _mediators(db, org, names=("郭丽娟",))
    _route(db, org, make_case())
    assert _text(_route(db, org, make_case()).allocation) == "rotation: the only one free in the unit"


def test_an_absence_that_has_ended_or_not_begun_does_not_skip(db, org, make_case):
    first, _second, _third = _mediators(db, org)
    today = clock.today_local()
    allocation.record_absence(
        db.session, org.user(Role.SUPERVISOR), first, today - timedelta(days=9), today - timedelta(days=1)
    )
    allocation.record_absence(
        db.session, org.user(Role.SUPERVISOR), first, today + timedelta(days=1), today + timedelta(days=3)
    )
    assert _route(db, org, make_case()).allocation.user == first


def test_least_load_weighs_collective_cases(db, org, make_case):
    first, second, third = _mediators(db, org)
    allocation.set_rule(db.session, org.user(Role.SUPERVISOR), org.mediation, AllocationMethod.LEAST_LOAD)
    db.session.commit()
    collective = make_case(worker_count=12)
    assert collective.collective
    assert _route(db, org, collective).allocation.user == first  # all at 0: the unit's order
    assert _route(db, org, make_case()).allocation.user == second
    assert _route(db, org, make_case()).allocation.user == third
    # 王振华 3 (one collective case), 李建华 1, 孙秀英 1: the next two go to 李建华 then 孙秀英, then 李建华 again
    picks = [_route(db, org, make_case()).allocation for _ in range(3)]
    assert [p.user for p in picks] == [second, third, second]
    assert allocation.open_loads(db.session, [first.id, second.id, third.id], Role.MEDIATOR) == {
        first.id: 3,
        second.id: 3,
        third.id: 2,
    }
    assert _text(picks[0]) == "least open load: 1 (a collective case counts 3)"


def test_category_rule_prefers_who_takes_the_claims(db, org, make_case):
    _first, second, _third = _mediators(db, org)
    allocation.set_rule(db.session, org.user(Role.SUPERVISOR), org.mediation, AllocationMethod.CATEGORY)
    db.session.add(StaffSkill(user_id=second.id, kind=SkillKind.CATEGORY, value="wages"))
    db.session.commit()
    given = _route(db, org, make_case()).allocation
    assert given.user == second and given.detail["match"] == "wages"
    assert _text(given).startswith("by dispute category: takes wages")


def test_language_rule_uses_the_route_language(db, org, make_case):
    _first, _second, third = _mediators(db, org)
    allocation.set_rule(db.session, org.user(Role.SUPERVISOR), org.mediation, AllocationMethod.LANGUAGE)
    db.session.add(StaffSkill(user_id=third.id, kind=SkillKind.LANGUAGE, value="粤语"))
    db.session.commit()
    assert _route(db, org, make_case(), language="粤语").allocation.user == third
    assert _route(db, org, make_case()).allocation.detail.get("no_match")


def test_nobody_available_leaves_the_mediation_to_assign_by_hand(db, org, make_case):
    (only,) = _mediators(db, org, names=("王振华",))
    case = make_case()
    allocation.record_conflict(db.session, case, org.user(Role.CLERK), only, "曾代理被申请人")
    routed = _route(db, org, case)
    assert routed.allocation is None and routed.not_allocated is not None
    assert case.mediation.state == MediationState.APPLIED


def test_manual_assignment_needs_a_reason_and_refuses_a_conflict(db, org, make_case):
    first, second, third = _mediators(db, org)
    case = make_case()
    _route(db, org, case)
    supervisor = org.user(Role.SUPERVISOR)
    with pytest.raises(DomainError):
        allocation.assign_by_hand(db.session, case, supervisor, second, " ")
    allocation.record_conflict(db.session, case, supervisor, third, "亲属")
    with pytest.raises(DomainError):
        allocation.assign_by_hand(db.session, case, supervisor, third, "熟悉该企业")
    row = allocation.assign_by_hand(db.session, case, supervisor, second, "熟悉该企业")
    db.session.commit()
    assert case.mediation.mediator == second
    assert {(a.user_id, a.active) for a in case.assignments if a.role == Role.MEDIATOR} == {
        (first.id, False),
        (second.id, True),
    }
    assert _text(row) == "assigned by hand: 熟悉该企业"
    # a manual allocation does not move the rotation: the next case still goes after 王振华
    assert _route(db, org, make_case()).allocation.user == second


def test_routing_to_arbitration_gives_the_case_an_arbitrator(db, org, make_case):
    case = make_case()
    routed = routing.route_case(db.session, case, org.user(Role.CLERK), Route.ARBITRATION, org.arbitration.id)
    db.session.commit()
    assert case.arbitration is not None and routed.allocation.user == org.user(Role.ARBITRATOR)
    assert case.stage == CaseStage.ARBITRATION


def test_advice_only_closes_the_registration(db, org, make_case):
    case = make_case()
    routing.route_case(db.session, case, org.user(Role.CLERK), Route.ADVICE, None, note="已告知申请仲裁的时效")
    db.session.commit()
    assert case.status == CaseStatus.CLOSED and case.closed_on == clock.today_local()
    assert db.session.get(CaseRoute, case.id).route == Route.ADVICE
    with pytest.raises(DomainError):
        routing.route_case(db.session, case, org.user(Role.CLERK), Route.MEDIATION, org.mediation.id)


def test_destinations_put_the_worker_street_first(db, org):
    found = routing.destinations(db.session, org.centre, workers=["深圳市龙岗区布吉街道某路1号"])
    assert found[0].unit == org.street_mediation and found[0].why == routing.WORKER_STREET
    assert found[1].unit == org.mediation and found[1].why == routing.CENTRE_OWN
    assert [d.route for d in found[2:]] == [Route.ARBITRATION, Route.LEGAL_AID, Route.ADVICE]


def test_a_unit_outside_the_district_is_refused(db, org, make_case):
    other = organisation.add_unit(db.session, "FT", "福田区", org.district.kind)
    committee = organisation.add_unit(db.session, "FTM", "福田区调解委员会", org.mediation.kind, other)
    with pytest.raises(DomainError):
        routing.route_case(db.session, make_case(), org.user(Role.CLERK), Route.MEDIATION, committee.id)


def test_a_sole_arbitrator_appointed_today_holds_the_case_today(db, org, make_case):
    from disputes.queues.my_cases import my_cases
    from disputes.workflow.states import ArbitrationState
    from tests.drive import Driver

    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    db.session.commit()
    (row,) = my_cases(db.session, org.user(Role.ARBITRATOR))
    assert row.case == case and row.role == Role.ARBITRATOR
    assert row.next_timer is not None and row.next_due == min(
        t.due_on for t in case.timers if t.due_on is not None and t.status in OPEN_STATUSES
    )


def test_a_mediator_whose_mediation_ended_no_longer_holds_the_case(db, org, make_case):
    from disputes.queues.my_cases import my_cases
    from disputes.workflow import mediation

    _mediators(db, org, names=("王振华",))
    case = make_case()
    _route(db, org, case)
    assert [r.case for r in my_cases(db.session, org.user(Role.MEDIATOR))] == [case]
    mediation.fail_mediation(db.session, case, org.user(Role.MEDIATOR), reason="分歧较大")
    db.session.commit()
    assert my_cases(db.session, org.user(Role.MEDIATOR)) == []


def test_given_to_you_lists_and_counts_each_held_case_once(db, org, make_case):
    """The holder's notice of new work: the cases given to them lately that they still hold, each once (a case
    given twice counts once), none of a colleague's."""
    from disputes.queues import build_queues

    first, second, _third = _mediators(db, org)
    cases = [_route(db, org, make_case()).allocation.case for _ in range(3)]  # rotation: first, second, third
    again = cases[0]
    allocation.assign_by_hand(db.session, again, org.user(Role.SUPERVISOR), first, "重新分配给原承办人")
    db.session.commit()
    queue = next(q for q in build_queues(db.session, first) if q.role == Role.MEDIATOR)
    given = next(s for s in queue.sections if s.key == "mediator.given")
    assert given.total == 1 and [i.case for i in given.items] == [again]
    queue = next(q for q in build_queues(db.session, second) if q.role == Role.MEDIATOR)
    given = next(s for s in queue.sections if s.key == "mediator.given")
    assert given.total == 1 and len(given.items) == 1
