"""The administrator's holiday calendar: the year page, days added, edited and deleted, CSV import, a year
put on record, and the running timers recomputed after every change."""

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from disputes.models import Role
from disputes.models.sla import CalendarDay, CalendarRecompute, CalendarYear, SlaTimer
from disputes.sla import calendar_admin
from disputes.sla.states import DayKind, TimerStatus
from disputes.web.formats import local_date
from disputes.workflow.states import ArbitrationState
from tests.drive import Driver
from tests.pages import classes, field_errors, flashes, parse, t, text

RUNNING_OUT = (
    "The official calendar on record ends on %(date)s: add next year's days when the State Council announces them."
)
NOT_ON_RECORD = (
    "The official calendar of %(year)s is not on record: deadlines that fall in it are provisional, with "
    "the statutory holidays of the holiday measures and weekends as rest days, and no make-up working days."
)
CSV_2027 = (
    "day,kind,name\n2027-01-01,holiday,元旦\n"
    + "".join(f"2027-10-0{d},holiday,国庆节\n" for d in range(1, 8))
    + "2027-10-09,workday,国庆节调休\n"
)


@pytest.fixture
def admin(org, login):
    return login(org.user(Role.ADMIN))


def stored(db, day: date) -> CalendarDay | None:
    db.session.expire_all()
    return db.session.get(CalendarDay, day)


def upload(client, content: str, name="days.csv"):
    return client.post(
        "/admin/calendar/import",
        data={"file": (io.BytesIO(content.encode()), name)},
        content_type="multipart/form-data",
    )


def month_tables(response):
    return [table for table in parse(response).iter("table") if "month" in classes(table)]


# --- the year page ----------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_year_page_shows_twelve_months_with_holidays_and_make_up_days(app, db, org, login, locale):
    org.user(Role.ADMIN).locale = locale
    db.session.commit()
    client = login(org.user(Role.ADMIN))
    response = client.get("/admin/calendar?year=2026")
    assert response.status_code == 200
    tables = month_tables(response)
    assert len(tables) == 12
    cells = {td.get("title"): td for td in tables[1].iter("td") if td.get("title")}
    february = {text(td): classes(td) for td in tables[1].iter("td") if text(td)}
    assert february["15"] == ["day-holiday"] and february["28"] == ["day-workday"]
    assert february["7"] == ["day-weekend"] and february["9"] == []
    assert set(cells) == {"春节", "春节调休"}
    days = [text(r.find("td")) for r in parse(response).iter("tr") if r.get("class", "").startswith("day-row")]
    assert len(days) == 39  # every stored day of 2026, in date order below the grids
    page = text(parse(response).find(".//body"))
    # 2026-11-20: the calendar on record ends on 2026-12-31, 41 days away.
    assert t(app, RUNNING_OUT, locale, date=_ldate(app, date(2026, 12, 31), locale)) in page
    assert t(app, NOT_ON_RECORD, locale, year=2026) not in page


def _ldate(app, day, locale):
    with app.test_request_context(), force_locale(locale):
        return local_date(day)


def test_a_year_without_data_says_so_and_offers_to_mark_it_complete(app, db, admin):
    response = admin.get("/admin/calendar?year=2027")
    page = text(parse(response).find(".//body"))
    assert t(app, NOT_ON_RECORD, year=2027) in page
    forms = [f.get("action") for f in parse(response).iter("form")]
    assert "/admin/calendar/years" in forms
    assert admin.get("/admin/calendar?year=1500").status_code == 404


def test_the_warning_goes_once_next_year_is_on_record(app, db, admin):
    upload(admin, CSV_2027)
    page = text(parse(admin.get("/admin/calendar")).find(".//body"))
    assert t(app, RUNNING_OUT, date=_ldate(app, date(2026, 12, 31), "zh_CN")) not in page


def test_only_admins(db, org, login):
    client = login(org.user(Role.SUPERVISOR))
    assert client.get("/admin/calendar").status_code == 403
    assert (
        client.post("/admin/calendar/new", data={"day": "2027-01-01", "kind": "holiday", "name": "元旦"}).status_code
        == 403
    )
    assert stored(db, date(2027, 1, 1)) is None


# --- days added, edited, deleted ----------------------------------------------------------------


def test_add_a_day(app, db, admin):
    assert admin.get("/admin/calendar/new?day=2027-01-01").status_code == 200
    response = admin.post("/admin/calendar/new", data={"day": "2027-01-01", "kind": "holiday", "name": " 元旦 "})
    assert response.status_code == 302 and re.search(r"/admin/calendar/recomputes/\d+$", response.headers["Location"])
    job = admin.get(response.headers["Location"])  # without a broker the job ran before the redirect
    assert parse(job).find(".//section[@id='calendar-recompute']").get("data-status") == "done"
    row = stored(db, date(2027, 1, 1))
    assert (row.kind, row.name) == (DayKind.HOLIDAY, "元旦")


