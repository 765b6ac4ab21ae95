"""Rules Art 46 (6): the period of a public-notice service (公告送达) is not counted in the award period.

A public notice is deemed served 30 days after publication (CPL Art 95); while one is pending the award timer is
paused like a suspension, and it runs again when the notice is deemed served.
"""

from datetime import date

import pytest

from disputes.documents.service import ServiceInput, deem_public_notices, record_service
from disputes.models import Role, ServiceMethod
from disputes.sla.calendar_store import load_calendar
from disputes.sla.compute import explain
from disputes.sla.explain import rebuild
from disputes.sla.states import AdjustmentKind, TimerStatus
from disputes.workflow import interruptions, restarts
from disputes.workflow.states import ArbitrationState, SuspensionGround
from tests.drive import Driver
from tests.issued import fake_issue
from tests.sla.test_timers import at, timer


def notice(published_on: date) -> ServiceInput:
    return ServiceInput(method=ServiceMethod.PUBLIC_NOTICE, published_on=published_on, publication="《人民法院报》")


@pytest.fixture
def accepted(db, org, make_case):
    """Accepted on 2026-09-01: the award is due 10-16."""
    at(date(2026, 9, 1))
    case = make_case(registered_on=date(2026, 9, 1), dispute_known_on=date(2026, 8, 1))
    Driver(db.session, org, case).arbitration(ArbitrationState.ACCEPTED)
    return case


def publish(db, org, case, on: date):
    document = fake_issue(db.session, case, "arb_respondent_notice")
    return record_service(db.session, case, org.user(Role.CLERK), document, case.respondents[0], notice(on))


def steps(db, award) -> list[str]:
    deadline = rebuild(award, load_calendar(db.session))
    return [explain(step, lambda message: message) for step in deadline.steps]


def test_a_pending_public_notice_pauses_the_award_period_until_it_is_deemed_served(db, org, accepted):
    case = accepted
    at(date(2026, 9, 5))
    publish(db, org, case, date(2026, 9, 5))
    db.session.commit()
    award = timer(case, "arbitration.award")
    assert (award.status, award.paused_since, award.due_on) == (TimerStatus.PAUSED, date(2026, 9, 5), None)
    assert timer(case, "arbitration.serve_respondent").status == TimerStatus.RUNNING  # not a pausable rule
    assert steps(db, award)[-1] == "Public notice pending since 2026-09-05: the deadline is open"

    at(date(2026, 10, 5))
    assert len(deem_public_notices(db.session)) == 1
    db.session.commit()
    assert (award.status, award.paused_since, award.paused_days) == (TimerStatus.RUNNING, None, 30)
    assert award.due_on == date(2026, 11, 16)  # 10-16 + 30 days = Sunday 11-15 → Monday
    (adjustment,) = award.adjustments
    assert (adjustment.kind, adjustment.start_on, adjustment.end_on, adjustment.days) == (
        AdjustmentKind.PUBLIC_NOTICE,
        date(2026, 9, 5),
        date(2026, 10, 5),
        30,
    )
    assert "Public notice 2026-09-05–2026-10-05: 30 days not counted" in steps(db, award)


def test_a_notice_recorded_after_its_30_days_counts_at_once(db, org, accepted):
    case = accepted
    at(date(2026, 9, 5))
    document = fake_issue(db.session, case, "arb_respondent_notice")
    at(date(2026, 10, 10))
    record_service(db.session, case, org.user(Role.CLERK), document, case.respondents[0], notice(date(2026, 9, 5)))
    award = timer(case, "arbitration.award")
    assert (award.status, award.paused_days, award.due_on) == (TimerStatus.RUNNING, 30, date(2026, 11, 16))


def test_a_suspension_during_a_notice_is_not_counted_twice(db, org, accepted):
    case, head, deputy = accepted, org.user(Role.SUPERVISOR), org.colleague(Role.SUPERVISOR)
    at(date(2026, 9, 5))
    publish(db, org, case, date(2026, 9, 5))
    at(date(2026, 9, 10))
    interruptions.request_suspension(db.session, case, deputy, ground=SuspensionGround.FORCE_MAJEURE, reason="台风")
    interruptions.decide_suspension(db.session, case, head, approve=True)
    award = timer(case, "arbitration.award")
    at(date(2026, 9, 20))
    interruptions.resume(db.session, case, deputy)
    assert (award.status, award.paused_since) == (TimerStatus.PAUSED, date(2026, 9, 5))  # the notice still runs
    at(date(2026, 10, 5))
    deem_public_notices(db.session)
    assert (award.status, award.paused_days, award.due_on) == (TimerStatus.RUNNING, 30, date(2026, 11, 16))
    assert sorted(a.kind for a in award.adjustments) == [AdjustmentKind.PUBLIC_NOTICE, AdjustmentKind.SUSPENSION]


def test_a_notice_pending_when_the_period_restarts_pauses_the_new_period(db, org, accepted):
    case = accepted
    at(date(2026, 9, 5))
    publish(db, org, case, date(2026, 9, 5))
    at(date(2026, 9, 10))
    restarts.transfer_in(db.session, case, org.user(Role.SUPERVISOR), transferred_from="坪山区仲裁委")
    award = timer(case, "arbitration.award")
    assert (award.started_on, award.status, award.paused_since) == (
        date(2026, 9, 10),
        TimerStatus.PAUSED,
        date(2026, 9, 10),
    )
    at(date(2026, 10, 5))
    deem_public_notices(db.session)
    # 09-10 + 45 = 10-25, + the 25 days of the notice after the restart = 11-19.
    assert (award.status, award.paused_days, award.due_on) == (TimerStatus.RUNNING, 25, date(2026, 11, 19))


def test_a_notice_after_closure_pauses_nothing(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSED)
    award = timer(case, "arbitration.award")
    document = fake_issue(db.session, case, "arb_award")
    from tests.sla.test_timers import clock  # the driver moved the clock on

    record_service(db.session, case, org.user(Role.CLERK), document, case.respondents[0], notice(clock.today_local()))
    assert award.status == TimerStatus.MET and award.adjustments == []


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_case_page_says_the_period_waits_for_the_notice(app, client, db, org, accepted, login, locale):
    from tests.pages import t, text
    from tests.sla.test_timer_panel import DATES, case_page, steps_of, timer_item

    case = accepted
    at(date(2026, 9, 5))
    publish(db, org, case, date(2026, 9, 5))
    db.session.commit()
    supervisor = org.user(Role.SUPERVISOR)
    login(supervisor)
    item = timer_item(case_page(client, db, supervisor, case, locale), timer(case, "arbitration.award").id)
    since = DATES[locale](date(2026, 9, 5))
    assert t(app, "paused: public notice pending since %(date)s", locale, date=since) in text(item)
    assert steps_of(item)[-1] == t(
        app, "Public notice pending since %(start)s: the deadline is open", locale, start=since
    )
