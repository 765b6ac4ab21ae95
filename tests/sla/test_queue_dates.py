"""“My work” takes every due date from the case's timers (issue 12, finding 7): holidays, suspensions and
extensions as the deadline engine computed them, no date where no timer runs, and no query per case."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from disputes import clock, queues
from disputes.i18n import DomainError
from disputes.models import ClaimCategory, Role
from disputes.queues import build_queues
from disputes.sla import rules
from disputes.sla.states import OPEN_STATUSES
from disputes.workflow import awards, interruptions, litigation
from disputes.workflow import mediation as med
from disputes.workflow.intake import ClaimInput
from disputes.workflow.states import ArbitrationState as A
from disputes.workflow.states import LawsuitState, LegalAidState, Litigant
from tests.drive import Driver, at_local

NATIONAL_DAY = date(2026, 10, 1)  # 1–7 October 2026 are official holidays: a period ending then ends on the 8th
AFTER_NATIONAL_DAY = date(2026, 10, 8)
KNOWN = date(2026, 7, 1)  # the dispute became known (before every registration below)


def on(day: date, hour: int = 10) -> None:
    clock.freeze(at_local(day, hour))


def sections(db, user) -> dict:
    return {s.key: s for q in build_queues(db.session, user, clock.now_utc()) for s in q.sections}


def timer_due(case, rule_id: str, subject_id=None) -> date | None:
    found = [
        t for t in case.timers if t.rule_id == rule_id and t.subject_id == subject_id and t.status in OPEN_STATUSES
    ]
    assert len(found) == 1, (rule_id, found)
    return found[0].due_on


def test_the_award_due_on_national_day_is_shown_as_the_timer_says(db, org, make_case):
    """Accepted 2026-08-17: 45 days end on 1 October, a holiday; the deadline is 8 October."""
    on(date(2026, 8, 17))
    case = make_case(registered_on=date(2026, 8, 17), dispute_known_on=KNOWN)
    Driver(db.session, org, case).arbitration(A.HEARD)
    assert case.arbitration.accepted_on + timedelta(days=45) == NATIONAL_DAY
    (item,) = sections(db, org.user(Role.ARBITRATOR))["arbitrator.awards"].items
    assert item.due == AFTER_NATIONAL_DAY == timer_due(case, "arbitration.award")

    interruptions.request_extension(db.session, case, org.user(Role.ARBITRATOR), days=10, reason="案情复杂")
    interruptions.decide_extension(db.session, case, org.user(Role.SUPERVISOR), approve=True)
    (item,) = sections(db, org.user(Role.ARBITRATOR))["arbitrator.awards"].items
    assert item.due == date(2026, 10, 12) == timer_due(case, "arbitration.award")  # nominal 1 Oct + 10 days: a Sunday


def test_clerk_items_read_the_acceptance_service_and_tribunal_timers(db, org, make_case):
    on(date(2026, 9, 28))  # + 5 days = 3 October, a holiday
    received, accepted = (make_case(registered_on=date(2026, 9, 28), dispute_known_on=KNOWN) for _ in range(2))
    Driver(db.session, org, received).arbitration(A.RECEIVED)
    Driver(db.session, org, accepted).arbitration(A.ACCEPTED)
    found = sections(db, org.user(Role.CLERK))
    assert [(i.case, i.due) for i in found["clerk.accept"].items] == [(received, AFTER_NATIONAL_DAY)]
    assert [(i.case, i.due) for i in found["clerk.serve"].items] == [(accepted, AFTER_NATIONAL_DAY)]
    assert (
        timer_due(received, "arbitration.accept")
        == timer_due(accepted, "arbitration.serve_respondent")
        == AFTER_NATIONAL_DAY
    )


def test_legal_aid_court_and_mediator_items_read_their_timers(db, org, make_case):
    on(date(2026, 9, 24))  # + 7 days = 1 October
    aid, sued = (make_case(registered_on=date(2026, 9, 1), dispute_known_on=KNOWN) for _ in range(2))
    application = Driver(db.session, org, aid).legal_aid(LegalAidState.APPLIED)
    on(date(2026, 9, 1))
    Driver(db.session, org, sued).arbitration(A.CLOSED)
    on(date(2026, 9, 24))
    suit = litigation.file_lawsuit(
        db.session,
        sued,
        org.user(Role.COURT_LIAISON),
        plaintiff=Litigant.WORKER,
        court="深圳市龙岗区人民法院",
        filed_on=date(2026, 9, 24),
        award_id=sued.arbitration.awards[0].id,
    )
    mediated = make_case(registered_on=date(2026, 9, 16), dispute_known_on=KNOWN)
    on(date(2026, 9, 16))  # + 15 days = 1 October
    Driver(db.session, org, mediated).mediation(med.MediationState.IN_SESSION)
    on(date(2026, 9, 30))

    officer = sections(db, org.user(Role.LEGAL_AID_OFFICER))
    assert [(i.case, i.due) for i in officer["legal_aid.decide"].items] == [(aid, AFTER_NATIONAL_DAY)]
    assert timer_due(aid, "legal_aid.decide", application.id) == AFTER_NATIONAL_DAY
    court = sections(db, org.user(Role.COURT_LIAISON))
    assert [(i.case, i.due) for i in court["court.lawsuits"].items] == [(sued, AFTER_NATIONAL_DAY)]
    assert timer_due(sued, "litigation.filing", suit.id) == AFTER_NATIONAL_DAY
    mediator = sections(db, org.user(Role.MEDIATOR))
    assert [(i.case, i.due) for i in mediator["mediator.period"].items] == [(mediated, AFTER_NATIONAL_DAY)]


def test_an_item_without_a_running_timer_shows_no_date(db, org, make_case):
    rules.edit_rule(db.session, org.user(Role.ADMIN), "arbitration.award", active=False)
    case = make_case()
    Driver(db.session, org, case).arbitration(A.HEARD)
    assert not [t for t in case.timers if t.rule_id == "arbitration.award"]
    (item,) = sections(db, org.user(Role.ARBITRATOR))["arbitrator.awards"].items
    assert item.due is None and not item.overdue


def test_the_right_to_sue_item_is_the_latest_open_period_of_the_case(db, org, make_case):
    on(date(2026, 8, 3))
    case = make_case(
        registered_on=date(2026, 8, 3),
        dispute_known_on=KNOWN,
        claims=[
            ClaimInput(ClaimCategory.WAGES, Decimal("12000.00"), "拖欠工资"),
            ClaimInput(ClaimCategory.ECONOMIC_COMPENSATION, Decimal("80000.00"), "经济补偿"),
        ],
    )
    Driver(db.session, org, case).arbitration(A.CLOSED)
    on(date(2026, 9, 1))
    awards.serve_award(db.session, case, org.user(Role.CLERK), served_on=date(2026, 9, 1))
    on(date(2026, 9, 10))
    # The worker's 15 days (final and non-final parts) end on 16 September; the employer's 30 on 1 October → 8th.
    # Each party's period is its own timer (subject: the party).
    worker, employer = case.applicants[0], case.respondents[0]
    assert timer_due(case, "litigation.worker_sue_final", worker.id) == date(2026, 9, 16)
    assert timer_due(case, "litigation.employer_revoke", employer.id) == AFTER_NATIONAL_DAY
    (item,) = sections(db, org.user(Role.COURT_LIAISON))["court.right_to_sue"].items
    assert (item.case, item.due) == (case, AFTER_NATIONAL_DAY)

    # The worker sues: their periods are over, the employer's application period still runs.
    litigation.file_lawsuit(
        db.session,
        case,
        org.user(Role.COURT_LIAISON),
        plaintiff=Litigant.WORKER,
        court="深圳市龙岗区人民法院",
        filed_on=date(2026, 9, 10),
        award_id=next(a.id for a in case.arbitration.awards if a.finality.value == "final"),
    )
    (item,) = sections(db, org.user(Role.COURT_LIAISON))["court.right_to_sue"].items
    assert (item.case, item.due) == (case, AFTER_NATIONAL_DAY)
    on(date(2026, 10, 9))
    assert sections(db, org.user(Role.COURT_LIAISON))["court.right_to_sue"].items == []


def test_the_mediation_lapses_only_after_the_timers_deadline(db, org, make_case):
    on(date(2026, 9, 16))
    case = make_case(registered_on=date(2026, 9, 16), dispute_known_on=KNOWN)
    Driver(db.session, org, case).mediation(med.MediationState.IN_SESSION)
    on(date(2026, 10, 2))  # the 15 days' nominal end (1 October) has passed, the deadline has not
    with pytest.raises(DomainError) as refused:
        med.lapse_mediation(db.session, case, org.user(Role.SUPERVISOR))
    assert refused.value.params == {"date": AFTER_NATIONAL_DAY}
    on(date(2026, 10, 9))
    med.lapse_mediation(db.session, case, org.user(Role.SUPERVISOR))
    assert case.mediation.state == med.MediationState.LAPSED


def test_no_recomputation_is_left_in_the_queues():
    from disputes.queues import arbitration, base, desks, mediator
    from disputes.workflow import hearings, mediation

    assert not hasattr(arbitration, "award_due") and not hasattr(base, "plus_days")
    for module, names in (
        (arbitration, ("AWARD_DAYS", "ACCEPT_DAYS", "SERVE_DAYS", "TRIBUNAL_DAYS")),
        (
            desks,
            (
                "FILING_DAYS",
                "DECIDE_DAYS",
                "ASSIGN_DAYS",
                "OBJECTION_DAYS",
                "FIRST_INSTANCE_MONTHS",
                "SECOND_INSTANCE_MONTHS",
            ),
        ),
        (mediator, ("MEDIATION_PERIOD_DAYS",)),
        (mediation, ("MEDIATION_PERIOD_DAYS",)),
        (hearings, ("NOTICE_DAYS",)),
    ):
        assert not [name for name in names if hasattr(module, name)], module.__name__


def count_statements(db):
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    return seen, lambda: sa.event.remove(db.engine, "before_cursor_execute", record)


@pytest.mark.parametrize(
    "role", [Role.CLERK, Role.ARBITRATOR, Role.LEGAL_AID_OFFICER, Role.COURT_LIAISON, Role.MEDIATOR]
)
def test_the_timers_are_read_without_a_query_per_case(db, org, make_case, role):
    track, state = {
        Role.CLERK: ("arbitration", A.RECEIVED),
        Role.ARBITRATOR: ("arbitration", A.HEARD),
        Role.LEGAL_AID_OFFICER: ("legal_aid", LegalAidState.APPLIED),
        Role.COURT_LIAISON: ("lawsuit", LawsuitState.FILED),
        Role.MEDIATOR: ("mediation", med.MediationState.IN_SESSION),
    }[role]

    def fill(count):
        for _ in range(count):
            getattr(Driver(db.session, org, make_case()), track)(state)
        db.session.commit()
        db.session.expire_all()

    def statements() -> int:
        db.session.expire_all()
        seen, stop = count_statements(db)
        try:
            found = build_queues(db.session, org.user(role), clock.now_utc())
        finally:
            stop()
        assert any(i.due for q in found for s in q.sections for i in s.items)
        return len(seen)

    fill(1)
    one = statements()
    fill(4)
    assert statements() == one
    assert queues  # the package, imported for its builders
