"""Issue 12, findings 1–4: the award's life and the closing act, every date from the case's timers.

1. Each party's periods to sue or to apply for revocation run from its own receipt of the award (Law Art 48–50).
2. A final award is effective on the day it is made (Art 47); a non-final one when the last party's period (holidays
   rolled over) ran out with no lawsuit (Art 50); effectiveness is per award document.
3. The award timer ends with the act that ends the proceedings (Art 43), not with the closure's approval.
4. A task still unmet after its deadline when its track ends is a breach; a hearing scheduled too soon warns.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from disputes import clock
from disputes.documents.service import ServiceInput, deem_public_notices, record_service
from disputes.i18n import DomainError
from disputes.models import ClaimCategory, PartyKind, PartySide, Role, ServiceMethod, TimelineEntry
from disputes.sla.scan import scan
from disputes.sla.states import TimerStatus
from disputes.workflow import arbitration as arb
from disputes.workflow import awards, hearings, litigation, mediation
from disputes.workflow.intake import ClaimInput, PartyInput
from disputes.workflow.states import (
    ArbitrationState,
    CaseStatus,
    ClosureType,
    Litigant,
    MediationState,
)
from tests.drive import Driver, at_local
from tests.issued import fake_issue
from tests.pages import parse, text

FINAL = [ClaimInput(ClaimCategory.WAGES, Decimal("12000.00"), "拖欠工资")]
NON_FINAL = [ClaimInput(ClaimCategory.ECONOMIC_COMPENSATION, Decimal("80000.00"), "经济补偿")]
WORKER_RULE, EMPLOYER_RULE, NON_FINAL_RULE = (
    "litigation.worker_sue_final",
    "litigation.employer_revoke",
    "litigation.sue_nonfinal",
)
PARTY_RULES = {WORKER_RULE, EMPLOYER_RULE, NON_FINAL_RULE}


def freeze(day: date, hour: int = 10) -> None:
    clock.freeze(at_local(day, hour).astimezone(UTC))


def closed(db, org, make_case, claims, **intake):
    case = make_case(claims=claims, **intake)
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSED)
    db.session.commit()
    return case


def timers_of(case, rule_id, party=None):
    return [t for t in case.timers if t.rule_id == rule_id and (party is None or t.subject_id == party.id)]


def the_timer(case, rule_id, party=None):
    [timer] = timers_of(case, rule_id, party)
    return timer


def run_effective(runner, db, on: date) -> str:
    clock.freeze(datetime(on.year, on.month, on.day, 1, 0, tzinfo=UTC))
    result = runner.invoke(args=["litigation", "effective", "--date", on.isoformat()])
    assert result.exit_code == 0, (result.output, result.exception)
    db.session.expire_all()
    return result.output


def in_person() -> ServiceInput:
    return ServiceInput(method=ServiceMethod.IN_PERSON, served_at=clock.now_utc(), place="仲裁院", recipient="本人")


def shown(day: date) -> str:
    """A date as the pages print it in Chinese (the default language)."""
    return f"{day.year}年{day.month}月{day.day}日"


# --- 1. each party's own periods ------------------------------------------------------------------------------------


def test_each_party_s_periods_run_from_its_own_service(db, org, make_case):
    """The issue's example: worker served 2026-12-28, employer 2027-01-03: the worker's 15 days end 2027-01-12."""
    case = closed(db, org, make_case, FINAL)
    worker, employer = case.applicants[0], case.respondents[0]
    clerk = org.user(Role.CLERK)
    freeze(date(2027, 1, 4))
    awards.serve_award_on(db.session, case, clerk, party_id=worker.id, served_on=date(2026, 12, 28))
    assert the_timer(case, WORKER_RULE, worker).due_on == date(2027, 1, 12)
    assert timers_of(case, EMPLOYER_RULE) == []  # the employer has not received it yet
    assert case.arbitration.awards[0].served_on is None
    awards.serve_award_on(db.session, case, clerk, party_id=employer.id, served_on=date(2027, 1, 3))
    db.session.commit()

    worker_timer, employer_timer = the_timer(case, WORKER_RULE, worker), the_timer(case, EMPLOYER_RULE, employer)
    assert (worker_timer.started_on, worker_timer.due_on) == (date(2026, 12, 28), date(2027, 1, 12))
    assert (employer_timer.started_on, employer_timer.due_on) == (date(2027, 1, 3), date(2027, 2, 2))
    assert all(t.subject_id is not None for t in case.timers if t.rule_id in PARTY_RULES)
    assert case.arbitration.awards[0].served_on == date(2027, 1, 3)  # reached everyone on the employer's day
    assert {s.party_id: s.served_on for s in case.arbitration.awards[0].services} == {
        worker.id: date(2026, 12, 28),
        employer.id: date(2027, 1, 3),
    }


def test_the_board_and_the_case_page_name_the_party(db, org, make_case, login):
    case = closed(db, org, make_case, FINAL)
    worker, employer = case.applicants[0], case.respondents[0]
    clerk = org.user(Role.CLERK)
    freeze(date(2027, 1, 4))
    awards.serve_award_on(db.session, case, clerk, party_id=worker.id, served_on=date(2026, 12, 28))
    awards.serve_award_on(db.session, case, clerk, party_id=employer.id, served_on=date(2027, 1, 3))
    db.session.commit()
    worker_timer = the_timer(case, WORKER_RULE, worker)
    freeze(date(2027, 1, 10))  # inside the worker's warning window: the board lists it as due soon
    client = login(org.user(Role.SUPERVISOR))
    page = parse(client.get("/deadlines?view=all"))
    row = next(r for r in page.iter("tr") if r.get("data-timer") == str(worker_timer.id))
    cells = [text(c) for c in row.iter("td")]
    # The period is the worker's own: the worker is its owner (issue 16), followed by a staff member.
    assert worker.name in cells[5] and shown(date(2027, 1, 12)) in cells[3]
    panel = parse(client.get(f"/cases/{case.id}"))
    item = next(li for li in panel.iter("li") if li.get("id") == f"timer-{worker_timer.id}")
    assert worker.name in text(item) and shown(date(2027, 1, 12)) in text(item)
    employer_item = next(
        li for li in panel.iter("li") if li.get("id") == f"timer-{the_timer(case, EMPLOYER_RULE, employer).id}"
    )
    assert employer.name in text(employer_item)


def test_each_half_of_a_mixed_award_starts_its_own_periods(db, org, make_case):
    case = closed(db, org, make_case, FINAL + NON_FINAL)
    final, _non_final = case.arbitration.awards
    worker, employer = case.applicants[0], case.respondents[0]
    clerk = org.user(Role.CLERK)
    first = clock.today_local()
    awards.serve_award_on(db.session, case, clerk, party_id=worker.id, served_on=first, award_ids=[final.id])
    freeze(first + timedelta(days=3))
    awards.serve_award_on(db.session, case, clerk, party_id=worker.id, served_on=clock.today_local())
    awards.serve_award_on(db.session, case, clerk, party_id=employer.id, served_on=clock.today_local())
    db.session.commit()
    assert the_timer(case, WORKER_RULE, worker).started_on == first
    assert the_timer(case, NON_FINAL_RULE, worker).started_on == first + timedelta(days=3)
    assert the_timer(case, EMPLOYER_RULE, employer).started_on == first + timedelta(days=3)
    assert the_timer(case, NON_FINAL_RULE, employer).started_on == first + timedelta(days=3)
    assert timers_of(case, WORKER_RULE, employer) == [] and timers_of(case, EMPLOYER_RULE, worker) == []
    with pytest.raises(DomainError, match="served"):
        awards.serve_award_on(
            db.session, case, clerk, party_id=worker.id, served_on=clock.today_local(), award_ids=[final.id]
        )


def test_serving_each_award_document_on_a_party_starts_that_party_s_periods(db, org, make_case):
    case = closed(db, org, make_case, FINAL + NON_FINAL)
    final, non_final = case.arbitration.awards
    worker, employer = case.applicants[0], case.respondents[0]
    clerk = org.user(Role.CLERK)
    final_doc = fake_issue(db.session, case, "arb_award", f"{final.id}-final", number="之一")
    non_final_doc = fake_issue(db.session, case, "arb_award", f"{non_final.id}-nonfinal", number="之二")
    day = clock.today_local()
    assert record_service(db.session, case, clerk, final_doc, worker, in_person()).event == "arbitration.serve_award"
    assert the_timer(case, WORKER_RULE, worker).started_on == day
    assert timers_of(case, NON_FINAL_RULE) == []  # the non-final half has reached nobody yet
    freeze(day + timedelta(days=2))
    later = clock.today_local()
    for doc, party in ((non_final_doc, worker), (final_doc, employer), (non_final_doc, employer)):
        assert record_service(db.session, case, clerk, doc, party, in_person()).event == "arbitration.serve_award"
    db.session.commit()
    assert the_timer(case, NON_FINAL_RULE, worker).started_on == later
    assert the_timer(case, EMPLOYER_RULE, employer).started_on == later
    assert (final.served_on, non_final.served_on) == (later, later)


def test_a_public_notice_starts_the_party_s_period_when_deemed_served(db, org, make_case):
    case = closed(db, org, make_case, NON_FINAL)
    [award] = case.arbitration.awards
    worker, employer = case.applicants[0], case.respondents[0]
    clerk = org.user(Role.CLERK)
    doc = fake_issue(db.session, case, "arb_award", f"{award.id}-nonfinal")
    published = clock.today_local()
    record_service(db.session, case, clerk, doc, worker, in_person())
    notice = ServiceInput(method=ServiceMethod.PUBLIC_NOTICE, published_on=published, publication="《人民法院报》")
    service = record_service(db.session, case, clerk, doc, employer, notice)
    assert service.pending and timers_of(case, NON_FINAL_RULE, employer) == []
    freeze(published + timedelta(days=30))
    deem_public_notices(db.session)
    db.session.commit()
    assert service.event == "arbitration.serve_award"
    assert the_timer(case, NON_FINAL_RULE, employer).started_on == published + timedelta(days=30)
    assert the_timer(case, NON_FINAL_RULE, worker).started_on == published


def test_a_lawsuit_ends_only_its_own_side_s_period(runner, db, org, make_case):
    case = closed(db, org, make_case, NON_FINAL)
    worker, employer = case.applicants[0], case.respondents[0]
    awards.serve_award(db.session, case, org.user(Role.CLERK), served_on=clock.today_local())
    freeze(clock.today_local() + timedelta(days=3))
    litigation.file_lawsuit(
        db.session,
        case,
        org.user(Role.COURT_LIAISON),
        plaintiff=Litigant.WORKER,
        court="深圳市龙岗区人民法院",
        filed_on=clock.today_local(),
        award_id=case.arbitration.awards[0].id,
    )
    db.session.commit()
    worker_timer, employer_timer = the_timer(case, NON_FINAL_RULE, worker), the_timer(case, NON_FINAL_RULE, employer)
    assert (worker_timer.status, worker_timer.completed_by) == (TimerStatus.MET, "litigation.file")
    assert employer_timer.status == TimerStatus.RUNNING  # the employer keeps its own right to sue
    run_effective(runner, db, employer_timer.due_on + timedelta(days=1))
    assert db.session.get(type(case), case.id).arbitration.awards[0].effective_on is None


def test_agents_have_no_period_of_their_own(db, org, make_case):
    parties = [
        PartyInput(PartySide.APPLICANT, PartyKind.WORKER, "张三", sex="female"),
        PartyInput(PartySide.APPLICANT, PartyKind.AGENT, "李律师"),
        PartyInput(PartySide.RESPONDENT, PartyKind.EMPLOYER, "深圳市宏达电子科技有限公司"),
    ]
    case = closed(db, org, make_case, NON_FINAL, parties=parties)
    agent = next(p for p in case.parties if p.kind == PartyKind.AGENT)
    with pytest.raises(DomainError, match="worker or an employer"):
        awards.serve_award_on(db.session, case, org.user(Role.CLERK), party_id=agent.id, served_on=clock.today_local())
    awards.serve_award(db.session, case, org.user(Role.CLERK), served_on=clock.today_local())
    subjects = {t.subject_id for t in case.timers if t.rule_id in PARTY_RULES}
    assert subjects == {case.applicants[0].id, case.respondents[-1].id}


def test_the_serve_award_step_serves_one_party(db, org, make_case, login, app):
    from tests.arb_web import Web

    case = closed(db, org, make_case, FINAL)
    worker = case.applicants[0]
    web = Web(db, org, login, case).as_(Role.CLERK)
    day = clock.today_local()
    web.step("serve-award", {"party_id": worker.id, "served_on": day.isoformat()})
    case = web.fresh()
    assert {s.party_id for s in case.arbitration.awards[0].services} == {worker.id}
    assert [t.subject_id for t in case.timers if t.rule_id in PARTY_RULES] == [worker.id]
    page = parse(web.client.get(f"/cases/{case.id}"))
    served = [text(e) for e in page.iter("dd") if "award-served" in (e.get("class") or "")]
    assert served == [shown(day)]


# --- 2. the award's effect ------------------------------------------------------------------------------------------


def test_a_non_final_award_takes_effect_after_the_rolled_over_period(runner, db, org, make_case):
    """The issue's example: served 2026-09-17, the parties may sue until 2026-10-08 (National Day): effective 10-09,
    not 2026-10-03 as 15 plain days said."""
    freeze(date(2026, 9, 1))
    case = closed(db, org, make_case, NON_FINAL, registered_on=date(2026, 9, 1), dispute_known_on=date(2026, 8, 1))
    freeze(date(2026, 9, 17))
    awards.serve_award(db.session, case, org.user(Role.CLERK), served_on=date(2026, 9, 17))
    db.session.commit()
    assert {t.due_on for t in timers_of(case, NON_FINAL_RULE)} == {date(2026, 10, 8)}
    assert not hasattr(awards, "right_to_sue_ends")
    run_effective(runner, db, date(2026, 10, 3))
    run_effective(runner, db, date(2026, 10, 8))
    kept = db.session.get(type(case), case.id)
    assert kept.arbitration.awards[0].effective_on is None and kept.status == CaseStatus.OPEN
    output = run_effective(runner, db, date(2026, 10, 9))
    done = db.session.get(type(case), case.id)
    assert done.arbitration.awards[0].effective_on == date(2026, 10, 9) and "2026-10-09" in output
    assert (done.status, done.closed_on) == (CaseStatus.CLOSED, date(2026, 10, 9))


def test_effectiveness_is_read_from_the_timers(runner, db, org, make_case):
    """The job reads each party's timer (here the employer's period as recorded, later than the worker's)."""
    case = closed(db, org, make_case, NON_FINAL)
    worker, employer = case.applicants[0], case.respondents[0]
    clerk = org.user(Role.CLERK)
    start = clock.today_local()
    awards.serve_award_on(db.session, case, clerk, party_id=worker.id, served_on=start)
    freeze(start + timedelta(days=10))
    awards.serve_award_on(db.session, case, clerk, party_id=employer.id, served_on=clock.today_local())
    db.session.commit()
    worker_end = the_timer(case, NON_FINAL_RULE, worker).due_on
    employer_end = the_timer(case, NON_FINAL_RULE, employer).due_on
    run_effective(runner, db, worker_end + timedelta(days=1))
    kept = db.session.get(type(case), case.id)
    assert the_timer(kept, NON_FINAL_RULE, worker).status == TimerStatus.MET  # lapsed, by the job
    assert kept.arbitration.awards[0].effective_on is None and kept.status == CaseStatus.OPEN
    run_effective(runner, db, employer_end + timedelta(days=1))
    done = db.session.get(type(case), case.id)
    assert done.arbitration.awards[0].effective_on == employer_end + timedelta(days=1)
    assert done.status == CaseStatus.CLOSED


