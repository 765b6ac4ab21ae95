"""`flask sla due` and `flask calendar show`: every worked example of deadlines.md through the command line,
with the rules' current versions and the stored calendar."""

import json
from datetime import date

import pytest

from disputes.models import Role
from disputes.models.sla import CalendarDay
from disputes.sla import rules, settings
from disputes.sla.states import DayKind


def flask(runner, *args, code=0):
    result = runner.invoke(args=list(args))
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}\n{result.exception!r}"
    return result


def due(runner, *args) -> dict:
    return json.loads(flask(runner, "sla", "due", *args, "--json").output)


@pytest.mark.parametrize(
    ("args", "nominal", "deadline"),
    [
        (("--rule", "arbitration.award", "--from", "2026-09-01"), "2026-10-16", "2026-10-16"),  # plain
        (
            ("--rule", "arbitration.serve_respondent", "--from", "2026-02-10"),
            "2026-02-15",
            "2026-02-24",
        ),  # Spring Festival
        (("--rule", "arbitration.award", "--from", "2025-12-20"), "2026-02-03", "2026-02-03"),  # crosses the year
        (
            ("--rule", "arbitration.award", "--from", "2026-03-01", "--suspend", "2026-03-10:2026-04-09"),
            "2026-04-15",
            "2026-05-15",
        ),  # nominal 04-15 plus 30 suspended days
    ],
)
def test_worked_examples(runner, args, nominal, deadline):
    result = due(runner, *args)
    assert (result["nominal"], result["due"], result["provisional"]) == (nominal, deadline, False)
    # arbitration.award ships as version 2 (the Rules Art 46 restarts, migration 0011); the others as version 1.
    assert result["rule"] == args[1] and result["version"] == (2 if args[1] == "arbitration.award" else 1)


def test_the_month_example_with_a_one_month_rule(db, org, runner, monkeypatch):
    """deadlines.md: 2026-01-31 + 1 month → 2026-02-28, a make-up Saturday: no roll-over (setting false: 03-02).
    No shipped rule has one month, so an edited rule gives it, which also shows the current version is used."""
    rules.edit_rule(db.session, org.user(Role.ADMIN), "litigation.second_instance", period=1)
    db.session.commit()
    result = due(runner, "--rule", "litigation.second_instance", "--from", "2026-01-31")
    assert (result["version"], result["period"], result["unit"]) == (2, 1, "months")
    assert (result["nominal"], result["due"]) == ("2026-02-28", "2026-02-28")
    monkeypatch.setattr(settings, "MAKEUP_WORKDAY_ENDS_PERIOD", False)
    assert due(runner, "--rule", "litigation.second_instance", "--from", "2026-01-31")["due"] == "2026-03-02"


def test_month_end_through_a_variant(runner):
    result = due(runner, "--rule", "litigation.first_instance", "--from", "2025-12-31", "--variant", "small_claims")
    assert (result["period"], result["unit"], result["due"]) == (2, "months", "2026-02-28")
    flask(runner, "sla", "due", "--rule", "litigation.first_instance", "--from", "2025-12-31", "--variant", "x", code=2)


def test_steps_say_how_the_date_was_reached(runner):
    result = due(runner, "--rule", "arbitration.serve_respondent", "--from", "2026-02-10")
    assert result["steps"] == [
        {"code": "trigger", "text": "Triggered on 2026-02-10", "params": {"date": "2026-02-10"}},
        {"code": "period", "text": "5 days", "params": {"count": 5}},
        {"code": "nominal", "text": "Nominal deadline 2026-02-15", "params": {"date": "2026-02-15"}},
        {
            "code": "rollover",
            "text": "2026-02-15 is 春节: moved to 2026-02-24",
            "params": {"date": "2026-02-15", "reason": "春节", "next": "2026-02-24"},
        },
    ]
    text = flask(runner, "sla", "due", "--rule", "arbitration.serve_respondent", "--from", "2026-02-10").output
    assert text.splitlines() == [
        "arbitration.serve_respondent (version 1): Serve the application on the respondent",
        "  Triggered on 2026-02-10",
        "  5 days",
        "  Nominal deadline 2026-02-15",
        "  2026-02-15 is 春节: moved to 2026-02-24",
        "Due: 2026-02-24",
    ]


def test_several_suspensions_and_an_extension_after_them(runner):
    result = due(
        runner,
        "--rule",
        "arbitration.award",
        "--from",
        "2026-03-01",
        "--suspend",
        "2026-03-10:2026-03-20",
        "--suspend",
        "2026-04-01:2026-04-21",
        "--extend",
        "15",
    )
    # 04-15 + 10 + 20 suspended days = 05-15, + 15 extension days = 05-30, a Saturday → Monday 06-01.
    assert (result["nominal"], result["due"]) == ("2026-04-15", "2026-06-01")
    assert [s["code"] for s in result["steps"]] == [
        "trigger",
        "period",
        "nominal",
        "suspension",
        "suspension",
        "extension",
        "rollover",
    ]
    assert result["steps"][-1]["params"]["reason"] == "weekend"
    assert result["steps"][-1]["text"] == "2026-05-30 is weekend: moved to 2026-06-01"


