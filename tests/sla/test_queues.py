"""The work queues (`disputes.queues`): each section's selection, urgency order, and the reading scope."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from disputes import clock, organisation
from disputes.models import Role, UnitKind
from disputes.queues import build_queues
from disputes.sla.due import due_on, latest_due
from disputes.workflow import arbitration as arb
from disputes.workflow import awards, hearings, interruptions
from disputes.workflow import mediation as med
from disputes.workflow.states import ArbitrationState as A
from disputes.workflow.states import (
    ClosureType,
    LawsuitState,
    LegalAidState,
    SessionOutcome,
    SuspensionGround,
)
from tests.conftest import FROZEN_AT, PASSWORD
from tests.drive import Driver, at_local

TODAY = date(2026, 11, 20)  # a Friday: the week runs Monday 16 to Sunday 22 November


def sections(db, user, now=None) -> dict:
    return {s.key: s for q in build_queues(db.session, user, now or clock.now_utc()) for s in q.sections}


def cases_in(db, user, key, now=None) -> list:
    return [i.case for i in sections(db, user, now)[key].items]


def another(db, org, role: Role, unit, name: str):
    return organisation.add_user(db.session, name, name, [role], unit, PASSWORD)


def opened(db, org, make_case, registered_on=date(2026, 11, 2), applied_on=None, mediator=None):
    case = make_case(registered_on=registered_on)
    clerk = org.user(Role.CLERK)
    med.open_mediation(db.session, case, clerk, unit_id=org.mediation.id, applied_on=applied_on or registered_on)
    med.accept_mediation(
        db.session,
        case,
        clerk,
        mediator_id=(mediator or org.user(Role.MEDIATOR)).id,
        accepted_on=applied_on or registered_on,
    )
    return case


def session_with_next(db, case, mediator, next_at):
    med.log_session(
        db.session,
        case,
        mediator,
        med.SessionInput(
            held_at=at_local(TODAY, 9) - timedelta(days=2),
            attendees="张三；人事经理",
            summary="双方陈述",
            outcome=SessionOutcome.CONTINUE,
            place="调解室一",
            next_at=next_at,
        ),
    )


def test_a_mediator_sees_only_their_own_sessions_this_week(db, org, make_case):
    mediator = org.user(Role.MEDIATOR)
    colleague = another(db, org, Role.MEDIATOR, org.mediation, "mediator-two")
    this_week, later_today, next_week = (make_case(registered_on=date(2026, 11, 10)) for _ in range(3))
    for case in (this_week, later_today, next_week):
        med.open_mediation(db.session, case, org.user(Role.CLERK), unit_id=org.mediation.id, applied_on=TODAY)
        med.accept_mediation(db.session, case, mediator, mediator_id=mediator.id)
    session_with_next(db, this_week, mediator, at_local(date(2026, 11, 19), 9))  # Thursday: passed, not logged
    session_with_next(db, later_today, mediator, at_local(TODAY, 15))
    session_with_next(db, next_week, mediator, at_local(date(2026, 11, 24), 9))
    found = sections(db, mediator)["mediator.sessions"]
    assert [i.case for i in found.items] == [this_week, later_today]
    assert [i.overdue for i in found.items] == [True, False]
    assert found.items[0].anchor == "mediation" and found.items[0].note == "调解室一"
    assert sections(db, colleague)["mediator.sessions"].items == []
    assert cases_in(db, mediator, "mediator.period") == [this_week, later_today, next_week]


def test_first_sessions_are_ordered_by_the_end_of_the_fifteen_days(db, org, make_case):
    mediator = org.user(Role.MEDIATOR)
    late = opened(db, org, make_case, applied_on=date(2026, 11, 12))
    early = opened(db, org, make_case, applied_on=date(2026, 11, 3))
    found = sections(db, mediator)["mediator.first_session"]
    assert [i.case for i in found.items] == [early, late]
    assert [i.due for i in found.items] == [date(2026, 11, 18), date(2026, 11, 27)]
    assert [i.overdue for i in found.items] == [True, False]


def test_performance_due_once_the_last_instalment_falls_due(db, org, make_case):
    mediator = org.user(Role.MEDIATOR)
    due, not_yet = opened(db, org, make_case), opened(db, org, make_case)
    clock.freeze(at_local(date(2026, 11, 5), 10))
    for case, days in ((due, 10), (not_yet, 20)):
        med.record_agreement(
            db.session,
            case,
            mediator,
            signed_on=clock.today_local(),
            terms=[med.TermInput("支付工资", Decimal("5000.00"))],
            instalments=[med.InstalmentInput(clock.today_local() + timedelta(days=days), Decimal(5000))],
        )
    clock.freeze(FROZEN_AT)
    found = sections(db, mediator)["mediator.performance"]
    # The last instalment falls due on Sunday 15 November: the performance timer's deadline is Monday the 16th.
    assert [(i.case, i.due, i.overdue) for i in found.items] == [(due, date(2026, 11, 16), True)]


def test_arbitrator_sees_hearings_and_awards_only_where_they_sit(db, org, make_case):
    sitting, other = org.user(Role.ARBITRATOR), another(db, org, Role.ARBITRATOR, org.arbitration, "arb-two")
    heard = make_case()
    Driver(db.session, org, heard).arbitration(A.HEARD)
    coming = make_case()
    Driver(db.session, org, coming).arbitration(A.TRIBUNAL_FORMED)
    starts = clock.now_utc() + timedelta(days=3)
    hearings.schedule_hearing(
        db.session,
        coming,
        org.user(Role.CLERK),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        online_link="https://meet.example/1",
        short_notice_agreed=True,
    )
    mine = sections(db, sitting)
    assert [(i.case, i.due) for i in mine["arbitrator.hearings"].items] == [(coming, starts)]
    assert [(i.case, i.due) for i in mine["arbitrator.awards"].items] == [
        (heard, heard.arbitration.accepted_on + timedelta(days=45))
    ]
    theirs = sections(db, other)
    assert theirs["arbitrator.hearings"].items == [] and theirs["arbitrator.awards"].items == []


def test_suspension_moves_a_case_from_awards_to_suspended_and_into_the_supervisor_queue(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(A.HEARD)
    arbitrator, supervisor = org.user(Role.ARBITRATOR), org.user(Role.SUPERVISOR)
    interruptions.request_suspension(
        db.session, case, arbitrator, ground=SuspensionGround.AWAITING_DETERMINATION, reason="等待工伤认定结论"
    )
    pending = sections(db, supervisor)["supervisor.approvals"].items
    assert [(i.case, i.state) for i in pending] == [(case, SuspensionGround.AWAITING_DETERMINATION)]
    interruptions.decide_suspension(db.session, case, supervisor, approve=True)
    assert sections(db, arbitrator)["arbitrator.awards"].items == []
    assert cases_in(db, arbitrator, "arbitrator.suspended") == [case]
    assert cases_in(db, supervisor, "supervisor.suspended") == [case]
    assert due_on(case, "arbitration.award") is None  # the award timer is suspended: no deadline meanwhile


def test_supervisor_approvals_oldest_request_first(db, org, make_case):
    supervisor, arbitrator = org.user(Role.SUPERVISOR), org.user(Role.ARBITRATOR)
    closing, extended = make_case(), make_case()
    Driver(db.session, org, closing).arbitration(A.CLOSING)
    Driver(db.session, org, extended).arbitration(A.HEARD)
    interruptions.request_extension(db.session, extended, arbitrator, days=10, reason="案情复杂")
    items = sections(db, supervisor)["supervisor.approvals"].items
    assert [i.case for i in items] == [closing, extended]
    assert items[0].since <= items[1].since and items[1].params == {"days": 10}


def test_closure_sent_back_waits_on_the_arbitrator(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(A.CLOSING)
    arb.reject_closure(db.session, case, org.user(Role.SUPERVISOR), note="说理不足")
    (item,) = sections(db, org.user(Role.ARBITRATOR))["arbitrator.sent_back"].items
    assert item.case == case and item.note == "说理不足"


def test_clerk_desk_from_receipt_to_serving_the_award(db, org, make_case):
    clerk = org.user(Role.CLERK)
    received, accepted, closed = make_case(), make_case(), make_case()
    Driver(db.session, org, received).arbitration(A.RECEIVED)
    Driver(db.session, org, accepted).arbitration(A.ACCEPTED)
    Driver(db.session, org, closed).arbitration(A.CLOSED, ClosureType.AWARD)
    found = sections(db, clerk)
    assert [(i.case, i.due) for i in found["clerk.accept"].items] == [
        (received, received.arbitration.complete_on + timedelta(days=5))
    ]
    assert cases_in(db, clerk, "clerk.serve") == [accepted]
    assert cases_in(db, clerk, "clerk.awards") == [closed]


def test_hearing_notice_due_five_days_before(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(A.TRIBUNAL_FORMED)
    starts = at_local(TODAY + timedelta(days=4), 9)
    hearing = hearings.schedule_hearing(
        db.session,
        case,
        org.user(Role.CLERK),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        online_link="https://meet.example/2",
        short_notice_agreed=True,
    )
    (item,) = sections(db, org.user(Role.CLERK))["clerk.notices"].items
    assert item.due == clock.to_local(starts).date() - timedelta(days=5) and item.overdue
    hearings.serve_hearing_notice(
        db.session, case, org.user(Role.CLERK), hearing_id=hearing.id, served_on=clock.today_local()
    )
    assert sections(db, org.user(Role.CLERK))["clerk.notices"].items == []


def test_scope_keeps_other_units_cases_out(db, org, make_case):
    """A street commission's application is on its own clerk's desk, never on the centre clerk's."""
    street_commission = organisation.add_unit(
        db.session, "BJA", "布吉仲裁庭", UnitKind.ARBITRATION_COMMISSION, org.street
    )
    street_clerk = another(db, org, Role.CLERK, org.street, "street-clerk")
    case = make_case(unit=org.street, actor=street_clerk)
    arb.receive_application(db.session, case, street_clerk, unit_id=street_commission.id, received_on=TODAY)
    ours = make_case()
    Driver(db.session, org, ours).arbitration(A.RECEIVED)
    assert cases_in(db, org.user(Role.CLERK), "clerk.accept") == [ours]
    assert cases_in(db, street_clerk, "clerk.accept") == [case]
    assert case not in [i.case for s in sections(db, org.user(Role.SUPERVISOR)).values() for i in s.items]


