"""`flask litigation effective`: a final award is effective on the day it is made (Law Art 47); a non-final award
takes effect when every party's period to sue ran out with no lawsuit (Art 50), read from the parties' timers; the
case closes when no period is left running."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from disputes import clock
from disputes.models import Case, ClaimCategory, Role, TimelineEntry
from disputes.sla.states import TimerStatus
from disputes.workflow import awards, litigation
from disputes.workflow.intake import ClaimInput
from disputes.workflow.states import ArbitrationState, CaseStage, CaseStatus, Finality, LawsuitState
from tests.drive import Driver

FINAL = [ClaimInput(ClaimCategory.WAGES, Decimal("12000.00"), "拖欠工资")]
NON_FINAL = [ClaimInput(ClaimCategory.ECONOMIC_COMPENSATION, Decimal("80000.00"), "经济补偿")]


def served_case(db, org, make_case, claims):
    """A case closed with an award, served on the parties today; returns it with the service date."""
    case = make_case(claims=claims)
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSED)
    served_on = clock.today_local()
    awards.serve_award(db.session, case, org.user(Role.CLERK), served_on=served_on)
    db.session.commit()
    return case, served_on


def run(runner, db, on: date):
    """Run the command on day `on`, as the scheduler would that morning."""
    clock.freeze(datetime(on.year, on.month, on.day, 1, 0, tzinfo=UTC))  # 09:00 in Shanghai
    result = runner.invoke(args=["litigation", "effective", "--date", on.isoformat()])
    assert result.exit_code == 0, (result.output, result.exception)
    db.session.expire_all()
    return result.output


def entries(db, case, kind="arbitration.award_effective") -> int:
    return db.session.query(TimelineEntry).filter_by(case_id=case.id, kind=kind).count()


def last_day(case, rule_id=None) -> date:
    """The last day any party may still act: the latest due date of the parties' period timers."""
    return max(t.due_on for t in awards.party_timers(case, rule_id))


def test_a_final_award_is_effective_when_made_and_the_case_closes_when_the_periods_end(runner, db, org, make_case):
    case, _served_on = served_case(db, org, make_case, FINAL)
    [award] = case.arbitration.awards
    assert award.finality == Finality.FINAL
    assert award.effective_on == award.awarded_on  # Law Art 47: from the day it is made, not 31 days after service
    ends = last_day(case)
    assert ends == date(2026, 12, 28)  # the employer's 30 days from 2026-11-28 (a Monday)

    output = run(runner, db, ends)
    assert "in 0 case(s)" in output and case.registry_no not in output
    still = db.session.get(Case, case.id)
    assert (still.status, still.stage) == (CaseStatus.OPEN, CaseStage.ARBITRATION)

    output = run(runner, db, ends + timedelta(days=1))
    assert f"{case.registry_no}  closed {(ends + timedelta(days=1)).isoformat()}" in output
    done = db.session.get(Case, case.id)
    assert (done.status, done.closed_on) == (CaseStatus.CLOSED, ends + timedelta(days=1))
    assert done.arbitration.awards[0].effective_on == award.awarded_on
    assert all(t.status == TimerStatus.MET for t in awards.party_timers(done))
    assert entries(db, case, "arbitration.sue_periods_ended") == 1 and entries(db, case) == 0

    output = run(runner, db, ends + timedelta(days=2))
    assert case.registry_no not in output
    assert db.session.get(Case, case.id).closed_on == ends + timedelta(days=1)
    assert entries(db, case, "arbitration.sue_periods_ended") == 1


def test_a_non_final_award_takes_effect_the_day_after_every_partys_period(runner, db, org, make_case):
    case, _served_on = served_case(db, org, make_case, NON_FINAL)
    [award] = case.arbitration.awards
    assert award.finality == Finality.NON_FINAL and award.effective_on is None
    ends = last_day(case)
    assert ends == date(2026, 12, 14)  # 2026-11-28 + 15 = Sunday 12-13, rolled to Monday
    run(runner, db, ends)
    assert db.session.get(Case, case.id).arbitration.awards[0].effective_on is None
    output = run(runner, db, ends + timedelta(days=1))
    assert "in 1 case(s)" in output and award.number in output
    done = db.session.get(Case, case.id)
    assert done.arbitration.awards[0].effective_on == ends + timedelta(days=1)
    assert (done.status, done.closed_on) == (CaseStatus.CLOSED, ends + timedelta(days=1))
    assert entries(db, case) == 1


def test_a_mixed_award_lives_two_lives(runner, db, org, make_case):
    case, _served_on = served_case(db, org, make_case, FINAL + NON_FINAL)
    final, non_final = case.arbitration.awards
    assert (final.finality, non_final.finality) == (Finality.FINAL, Finality.NON_FINAL)
    assert final.effective_on == final.awarded_on and non_final.effective_on is None
    nonfinal_ends = last_day(case, "litigation.sue_nonfinal")
    output = run(runner, db, nonfinal_ends + timedelta(days=1))
    assert non_final.number in output and final.number not in output
    kept = db.session.get(Case, case.id)
    assert kept.arbitration.awards[1].effective_on == nonfinal_ends + timedelta(days=1)
    assert kept.status == CaseStatus.OPEN  # the employer may still apply to revoke the final half
    ends = last_day(case)
    assert ends > nonfinal_ends
    run(runner, db, ends + timedelta(days=1))
    assert db.session.get(Case, case.id).closed_on == ends + timedelta(days=1)


