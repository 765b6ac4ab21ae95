"""Linked and consolidated cases: a group keeps each case's number; its hearing, a service and closures are done
together by the one-case operations, each case on its own; suggestions find open cases of the same employer or
worker."""

from datetime import timedelta

import pytest

from disputes import clock
from disputes.documents.service import ServiceInput
from disputes.i18n import DomainError
from disputes.models import CaseGroup, Hearing, LinkKind, PartyKind, PartySide, Role, ServiceMethod
from disputes.workflow import links
from disputes.workflow.intake import PartyInput
from disputes.workflow.states import ArbitrationState, ClosureType
from tests.conftest import intake_input
from tests.drive import Driver
from tests.issued import fake_issue

OTHER_WORKER = "440304199001011233"


def _worker(name: str, id_number: str | None = None):
    return PartyInput(PartySide.APPLICANT, PartyKind.WORKER, name, sex="male", id_number=id_number)


def _three(db, org, make_case):
    """Three wage cases of three workers against one employer."""
    worker, employer = intake_input(org.centre).parties
    return [make_case(parties=[worker, employer])] + [
        make_case(parties=[_worker(name), employer]) for name in ("王五", "赵六")
    ]


def test_cases_join_one_group_keeping_their_numbers(db, org, make_case):
    first, second, third = _three(db, org, make_case)
    numbers = [c.registry_no for c in (first, second, third)]
    clerk = org.user(Role.CLERK)
    group = links.link(db.session, clerk, first, second, LinkKind.SAME_EMPLOYER)
    assert links.link(db.session, clerk, third, first, "consolidated") is group  # joins, keeps the group's kind
    db.session.commit()
    assert group.kind == LinkKind.SAME_EMPLOYER
    assert [c.registry_no for c in links.members(group)] == numbers
    with pytest.raises(DomainError, match="already linked"):
        links.link(db.session, clerk, second, third, LinkKind.SAME_EMPLOYER)
    with pytest.raises(DomainError, match="itself"):
        links.link(db.session, clerk, first, first, LinkKind.SAME_EMPLOYER)
    other = make_case()
    fourth = make_case()
    links.link(db.session, clerk, other, fourth, LinkKind.SAME_WORKER)
    with pytest.raises(DomainError, match="another group"):
        links.link(db.session, clerk, first, other, LinkKind.SAME_EMPLOYER)
    links.unlink(db.session, clerk, third)
    links.unlink(db.session, clerk, second)  # one case left: the group goes
    db.session.commit()
    assert links.group_of(db.session, first) is None and db.session.get(CaseGroup, group.id) is None
    assert [e.kind for e in first.timeline].count("case.linked") == 2
    assert "case.unlinked" in [e.kind for e in third.timeline]


def test_suggestions_find_the_same_employer_and_the_same_worker(db, org, make_case):
    first, second, third = _three(db, org, make_case)
    same_worker = make_case(
        parties=[
            intake_input(org.centre).parties[0],
            PartyInput(PartySide.RESPONDENT, PartyKind.EMPLOYER, "深圳市别家公司"),
        ]
    )
    stranger = make_case(
        parties=[_worker("陈七", OTHER_WORKER), PartyInput(PartySide.RESPONDENT, PartyKind.EMPLOYER, "另一公司")]
    )
    clerk = org.user(Role.CLERK)
    found = {s.case.id: s for s in links.suggestions(db.session, clerk, first)}
    assert set(found) == {second.id, third.id, same_worker.id}  # 张三, by ID number
    assert found[second.id].kind == LinkKind.SAME_EMPLOYER and found[second.id].why == "深圳市宏达电子科技有限公司"
    assert stranger.id not in found
    links.link(db.session, clerk, first, second, LinkKind.SAME_EMPLOYER)
    assert second.id not in {s.case.id for s in links.suggestions(db.session, clerk, first)}
    assert links.suggestions(db.session, org.user(Role.LAWYER), first) == []  # reads none of them


def test_a_group_is_heard_together_in_one_room(db, org, make_case):
    cases = _three(db, org, make_case)
    driver = Driver(db.session, org, cases[0])
    for case in cases:
        Driver(db.session, org, case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    clerk = org.user(Role.CLERK)
    group = links.link(db.session, clerk, cases[0], cases[1], LinkKind.CONSOLIDATED)
    links.link(db.session, clerk, cases[0], cases[2], LinkKind.CONSOLIDATED)
    db.session.commit()
    starts = clock.now_utc().replace(minute=0, second=0, microsecond=0) + timedelta(days=10)
    room = driver.room()
    done = links.schedule_together(
        db.session, clerk, group, starts_at=starts, ends_at=starts + timedelta(hours=2), room_id=room.id
    )
    db.session.commit()
    assert done.done == cases and not done.refused
    hearings = db.session.query(Hearing).all()
    assert len(hearings) == 3 and {h.room_id for h in hearings} == {room.id}
    assert all("arbitration.schedule_hearing" in [e.kind for e in c.timeline] for c in cases)
    # another case is still refused the room at that time
    outsider = make_case()
    Driver(db.session, org, outsider).arbitration(ArbitrationState.TRIBUNAL_FORMED)
    lone = links.link(db.session, clerk, outsider, make_case(), LinkKind.SAME_WORKER)
    again = links.schedule_together(
        db.session, clerk, lone, starts_at=starts, ends_at=starts + timedelta(hours=1), room_id=room.id
    )
    assert again.done == [] and "room is taken" in again.refused[0][1].message


def test_a_group_is_served_and_closed_together_each_case_on_its_own(db, org, make_case):
    cases = _three(db, org, make_case)
    for case in cases[:2]:
        Driver(db.session, org, case).arbitration(ArbitrationState.SERVED)
    clerk = org.user(Role.CLERK)
    group = links.link(db.session, clerk, cases[0], cases[1], LinkKind.SAME_EMPLOYER)
    links.link(db.session, clerk, cases[0], cases[2], LinkKind.SAME_EMPLOYER)
    for case in cases[:2]:
        fake_issue(db.session, case, "arb_hearing_notice", actor=clerk)
    db.session.commit()
    assert links.document_kinds(db.session, group) == ["arb_hearing_notice"]
    data = ServiceInput(method=ServiceMethod.IN_PERSON, served_at=clock.now_utc(), recipient="人事部 刘某")
    served = links.serve_together(db.session, clerk, group, kind="arb_hearing_notice", side="respondent", data=data)
    db.session.commit()
    assert served.done == cases[:2]
    assert served.refused[0][0] == cases[2] and "No such document" in served.refused[0][1].message
    again = links.serve_together(db.session, clerk, group, kind="arb_hearing_notice", side="respondent", data=data)
    assert again.done == [] and len(again.refused) == 3
    arbitrator = org.user(Role.SUPERVISOR)  # no tribunal yet: a supervisor asks
    closed = links.close_together(
        db.session, arbitrator, group, closure_type=ClosureType.WITHDRAWN, note="申请人撤回仲裁申请"
    )
    db.session.commit()
    assert [c.arbitration.state for c in cases[:2]] == [ArbitrationState.CLOSING] * 2
    assert closed.done == cases[:2]
    with pytest.raises(DomainError, match="No arbitration"):
        links.close_together(db.session, arbitrator, group, closure_type="withdrawn", note="x")
