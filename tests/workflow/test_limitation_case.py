"""The limitation period of Law Art 27 on a case (issue 12 finding 8): the facts recorded at intake and on the case
page, the warning naming why, the `limitation.claim` timer from the same assessment (restarted by the mediation,
paused by its own suspensions, never by an arbitration's), and `flask sla due --suspend`."""

import json
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from disputes import clock
from disputes.models import Case, LimitationEvent, Role, TimelineEntry
from disputes.models.enums import ClaimCategory, LimitationEventKind
from disputes.sla import rules, timers
from disputes.sla.calendar_store import load_calendar
from disputes.sla.states import TimerStatus
from disputes.workflow import interruptions
from disputes.workflow.intake import ClaimInput, LimitationEventInput
from disputes.workflow.limitation_facts import LimitationInput, update_limitation
from disputes.workflow.states import ArbitrationState, MediationState, SuspensionGround
from tests.drive import Driver
from tests.pages import field_errors, flashes, parse, t, text
from tests.web.test_intake_web import checked_flags, errors_at, intake_data, intake_form

D = date.fromisoformat
KNOWN = (
    "The dispute became known on %(known)s and the limitation period ended on %(ended)s: "
    "the claim may be time-barred (Law Art 27)."
)
RAN = "The limitation period ran from %(start)s and ended on %(ended)s: the claim may be time-barred (Law Art 27)."
NOT_RECORDED = (
    "Whether the employment has ended is not recorded: labour remuneration claims are counted from that "
    "day too (Art 27(4) not applied)"
)
INTERRUPTED = "Interrupted on %(date)s (%(kind)s): the period runs again in full from that day (Art 27(2))"
WAGES_ONLY = {
    "claims-1-category": None,
    "claims-1-amount": None,
    "claims-2-category": None,
    "claims-2-description": None,
}


def ldate(app, day, locale="zh_CN"):
    from flask_babel import force_locale

    from disputes.web.formats import local_date

    with app.test_request_context(), force_locale(locale):
        return local_date(day)


def limitation_timers(case, status=None):
    return [t for t in case.timers if t.rule_id == "limitation.claim" and (status is None or t.status == status)]


def open_timer(case):
    (timer,) = [t for t in limitation_timers(case) if t.status in (TimerStatus.RUNNING, TimerStatus.PAUSED)]
    return timer


def at(day: date) -> None:
    clock.freeze(datetime(day.year, day.month, day.day, 2, tzinfo=UTC))


# --- the rule -------------------------------------------------------------------------------------------------


def test_migration_adds_a_pausable_version_restarted_by_the_mediation(db):
    history = rules.history(db.session, "limitation.claim")
    assert [r.version for r in history] == [2, 1]
    current, first = history
    assert (current.pausable, first.pausable) == (True, False)
    assert (current.period, current.unit.value, current.completed_by) == (12, "months", ["arbitration.receive"])
    assert current.triggers == [
        "case_registered",
        "mediation.open",
        "mediation.agreement",
        "mediation.fail",
        "mediation.withdraw",
        "mediation.lapse",
    ]


def flask(runner, *args, code=0):
    result = runner.invoke(args=list(args))
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}\n{result.exception!r}"
    return result


def test_sla_due_takes_suspensions_of_the_limitation_period(runner):
    result = json.loads(
        flask(
            runner,
            "sla",
            "due",
            "--rule",
            "limitation.claim",
            "--from",
            "2025-01-10",
            "--suspend",
            "2025-03-01:2025-04-01",
            "--json",
        ).output
    )
    assert (result["version"], result["nominal"], result["due"]) == (2, "2026-01-10", "2026-02-10")
    open_ended = json.loads(
        flask(
            runner,
            "sla",
            "due",
            "--rule",
            "limitation.claim",
            "--from",
            "2025-01-10",
            "--suspend",
            "2025-03-01:",
            "--json",
        ).output
    )
    assert (open_ended["due"], open_ended["suspended_since"]) == (None, "2025-03-01")


# --- intake ---------------------------------------------------------------------------------------------------


def review(client, org, **changes):
    return client.post("/cases/new", data=intake_data(org.centre, **changes))


def confirm(client, response):
    from tests.web.test_intake_web import form_values

    return client.post("/cases/new", data=form_values(intake_form(response)))


