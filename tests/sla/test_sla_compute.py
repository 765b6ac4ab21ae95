"""Deadline computation and the working-day calendar (deadlines.md rules 1–10), on the bundled 2024–2026 data."""

import calendar as stdlib_calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disputes.i18n import DomainError
from disputes.sla.calendar import WEEKEND, DayInfo, WorkCalendar, bundled_days, load_csv
from disputes.sla.compute import compute_deadline, explain
from disputes.sla.periods import add_months
from disputes.sla.states import PeriodUnit

D = date.fromisoformat
YEARS = {2024, 2025, 2026}
CAL = WorkCalendar(bundled_days(), YEARS)
CAL_NO_MAKEUP = WorkCalendar(bundled_days(), YEARS, makeup_workday_ends_period=False)
DAYS, WORKING_DAYS, MONTHS, REVERSE = PeriodUnit.DAYS, PeriodUnit.WORKING_DAYS, PeriodUnit.MONTHS, PeriodUnit.REVERSE


def due(start, period, unit=DAYS, calendar=CAL, **kwargs):
    return compute_deadline(start=D(start), period=period, unit=unit, calendar=calendar, **kwargs)


def codes(deadline):
    return [step.code for step in deadline.steps]


# --- The spec's worked examples (mandatory) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "period", "unit", "expected"),
    [
        ("2026-09-01", 45, DAYS, "2026-10-16"),  # plain
        ("2026-02-10", 5, DAYS, "2026-02-24"),  # nominal 02-15 in the Spring Festival break 02-15…02-23
        ("2025-12-20", 45, DAYS, "2026-02-03"),  # crosses the year
        ("2026-01-31", 1, MONTHS, "2026-02-28"),  # last day of February, a make-up working Saturday
    ],
)
def test_worked_examples(start, period, unit, expected):
    deadline = due(start, period, unit)
    assert deadline.due == D(expected)
    assert not deadline.provisional and deadline.suspended_since is None


def test_worked_example_month_end_without_makeup_workdays():
    assert due("2026-01-31", 1, MONTHS, calendar=CAL_NO_MAKEUP).due == D("2026-03-02")


def test_worked_example_suspension():
    deadline = due("2026-03-01", 45, suspensions=[(D("2026-03-10"), D("2026-04-09"))])
    assert deadline.nominal == D("2026-04-15")
    assert deadline.due == D("2026-05-15")
    suspension = deadline.steps[codes(deadline).index("suspension")]
    assert suspension.params == {"start": D("2026-03-10"), "end": D("2026-04-09"), "days": 30}


def test_roll_over_is_explained_with_the_holidays_name():
    deadline = due("2026-02-10", 5)
    assert codes(deadline) == ["trigger", "period", "nominal", "rollover"]
    rollover = deadline.steps[-1]
    assert rollover.params == {"date": D("2026-02-15"), "reason": "春节", "next": D("2026-02-24")}
    assert explain(rollover, lambda message: message) == "2026-02-15 is 春节: moved to 2026-02-24"
    assert explain(deadline.steps[1], lambda message: message) == "5 days"


# --- Properties ---------------------------------------------------------------------------------------------

starts = st.dates(min_value=D("2024-01-01"), max_value=D("2026-06-30"))
units_and_periods = st.one_of(
    st.tuples(st.just(DAYS), st.integers(1, 120)),
    st.tuples(st.just(WORKING_DAYS), st.integers(1, 40)),
    st.tuples(st.just(MONTHS), st.integers(1, 6)),
)


@given(starts, units_and_periods, st.booleans())
def test_due_date_is_a_working_day_never_before_the_nominal_date(start, unit_period, makeup):
    calendar = CAL if makeup else CAL_NO_MAKEUP
    unit, period = unit_period
    deadline = compute_deadline(start=start, period=period, unit=unit, calendar=calendar)
    assert calendar.is_working_day(deadline.due)
    assert calendar.rest_reason(deadline.due) is None
    assert deadline.due >= deadline.nominal > start
    assert not deadline.provisional


