"""Years without calendar data (deadlines.md rule 5, issue 12 finding 9): a provisional year carries the statutory
holidays of the holiday measures (年节放假办法 Art 2), weekends as rest days and no make-up days; entering the official
notice recomputes the open timers, which lose the provisional mark, with a timeline entry on each case."""

import io
import json
from datetime import date, timedelta

import chinese_calendar
import pytest
import sqlalchemy as sa

from disputes.models import Role, TimelineEntry
from disputes.models.sla import CalendarYear, SlaTimer
from disputes.sla import calendar_admin
from disputes.sla.calendar import DayInfo, WorkCalendar, bundled_days, statutory_holidays
from disputes.sla.compute import compute_deadline, explain
from disputes.sla.states import DayKind, PeriodUnit, TimerStatus
from tests.pages import classes, parse, t, text

D = date.fromisoformat
CAL = WorkCalendar(bundled_days(), {2024, 2025, 2026})
PROVISIONAL = "No calendar data for %(year)s: statutory holidays and weekends only (provisional)"
NOT_ON_RECORD = (
    "The official calendar of %(year)s is not on record: deadlines that fall in it are provisional, with "
    "the statutory holidays of the holiday measures and weekends as rest days, and no make-up working days."
)


def holiday(name):
    return DayInfo("holiday", name)


# --- the statutory days ----------------------------------------------------------------------------------


def test_2027_has_the_statutory_days_of_the_measures_as_amended_in_2024():
    assert statutory_holidays(2027) == {
        D("2027-01-01"): holiday("元旦"),
        # 2027 Spring Festival (正月初一) is Saturday 2027-02-06: 除夕 the day before, then 初一 to 初三.
        **{D("2027-02-05") + timedelta(days=n): holiday("春节") for n in range(4)},
        D("2027-04-05"): holiday("清明节"),
        D("2027-05-01"): holiday("劳动节"),
        D("2027-05-02"): holiday("劳动节"),
        D("2027-06-09"): holiday("端午节"),
        D("2027-09-15"): holiday("中秋节"),
        **{D("2027-10-01") + timedelta(days=n): holiday("国庆节") for n in range(3)},
    }


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_every_generated_day_is_an_official_holiday_of_that_name_in_the_notices(year):
    """The State Council's notices for 2024–2026 (the bundled data) contain every statutory day the generator gives,
    under the same name: an independent check of the lunar dates and the solar term. 2024 is still under the 2013
    measures (no 除夕, one day of 劳动节): its 除夕, Friday 2024-02-09, was a working day."""
    official = bundled_days()
    generated = statutory_holidays(year)
    assert generated and all(official.get(day) == info for day, info in generated.items())
    if year == 2024:
        assert D("2024-02-09") not in generated and D("2024-02-09") not in official


def test_qingming_agrees_with_the_chinese_calendar_packages_solar_terms():
    for year in range(2008, 2051):
        terms = {name: day for day, name in chinese_calendar.get_solar_terms(date(year, 3, 25), date(year, 4, 10))}
        assert [day for day, info in statutory_holidays(year).items() if info.name == "清明节"] == [terms["清明"]]


def test_a_holiday_on_another_holidays_day_carries_both_names():
    # 2031: 中秋 (八月十五) is 1 October.
    assert statutory_holidays(2031)[D("2031-10-01")] == holiday("中秋节/国庆节")
    assert len([d for d, i in statutory_holidays(2031).items() if "国庆节" in i.name]) == 3


def test_the_data_names_the_measures():
    from disputes.sla.calendar import STATUTORY

    assert "放假办法" in json.loads(STATUTORY.read_text(encoding="utf-8"))["source"]


# --- the calendar and the computation ---------------------------------------------------------------------


def test_a_period_ending_on_new_years_day_2027_ends_provisionally_on_monday_the_4th():
    deadline = compute_deadline(start=D("2026-12-27"), period=5, unit=PeriodUnit.DAYS, calendar=CAL)
    assert (deadline.nominal, deadline.due, deadline.provisional) == (D("2027-01-01"), D("2027-01-04"), True)
    rollover = next(s for s in deadline.steps if s.code == "rollover")
    assert explain(rollover, str) == "2027-01-01 is 元旦 (statutory, provisional): moved to 2027-01-04"
    assert deadline.steps[-1].code == "provisional" and deadline.steps[-1].params == {"year": 2027}
    assert explain(deadline.steps[-1], str) == PROVISIONAL % {"year": 2027}