def test_the_case_page_shows_each_award_s_effect(db, org, make_case, login, app):
    case = closed(db, org, make_case, FINAL + NON_FINAL)
    final, non_final = case.arbitration.awards
    awards.serve_award(db.session, case, org.user(Role.CLERK), served_on=clock.today_local())
    db.session.commit()
    page = parse(login(org.user(Role.CLERK)).get(f"/cases/{case.id}"))
    effects = [text(e) for e in page.iter("dd") if "award-effective" in (e.get("class") or "")]
    assert effects[0] == shown(final.awarded_on)
    assert effects[1] != shown(final.awarded_on) and non_final.effective_on is None


# --- 3. the closing act -----------------------------------------------------------------------------------------------


def heard(db, org, make_case, claims=FINAL):
    case = make_case(claims=claims)
    Driver(db.session, org, case).arbitration(ArbitrationState.HEARD)
    return case


def award_on(db, org, case, day: date):
    items = [awards.ItemInput(claim_id=c.id, amount=c.amount, text="支持") for c in case.claims]
    awards.record_award(db.session, case, org.user(Role.ARBITRATOR), items=items, awarded_on=day)
    arb.request_closure(db.session, case, org.user(Role.ARBITRATOR), closure_type=ClosureType.AWARD)


def test_an_award_made_on_day_44_and_approved_on_day_47_is_on_time(db, org, make_case, login, app):
    case = heard(db, org, make_case)
    accepted = case.arbitration.accepted_on
    timer = the_timer(case, "arbitration.award")
    assert timer.due_on == accepted + timedelta(days=45)
    freeze(accepted + timedelta(days=44))
    award_on(db, org, case, clock.today_local())
    db.session.commit()
    assert (timer.status, timer.completed_on) == (TimerStatus.MET, accepted + timedelta(days=44))
    freeze(accepted + timedelta(days=46))
    scan(db.session, clock.today_local(), clock.now_utc())  # the closure waits: nothing is breached
    assert timer.status == TimerStatus.MET and timer.breached_on is None
    freeze(accepted + timedelta(days=47))
    arb.approve_closure(db.session, case, org.user(Role.SUPERVISOR))
    db.session.commit()
    arbitration = case.arbitration
    assert arbitration.closed_on == accepted + timedelta(days=44)
    assert arbitration.closure_approved_on == accepted + timedelta(days=47)
    assert (timer.status, timer.completed_on, timer.days_late) == (TimerStatus.MET, accepted + timedelta(days=44), None)

    client = login(org.user(Role.SUPERVISOR))
    page = parse(client.get(f"/cases/{case.id}"))
    closed_on = [text(e) for e in page.iter("dd") if "closed-on" in (e.get("class") or "")]
    approved = [text(e) for e in page.iter("dd") if "approved-on" in (e.get("class") or "")]
    assert closed_on == [shown(arbitration.closed_on)]
    assert approved and approved[0].endswith(shown(arbitration.closure_approved_on))

    from disputes.ledger.export import rows_for

    [(_id, row)] = rows_for(db.session, [case.id])
    assert row["arbitration_closed_on"] == arbitration.closed_on.isoformat()

    from disputes.documents.case_file import cover_facts

    assert cover_facts(db.session, case, clock.today_local())["closed_on"] == arbitration.closed_on