def test_legal_aid_officer_and_lawyer(db, org, make_case):
    officer, lawyer = org.user(Role.LEGAL_AID_OFFICER), org.user(Role.LAWYER)
    other_lawyer = another(db, org, Role.LAWYER, org.legal_aid, "lawyer-two")
    applied, granted, objection, assigned = (make_case() for _ in range(4))
    apps = {
        state: Driver(db.session, org, case).legal_aid(state)
        for case, state in (
            (applied, LegalAidState.APPLIED),
            (granted, LegalAidState.GRANTED),
            (objection, LegalAidState.OBJECTION),
            (assigned, LegalAidState.ASSIGNED),
        )
    }
    found = sections(db, officer)
    assert [(i.case, i.due, i.anchor) for i in found["legal_aid.decide"].items] == [
        (applied, TODAY + timedelta(days=7), f"legal-aid-{apps[LegalAidState.APPLIED].id}")
    ]
    assert [(i.case, i.due) for i in found["legal_aid.assign"].items] == [(granted, TODAY + timedelta(days=3))]
    assert [(i.case, i.due) for i in found["legal_aid.objections"].items] == [(objection, TODAY + timedelta(days=5))]
    assert cases_in(db, lawyer, "lawyer.cases") == [assigned]
    assert cases_in(db, other_lawyer, "lawyer.cases") == []


