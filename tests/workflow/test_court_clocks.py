"""The court's clocks (issue 12, finding 10): the appeal period runs from service of the judgment (CPL Art 171), the
15 days after a revocation from receipt of the ruling (Law Art 49), and an approved extension of the first instance
(CPL Art 152, 164, 168) moves its timer, bounded by the procedure's maximum."""

import importlib.util
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from disputes import clock
from disputes.i18n import DomainError
from disputes.models import Case, ClaimCategory, Role, TimelineEntry
from disputes.models.sla import SlaRule
from disputes.sla import rules
from disputes.sla.calendar import WEEKEND
from disputes.sla.calendar_store import load_calendar
from disputes.sla.explain import rebuild
from disputes.sla.states import OPEN_STATUSES, AdjustmentKind
from disputes.workflow import awards, litigation, progress
from disputes.workflow.actions import ACTIONS, refusal
from disputes.workflow.intake import ClaimInput
from disputes.workflow.states import (
    ArbitrationState,
    CaseStatus,
    CourtOutcome,
    CourtProcedure,
    LawsuitState,
    Litigant,
)
from tests.drive import Driver, at_local
from tests.pages import field_errors, parse, t, text

FINAL = [ClaimInput(ClaimCategory.WAGES, Decimal("12000.00"), "拖欠工资")]
KNOWN = date(2025, 10, 1)


def on(day: date) -> None:
    clock.freeze(at_local(day, 10))


def timers_of(case, rule_id: str) -> list:
    return [t for t in case.timers if t.rule_id == rule_id]


def the_timer(case, rule_id: str):
    found = [t for t in timers_of(case, rule_id) if t.status in OPEN_STATUSES]
    assert len(found) == 1, (rule_id, timers_of(case, rule_id))
    return found[0]


def in_court(db, org, make_case, day: date, procedure=CourtProcedure.SIMPLIFIED):
    """A case whose lawsuit the court filed on `day` under `procedure`."""
    on(day - timedelta(days=20))
    case = make_case(registered_on=day - timedelta(days=20), dispute_known_on=KNOWN)
    suit = Driver(db.session, org, case).lawsuit(LawsuitState.FILED)
    on(day)
    litigation.docket(
        db.session,
        case,
        org.user(Role.COURT_LIAISON),
        suit,
        court_case_no="（2026）粤0307民初9号",
        docketed_on=day,
        procedure=procedure,
    )
    return case, suit


# --- the appeal period (CPL Art 171) -------------------------------------------------------------------------


def test_the_appeal_period_runs_from_service_of_the_judgment_not_its_date(db, org, make_case):
    case, suit = in_court(db, org, make_case, date(2026, 6, 1))
    liaison = org.user(Role.COURT_LIAISON)
    on(date(2026, 9, 20))
    litigation.judge(db.session, case, liaison, suit, outcome=CourtOutcome.JUDGMENT, judged_on=date(2026, 9, 10))
    assert timers_of(case, "litigation.appeal") == []  # not served yet: the 15 days have not started
    litigation.serve_judgment(db.session, case, liaison, suit, served_on=date(2026, 9, 16))
    timer = the_timer(case, "litigation.appeal")
    # 16 September + 15 days = 1 October (National Day): the period ends on the 8th. From the judgment: 25 September.
    assert (timer.subject_id, timer.started_on, timer.nominal_on, timer.due_on) == (
        suit.id,
        date(2026, 9, 16),
        date(2026, 10, 1),
        date(2026, 10, 8),
    )
    assert suit.judgment_served_on == date(2026, 9, 16)
    with pytest.raises(DomainError) as refused:
        litigation.serve_judgment(db.session, case, liaison, suit, served_on=date(2026, 9, 17))
    assert refused.value.message == "The service of the judgment is already recorded."
    litigation.appeal(db.session, case, liaison, suit, appellant=Litigant.EMPLOYER, appealed_on=date(2026, 9, 20))
    assert timers_of(case, "litigation.appeal")[0].completed_on == date(2026, 9, 20)