def test_the_closure_form_counts_to_the_act_and_shows_the_timer_s_due_date(db, org, make_case):
    from disputes.documents import catalogue, compose

    case = heard(db, org, make_case)
    accepted = case.arbitration.accepted_on
    freeze(accepted + timedelta(days=44))
    award_on(db, org, case, clock.today_local())
    freeze(accepted + timedelta(days=47))
    arb.approve_closure(db.session, case, org.user(Role.SUPERVISOR))
    db.session.flush()
    kind = catalogue.kind("arb_closure_approval")
    context = kind.build(db.session, case, compose.find_subject(db.session, case, kind, ""))
    assert context["days"]["total"] == 44
    assert context["days"]["due_on"] == the_timer(case, "arbitration.award").due_on
    assert "allowed" not in context["days"]
    assert context["closure"]["approved_on"] == accepted + timedelta(days=47)
    import disputes.documents.kinds.arbitration_forms as forms

    assert not hasattr(forms, "TIME_LIMIT_DAYS")


def test_a_closure_sent_back_reopens_the_award_timer(db, org, make_case):
    case = heard(db, org, make_case)
    accepted = case.arbitration.accepted_on
    timer = the_timer(case, "arbitration.award")
    freeze(accepted + timedelta(days=44))
    award_on(db, org, case, clock.today_local())
    assert timer.status == TimerStatus.MET
    freeze(accepted + timedelta(days=47))
    arb.reject_closure(db.session, case, org.user(Role.SUPERVISOR), note="事实不清")
    db.session.commit()
    assert (timer.status, timer.completed_on, timer.completed_by) == (TimerStatus.BREACHED, None, None)
    assert timer.breached_on == timer.due_on + timedelta(days=1) and timer.days_late == 2