def test_a_worker_still_employed_with_old_wage_arrears_is_not_warned(app, db, org, login):
    client = login(org.user(Role.CLERK))
    old = {**WAGES_ONLY, "dispute_known_on": "2020-01-01"}
    warned = review(client, org, **old)
    assert t(app, KNOWN, known="2020-01-01", ended="2021-01-04") in text(intake_form(warned))
    assert t(app, NOT_RECORDED) in text(intake_form(warned))  # says why 27(4) was not applied
    assert checked_flags(warned)["limitation_warning"] is True
    response = review(client, org, **old, employment="ongoing")
    assert "2021" not in text(intake_form(response)) and checked_flags(response)["limitation_warning"] is False
    assert confirm(client, response).status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert (case.still_employed, case.employment_ended_on, case.limitation_warning) == (True, None, False)
    assert limitation_timers(case) == []  # Art 27(4): no period runs while the employment lasts


def test_a_mixed_case_still_warns_for_its_other_claims(app, db, org, login):
    client = login(org.user(Role.CLERK))
    response = review(client, org, dispute_known_on="2024-01-01", employment="ongoing")
    page = text(intake_form(response))
    assert t(app, KNOWN, known="2024-01-01", ended="2025-01-02") not in page  # not "all claims"
    assert t(app, RAN, start="2024-01-01", ended="2025-01-02") in page
    assert (
        t(
            app,
            "The other claims: the period runs from %(date)s, the day the dispute became known (Art 27(1))",
            date=ldate(app, D("2024-01-01")),
        )
        in page
    )
    assert checked_flags(response)["limitation_warning"] is True


def test_intake_records_interruptions_and_the_warning_names_them(app, db, org, login):
    client = login(org.user(Role.CLERK))
    rows = {
        "limitation_events-0-kind": "demand",
        "limitation_events-0-start_on": "2024-06-01",
        "limitation_events-0-note": "律师函",
    }
    response = review(client, org, dispute_known_on="2024-01-01", **rows)
    page = text(intake_form(response))
    assert t(app, RAN, start="2024-06-01", ended="2025-06-03") in page
    assert t(app, INTERRUPTED, date=ldate(app, D("2024-06-01")), kind=t(app, "a demand on the other party")) in page
    rows |= {
        "limitation_events-1-kind": "complaint",
        "limitation_events-1-start_on": "2025-05-20",
        "limitation_events-2-kind": "agreed_to_perform",
        "limitation_events-2-start_on": "2026-05-01",
    }
    response = review(client, org, dispute_known_on="2024-01-01", **rows)
    assert checked_flags(response)["limitation_warning"] is False  # restarted 2025-05-20, then 2026-05-01
    assert confirm(client, response).status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert [(e.kind, e.start_on, e.end_on, e.note) for e in case.limitation_events] == [
        (LimitationEventKind.DEMAND, D("2024-06-01"), None, "律师函"),
        (LimitationEventKind.COMPLAINT, D("2025-05-20"), None, ""),
        (LimitationEventKind.AGREED_TO_PERFORM, D("2026-05-01"), None, ""),
    ]
    timer = open_timer(case)
    # 2027-05-01…02 (劳动节, a weekend) are statutory: provisionally Monday 05-03.
    assert (timer.started_on, timer.due_on, timer.provisional) == (D("2026-05-01"), D("2027-05-03"), True)


def test_an_open_suspension_recorded_at_intake_pauses_the_timer(db, org, make_case):
    case = make_case(
        dispute_known_on=D("2026-06-01"),
        limitation_events=[LimitationEventInput(LimitationEventKind.SUSPENSION, D("2026-08-01"))],
    )
    timer = open_timer(case)
    assert (timer.status, timer.paused_since, timer.due_on) == (TimerStatus.PAUSED, D("2026-08-01"), None)


@pytest.mark.parametrize(
    ("changes", "name", "message"),
    [
        (
            {
                "limitation_events-0-kind": "demand",
                "limitation_events-0-start_on": "2026-01-01",
                "limitation_events-0-end_on": "2026-02-01",
            },
            "limitation_events-0-end_on",
            "Only a mediation or a suspension has an end date.",
        ),
        ({"limitation_events-0-kind": "suspension"}, "limitation_events-0-start_on", "Give the date."),
        ({"limitation_events-0-start_on": "2026-01-01"}, "limitation_events-0-kind", "Choose what happened."),
        ({"employment": "ended"}, "employment_ended_on", "Give the day the employment ended."),
        (
            {"employment": "ongoing", "employment_ended_on": "2026-01-01"},
            "employment_ended_on",
            "A lasting employment has no end date.",
        ),
    ],
)
def test_bad_limitation_entries_are_refused_by_field(app, db, org, login, changes, name, message):
    client = login(org.user(Role.CLERK))
    response = review(client, org, **changes)
    assert t(app, message) in errors_at(response, name)