def test_a_suspension_that_has_not_ended_leaves_the_deadline_open(runner):
    result = due(runner, "--rule", "arbitration.award", "--from", "2026-03-01", "--suspend", "2026-03-10:")
    assert (result["due"], result["suspended_since"], result["steps"][-1]["code"]) == (None, "2026-03-10", "suspended")
    text = flask(
        runner, "sla", "due", "--rule", "arbitration.award", "--from", "2026-03-01", "--suspend", "2026-03-10:"
    )
    assert text.output.splitlines()[-1] == "Due: open, suspended since 2026-03-10"


def test_an_extension_over_the_cap_is_refused(runner):
    result = flask(
        runner, "sla", "due", "--rule", "arbitration.award", "--from", "2026-09-01", "--extend", "16", code=2
    )
    assert "16 days refused: arbitration.award allows an extension of at most 15 days in total" in result.output
    assert due(runner, "--rule", "arbitration.award", "--from", "2026-09-01", "--extend", "15")["due"] == "2026-11-02"
    result = flask(
        runner, "sla", "due", "--rule", "arbitration.accept", "--from", "2026-09-01", "--extend", "1", code=2
    )
    assert "at most 0 days" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("--rule", "no.such.rule", "--from", "2026-09-01"),
        ("--rule", "arbitration.award", "--from", "2026-13-01"),
        ("--rule", "arbitration.award", "--from", "2026-03-01", "--suspend", "2026-03-10"),
        ("--rule", "arbitration.award", "--from", "2026-03-01", "--suspend", "2026-04-10:2026-03-10"),
        ("--rule", "arbitration.award", "--from", "2026-03-01", "--suspend", "soon:"),
        ("--rule", "arbitration.accept", "--from", "2026-03-01", "--suspend", "2026-03-02:2026-03-03"),  # not pausable
        ("--rule", "arbitration.award", "--from", "2026-03-01", "--extend", "-1"),
    ],
)
def test_bad_input_is_refused_with_a_usage_error(runner, args):
    flask(runner, "sla", "due", *args, code=2)


def test_a_year_without_calendar_data_is_provisional(runner):
    result = due(runner, "--rule", "arbitration.award", "--from", "2027-03-01")
    assert (result["due"], result["provisional"]) == ("2027-04-15", True)
    assert result["steps"][-1] == {
        "code": "provisional",
        "text": "No calendar data for 2027: statutory holidays and weekends only (provisional)",
        "params": {"year": 2027},
    }
    text = flask(runner, "sla", "due", "--rule", "arbitration.award", "--from", "2027-03-01").output
    assert text.splitlines()[-1] == "Due: 2027-04-15 (provisional)"


def test_the_stored_calendar_is_used(db, runner):
    db.session.add(CalendarDay(day=date(2026, 10, 16), kind=DayKind.HOLIDAY, name="测试"))
    db.session.commit()
    assert due(runner, "--rule", "arbitration.award", "--from", "2026-09-01")["due"] == "2026-10-19"


def test_reverse_rule(runner):
    result = due(runner, "--rule", "arbitration.hearing_notice", "--from", "2026-10-09")
    assert (result["nominal"], result["due"], result["provisional"]) == ("2026-10-04", "2026-10-04", False)


# --- flask calendar show ------------------------------------------------------------------------


def test_calendar_show_lists_rest_and_make_up_days(runner):
    lines = flask(runner, "calendar", "show", "2026").output.splitlines()
    assert lines[0].startswith("2026: official calendar on record (")
    assert "2026-02-15  Sun  holiday  春节" in lines
    assert "2026-02-28  Sat  workday  春节调休" in lines
    assert lines[-1] == "33 official rest day(s), 6 make-up working day(s)."
    assert len(lines) == 1 + 39 + 1


def test_calendar_show_a_year_without_data(db, runner):
    output = flask(runner, "calendar", "show", "2027").output
    assert output.splitlines()[0] == (
        "No calendar data for 2027: deadlines that fall in it are provisional, with the "
        "statutory holidays below, weekends as rest days and no make-up working days."
    )
    db.session.add(CalendarDay(day=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦"))
    db.session.commit()
    lines = flask(runner, "calendar", "show", "2027").output.splitlines()
    assert lines[0].startswith("2027: not on record") and lines[1] == "2027-01-01  Fri  holiday  元旦"
    assert lines[2] == "Statutory holidays used meanwhile:"
    flask(runner, "calendar", "show", "abc", code=2)


def test_the_make_up_day_setting_reaches_the_domain():
    from disputes import create_app
    from disputes.sla import settings

    try:
        create_app("testing", MAKEUP_WORKDAY_ENDS_PERIOD=False)
        assert settings.MAKEUP_WORKDAY_ENDS_PERIOD is False
    finally:
        create_app("testing")
    assert settings.MAKEUP_WORKDAY_ENDS_PERIOD is True