@given(starts, st.integers(1, 90), st.integers(0, 80), st.integers(0, 60))
def test_pausing_n_days_pushes_the_due_date_n_days_past_the_nominal_date(start, period, offset, paused_days):
    """The paused due date is at least N days after the nominal one and never before the unpaused due date.

    (Not "N days after the unpaused due date": a roll-over of the unpaused date absorbs part of the pause,
    e.g. nominal on a Saturday, paused 1 day: both end on the Monday.)
    """
    plain = compute_deadline(start=start, period=period, unit=DAYS, calendar=CAL)
    paused_on = start + timedelta(days=offset)
    paused = compute_deadline(
        start=start,
        period=period,
        unit=DAYS,
        calendar=CAL,
        suspensions=[(paused_on, paused_on + timedelta(days=paused_days))],
    )
    assert paused.nominal == plain.nominal
    assert paused.due >= plain.nominal + timedelta(days=paused_days)
    assert paused.due >= plain.due
    assert CAL.is_working_day(paused.due)


@given(st.dates(min_value=D("1901-01-01"), max_value=D("2099-12-31")), st.integers(-600, 600))
def test_months_land_on_the_same_day_or_the_months_last_day(start, months):
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    last = stdlib_calendar.monthrange(end.year, end.month)[1]
    assert end.day == start.day or (end.day == last < start.day)


# --- Holiday roll-over --------------------------------------------------------------------------------------

BREAKS = [  # (first rest day, last rest day, first working day after) per the State Council notices
    ("2025-01-28", "2025-02-04", "2025-02-05"),  # 春节 2025
    ("2025-10-01", "2025-10-08", "2025-10-09"),  # 国庆·中秋 2025
    ("2026-02-15", "2026-02-23", "2026-02-24"),  # 春节 2026
    ("2026-10-01", "2026-10-07", "2026-10-08"),  # 国庆 2026
]


@pytest.mark.parametrize(("first", "last", "after"), BREAKS)
def test_every_day_of_a_break_rolls_to_the_first_working_day_after_it(first, last, after):
    day = D(first)
    while day <= D(last):
        deadline = compute_deadline(start=day - timedelta(days=10), period=10, unit=DAYS, calendar=CAL)
        assert deadline.due == D(after), day
        assert deadline.steps[-1].params["reason"] in {"春节", "国庆节", "中秋节"}
        day += timedelta(days=1)
    assert CAL.roll_forward(D(first)) == (
        D(after),
        [D(first) + timedelta(days=n) for n in range((D(after) - D(first)).days)],
    )


@pytest.mark.parametrize(
    ("makeup_day", "without_setting"),
    [
        ("2025-02-08", "2025-02-10"),  # Saturday, 春节调休
        ("2025-01-26", "2025-01-27"),  # Sunday, 春节调休
        ("2025-09-28", "2025-09-29"),  # Sunday, 国庆节调休
        ("2026-02-28", "2026-03-02"),  # Saturday, 春节调休
    ],
)
def test_makeup_workdays_end_a_period_only_with_the_setting(makeup_day, without_setting):
    start = (D(makeup_day) - timedelta(days=7)).isoformat()
    with_makeup = due(start, 7)
    assert with_makeup.due == D(makeup_day) and "rollover" not in codes(with_makeup)
    without = due(start, 7, calendar=CAL_NO_MAKEUP)
    assert without.due == D(without_setting)
    assert without.steps[-1].params["reason"] == WEEKEND


def test_plain_weekend_roll_over_says_weekend():
    deadline = due("2026-03-02", 5)  # Saturday 03-07
    assert deadline.due == D("2026-03-09")
    assert deadline.steps[-1].params == {"date": D("2026-03-07"), "reason": WEEKEND, "next": D("2026-03-09")}


# --- Months -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2025-01-31", 1, "2025-02-28"),
        ("2024-01-31", 1, "2024-02-29"),  # leap year
        ("2026-03-31", 1, "2026-04-30"),
        ("2025-08-31", 6, "2026-02-28"),  # six months, across the year
    ],
)
def test_month_end_arithmetic(start, months, expected):
    deadline = due(start, months, MONTHS)
    assert deadline.nominal == deadline.due == D(expected)  # all working days


