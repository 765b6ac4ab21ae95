"""The limitation warning at intake comes from the `limitation.claim` rule: its current period on the stored
calendar, the last day rolled over rest days; a warning, never a block."""

from datetime import date

import pytest

from disputes.models import CalendarDay, Role
from disputes.sla import rules
from disputes.sla.calendar_store import forget
from disputes.sla.limitation import limitation_ended, limitation_ends
from disputes.sla.states import DayKind
from disputes.workflow import intake
from tests.conftest import intake_input
from tests.pages import t, text
from tests.web.test_intake_web import intake_data, intake_form

WARNING = (
    "The dispute became known on %(known)s and the limitation period ended on %(ended)s: "
    "the claim may be time-barred (Law Art 27)."
)


def warnings(db, org, **overrides):
    return [
        (w.code, w.params)
        for w in intake.intake_warnings(db.session, intake_input(org.centre, **overrides))
        if w.code == "limitation"
    ]


@pytest.mark.parametrize(
    ("known", "ends"),
    [
        (date(2025, 11, 20), date(2026, 11, 20)),  # a Friday
        (date(2025, 10, 1), date(2026, 10, 8)),  # 2026-10-01…07 National Day: the first working day after
        (date(2025, 2, 14), date(2026, 2, 14)),  # a make-up Saturday: it ends the period (MAKEUP_WORKDAY_ENDS_PERIOD)
        (date(2024, 2, 29), date(2025, 2, 28)),  # a year from 29 February ends on 28 February
        (date(2025, 3, 1), date(2026, 3, 2)),  # 2026-03-01 is a Sunday
    ],
)
def test_the_last_day_rolls_over_rest_days(db, known, ends):
    assert limitation_ends(known, db.session) == ends
    assert limitation_ends(known) == ends  # without a session: the rule as shipped, the bundled calendar


def test_inside_the_rolled_period_no_warning_after_it_a_warning_naming_the_day(db, org):
    known = date(2025, 10, 1)
    assert warnings(db, org, dispute_known_on=known, registered_on=date(2026, 10, 8)) == []
    assert warnings(db, org, dispute_known_on=known, registered_on=date(2026, 10, 9)) == [
        ("limitation", {"known": "2025-10-01", "ended": "2026-10-08"})
    ]
    flags = intake.derive_flags(
        intake_input(org.centre, dispute_known_on=known, registered_on=date(2026, 10, 5)), session=db.session
    )
    assert flags["limitation_warning"] is False  # more than a year, yet inside the period (a holiday)
    assert limitation_ended(None, date(2026, 11, 20), db.session) is None


def test_the_rules_current_version_and_the_stored_calendar_are_used(db, org):
    known = date(2025, 11, 19)
    assert limitation_ended(known, date(2026, 11, 20), db.session) == date(2026, 11, 19)
    db.session.add(CalendarDay(day=date(2026, 11, 19), kind=DayKind.HOLIDAY, name="测试"))
    db.session.flush()
    forget(db.session)  # the session's cached calendar predates the new day
    assert limitation_ended(known, date(2026, 11, 20), db.session) is None  # rolled to Friday 11-20
    rules.edit_rule(db.session, org.user(Role.ADMIN), "limitation.claim", period=6)
    assert limitation_ends(known, db.session) == date(2026, 5, 19)
    rules.edit_rule(db.session, org.user(Role.ADMIN), "limitation.claim", active=False)
    assert limitation_ends(known, db.session) is None and warnings(db, org, dispute_known_on=known) == []


def test_a_case_registered_late_is_flagged_and_its_timer_agrees(db, org, make_case):
    case = make_case(dispute_known_on=date(2025, 10, 1), registered_on=date(2026, 10, 9))
    timer = next(t for t in case.timers if t.rule_id == "limitation.claim")
    assert case.limitation_warning is True
    assert timer.due_on == limitation_ends(date(2025, 10, 1), db.session) == date(2026, 10, 8)
    inside = make_case(dispute_known_on=date(2025, 10, 1), registered_on=date(2026, 10, 8))
    assert inside.limitation_warning is False


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_intake_review_shows_the_day_the_period_ended(app, db, org, login, locale):
    org.user(Role.CLERK).locale = locale
    db.session.commit()
    client = login(org.user(Role.CLERK))
    review = client.post(
        "/cases/new", data=intake_data(org.centre, dispute_known_on="2025-10-01", registered_on="2026-10-09")
    )
    assert t(app, WARNING, locale, known="2025-10-01", ended="2026-10-08") in text(intake_form(review))
    review = client.post(
        "/cases/new", data=intake_data(org.centre, dispute_known_on="2025-10-01", registered_on="2026-10-08")
    )
    assert review.status_code == 200
    assert "2026-10-08" not in text(intake_form(review))  # no warning: registered on the period's last day