def test_the_judgment_and_its_service_in_one_step(db, org, make_case):
    case, suit = in_court(db, org, make_case, date(2026, 6, 1))
    on(date(2026, 9, 1))
    litigation.judge(
        db.session,
        case,
        org.user(Role.COURT_LIAISON),
        suit,
        outcome=CourtOutcome.JUDGMENT,
        judged_on=date(2026, 8, 20),
        served_on=date(2026, 8, 25),
    )
    timer = the_timer(case, "litigation.appeal")
    assert (timer.started_on, timer.due_on) == (date(2026, 8, 25), date(2026, 9, 9))
    kinds = [
        e.kind
        for e in db.session.scalars(
            sa.select(TimelineEntry).where(TimelineEntry.case_id == case.id).order_by(TimelineEntry.id)
        )
    ]
    assert kinds[-2:] == ["litigation.judge", "litigation.serve_judgment"]
    with pytest.raises(DomainError) as refused:
        litigation.serve_judgment(db.session, case, org.user(Role.COURT_LIAISON), suit, served_on=date(2026, 8, 19))
    assert refused.value.message == "The service of the judgment is already recorded."


def test_the_service_cannot_precede_the_judgment(db, org, make_case):
    case, suit = in_court(db, org, make_case, date(2026, 6, 1))
    on(date(2026, 9, 1))
    with pytest.raises(DomainError) as refused:
        litigation.judge(
            db.session,
            case,
            org.user(Role.COURT_LIAISON),
            suit,
            outcome=CourtOutcome.JUDGMENT,
            judged_on=date(2026, 8, 20),
            served_on=date(2026, 8, 19),
        )
    assert refused.value.field == "served_on"


def test_a_small_claims_judgment_is_final_no_appeal_period(db, org, make_case):
    case, suit = in_court(db, org, make_case, date(2026, 6, 1), CourtProcedure.SMALL_CLAIMS)
    liaison = org.user(Role.COURT_LIAISON)
    on(date(2026, 7, 20))
    litigation.judge(
        db.session,
        case,
        liaison,
        suit,
        outcome=CourtOutcome.JUDGMENT,
        judged_on=date(2026, 7, 10),
        served_on=date(2026, 7, 15),
    )
    assert timers_of(case, "litigation.appeal") == []
    with pytest.raises(DomainError) as refused:
        litigation.appeal(db.session, case, liaison, suit, appellant=Litigant.EMPLOYER, appealed_on=date(2026, 7, 20))
    assert (
        refused.value.message == "A small-claims judgment is final at first instance (CPL Art 165): it cannot be "
        "appealed."
    )


# --- after a revocation (Law Art 49) -------------------------------------------------------------------------


def run(runner, db, day: date) -> str:
    clock.freeze(datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC))
    result = runner.invoke(args=["litigation", "effective", "--date", day.isoformat()])
    assert result.exit_code == 0, (result.output, result.exception)
    db.session.expire_all()
    return result.output


def revoked_case(db, org, make_case):
    on(date(2026, 8, 3))
    case = make_case(registered_on=date(2026, 8, 3), dispute_known_on=KNOWN, claims=FINAL)
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSED)
    awards.serve_award(db.session, case, org.user(Role.CLERK), served_on=clock.today_local())
    revocation = Driver(db.session, org, case).lawsuit(LawsuitState.REVOKED)
    db.session.commit()
    return case, revocation


def test_the_fifteen_days_to_sue_run_from_receipt_of_the_revocation_ruling(runner, db, org, make_case):
    case, revocation = revoked_case(db, org, make_case)
    assert timers_of(case, "litigation.sue_after_revocation") == []
    # Until the ruling's receipt is recorded the period has not started: the case waits in litigation.
    run(runner, db, revocation.closed_on + timedelta(days=30))
    assert db.session.get(Case, case.id).status == CaseStatus.OPEN

    on(date(2026, 9, 20))
    case = db.session.get(Case, case.id)
    revocation = db.session.get(type(revocation), revocation.id)
    litigation.receive_revocation_ruling(
        db.session, case, org.user(Role.COURT_LIAISON), revocation, received_on=date(2026, 9, 16)
    )
    db.session.commit()
    timer = the_timer(case, "litigation.sue_after_revocation")
    # 16 September + 15 days = 1 October (National Day): either party may sue until the 8th.
    assert (timer.started_on, timer.nominal_on, timer.due_on) == (
        date(2026, 9, 16),
        date(2026, 10, 1),
        date(2026, 10, 8),
    )
    assert revocation.ruling_received_on == date(2026, 9, 16)

    run(runner, db, date(2026, 10, 8))
    assert db.session.get(Case, case.id).status == CaseStatus.OPEN
    output = run(runner, db, date(2026, 10, 9))
    closed = db.session.get(Case, case.id)
    assert (closed.status, closed.closed_on) == (CaseStatus.CLOSED, date(2026, 10, 9))
    assert closed.registry_no in output
    run(runner, db, date(2026, 10, 10))
    lapsed = db.session.query(TimelineEntry).filter_by(case_id=case.id, kind="litigation.sue_period_lapsed")
    assert lapsed.count() == 1