def test_dates_after_registration_are_refused(app, db, org, login):
    client = login(org.user(Role.CLERK))
    response = review(client, org, registered_on="2026-11-01", employment="ended", employment_ended_on="2026-11-10")
    assert t(app, "The employment cannot have ended after %(day)s.", day=ldate(app, D("2026-11-01"))) in errors_at(
        response, "employment_ended_on"
    )


# --- the case page ---------------------------------------------------------------------------------------------


def card(client, case):
    return parse(client.get(f"/cases/{case.id}")).find(".//section[@id='limitation']")


def post(client, case, **data):
    return client.post(f"/cases/{case.id}/limitation", data=data)


def test_the_case_page_explains_the_period_and_a_clerk_edits_the_facts(app, db, org, login, make_case):
    case = make_case(dispute_known_on=D("2025-10-01"), registered_on=D("2026-10-09"))  # wages only
    assert case.limitation_warning is True
    first = open_timer(case)
    client = login(org.user(Role.CLERK))
    page = text(card(client, case))
    assert t(app, KNOWN, known="2025-10-01", ended="2026-10-08") in page
    assert t(app, NOT_RECORDED) in page
    assert card(client, case).find(".//form") is not None

    response = post(client, case, dispute_known_on="2025-10-01", employment="ongoing", reason="职工仍在职")
    assert response.status_code == 302
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert (case.still_employed, case.limitation_warning) == (True, False)
    assert (first.status, first.completed_by) == (TimerStatus.CANCELLED, "limitation_changed")
    entry = db.session.scalar(sa.select(TimelineEntry).where(TimelineEntry.kind == "limitation_changed"))
    assert entry.reason == "职工仍在职" and entry.before["still_employed"] is False
    assert (entry.before["limitation_warning"], entry.after["limitation_warning"]) == (True, False)
    page = text(card(client, case))
    assert t(app, "Labour remuneration claims: not limited while the employment lasts (Art 27(4))") in page

    # The employment ended; a demand afterwards restarts the period: one timer again, from the demand.
    response = post(
        client,
        case,
        dispute_known_on="2025-10-01",
        employment="ended",
        employment_ended_on="2026-03-31",
        **{"limitation_events-0-kind": "demand", "limitation_events-0-start_on": "2026-06-01"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    timer = open_timer(case)
    assert (timer.started_on, timer.due_on, timer.provisional) == (D("2026-06-01"), D("2027-06-01"), True)
    assert case.limitation_warning is False
    # A suspension: the same timer pauses, then resumes with its days added.
    post(
        client,
        case,
        dispute_known_on="2025-10-01",
        employment="ended",
        employment_ended_on="2026-03-31",
        **{
            "limitation_events-0-kind": "demand",
            "limitation_events-0-start_on": "2026-06-01",
            "limitation_events-1-kind": "suspension",
            "limitation_events-1-start_on": "2026-07-01",
        },
    )
    db.session.expire_all()
    paused = db.session.get(type(timer), timer.id)
    assert (paused.status, paused.paused_since) == (TimerStatus.PAUSED, D("2026-07-01"))
    post(
        client,
        case,
        dispute_known_on="2025-10-01",
        employment="ended",
        employment_ended_on="2026-03-31",
        **{
            "limitation_events-0-kind": "demand",
            "limitation_events-0-start_on": "2026-06-01",
            "limitation_events-1-kind": "suspension",
            "limitation_events-1-start_on": "2026-07-01",
            "limitation_events-1-end_on": "2026-07-31",
        },
    )
    db.session.expire_all()
    resumed = db.session.get(type(timer), timer.id)
    assert (resumed.status, resumed.paused_days, resumed.due_on) == (TimerStatus.RUNNING, 30, D("2027-07-01"))
    response = post(
        client,
        case,
        dispute_known_on="2025-10-01",
        employment="ended",
        employment_ended_on="2026-03-31",
        **{
            "limitation_events-0-kind": "demand",
            "limitation_events-0-start_on": "2026-06-01",
            "limitation_events-1-kind": "suspension",
            "limitation_events-1-start_on": "2026-07-01",
            "limitation_events-1-end_on": "2026-07-31",
        },
    )
    assert t(app, "Nothing changed.") in flashes(client.get(response.headers["Location"]))


def test_a_bad_edit_is_shown_again_with_the_error(app, db, org, login, make_case):
    case = make_case()
    client = login(org.user(Role.CLERK))
    response = post(
        client,
        case,
        dispute_known_on="2026-10-01",
        employment="ongoing",
        **{"limitation_events-0-kind": "demand", "limitation_events-0-start_on": "2026-12-01"},
    )
    assert response.status_code == 400
    assert t(
        app, "An interruption or suspension cannot be dated after %(day)s.", day=ldate(app, D("2026-11-20"))
    ) in text(card_of(response))
    response = post(client, case, dispute_known_on="2026-12-01")
    assert t(app, "The dispute cannot become known after registration.") in field_errors(response, "dispute_known_on")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LimitationEvent)) == 0