def test_an_act_dated_before_the_scan_s_breach_meets_the_deadline(db, org, make_case):
    case = heard(db, org, make_case)
    accepted = case.arbitration.accepted_on
    timer = the_timer(case, "arbitration.award")
    freeze(accepted + timedelta(days=47))
    scan(db.session, clock.today_local(), clock.now_utc())
    assert timer.status == TimerStatus.BREACHED
    award_on(db, org, case, accepted + timedelta(days=44))  # made on day 44, typed in on day 47
    assert (timer.status, timer.breached_on, timer.days_late) == (TimerStatus.MET, None, None)


def test_a_withdrawal_is_closed_on_the_decision_s_date(db, org, make_case):
    case = heard(db, org, make_case)
    accepted = case.arbitration.accepted_on
    freeze(accepted + timedelta(days=20))
    decided = accepted + timedelta(days=17)
    arb.request_closure(
        db.session,
        case,
        org.user(Role.ARBITRATOR),
        closure_type=ClosureType.WITHDRAWN,
        note="申请人撤回仲裁申请",
        act_on=decided,
    )
    freeze(accepted + timedelta(days=22))
    arb.approve_closure(db.session, case, org.user(Role.SUPERVISOR))
    db.session.commit()
    assert (case.arbitration.closed_on, case.arbitration.closure_approved_on) == (decided, clock.today_local())
    assert the_timer(case, "arbitration.award").completed_on == decided
    assert (case.status, case.closed_on) == (CaseStatus.CLOSED, decided)
    with pytest.raises(DomainError):
        other = heard(db, org, make_case)
        arb.request_closure(
            db.session,
            other,
            org.user(Role.ARBITRATOR),
            closure_type=ClosureType.WITHDRAWN,
            note="撤回",
            act_on=other.arbitration.accepted_on - timedelta(days=1),
        )