def test_a_lawsuit_within_the_fifteen_days_completes_the_period(db, org, make_case):
    case, revocation = revoked_case(db, org, make_case)
    on(date(2026, 9, 20))
    litigation.receive_revocation_ruling(
        db.session, case, org.user(Role.COURT_LIAISON), revocation, received_on=date(2026, 9, 18)
    )
    assert progress.suing_after_revocation(case, date(2026, 9, 20))
    litigation.file_lawsuit(
        db.session,
        case,
        org.user(Role.COURT_LIAISON),
        plaintiff=Litigant.WORKER,
        court="深圳市龙岗区人民法院",
        filed_on=date(2026, 9, 20),
        award_id=case.arbitration.awards[0].id,
    )
    (timer,) = timers_of(case, "litigation.sue_after_revocation")
    assert (timer.status.value, timer.completed_on) == ("met", date(2026, 9, 20))


def test_the_revocation_and_the_rulings_receipt_in_one_step(db, org, make_case):
    on(date(2026, 8, 3))
    case = make_case(registered_on=date(2026, 8, 3), dispute_known_on=KNOWN, claims=FINAL)
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSED)
    suit = Driver(db.session, org, case).lawsuit(LawsuitState.REVOCATION_APPLIED)
    on(date(2026, 9, 1))
    litigation.decide_revocation(
        db.session,
        case,
        org.user(Role.COURT_LIAISON),
        suit,
        revoked=True,
        decided_on=date(2026, 8, 25),
        received_on=date(2026, 8, 28),
    )
    timer = the_timer(case, "litigation.sue_after_revocation")
    assert (timer.started_on, timer.due_on) == (date(2026, 8, 28), date(2026, 9, 14))  # the 12th is a Saturday
    with pytest.raises(DomainError) as refused:
        litigation.receive_revocation_ruling(
            db.session, case, org.user(Role.COURT_LIAISON), suit, received_on=date(2026, 8, 29)
        )
    assert refused.value.message == "The receipt of the ruling is already recorded."


def test_the_revocation_period_is_a_rule_added_by_a_migration_and_the_appeal_runs_from_service(db):
    stored = rules.current_rules(db.session)
    rule = stored["litigation.sue_after_revocation"]
    seed = next(r for r in rules.seed_rows() if r["rule_id"] == "litigation.sue_after_revocation")
    assert (
        (rule.title, rule.title_en)
        == (seed["title"], seed["title_en"])
        == ("裁决被撤销后起诉", "A party may sue after the award was revoked")
    )
    assert (rule.period, rule.unit.value, rule.kind.value, rule.triggers, rule.completed_by) == (
        15,
        "days",
        "period",
        ["litigation.receive_revocation_ruling"],
        ["litigation.file"],
    )
    assert "第四十九条" in rule.legal_basis
    assert stored["litigation.appeal"].triggers == ["litigation.serve_judgment"]
    assert not hasattr(progress, "SUE_AFTER_REVOCATION_DAYS")


