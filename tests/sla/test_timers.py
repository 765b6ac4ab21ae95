"""Timers follow the workflow: started, completed, restarted, paused, resumed and extended by its events."""

from datetime import UTC, date, datetime

from disputes import clock
from disputes.models import Role
from disputes.sla.states import TimerStatus
from disputes.workflow import arbitration as arb
from disputes.workflow import interruptions, legal_aid, mediation
from disputes.workflow.states import ArbitrationState, ClosureType, LegalAidState, MediationState, SuspensionGround
from tests.drive import Driver


def at(day: date, hour: int = 2) -> None:
    """Freeze the clock on `day` (10:00 in Shanghai)."""
    clock.freeze(datetime(day.year, day.month, day.day, hour, tzinfo=UTC))


def timer(case, rule_id, status=None):
    found = [t for t in case.timers if t.rule_id == rule_id and (status is None or t.status == status)]
    assert found, f"no {rule_id} timer ({status})"
    return found[-1]


def test_registration_starts_the_limitation_period(db, make_case):
    case = make_case()
    limitation = timer(case, "limitation.claim")
    assert (limitation.started_on, limitation.status) == (date(2026, 10, 1), TimerStatus.RUNNING)
    # 2027 has no calendar data yet: its statutory holidays (国庆 1–3 October) and weekends, and the date is
    # marked provisional (deadlines.md rule 5).
    assert (limitation.due_on, limitation.provisional) == (date(2027, 10, 4), True)


def test_acceptance_completes_its_timers_and_starts_the_next(db, org, make_case):
    at(date(2026, 9, 1))
    case = make_case(registered_on=date(2026, 9, 1), dispute_known_on=date(2026, 8, 1))
    Driver(db.session, org, case).arbitration(ArbitrationState.RECEIVED)
    accept = timer(case, "arbitration.accept")
    assert (accept.started_on, accept.due_on) == (date(2026, 9, 1), date(2026, 9, 7))  # 09-06 is a Sunday
    arb.accept(db.session, case, org.user(Role.CLERK))
    assert accept.status == TimerStatus.MET and accept.completed_on == date(2026, 9, 1)
    award = timer(case, "arbitration.award", TimerStatus.RUNNING)
    assert (award.nominal_on, award.due_on) == (date(2026, 10, 16), date(2026, 10, 16))  # deadlines.md example 1
    assert timer(case, "arbitration.serve_respondent").due_on == date(2026, 9, 7)
    assert timer(case, "limitation.claim").status == TimerStatus.MET


def test_suspension_pauses_and_resumption_adds_the_days(db, org, make_case):
    """deadlines.md: accepted 03-01, suspended 03-10, resumed 04-09 → 2026-05-15."""
    at(date(2026, 3, 1))
    case = make_case(registered_on=date(2026, 3, 1), dispute_known_on=date(2026, 2, 1))
    driver = Driver(db.session, org, case)
    driver.arbitration(ArbitrationState.ACCEPTED)
    award = timer(case, "arbitration.award", TimerStatus.RUNNING)
    serve = timer(case, "arbitration.serve_respondent", TimerStatus.RUNNING)
    supervisor = org.user(Role.SUPERVISOR)
    at(date(2026, 3, 10))
    interruptions.request_suspension(
        db.session,
        case,
        org.colleague(Role.SUPERVISOR),
        ground=SuspensionGround.AWAITING_DETERMINATION,
        reason="等待工伤认定结论",
    )
    interruptions.decide_suspension(db.session, case, supervisor, approve=True)
    assert (award.status, award.due_on, award.paused_since) == (TimerStatus.PAUSED, None, date(2026, 3, 10))
    assert serve.status != TimerStatus.PAUSED  # not a pausable rule
    at(date(2026, 4, 9))
    interruptions.resume(db.session, case, supervisor)
    assert (award.status, award.paused_days, award.due_on) == (TimerStatus.RUNNING, 30, date(2026, 5, 15))


def test_an_approved_extension_moves_the_award_deadline(db, org, make_case):
    at(date(2026, 9, 1))
    case = make_case(registered_on=date(2026, 9, 1), dispute_known_on=date(2026, 8, 1))
    Driver(db.session, org, case).arbitration(ArbitrationState.ACCEPTED)
    award = timer(case, "arbitration.award", TimerStatus.RUNNING)
    supervisor = org.user(Role.SUPERVISOR)
    interruptions.request_extension(db.session, case, org.colleague(Role.SUPERVISOR), days=15, reason="案情复杂")
    interruptions.decide_extension(db.session, case, supervisor, approve=True)
    # 10-16 + 15 days = 10-31, a Saturday → Monday 11-02.
    assert (award.extension_days, award.due_on) == (15, date(2026, 11, 2))