def test_a_mediation_ends_on_the_agreement_s_signing_date(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).mediation(MediationState.IN_SESSION)
    signed = clock.today_local()
    freeze(signed + timedelta(days=3))
    mediation.record_agreement(
        db.session,
        case,
        org.user(Role.MEDIATOR),
        signed_on=signed,
        terms=[mediation.TermInput(description="支付工资", amount=Decimal("10000.00"), claim_id=case.claims[0].id)],
    )
    db.session.commit()
    assert (case.status, case.closed_on) == (CaseStatus.CLOSED, signed)
    assert the_timer(case, "mediation.resolve").completed_on == signed


# --- 4. breaches kept at the end, and the warning when scheduling -----------------------------------------------------


def tribunal_case(db, org, make_case):
    case = make_case()
    driver = Driver(db.session, org, case)
    driver.arbitration(ArbitrationState.TRIBUNAL_FORMED)
    return case, driver


def test_a_hearing_scheduled_too_soon_warns_naming_the_rule(db, org, make_case):
    case, driver = tribunal_case(db, org, make_case)
    starts = at_local(clock.today_local() + timedelta(days=3), 9)
    hearing = hearings.schedule_hearing(
        db.session,
        case,
        org.user(Role.CLERK),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        short_notice_agreed=True,
        room_id=driver.room().id,
    )
    [notice] = hearing.notices
    assert notice.params["rule"].rule_id == "arbitration.hearing_notice" and notice.params["days"] == 5
    assert notice.params["date"] == clock.today_local() - timedelta(days=2)
    assert "arbitration.hearing_notice" in str(notice)
    soon = the_timer(case, "arbitration.hearing_notice")
    assert soon.status == TimerStatus.RUNNING  # a warning, not a refusal

    later = at_local(clock.today_local() + timedelta(days=5), 14)
    other = hearings.schedule_hearing(
        db.session,
        case,
        org.user(Role.CLERK),
        starts_at=later,
        ends_at=later + timedelta(hours=2),
        room_id=driver.room().id,
    )
    assert other.notices == []  # five days ahead: the notice can still be served today