@pytest.mark.parametrize(
    ("nominal", "due"),
    [
        ("2027-02-05", "2027-02-09"),  # 除夕 (Fri), 初一 (Sat), 初二 (Sun), 初三 (Mon): Tuesday
        ("2027-04-05", "2027-04-06"),  # 清明 2027 (Monday)
        ("2027-05-01", "2027-05-03"),  # 劳动节 1–2 May (Sat, Sun): no substitute day before the notice
        ("2027-06-09", "2027-06-10"),  # 端午
        ("2027-10-01", "2027-10-04"),  # 国庆 1–3 October (Fri–Sun)
        ("2027-10-04", "2027-10-04"),  # no bridging day is guessed
        ("2027-02-13", "2027-02-15"),  # an ordinary weekend
    ],
)
def test_provisional_roll_over(nominal, due):
    deadline = compute_deadline(start=D(nominal) - timedelta(days=10), period=10, unit=PeriodUnit.DAYS, calendar=CAL)
    assert (deadline.due, deadline.provisional) == (D(due), True)


def test_a_year_entered_but_not_on_record_still_uses_the_statutory_days():
    half_entered = WorkCalendar({**bundled_days(), D("2027-01-04"): holiday("测试")}, {2024, 2025, 2026})
    assert half_entered.is_working_day(D("2027-01-04"))
    assert not half_entered.is_working_day(D("2027-01-01")) and half_entered.is_provisional_holiday(D("2027-01-01"))
    on_record = WorkCalendar({**bundled_days(), D("2027-01-04"): holiday("元旦")}, {2024, 2025, 2026, 2027})
    assert on_record.is_working_day(D("2027-01-01"))  # not listed in a year on record: the official data rules
    assert not on_record.is_provisional_holiday(D("2027-01-01")) and not on_record.is_working_day(D("2027-01-04"))


def test_working_days_skip_the_statutory_days():
    assert CAL.add_working_days(D("2026-12-31"), 1) == D("2027-01-04")
    assert CAL.add_working_days(D("2027-02-04"), 1) == D("2027-02-09")


# --- flask sla due and flask calendar show ----------------------------------------------------------------


def flask(runner, *args, code=0):
    result = runner.invoke(args=list(args))
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}\n{result.exception!r}"
    return result


def test_sla_due_answers_provisionally_with_the_statutory_step(runner):
    result = json.loads(
        flask(runner, "sla", "due", "--rule", "arbitration.serve_respondent", "--from", "2026-12-27", "--json").output
    )
    assert (result["nominal"], result["due"], result["provisional"]) == ("2027-01-01", "2027-01-04", True)
    texts = [step["text"] for step in result["steps"]]
    assert "2027-01-01 is 元旦 (statutory, provisional): moved to 2027-01-04" in texts
    assert texts[-1] == PROVISIONAL % {"year": 2027}
    output = flask(runner, "sla", "due", "--rule", "arbitration.serve_respondent", "--from", "2026-12-27").output
    assert output.splitlines()[-1] == "Due: 2027-01-04 (provisional)"


def test_calendar_show_lists_the_provisional_statutory_days(runner):
    lines = flask(runner, "calendar", "show", "2027").output.splitlines()
    assert lines[0] == (
        "No calendar data for 2027: deadlines that fall in it are provisional, with the statutory "
        "holidays below, weekends as rest days and no make-up working days."
    )
    assert "2027-01-01  Fri  holiday  元旦 (statutory, provisional)" in lines
    assert "2027-02-05  Fri  holiday  春节 (statutory, provisional)" in lines
    assert lines[-1] == "13 statutory rest day(s) (provisional)."


# --- timers, the admin page and the official notice -------------------------------------------------------


CSV_2027 = (
    "day,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n2027-01-03,holiday,元旦\n"
    "2027-01-04,holiday,元旦\n"
)


def upload(client, content: str):
    return client.post(
        "/admin/calendar/import",
        data={"file": (io.BytesIO(content.encode()), "days.csv")},
        content_type="multipart/form-data",
    )


def limitation_timer(case):
    return next(t for t in case.timers if t.rule_id == "limitation.claim")


def recomputed_entries(db, case):
    return list(
        db.session.scalars(
            sa.select(TimelineEntry)
            .where(TimelineEntry.case_id == case.id, TimelineEntry.kind == "sla.calendar_recomputed")
            .order_by(TimelineEntry.id)
        )
    )