def test_corrected_materials_restart_the_acceptance_period(db, org, make_case):
    at(date(2026, 9, 1))
    case = make_case(registered_on=date(2026, 9, 1), dispute_known_on=date(2026, 8, 1))
    Driver(db.session, org, case).arbitration(ArbitrationState.CORRECTION_REQUESTED)
    first = timer(case, "arbitration.accept")
    assert first.status == TimerStatus.CANCELLED
    assert timer(case, "arbitration.correct").status == TimerStatus.MET
    at(date(2026, 9, 14))
    arb.corrected(db.session, case, org.user(Role.CLERK))
    restarted = timer(case, "arbitration.accept", TimerStatus.RUNNING)
    # 09-19 is a Saturday; Sunday 09-20 is an official make-up working day (National Day 2026), so it ends there.
    assert restarted is not first and (restarted.started_on, restarted.due_on) == (date(2026, 9, 14), date(2026, 9, 20))


def test_late_completion_is_met_late_with_the_days(db, org, make_case):
    at(date(2026, 9, 1))
    case = make_case(registered_on=date(2026, 9, 1), dispute_known_on=date(2026, 8, 1))
    Driver(db.session, org, case).arbitration(ArbitrationState.ACCEPTED)
    serve = timer(case, "arbitration.serve_respondent")
    at(date(2026, 9, 10))
    arb.serve_respondent(db.session, case, org.user(Role.CLERK), served_on=date(2026, 9, 10))
    assert (serve.status, serve.breached_on, serve.days_late) == (TimerStatus.MET_LATE, date(2026, 9, 8), 3)


def test_closing_the_arbitration_cancels_its_open_tasks(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSED, closure=ClosureType.WITHDRAWN)
    open_tasks = [
        t
        for t in case.timers
        if t.rule_id.startswith("arbitration.") and t.status in (TimerStatus.RUNNING, TimerStatus.PAUSED)
    ]
    assert open_tasks == []
    assert timer(case, "arbitration.award").status in (TimerStatus.MET, TimerStatus.MET_LATE)


def test_mediation_and_legal_aid_timers(db, org, make_case):
    case = make_case()
    driver = Driver(db.session, org, case)
    driver.mediation(MediationState.IN_SESSION)
    resolve = timer(case, "mediation.resolve")
    assert resolve.due_on == date(2026, 12, 7)  # 11-20 + 15 = 12-05, a Saturday
    mediation.fail_mediation(db.session, case, org.user(Role.MEDIATOR), reason="分歧较大")
    assert resolve.status == TimerStatus.MET
    application = driver.legal_aid(LegalAidState.APPLIED)
    decide = timer(case, "legal_aid.decide")
    legal_aid.request_materials(db.session, case, org.user(Role.LEGAL_AID_OFFICER), application, note="补交材料")
    assert decide.status == TimerStatus.CANCELLED
    legal_aid.materials_received(db.session, case, org.user(Role.LEGAL_AID_OFFICER), application)
    assert timer(case, "legal_aid.decide", TimerStatus.RUNNING).subject_id == application.id


def test_hearing_notice_is_a_reverse_deadline(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.HEARD)
    (hearing,) = case.arbitration.hearings
    notice = timer(case, "arbitration.hearing_notice")
    assert notice.subject_id == hearing.id
    assert (clock.to_local(hearing.starts_at).date() - notice.due_on).days == 5
    assert notice.status == TimerStatus.RUNNING  # the driver never served the notice: still due (and late)


def test_green_channel_and_collective_targets(db, org, make_case):
    from decimal import Decimal

    from disputes.models import ClaimCategory
    from disputes.workflow.intake import ClaimInput

    case = make_case(claims=[ClaimInput(ClaimCategory.WORK_INJURY_MEDICAL, Decimal(5000), "医疗费")])
    assert case.green_channel
    Driver(db.session, org, case).arbitration(ArbitrationState.RECEIVED)
    green = timer(case, "green.accept")
    assert green.due_on == green.started_on
    plain = make_case()
    Driver(db.session, org, plain).arbitration(ArbitrationState.RECEIVED)
    assert not [t for t in plain.timers if t.rule_id.startswith("green.")]