def test_the_schedule_step_flashes_the_warning(db, org, make_case, login, app):
    from tests.arb_web import Web
    from tests.pages import flashes

    case, driver = tribunal_case(db, org, make_case)
    web = Web(db, org, login, case).as_(Role.CLERK)
    day = clock.today_local() + timedelta(days=2)
    response = web.step(
        "schedule-hearing",
        {
            "day": day.isoformat(),
            "starts_at": "09:00",
            "ends_at": "11:00",
            "room_id": driver.room().id,
            "short_notice_agreed": "y",  # refused without it (issue 16); with it, still warned
        },
    )
    shown = flashes(web.client.get(response.headers["Location"]))
    assert any(
        "开庭五日前通知双方当事人" in message and "《劳动争议调解仲裁法》第三十五条" in message for message in shown
    )


def test_an_unmet_notice_is_a_breach_when_the_case_closes(runner, db, org, make_case):
    case, driver = tribunal_case(db, org, make_case)
    starts = at_local(clock.today_local() + timedelta(days=3), 9)
    hearing = hearings.schedule_hearing(
        db.session,
        case,
        org.user(Role.CLERK),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        short_notice_agreed=True,
        room_id=driver.room().id,
    )
    notice = the_timer(case, "arbitration.hearing_notice")
    clock.freeze(starts.astimezone(UTC) + timedelta(hours=3))
    hearings.hold_hearing(
        db.session,
        case,
        org.user(Role.ARBITRATOR),
        hearing_id=hearing.id,
        applicant_attended=True,
        respondent_attended=True,
    )
    driver.request_closure(ClosureType.AWARD)
    arb.approve_closure(db.session, case, org.user(Role.SUPERVISOR))  # before any scan ran
    db.session.commit()
    act = case.arbitration.closed_on
    assert notice.status == TimerStatus.CANCELLED
    assert notice.breached_on == notice.due_on + timedelta(days=1)
    assert notice.days_late == (act - notice.due_on).days > 0
    breaches = db.session.query(TimelineEntry).filter_by(case_id=case.id, kind="sla.breached").all()
    assert [e.after["rule"] for e in breaches] == ["arbitration.hearing_notice"]

    result = runner.invoke(args=["metrics", "--from", "2026-11-01", "--to", "2026-11-30", "--unit", "LGA", "--json"])
    assert result.exit_code == 0, result.output
    import json

    assert json.loads(result.output)["sla.breaches"] == 1