def card_of(response):
    return parse(response).find(".//section[@id='limitation']")


@pytest.mark.parametrize("role", [Role.LAWYER, Role.COURT_LIAISON, Role.LEGAL_AID_OFFICER])
def test_only_those_who_may_edit_parties_change_the_facts(db, org, login, make_case, role):
    case = make_case()
    client = login(org.user(role))
    assert post(client, case, dispute_known_on="2026-10-01", employment="ongoing").status_code in (403, 404)
    db.session.expire_all()
    assert db.session.get(Case, case.id).still_employed is False
    with pytest.raises(Exception, match="limitation"):
        update_limitation(db.session, org.user(role), case, LimitationInput(D("2026-10-01"), True))


# --- the timer follows the mediation (Art 27(2)) ---------------------------------------------------------------


def test_a_mediation_application_restarts_the_timer_and_its_lapse_restarts_it_again(db, org, make_case):
    case = make_case()  # known 2026-10-01
    driver = Driver(db.session, org, case)
    driver.mediation(MediationState.LAPSED)  # applied 2026-11-20, lapsed 18 days later (the timer's rolled deadline)
    started = [(t.started_on, t.status) for t in limitation_timers(case)]
    assert started == [
        (D("2026-10-01"), TimerStatus.CANCELLED),
        (D("2026-11-20"), TimerStatus.CANCELLED),
        (D("2026-12-08"), TimerStatus.RUNNING),
    ]
    timer = open_timer(case)
    assert (timer.due_on, timer.provisional, timer.rule.version) == (D("2027-12-08"), True, 2)


def test_a_failed_mediation_restarts_it_from_the_recorded_end(db, org, make_case):
    case = make_case(registered_on=D("2026-11-01"))
    at(D("2026-11-20"))
    from disputes.workflow import mediation

    mediation.open_mediation(
        db.session, case, org.user(Role.CLERK), unit_id=org.mediation.id, applied_on=D("2026-11-10")
    )
    assert open_timer(case).started_on == D("2026-11-10")
    mediation.accept_mediation(db.session, case, org.user(Role.SUPERVISOR), mediator_id=org.user(Role.MEDIATOR).id)
    at(D("2026-11-24"))
    mediation.fail_mediation(db.session, case, org.user(Role.MEDIATOR), reason="双方分歧较大")
    assert case.mediation.ended_on == D("2026-11-24")
    assert open_timer(case).started_on == D("2026-11-24")


def test_still_employed_wages_only_a_mediation_starts_nothing(db, org, make_case):
    case = make_case(still_employed=True)
    Driver(db.session, org, case).mediation(MediationState.APPLIED)
    assert limitation_timers(case) == []


# --- an arbitration's suspension does not pause it --------------------------------------------------------------


def test_an_arbitrations_suspension_leaves_the_limitation_period_running(db, org, make_case):
    at(D("2026-03-01"))
    case = make_case(
        registered_on=D("2026-03-01"),
        dispute_known_on=D("2026-02-01"),
        claims=[ClaimInput(ClaimCategory.SOCIAL_INSURANCE)],
    )
    Driver(db.session, org, case).arbitration(ArbitrationState.ACCEPTED)
    assert limitation_timers(case)[0].status == TimerStatus.MET  # the application completed it
    rule = rules.current_rules(db.session)["limitation.claim"]
    running = timers.start(db.session, case, rule, None, None, "test", load_calendar(db.session))  # as if open
    db.session.flush()
    supervisor = org.user(Role.SUPERVISOR)
    at(D("2026-03-10"))
    interruptions.request_suspension(
        db.session,
        case,
        org.colleague(Role.SUPERVISOR),
        ground=SuspensionGround.AWAITING_DETERMINATION,
        reason="等待工伤认定结论",
    )
    interruptions.decide_suspension(db.session, case, supervisor, approve=True)
    award = next(t for t in case.timers if t.rule_id == "arbitration.award")
    assert award.status == TimerStatus.PAUSED and rule.pausable
    assert (running.status, running.due_on, running.adjustments) == (TimerStatus.RUNNING, D("2027-02-01"), [])
