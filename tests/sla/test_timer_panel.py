"""The case page's deadlines panel: each timer's deadline, days left or late, and how the date was reached."""

from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale, ngettext

from disputes import clock
from disputes.models import Role
from disputes.models.sla import SlaTimer
from disputes.sla import explain as sla_explain
from disputes.sla.calendar_store import load_calendar
from disputes.sla.compute import compute_deadline
from disputes.sla.states import TimerStatus
from disputes.workflow import arbitration as arb
from disputes.workflow import interruptions
from disputes.workflow.states import ArbitrationState, SuspensionGround
from tests.drive import Driver
from tests.pages import classes, parse, t, text

ACCEPTED = date(2026, 8, 17)  # + 45 days = 2026-10-01, National Day: the award is due 2026-10-08
DATES = {  # how the page writes a date in each language
    "zh_CN": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "en": lambda d: d.strftime("%b ") + str(d.day) + d.strftime(", %Y"),
}


def nt(app, singular, plural, num, locale) -> str:
    """A plural message as the app shows it in `locale`."""
    with app.test_request_context(), force_locale(locale):
        return ngettext(singular, plural, num)


def at(day: date) -> None:
    clock.freeze(datetime(day.year, day.month, day.day, 2, tzinfo=UTC))


def accepted_case(db, org, make_case, state=ArbitrationState.TRIBUNAL_FORMED, on=ACCEPTED):
    at(on)
    case = make_case(registered_on=on, dispute_known_on=date(2026, 8, 1))
    Driver(db.session, org, case).arbitration(state)
    db.session.commit()
    return case


def timer(case, rule_id) -> SlaTimer:
    (found,) = [t for t in case.timers if t.rule_id == rule_id and t.status != TimerStatus.CANCELLED]
    return found