# --- Suspensions and extensions -----------------------------------------------------------------------------


def test_suspension_spanning_a_holiday_counts_calendar_days():
    deadline = due("2026-01-05", 45, suspensions=[(D("2026-02-10"), D("2026-02-25"))])
    assert deadline.nominal == D("2026-02-19")  # inside the break, but the suspension moves it on
    assert deadline.due == D("2026-03-06")  # + 15 calendar days, holidays included; a Friday
    assert "rollover" not in codes(deadline)


def test_several_suspensions_add_up():
    deadline = due(
        "2026-03-01", 45, suspensions=[(D("2026-03-20"), D("2026-03-25")), (D("2026-03-10"), D("2026-03-12"))]
    )
    assert deadline.due == D("2026-04-22")  # 04-15 + 2 + 5
    assert [s.params["start"] for s in deadline.steps if s.code == "suspension"] == [D("2026-03-10"), D("2026-03-20")]


def test_extension_after_a_suspension_runs_from_the_nominal_expiry_then_rolls():
    deadline = due("2026-08-01", 45, suspensions=[(D("2026-08-10"), D("2026-08-15"))], extension_days=11)
    assert deadline.nominal == D("2026-09-15")
    assert deadline.due == D("2026-10-08")  # 09-15 + 5 + 11 = 10-01, National Day
    assert codes(deadline) == ["trigger", "period", "nominal", "suspension", "extension", "rollover"]
    assert deadline.steps[-1].params["reason"] == "国庆节"


def test_extension_lands_on_a_weekend_and_rolls():
    deadline = due("2026-03-01", 45, suspensions=[(D("2026-03-10"), D("2026-04-09"))], extension_days=15)
    assert deadline.due == D("2026-06-01")  # 05-15 + 15 = Saturday 05-30


def test_an_open_suspension_leaves_the_deadline_open():
    deadline = due("2026-03-01", 45, suspensions=[(D("2026-03-10"), D("2026-03-12")), (D("2026-04-01"), None)])
    assert deadline.due is None
    assert deadline.suspended_since == D("2026-04-01")
    assert deadline.nominal == D("2026-04-15")
    assert codes(deadline)[-2:] == ["suspension", "suspended"]


def test_a_suspension_cannot_end_before_it_begins():
    with pytest.raises(ValueError):
        due("2026-03-01", 45, suspensions=[(D("2026-03-10"), D("2026-03-09"))])


# --- Working days, reverse, same day ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("friday", "calendar", "expected"),
    [
        ("2025-09-26", CAL, "2025-09-30"),  # Sun 09-28 is a make-up working day, then 09-29, 09-30
        ("2025-09-26", CAL_NO_MAKEUP, "2025-10-09"),  # 09-29, 09-30, then after the 10-01…10-08 break
        ("2026-02-13", CAL, "2026-02-25"),  # Sat 02-14 (make-up), then 02-24, 02-25
        ("2026-02-13", CAL_NO_MAKEUP, "2026-02-26"),
    ],
)
def test_working_days_from_a_friday_before_a_holiday(friday, calendar, expected):
    deadline = due(friday, 3, WORKING_DAYS, calendar=calendar)
    assert deadline.nominal == deadline.due == D(expected)


def test_reverse_deadline_is_not_rolled():
    deadline = due("2026-03-16", 5, REVERSE)  # hearing on a Monday
    assert deadline.due == deadline.nominal == D("2026-03-11")  # the Wednesday before
    assert due("2026-03-19", 5, REVERSE).due == D("2026-03-14")  # a Saturday: served earlier, never later
    assert due("2026-02-25", 5, REVERSE).due == D("2026-02-20")  # inside the Spring Festival break
    assert codes(deadline) == ["period", "nominal"]
    assert deadline.steps[0].params == {"count": 5, "date": D("2026-03-16")}


def test_reverse_deadline_takes_no_suspension():
    with pytest.raises(ValueError):
        due("2026-03-16", 5, REVERSE, extension_days=3)


def test_zero_day_period_is_due_the_day_received_even_on_a_holiday():
    assert due("2026-03-03", 0).due == D("2026-03-03")
    deadline = due("2026-02-16", 0)
    assert deadline.due == D("2026-02-16")
    assert codes(deadline)[-1] == "same_day"