def test_an_award_not_yet_served_never_takes_effect(runner, db, org, make_case):
    case = make_case(claims=NON_FINAL)
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSED)
    db.session.commit()
    run(runner, db, clock.today_local() + timedelta(days=90))
    kept = db.session.get(Case, case.id)
    assert kept.arbitration.awards[0].effective_on is None and kept.status == CaseStatus.OPEN


def test_a_lawsuit_keeps_the_award_from_taking_effect(runner, db, org, make_case):
    case, served_on = served_case(db, org, make_case, NON_FINAL)
    Driver(db.session, org, case).lawsuit(LawsuitState.FILED)
    db.session.commit()
    output = run(runner, db, served_on + timedelta(days=60))
    assert "in 0 case(s)" in output
    kept = db.session.get(Case, case.id)
    assert kept.arbitration.awards[0].effective_on is None and kept.status == CaseStatus.OPEN
    assert entries(db, case) == 0


def test_an_application_to_revoke_keeps_the_case_in_court(runner, db, org, make_case):
    case, served_on = served_case(db, org, make_case, FINAL)
    Driver(db.session, org, case).lawsuit(LawsuitState.REVOCATION_APPLIED)
    db.session.commit()
    run(runner, db, served_on + timedelta(days=60))
    kept = db.session.get(Case, case.id)
    assert kept.status == CaseStatus.OPEN and kept.stage == CaseStage.LITIGATION
    assert kept.arbitration.awards[0].effective_on == kept.arbitration.awards[0].awarded_on


def test_a_revoked_award_leaves_fifteen_days_to_sue_then_the_case_closes(runner, db, org, make_case):
    case, _served_on = served_case(db, org, make_case, FINAL)
    revocation = Driver(db.session, org, case).lawsuit(LawsuitState.REVOKED)
    revoked_on = revocation.closed_on
    # Law Art 49: the 15 days run from the ruling's receipt (here the day of the decision;
    # tests/workflow/test_court_clocks.py has a later receipt), as the litigation.sue_after_revocation timer
    # counts them.
    litigation.receive_revocation_ruling(
        db.session, case, org.user(Role.COURT_LIAISON), revocation, received_on=revoked_on
    )
    db.session.commit()
    ends = next(t.due_on for t in case.timers if t.rule_id == "litigation.sue_after_revocation")
    assert ends >= revoked_on + timedelta(days=15)
    assert db.session.get(Case, case.id).status == CaseStatus.OPEN
    run(runner, db, ends)
    assert db.session.get(Case, case.id).status == CaseStatus.OPEN
    output = run(runner, db, ends + timedelta(days=1))
    case = db.session.get(Case, case.id)
    assert case.status == CaseStatus.CLOSED and case.closed_on == ends + timedelta(days=1)
    assert case.registry_no in output
    run(runner, db, ends + timedelta(days=2))
    lapsed = db.session.query(TimelineEntry).filter_by(case_id=case.id, kind="litigation.sue_period_lapsed")
    assert lapsed.count() == 1


def test_a_lawsuit_after_the_revocation_keeps_the_case_open(runner, db, org, make_case):
    from disputes.workflow.states import Litigant

    case, _served_on = served_case(db, org, make_case, FINAL)
    revocation = Driver(db.session, org, case).lawsuit(LawsuitState.REVOKED)
    litigation.file_lawsuit(
        db.session,
        case,
        org.user(Role.COURT_LIAISON),
        plaintiff=Litigant.WORKER,
        court="深圳市龙岗区人民法院",
        filed_on=revocation.closed_on,
        award_id=case.arbitration.awards[0].id,
    )
    db.session.commit()
    run(runner, db, revocation.closed_on + timedelta(days=40))
    assert db.session.get(Case, case.id).status == CaseStatus.OPEN


@pytest.mark.parametrize("value", ["2099-01-01", "20-11-2026"])
def test_a_future_or_malformed_date_is_refused(runner, db, org, value):
    result = runner.invoke(args=["litigation", "effective", "--date", value])
    assert result.exit_code != 0
    assert "--date" in result.output


def test_without_a_date_it_counts_as_of_today(runner, db, org, make_case):
    case, _ = served_case(db, org, make_case, NON_FINAL)
    clock.freeze(datetime(2026, 12, 31, 1, 0, tzinfo=UTC))
    result = runner.invoke(args=["litigation", "effective"])
    assert result.exit_code == 0, result.output
    assert "as of 2026-12-31" in result.output and case.registry_no in result.output