def case_page(client, db, user, case, locale):
    user.locale = locale
    db.session.commit()
    response = client.get(f"/cases/{case.id}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return parse(response)


def timer_item(doc, timer_id):
    (item,) = [li for li in doc.iter("li") if li.get("id") == f"timer-{timer_id}"]
    return item


def steps_of(item) -> list[str]:
    (details,) = [d for d in item.iter("details")]
    return [text(li) for li in details.iter("li")]


def test_the_explanation_is_rebuilt_from_the_stored_timer(db, org, make_case):
    case = accepted_case(db, org, make_case)
    award = timer(case, "arbitration.award")
    expected = compute_deadline(start=ACCEPTED, period=45, unit="days", calendar=load_calendar(db.session))
    assert award.due_on == expected.due == date(2026, 10, 8)
    (view,) = [
        v
        for v in sla_explain.case_timers(case.timers, load_calendar(db.session), date(2026, 9, 1))
        if v.timer.id == award.id
    ]
    assert view.deadline.steps == expected.steps and view.days_left == 37 and not view.calendar_changed


def test_open_timers_come_first_by_due_date(db, org, make_case):
    case = accepted_case(db, org, make_case)
    views = sla_explain.case_timers(case.timers, load_calendar(db.session), clock.today_local())
    opened = [v for v in views if v.is_open]
    assert views[: len(opened)] == opened
    assert [v.timer.due_on for v in opened] == sorted(v.timer.due_on for v in opened)
    assert any(not v.is_open for v in views)  # the application's own timers, met on acceptance


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_panel_names_the_holiday_the_deadline_rolled_over(app, client, db, org, make_case, login, locale):
    case = accepted_case(db, org, make_case)
    at(date(2026, 9, 1))
    arbitrator = org.user(Role.ARBITRATOR)
    login(arbitrator)
    doc = case_page(client, db, arbitrator, case, locale)
    (panel,) = [s for s in doc.iter("section") if s.get("id") == "timers"]
    award = timer(case, "arbitration.award")
    item = timer_item(panel, award.id)
    fmt = DATES[locale]
    assert (award.rule.title if locale == "zh_CN" else award.rule.title_en) in text(item)
    assert fmt(date(2026, 10, 8)) in text(item)
    assert nt(app, "%(num)d day left", "%(num)d days left", 37, locale) in text(item)
    assert t(app, "Running", locale) in text(item)
    assert arbitrator.display_name in text(item)
    assert steps_of(item) == [
        t(app, "Triggered on %(date)s", locale, date=fmt(ACCEPTED)),
        t(app, "%(count)s days", locale, count=45),
        t(app, "Nominal deadline %(date)s", locale, date=fmt(date(2026, 10, 1))),
        t(
            app,
            "%(date)s is %(reason)s: moved to %(next)s",
            locale,
            date=fmt(date(2026, 10, 1)),
            reason="国庆节",
            next=fmt(date(2026, 10, 8)),
        ),
    ]
    # Open timers first: the award (10-08) after the defence period (08-28) and the tribunal notice (08-24).
    rules = [li.get("data-rule") for li in panel.iter("li") if "timer" in classes(li)]
    assert rules.index("arbitration.tribunal_notice") < rules.index("arbitration.award")
    assert nt(app, "%(num)d day overdue", "%(num)d days overdue", 8, locale) in text(
        timer_item(panel, timer(case, "arbitration.tribunal_notice").id)
    )


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_a_suspended_timer_shows_since_when(app, client, db, org, make_case, login, locale):
    case = accepted_case(db, org, make_case)
    at(date(2026, 8, 20))
    supervisor = org.user(Role.SUPERVISOR)
    interruptions.request_suspension(
        db.session,
        case,
        org.colleague(Role.SUPERVISOR),
        ground=SuspensionGround.AWAITING_DETERMINATION,
        reason="等待工伤认定",
    )
    interruptions.decide_suspension(db.session, case, supervisor, approve=True)
    db.session.commit()
    at(date(2026, 8, 25))
    login(supervisor)
    item = timer_item(case_page(client, db, supervisor, case, locale), timer(case, "arbitration.award").id)
    since = DATES[locale](date(2026, 8, 20))
    assert t(app, "suspended since %(date)s", locale, date=since) in text(item)
    assert t(app, "Suspended", locale) in text(item)
    assert steps_of(item)[-1] == t(app, "Suspended since %(start)s: the deadline is open", locale, start=since)


def test_suspension_and_extension_are_explained(app, client, db, org, make_case, login):
    case = accepted_case(db, org, make_case)
    supervisor = org.user(Role.SUPERVISOR)
    at(date(2026, 8, 20))
    interruptions.request_suspension(
        db.session,
        case,
        org.colleague(Role.SUPERVISOR),
        ground=SuspensionGround.AWAITING_DETERMINATION,
        reason="等待工伤认定",
    )
    interruptions.decide_suspension(db.session, case, supervisor, approve=True)
    at(date(2026, 9, 1))
    interruptions.resume(db.session, case, supervisor)
    interruptions.request_extension(db.session, case, org.colleague(Role.SUPERVISOR), days=5, reason="案情复杂")
    interruptions.decide_extension(db.session, case, supervisor, approve=True)
    db.session.commit()
    award = timer(case, "arbitration.award")
    assert award.due_on == date(2026, 10, 19)
    login(supervisor)
    steps = steps_of(timer_item(case_page(client, db, supervisor, case, "en"), award.id))
    assert (
        t(
            app,
            "Suspended %(start)s–%(end)s: %(days)s days added",
            "en",
            start="Aug 20, 2026",
            end="Sep 1, 2026",
            days=12,
        )
        in steps
    )
    assert t(app, "Extension of %(days)s days approved", "en", days=5) in steps
    assert steps[-1] == t(
        app,
        "%(date)s is %(reason)s: moved to %(next)s",
        "en",
        date="Oct 18, 2026",
        reason=t(app, "weekend", "en"),
        next="Oct 19, 2026",
    )


def test_a_late_completion_shows_the_days_late(app, client, db, org, make_case, login):
    case = accepted_case(db, org, make_case)  # tribunal notice due 08-22, a Saturday: 08-24
    at(date(2026, 8, 27))
    arb.notify_tribunal(db.session, case, org.user(Role.CLERK), served_on=clock.today_local())
    db.session.commit()
    notice = timer(case, "arbitration.tribunal_notice")
    assert notice.status == TimerStatus.MET_LATE and notice.days_late == 3
    login(org.user(Role.CLERK))
    item = timer_item(case_page(client, db, org.user(Role.CLERK), case, "en"), notice.id)
    assert nt(app, "%(num)d day late", "%(num)d days late", 3, "en") in text(item)
    assert t(app, "Met late", "en") in text(item)


def test_a_deadline_in_a_year_without_calendar_data_is_provisional(app, client, db, org, make_case, login):
    case = accepted_case(db, org, make_case, state=ArbitrationState.ACCEPTED, on=date(2026, 11, 20))
    award = timer(case, "arbitration.award")
    assert award.provisional and award.due_on == date(2027, 1, 4)
    login(org.user(Role.CLERK))
    item = timer_item(case_page(client, db, org.user(Role.CLERK), case, "zh_CN"), award.id)
    assert t(app, "provisional", "zh_CN") in [text(s) for s in item.iter("span") if "tag-provisional" in classes(s)]
    assert steps_of(item)[-1] == t(
        app, "No calendar data for %(year)s: statutory holidays and weekends only (provisional)", "zh_CN", year=2027
    )


def test_a_case_without_timers_says_so(app, client, db, org, make_case, login):
    case = make_case()
    for t_ in list(case.timers):
        db.session.delete(t_)
    db.session.commit()
    login(org.user(Role.CLERK))
    (panel,) = [
        s for s in case_page(client, db, org.user(Role.CLERK), case, "en").iter("section") if s.get("id") == "timers"
    ]
    assert t(app, "No deadlines are running for this case.", "en") in text(panel)