def test_a_breach_recorded_by_the_scan_survives_the_closure(db, org, make_case):
    case, driver = tribunal_case(db, org, make_case)
    starts = at_local(clock.today_local() + timedelta(days=3), 9)
    hearing = hearings.schedule_hearing(
        db.session,
        case,
        org.user(Role.CLERK),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        short_notice_agreed=True,
        room_id=driver.room().id,
    )
    notice = the_timer(case, "arbitration.hearing_notice")
    scan(db.session, clock.today_local(), clock.now_utc())
    db.session.refresh(notice)
    assert notice.status == TimerStatus.BREACHED
    clock.freeze(starts.astimezone(UTC) + timedelta(hours=3))
    hearings.hold_hearing(
        db.session,
        case,
        org.user(Role.ARBITRATOR),
        hearing_id=hearing.id,
        applicant_attended=True,
        respondent_attended=True,
    )
    driver.request_closure(ClosureType.AWARD)
    arb.approve_closure(db.session, case, org.user(Role.SUPERVISOR))
    assert notice.status == TimerStatus.CANCELLED
    assert notice.breached_on == notice.due_on + timedelta(days=1)
    assert notice.days_late == (case.arbitration.closed_on - notice.due_on).days


def test_a_notice_served_in_time_leaves_no_breach(db, org, make_case):
    case, driver = tribunal_case(db, org, make_case)
    starts = at_local(clock.today_local() + timedelta(days=7), 9)
    hearing = hearings.schedule_hearing(
        db.session,
        case,
        org.user(Role.CLERK),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        room_id=driver.room().id,
    )
    hearings.postpone_hearing(db.session, case, org.user(Role.CLERK), hearing_id=hearing.id, reason="当事人申请")
    notice = the_timer(case, "arbitration.hearing_notice")
    assert (notice.status, notice.breached_on) == (TimerStatus.CANCELLED, None)