def test_court_liaison_lawsuits_and_right_to_sue(db, org, make_case):
    court = org.user(Role.COURT_LIAISON)
    sued, served = make_case(), make_case()
    suit = Driver(db.session, org, sued).lawsuit(LawsuitState.FILED)
    driver = Driver(db.session, org, served)
    driver.arbitration(A.CLOSED)
    awards.serve_award(db.session, served, org.user(Role.CLERK), served_on=clock.today_local())
    found = sections(db, court)
    assert [(i.case, i.due, i.anchor) for i in found["court.lawsuits"].items] == [
        (sued, due_on(sued, "litigation.filing", suit.id), f"lawsuit-{suit.id}")
    ]
    assert due_on(sued, "litigation.filing", suit.id) >= suit.filed_on + timedelta(days=7)
    (item,) = found["court.right_to_sue"].items
    periods = ("litigation.worker_sue_final", "litigation.employer_revoke", "litigation.sue_nonfinal")
    assert item.case == served and item.due == latest_due(served, periods) >= clock.today_local() + timedelta(days=30)


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_every_case_role_gets_its_sections_and_an_admin_none(db, org, role):
    queues = build_queues(db.session, org.user(role), clock.now_utc())
    assert [q.role for q in queues] == [role]
    assert queues[0].sections and all(s.items == [] and s.total == 0 for s in queues[0].sections)
    assert build_queues(db.session, org.user(Role.ADMIN), clock.now_utc()) == []