def load_migration():
    path = next(Path(__file__).resolve().parents[2].glob("migrations/versions/*_court_clocks.py"))
    spec = importlib.util.spec_from_file_location("court_clocks_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_data_migration_adds_a_version_on_a_database_seeded_before_it(db):
    """A database migrated before this change has the old appeal rule and no revocation rule: the migration adds
    a version of the one and the other as a new rule; run again (or on a fresh database) it adds nothing."""
    old = db.session.scalar(sa.select(SlaRule).where(SlaRule.rule_id == "litigation.appeal"))
    db.session.execute(sa.update(SlaRule).where(SlaRule.id == old.id).values(triggers=["litigation.judge"]))
    db.session.execute(sa.delete(SlaRule).where(SlaRule.rule_id == "litigation.sue_after_revocation"))
    db.session.commit()
    migration = load_migration()
    connection = db.session.connection()
    assert migration.sync_rules(connection) == ["litigation.appeal", "litigation.sue_after_revocation"]
    assert migration.sync_rules(connection) == []
    db.session.commit()
    db.session.expire_all()
    versions = {r.rule_id: (r.version, r.triggers) for r in rules.current_rules(db.session).values()}
    assert versions["litigation.appeal"] == (2, ["litigation.serve_judgment"])
    assert versions["litigation.sue_after_revocation"] == (1, ["litigation.receive_revocation_ruling"])


# --- first-instance extensions (CPL Art 152, 164, 168) -------------------------------------------------------


def test_a_small_claims_extension_adds_a_month_to_the_nominal_date_before_the_roll_over(db, org, make_case):
    case, suit = in_court(db, org, make_case, date(2025, 12, 31), CourtProcedure.SMALL_CLAIMS)
    timer = the_timer(case, "litigation.first_instance")
    # Two months: 28 February 2026 (no 31st), an official make-up working day, so no roll-over.
    assert (timer.nominal_on, timer.due_on) == (date(2026, 2, 28), date(2026, 2, 28))
    on(date(2026, 2, 10))
    liaison = org.user(Role.COURT_LIAISON)
    litigation.extend_first_instance(
        db.session, case, liaison, suit, months=1, approved_on=date(2026, 2, 10), approver="龙岗区人民法院院长"
    )
    # 28 February + 1 month = Saturday 28 March → Monday 30 March (from the filing + 3 months it would be the 31st).
    assert (timer.nominal_on, timer.due_on) == (date(2026, 2, 28), date(2026, 3, 30))
    (extension,) = suit.extensions
    assert (extension.months, extension.approved_on, extension.approver) == (1, date(2026, 2, 10), "龙岗区人民法院院长")
    (adjustment,) = [a for a in timer.adjustments if a.kind == AdjustmentKind.EXTENSION]
    assert (adjustment.months, adjustment.start_on) == (1, date(2026, 2, 10))
    steps = rebuild(timer, load_calendar(db.session)).steps
    assert [(s.code, s.params) for s in steps if s.code in ("extension", "rollover")] == [
        ("extension", {"months": 1}),
        ("rollover", {"date": date(2026, 3, 28), "reason": WEEKEND, "next": date(2026, 3, 30)}),
    ]
    with pytest.raises(DomainError) as refused:
        litigation.extend_first_instance(
            db.session, case, liaison, suit, months=1, approved_on=date(2026, 2, 10), approver="龙岗区人民法院院长"
        )
    assert (refused.value.message, refused.value.params) == (
        "The first instance can be extended by at most %(months)s more months.",
        {"months": 0},
    )
    assert len(suit.extensions) == 1 and timer.due_on == date(2026, 3, 30)


def test_an_ordinary_first_instance_gets_six_months_from_the_president_and_more_from_the_higher_court(
    db, org, make_case
):
    case, suit = in_court(db, org, make_case, date(2026, 1, 5), CourtProcedure.ORDINARY)
    liaison = org.user(Role.COURT_LIAISON)
    timer = the_timer(case, "litigation.first_instance")
    assert timer.nominal_on == date(2026, 7, 5)
    on(date(2026, 6, 1))

    def extend(months, higher=False):
        litigation.extend_first_instance(
            db.session,
            case,
            liaison,
            suit,
            months=months,
            approved_on=date(2026, 6, 1),
            approver="院长",
            higher_court=higher,
        )

    with pytest.raises(DomainError) as refused:
        extend(1, higher=True)
    assert (
        refused.value.message
        == "The higher court approves a further extension once the president's %(months)s months are used."
        and refused.value.params == {"months": 6}
    )
    extend(2)
    with pytest.raises(DomainError) as refused:
        extend(5)
    assert refused.value.params == {"months": 4}
    extend(4)
    assert timer.nominal_on == date(2026, 7, 5)
    assert sum(a.months or 0 for a in timer.adjustments) == 6
    extend(3, higher=True)  # CPL Art 152: beyond six months, with the higher people's court's approval
    assert [e.higher_court for e in suit.extensions] == [False, False, True]
    assert sum(a.months or 0 for a in timer.adjustments) == 9


def test_only_a_first_instance_can_be_extended_and_a_simplified_one_by_a_month(db, org, make_case):
    case, suit = in_court(db, org, make_case, date(2026, 3, 2))
    liaison = org.user(Role.COURT_LIAISON)
    on(date(2026, 4, 1))
    with pytest.raises(DomainError) as refused:
        litigation.extend_first_instance(
            db.session, case, liaison, suit, months=2, approved_on=date(2026, 4, 1), approver="院长"
        )
    assert refused.value.params == {"months": 1}
    with pytest.raises(DomainError) as refused:
        litigation.extend_first_instance(
            db.session, case, liaison, suit, months=1, approved_on=date(2026, 4, 1), approver="院长", higher_court=True
        )
    assert refused.value.message == "Only the ordinary procedure can be extended further by the higher court."
    with pytest.raises(DomainError) as refused:
        litigation.extend_first_instance(
            db.session, case, liaison, suit, months=1, approved_on=date(2026, 3, 1), approver="院长"
        )
    assert refused.value.field == "approved_on"
    litigation.judge(db.session, case, liaison, suit, outcome=CourtOutcome.JUDGMENT, judged_on=date(2026, 4, 1))
    error = refusal(case, liaison, ACTIONS["litigation.extend_first_instance"], suit)
    assert error is not None and ACTIONS["litigation.extend_first_instance"].dated_by is not None


# --- the steps on the web ------------------------------------------------------------------------------------


def post_step(client, path: str, data: dict, status: int = 302):
    page = client.get(path)
    assert page.status_code == 200, page.headers.get("Location")
    hidden = {
        e.get("name"): e.get("value") for e in parse(page).iter("input") if e.get("name") in ("version", "submission")
    }  # the case version and the one-time form token
    response = client.post(path, data={**hidden, **data})
    assert response.status_code == status, response.get_data(as_text=True)[:1500]
    return response


def test_the_court_clock_steps_on_the_web(app, db, org, make_case, login):
    case, suit = in_court(db, org, make_case, date(2026, 6, 1))
    db.session.commit()
    liaison = login(org.user(Role.COURT_LIAISON))
    base = f"/cases/{case.id}/litigation/{suit.id}"
    on(date(2026, 7, 1))
    refused = post_step(
        liaison,
        f"{base}/extend-first-instance",
        {"months": "2", "approved_on": "2026-07-01", "approver": "龙岗区人民法院院长"},
        status=400,
    )
    assert field_errors(refused, "months") == [
        t(app, "The first instance can be extended by at most %(months)s more months.", months=1)
    ]
    post_step(
        liaison,
        f"{base}/extend-first-instance",
        {"months": "1", "approved_on": "2026-07-01", "approver": "龙岗区人民法院院长"},
    )
    db.session.expire_all()
    assert the_timer(db.session.get(Case, case.id), "litigation.first_instance").due_on == date(2026, 10, 8)

    on(date(2026, 9, 20))
    post_step(liaison, f"{base}/judge", {"outcome": "judgment", "judged_on": "2026-09-10"})
    db.session.expire_all()
    assert timers_of(db.session.get(Case, case.id), "litigation.appeal") == []
    post_step(liaison, f"{base}/serve-judgment", {"served_on": "2026-09-16"})
    db.session.expire_all()
    assert the_timer(db.session.get(Case, case.id), "litigation.appeal").due_on == date(2026, 10, 8)
    shown = text(parse(liaison.get(f"/cases/{case.id}")).find(f".//section[@id='lawsuit-{suit.id}']"))
    for part in (
        t(app, "Judgment served on"),
        "2026年9月16日",
        t(app, "First instance extended"),
        "龙岗区人民法院院长",
    ):
        assert part in shown, part
    assert liaison.get(f"{base}/serve-judgment").status_code == 302  # once only


def test_the_revocation_ruling_received_on_the_web(app, db, org, make_case, login):
    on(date(2026, 8, 3))
    case = make_case(registered_on=date(2026, 8, 3), dispute_known_on=KNOWN, claims=FINAL)
    Driver(db.session, org, case).arbitration(ArbitrationState.CLOSED)
    suit = Driver(db.session, org, case).lawsuit(LawsuitState.REVOCATION_APPLIED)
    db.session.commit()
    liaison = login(org.user(Role.COURT_LIAISON))
    base = f"/cases/{case.id}/litigation/{suit.id}"
    on(date(2026, 9, 20))
    post_step(liaison, f"{base}/revoke-award", {"decided_on": "2026-09-10", "note": ""})
    db.session.expire_all()
    assert timers_of(db.session.get(Case, case.id), "litigation.sue_after_revocation") == []
    refused = post_step(liaison, f"{base}/receive-revocation-ruling", {"received_on": "2026-09-09"}, status=400)
    assert field_errors(refused, "received_on") == [
        t(app, "The ruling cannot be received before it was made (%(date)s).", date="2026年9月10日")
    ]
    post_step(liaison, f"{base}/receive-revocation-ruling", {"received_on": "2026-09-16"})
    db.session.expire_all()
    assert the_timer(db.session.get(Case, case.id), "litigation.sue_after_revocation").due_on == date(2026, 10, 8)
    shown = text(parse(liaison.get(f"/cases/{case.id}")).find(f".//section[@id='lawsuit-{suit.id}']"))
    assert t(app, "Ruling received on") in shown and "2026年9月16日" in shown