# --- the ledger: the same model from the dates ------------------------------------------------------------------------


def test_an_imported_award_gets_each_party_s_periods_and_its_effect(db, org):
    import io

    import sqlalchemy as sa

    from disputes.ledger import parse
    from disputes.ledger.importer import import_ledger
    from disputes.models import Case
    from tests.ledger_rows import GOOD, csv_text

    rows = [
        GOOD[0],
        GOOD[3],
        dict(
            GOOD[3],
            registry_no="L-0009",
            litigation_filed_on="",
            litigation_by="",
            arbitration_closed_on="2026-09-17",
            arbitration_accepted_on="2026-08-20",
            arbitration_received_on="2026-08-20",
        ),
    ]
    sheet = parse.read(io.BytesIO(csv_text(rows).encode("utf-8")), "ledger.csv")
    import_ledger(db.session, sheet, org.user(Role.CLERK), note="imported", causes={})
    db.session.commit()

    def case(number):
        return db.session.scalar(sa.select(Case).where(Case.registry_no == number))

    final = case("L-0001")  # closed by a final award on 2026-05-20, nobody sued
    worker, employer = final.applicants[0], final.respondents[0]
    assert final.arbitration.closed_on == final.arbitration.closure_approved_on == date(2026, 5, 20)
    assert final.arbitration.awards[0].effective_on == date(2026, 5, 20)  # Law Art 47: the day it is made
    assert the_timer(final, WORKER_RULE, worker).due_on == date(2026, 6, 4)
    assert the_timer(final, EMPLOYER_RULE, employer).due_on == date(2026, 6, 22)  # 06-19 is 端午节: rolled
    assert {s.party_id for s in final.arbitration.awards[0].services} == {worker.id, employer.id}
    assert (final.status, final.closed_on) == (CaseStatus.CLOSED, date(2026, 6, 23))

    sued = case("L-0004")  # non-final, the worker sued: the worker's period met by the lawsuit, the employer's ran out
    assert the_timer(sued, NON_FINAL_RULE, sued.applicants[0]).completed_by == "litigation.file"
    assert the_timer(sued, NON_FINAL_RULE, sued.respondents[0]).completed_by == "sla.period_ended"
    assert sued.arbitration.awards[0].effective_on is None

    rolled = case("L-0009")  # served 2026-09-17: the parties may sue until 2026-10-08, effective 10-09
    assert {t.due_on for t in timers_of(rolled, NON_FINAL_RULE)} == {date(2026, 10, 8)}
    assert rolled.arbitration.awards[0].effective_on == date(2026, 10, 9)
    assert (rolled.status, rolled.closed_on) == (CaseStatus.CLOSED, date(2026, 10, 9))