def test_add_refuses_a_weekday_make_up_day_and_a_day_twice(app, db, admin):
    response = admin.post("/admin/calendar/new", data={"day": "2027-01-04", "kind": "workday", "name": "调休"})
    assert response.status_code == 200
    assert field_errors(response, "kind") == [
        t(
            app,
            "%(day)s is a weekday; a make-up working day is a Saturday or Sunday.",
            day=_ldate(app, date(2027, 1, 4), "zh_CN"),
        )
    ]
    response = admin.post("/admin/calendar/new", data={"day": "2026-02-16", "kind": "holiday", "name": "春节"})
    assert field_errors(response, "day") == [
        t(app, "%(day)s is already in the calendar: edit it instead.", day=_ldate(app, date(2026, 2, 16), "zh_CN"))
    ]
    assert stored(db, date(2027, 1, 4)) is None


def test_edit_and_delete_a_day(app, db, admin):
    page = admin.get("/admin/calendar/2026-02-28")
    assert page.status_code == 200
    assert admin.get("/admin/calendar/2026-02-27").status_code == 404
    assert admin.get("/admin/calendar/not-a-date").status_code == 404
    response = admin.post("/admin/calendar/2026-02-28", data={"kind": "workday", "name": "春节后调休"})
    assert response.status_code == 302
    assert stored(db, date(2026, 2, 28)).name == "春节后调休"
    response = admin.post("/admin/calendar/2026-02-16", data={"kind": "workday", "name": "x"})
    assert field_errors(response, "kind")  # 02-16 is a Monday
    assert stored(db, date(2026, 2, 16)).kind == DayKind.HOLIDAY
    response = admin.post("/admin/calendar/2026-02-28/delete")
    assert response.status_code == 302 and stored(db, date(2026, 2, 28)) is None


# --- CSV import ---------------------------------------------------------------------------------


def test_import_writes_the_days_and_puts_the_years_on_record(app, db, admin):
    assert admin.get("/admin/calendar/import").status_code == 200
    response = upload(admin, CSV_2027)
    assert response.status_code == 302 and "/admin/calendar/recomputes/" in response.headers["Location"]
    assert stored(db, date(2027, 10, 9)).kind == DayKind.WORKDAY
    year = db.session.get(CalendarYear, 2027)
    assert year.source == "CSV import by admin on 2026-11-20"
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(CalendarDay).where(CalendarDay.day >= date(2027, 1, 1))
        )
        == 9
    )


def test_a_bad_line_is_named_and_nothing_is_written(app, db, admin):
    bad = CSV_2027 + "2027-13-01,holiday,元旦\n"
    response = upload(admin, bad)
    assert response.status_code == 200
    assert field_errors(response, "file") == [
        t(app, "Line %(line)s: %(value)s is not a date written as YYYY-MM-DD.", line=11, value="2027-13-01")
    ]
    assert stored(db, date(2027, 1, 1)) is None and db.session.get(CalendarYear, 2027) is None
    response = upload(admin, "day,kind,name\n2027-01-04,workday,调休\n")
    assert field_errors(response, "file") == [
        t(
            app,
            "Line %(line)s: %(day)s is a weekday; a make-up working day is a Saturday or Sunday.",
            line=2,
            day="2027-01-04",
        )
    ]
    assert field_errors(admin.post("/admin/calendar/import", data={}), "file")
    response = admin.post(
        "/admin/calendar/import",
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(CSV_2027.encode("gbk")), "excel.csv")},
    )
    assert field_errors(response, "file") == [
        t(app, "The file is not UTF-8 text: save it as “CSV UTF-8” and import it again.")
    ]
    assert stored(db, date(2027, 1, 1)) is None


def test_import_replaces_the_days_of_the_years_it_contains(app, db, org):
    admin = org.user(Role.ADMIN)
    result = calendar_admin.import_csv(db.session, ["day,kind,name", "2026-01-01,holiday,元旦"], admin)
    db.session.commit()
    assert (result.years, result.days, result.replaced) == ((2026,), 1, 39)
    assert calendar_admin.year_days(db.session, 2026)[0].day == date(2026, 1, 1)
    assert len(calendar_admin.year_days(db.session, 2026)) == 1
    assert len(calendar_admin.year_days(db.session, 2025)) > 1  # other years untouched


# --- a year entered by hand ---------------------------------------------------------------------