def test_the_timer_is_provisional_until_the_notice_is_imported(app, db, org, login, make_case):
    case = make_case(dispute_known_on=date(2026, 1, 1))  # one year: Friday 2027-01-01, 元旦
    timer = limitation_timer(case)
    assert (timer.nominal_on, timer.due_on, timer.provisional) == (D("2027-01-01"), D("2027-01-04"), True)
    client = login(org.user(Role.CLERK))
    panel = parse(client.get(f"/cases/{case.id}")).find(".//li[@data-rule='limitation.claim']")
    assert "tag-provisional" in [c for e in panel.iter() for c in classes(e)]

    admin = login(org.user(Role.ADMIN))
    response = upload(admin, CSV_2027)
    assert response.status_code == 302
    db.session.expire_all()
    timer = db.session.get(SlaTimer, timer.id)
    assert (timer.due_on, timer.provisional) == (D("2027-01-05"), False)
    (entry,) = recomputed_entries(db, case)
    assert entry.actor_id == org.user(Role.ADMIN).id
    assert entry.before == {"timers": [{"rule": "limitation.claim", "due_on": "2027-01-04", "provisional": True}]}
    assert entry.after == {"timers": [{"rule": "limitation.claim", "due_on": "2027-01-05", "provisional": False}]}
    timeline = login(org.user(Role.CLERK)).get(f"/cases/{case.id}?tab=timeline")  # the case page's timeline tab
    page = text(parse(timeline).find(".//ol[@class='timeline']"))
    assert t(app, "Deadlines recomputed after a calendar change") in page


def test_marking_a_year_complete_ends_the_provisional_mark(db, org, make_case):
    case = make_case(dispute_known_on=date(2026, 1, 1))
    calendar_admin.add_day(db.session, D("2027-01-01"), DayKind.HOLIDAY, "元旦", actor=org.user(Role.ADMIN))
    assert recomputed_entries(db, case) == []  # the year is not on record: still provisional, nothing moved
    assert limitation_timer(case).provisional is True
    calendar_admin.mark_year_complete(db.session, 2027, org.user(Role.ADMIN))
    timer = limitation_timer(case)
    assert (timer.due_on, timer.provisional) == (D("2027-01-04"), False)
    (entry,) = recomputed_entries(db, case)
    assert entry.before["timers"][0] == {"rule": "limitation.claim", "due_on": "2027-01-04", "provisional": True}
    assert entry.after["timers"][0] == {"rule": "limitation.claim", "due_on": "2027-01-04", "provisional": False}


def test_recompute_works_in_batches(db, org, make_case):
    cases = [make_case(dispute_known_on=date(2026, 1, 1) + timedelta(days=n)) for n in range(5)]
    db.session.add(CalendarYear(year=2027, source="test", recorded_at=cases[0].created_at))
    db.session.flush()
    selects = []

    def count_timer_selects(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and "FROM sla_timers" in statement:
            selects.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count_timer_selects)
    try:
        count = calendar_admin.recompute_open_timers(db.session, [2027], batch_size=2)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count_timer_selects)
    assert count == 5
    assert len(selects) == 3  # 2 + 2 + 1 timers: one SELECT a batch, never all at once
    for case in cases:
        timer = limitation_timer(case)
        assert timer.provisional is False and timer.status == TimerStatus.RUNNING
        assert len(recomputed_entries(db, case)) == 1


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_admin_page_shows_a_provisional_year_with_its_statutory_days(app, db, org, login, locale):
    org.user(Role.ADMIN).locale = locale
    db.session.commit()
    admin = login(org.user(Role.ADMIN))
    response = admin.get("/admin/calendar?year=2027")
    page = text(parse(response).find(".//body"))
    assert t(app, NOT_ON_RECORD, locale, year=2027) in page
    cells = {td.get("title"): classes(td) for td in parse(response).iter("td") if td.get("title")}
    assert "day-provisional" in cells[t(app, "%(name)s (statutory, provisional)", locale, name="元旦")]
    assert len([td for td in parse(response).iter("td") if "day-provisional" in classes(td)]) == 13
    upload(admin, CSV_2027)
    response = admin.get("/admin/calendar?year=2027")
    assert not [td for td in parse(response).iter("td") if "day-provisional" in classes(td)]
    assert t(app, NOT_ON_RECORD, locale, year=2027) not in text(parse(response).find(".//body"))
