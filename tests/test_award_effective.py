"""`flask litigation effective`: an award no one sued against takes effect when the right-to-sue period ends."""
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from disputes import clock
from disputes.models import Case, ClaimCategory, Role, TimelineEntry
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


def effective_entries(db, case) -> int:
    return db.session.query(TimelineEntry).filter_by(case_id=case.id, kind="arbitration.award_effective").count()


def test_a_final_award_takes_effect_thirty_days_after_service(runner, db, org, make_case):
    case, served_on = served_case(db, org, make_case, FINAL)
    assert [a.finality for a in case.arbitration.awards] == [Finality.FINAL]
    ends = served_on + timedelta(days=30)
    assert awards.right_to_sue_ends(case.arbitration) == ends

    output = run(runner, db, ends)
    assert "in 0 case(s)" in output
    still = db.session.get(Case, case.id)
    assert still.arbitration.award_effective_on is None
    assert (still.status, still.stage) == (CaseStatus.OPEN, CaseStage.ARBITRATION)
    assert effective_entries(db, case) == 0

    output = run(runner, db, ends + timedelta(days=1))
    assert "in 1 case(s)" in output and case.registry_no in output
    assert case.arbitration.awards[0].number in output
    done = db.session.get(Case, case.id)
    assert done.arbitration.award_effective_on == ends + timedelta(days=1)
    assert (done.status, done.closed_on) == (CaseStatus.CLOSED, ends + timedelta(days=1))
    assert effective_entries(db, case) == 1

    output = run(runner, db, ends + timedelta(days=2))
    assert "in 0 case(s)" in output and case.registry_no not in output
    again = db.session.get(Case, case.id)
    assert again.arbitration.award_effective_on == ends + timedelta(days=1)
    assert again.closed_on == ends + timedelta(days=1)
    assert effective_entries(db, case) == 1


def test_a_non_final_award_takes_effect_fifteen_days_after_service(runner, db, org, make_case):
    case, served_on = served_case(db, org, make_case, NON_FINAL)
    assert [a.finality for a in case.arbitration.awards] == [Finality.NON_FINAL]
    run(runner, db, served_on + timedelta(days=15))
    assert db.session.get(Case, case.id).arbitration.award_effective_on is None
    run(runner, db, served_on + timedelta(days=16))
    assert db.session.get(Case, case.id).arbitration.award_effective_on == served_on + timedelta(days=16)


def test_a_mixed_award_waits_for_the_longer_period(runner, db, org, make_case):
    case, served_on = served_case(db, org, make_case, FINAL + NON_FINAL)
    assert sorted(a.finality for a in case.arbitration.awards) == [Finality.FINAL, Finality.NON_FINAL]
    run(runner, db, served_on + timedelta(days=16))
    assert db.session.get(Case, case.id).arbitration.award_effective_on is None
    output = run(runner, db, served_on + timedelta(days=31))
    assert all(a.number in output for a in case.arbitration.awards)
    assert db.session.get(Case, case.id).arbitration.award_effective_on == served_on + timedelta(days=31)


def test_an_award_not_yet_served_never_takes_effect(runner, db, org, make_case):
    case = make_case(claims=FINAL)
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSED)
    db.session.commit()
    run(runner, db, clock.today_local() + timedelta(days=90))
    assert db.session.get(Case, case.id).arbitration.award_effective_on is None


def test_a_lawsuit_keeps_the_award_from_taking_effect(runner, db, org, make_case):
    case, served_on = served_case(db, org, make_case, NON_FINAL)
    Driver(db.session, org, case).lawsuit(LawsuitState.FILED)
    db.session.commit()
    output = run(runner, db, served_on + timedelta(days=60))
    assert "in 0 case(s)" in output
    kept = db.session.get(Case, case.id)
    assert kept.arbitration.award_effective_on is None and kept.status == CaseStatus.OPEN
    assert effective_entries(db, case) == 0


def test_an_application_to_revoke_keeps_the_award_from_taking_effect(runner, db, org, make_case):
    case, served_on = served_case(db, org, make_case, FINAL)
    Driver(db.session, org, case).lawsuit(LawsuitState.REVOCATION_APPLIED)
    db.session.commit()
    run(runner, db, served_on + timedelta(days=60))
    assert db.session.get(Case, case.id).arbitration.award_effective_on is None


def test_a_revoked_award_leaves_fifteen_days_to_sue_then_the_case_closes(runner, db, org, make_case):
    case, _served_on = served_case(db, org, make_case, FINAL)
    revocation = Driver(db.session, org, case).lawsuit(LawsuitState.REVOKED)
    revoked_on = revocation.closed_on
    # Law Art 49: the 15 days run from the ruling's receipt (here the day of the decision; tests/test_court_clocks.py
    # has a later receipt), as the litigation.sue_after_revocation timer counts them.
    litigation.receive_revocation_ruling(db.session, case, org.user(Role.COURT_LIAISON), revocation,
                                         received_on=revoked_on)
    db.session.commit()
    ends = next(t.due_on for t in case.timers if t.rule_id == "litigation.sue_after_revocation")
    assert ends >= revoked_on + timedelta(days=15)
    assert db.session.get(Case, case.id).status == CaseStatus.OPEN
    run(runner, db, ends)
    assert db.session.get(Case, case.id).status == CaseStatus.OPEN
    output = run(runner, db, ends + timedelta(days=1))
    case = db.session.get(Case, case.id)
    assert case.status == CaseStatus.CLOSED and case.closed_on == ends + timedelta(days=1)
    assert case.registry_no in output and case.arbitration.award_effective_on is None
    run(runner, db, ends + timedelta(days=2))
    lapsed = db.session.query(TimelineEntry).filter_by(case_id=case.id, kind="litigation.sue_period_lapsed")
    assert lapsed.count() == 1


def test_a_lawsuit_after_the_revocation_keeps_the_case_open(runner, db, org, make_case):
    from disputes.workflow.states import Litigant

    case, _served_on = served_case(db, org, make_case, FINAL)
    revocation = Driver(db.session, org, case).lawsuit(LawsuitState.REVOKED)
    litigation.file_lawsuit(db.session, case, org.user(Role.COURT_LIAISON), plaintiff=Litigant.WORKER,
                            court="深圳市龙岗区人民法院", filed_on=revocation.closed_on,
                            award_id=case.arbitration.awards[0].id)
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