# --- Years without calendar data ----------------------------------------------------------------------------


def test_a_year_without_calendar_data_is_provisional_with_statutory_holidays_and_weekends():
    new_year = due("2026-12-27", 5)  # 2027-01-01, a Friday: 元旦 is statutory (rule 5), so rolled to Monday
    assert new_year.due == D("2027-01-04") and new_year.provisional
    assert new_year.steps[-1].code == "provisional" and new_year.steps[-1].params == {"year": 2027}
    assert (
        explain(new_year.steps[-1], str) == "No calendar data for 2027: statutory holidays and weekends only "
        "(provisional)"
    )
    saturday = due("2027-03-01", 5)
    assert saturday.due == D("2027-03-08") and saturday.provisional
    assert due("2025-12-20", 45).provisional is False
    assert due("2026-12-20", 45).provisional is True  # crosses into 2027
    assert not CAL.has_year(2027) and CAL.has_year(2026)


def test_entries_outside_the_covered_years_are_ignored():
    calendar = WorkCalendar({D("2027-01-04"): DayInfo("holiday", "测试")}, years=YEARS)
    assert calendar.is_working_day(D("2027-01-04"))  # 2027 is provisional: statutory holidays only
    assert WorkCalendar.from_days({D("2027-01-01"): DayInfo("holiday", "元旦")}).rest_reason(D("2027-01-01")) == "元旦"


# --- The data file ------------------------------------------------------------------------------------------


def test_bundled_days_name_the_2025_spring_festival():
    days = bundled_days()
    day = D("2025-01-28")
    while day <= D("2025-02-04"):
        assert days[day] == DayInfo("holiday", "春节")
        day += timedelta(days=1)
    assert days[D("2025-01-26")] == DayInfo("workday", "春节调休")
    assert days[D("2025-10-06")] == DayInfo("holiday", "中秋节")
    assert {day.year for day in days} == YEARS
    assert all(day.weekday() >= 5 for day, info in days.items() if info.kind == "workday")


@pytest.mark.parametrize(
    ("lines", "line", "fragment"),
    [
        (["day,kind,name"], None, None),
        (["date,kind,name", "2026-01-01,holiday,元旦"], 1, "header"),
        (["day,kind,name", "2026-01-01,holiday,元旦", "2026-02-30,holiday,春节"], 3, "YYYY-MM-DD"),
        (["day,kind,name", "", "20260101,holiday,元旦"], 3, "YYYY-MM-DD"),
        (["day,kind,name", "2026-01-01,rest,元旦"], 2, "holiday or workday"),
        (["day,kind,name", "2026-01-01,holiday"], 2, "three fields"),
        (["day,kind,name", "2026-01-01,holiday, "], 2, "name"),
        (["day,kind,name", "2026-01-01,holiday,元旦", "2026-01-01,holiday,元旦"], 3, "twice"),
        (["day,kind,name", "2026-01-05,workday,元旦调休"], 2, "weekday"),
    ],
)
def test_load_csv_rejects_a_bad_line_with_its_number(lines, line, fragment):
    if line is None:
        assert load_csv(lines) == {}
        return
    with pytest.raises(DomainError) as error:
        load_csv(lines)
    assert error.value.params["line"] == line
    assert fragment in error.value.message
    assert f"Line {line}:" in str(error.value)


def test_load_csv_reads_uploaded_bytes_with_a_bom_and_quoted_names(tmp_path):
    lines = ["\ufeffday,kind,name\r\n".encode(), '2026-02-14,workday,"春节调休"\r\n'.encode()]
    assert load_csv(lines) == {D("2026-02-14"): DayInfo("workday", "春节调休")}
    path = tmp_path / "days.csv"
    path.write_text("day,kind,name\n2026-01-01,holiday,元旦\n", encoding="utf-8")
    assert load_csv(path) == load_csv(str(path)) == {D("2026-01-01"): DayInfo("holiday", "元旦")}
    with pytest.raises(DomainError):
        load_csv([])