def test_mark_a_year_entered_by_hand_as_complete(app, db, admin):
    response = admin.post("/admin/calendar/years", data={"year": "2027"}, follow_redirects=True)
    assert t(app, "Enter the official holidays of %(year)s before marking the year as complete.", year=2027) in flashes(
        response
    )
    admin.post("/admin/calendar/new", data={"day": "2027-01-01", "kind": "holiday", "name": "元旦"})
    response = admin.post("/admin/calendar/years", data={"year": "2027"})
    assert response.status_code == 302
    assert db.session.get(CalendarYear, 2027).source == "Entered by admin on 2026-11-20"
    response = admin.post("/admin/calendar/years", data={"year": "2027"}, follow_redirects=True)
    assert t(app, "The calendar of %(year)s is already on record.", year=2027) in flashes(response)


# --- running timers follow the calendar ----------------------------------------------------------


def test_a_new_holiday_moves_running_deadlines_and_deleting_it_moves_them_back(app, db, org, admin, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.ACCEPTED)
    db.session.commit()
    serve = next(t for t in case.timers if t.rule_id == "arbitration.serve_respondent")
    assert serve.due_on == date(2026, 11, 25)
    spanning = _spanning(db, date(2026, 11, 25))
    response = admin.post(
        "/admin/calendar/new", data={"day": "2026-11-25", "kind": "holiday", "name": "测试假日"}, follow_redirects=True
    )
    job = db.session.scalar(sa.select(CalendarRecompute).order_by(CalendarRecompute.id.desc()).limit(1))
    assert (job.status, job.timers_total, job.first, job.last) == (
        "done",
        spanning,
        date(2026, 11, 25),
        date(2026, 11, 25),
    )
    assert job.timers_changed >= 1 and "测试假日" in job.change
    result = text(parse(response).find(".//p[@id='recompute-result']"))
    assert f"{spanning:,}" in result and f"{job.timers_changed:,}" in result
    db.session.refresh(serve)
    assert (serve.nominal_on, serve.due_on) == (date(2026, 11, 25), date(2026, 11, 26))
    admin.post("/admin/calendar/2026-11-25/delete")
    db.session.refresh(serve)
    assert serve.due_on == date(2026, 11, 25)


def _spanning(db, day):
    """Open timers whose period (start to due date; suspended: to the nominal end) includes `day`."""
    return sum(
        1
        for t in db.session.scalars(sa.select(SlaTimer))
        if t.status in (TimerStatus.RUNNING, TimerStatus.PAUSED, TimerStatus.BREACHED)
        and t.started_on <= day
        and ((t.due_on or t.nominal_on) >= day)
    )


def test_importing_next_year_ends_provisional_deadlines(app, db, admin, make_case):
    case = make_case(dispute_known_on=date(2026, 10, 1))
    limitation = next(t for t in case.timers if t.rule_id == "limitation.claim")
    # Friday 2027-10-01: 国庆 1–3 October are statutory (rule 5), so provisionally Monday 10-04.
    assert (limitation.due_on, limitation.provisional) == (date(2027, 10, 4), True)
    upload(admin, CSV_2027)
    db.session.refresh(limitation)
    # 2027-10-01…07 are holidays; 10-08 a Friday: an ordinary working day now on record.
    assert (limitation.due_on, limitation.provisional) == (date(2027, 10, 8), False)
    admin.post("/admin/calendar/new", data={"day": "2027-10-08", "kind": "holiday", "name": "国庆节"})
    db.session.refresh(limitation)
    assert limitation.due_on == date(2027, 10, 9)  # a make-up Saturday ends the period


def test_recompute_selects_by_date_range(db, org, make_case):
    case = make_case(dispute_known_on=date(2026, 10, 1))  # limitation timer: nominal and due in 2027
    assert calendar_admin.recompute_open_timers(db.session, [2025]) == 0
    assert calendar_admin.recompute_open_timers(db.session, []) == 0
    assert calendar_admin.recompute_open_timers(db.session, [2027]) == 1
    assert calendar_admin.recompute_open_timers(db.session, [2026]) == 0  # nominal 2027-10-01 is past January
    assert case.timers


def test_a_breached_timer_whose_deadline_moves_past_today_runs_again(db, org, make_case):
    case = make_case()
    Driver(db.session, org, case).arbitration(ArbitrationState.ACCEPTED)
    serve = next(t for t in case.timers if t.rule_id == "arbitration.serve_respondent")
    serve.status, serve.breached_on, serve.due_on = TimerStatus.BREACHED, date(2026, 11, 20), date(2026, 11, 19)
    db.session.flush()
    calendar_admin.recompute_open_timers(db.session, [2026])
    assert (serve.status, serve.due_on, serve.breached_on) == (
        TimerStatus.RUNNING,
        date(2026, 11, 25),
        date(2026, 11, 20),
    )
