"""An arbitration commission's most hearings an arbitrator sits in a day (issue 18): scheduling beyond it is refused,
naming the arbitrator, the day and the count; another day, or no limit, is accepted."""

from datetime import timedelta

import pytest

from disputes import clock
from disputes.i18n import DomainError
from disputes.models import Role
from disputes.workflow import hearings
from disputes.workflow.states import ArbitrationState
from tests.drive import Driver, at_local


def _schedule(db, org, case, day, hour):
    starts = at_local(day, hour)
    return hearings.schedule_hearing(
        db.session,
        case,
        org.user(Role.CLERK),
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        online_link="https://meeting.example.cn/" + str(case.id),
    )


def _cases(db, org, make_case, count):
    cases = []
    for _ in range(count):
        case = make_case()
        Driver(db.session, org, case).arbitration(ArbitrationState.TRIBUNAL_FORMED)
        cases.append(case)
    return cases


def test_scheduling_beyond_the_daily_limit_is_refused_naming_the_day_and_count(db, org, make_case):
    org.arbitration.hearings_per_arbitrator_day = 2
    first, second, third = _cases(db, org, make_case, 3)
    day = clock.today_local() + timedelta(days=10)
    _schedule(db, org, first, day, 9)
    _schedule(db, org, second, day, 11)
    with pytest.raises(DomainError) as refused:
        _schedule(db, org, third, day, 14)
    assert refused.value.field == "starts_at"
    assert refused.value.params["count"] == 2 and refused.value.params["day"] == day.isoformat()
    assert refused.value.params["name"] == org.user(Role.ARBITRATOR).display_name
    assert _schedule(db, org, third, day + timedelta(days=1), 14).id  # another day has room


def test_without_a_limit_any_number_is_scheduled(db, org, make_case):
    assert org.arbitration.hearings_per_arbitrator_day is None
    day = clock.today_local() + timedelta(days=10)
    for hour, case in zip((9, 11, 14), _cases(db, org, make_case, 3), strict=True):
        assert _schedule(db, org, case, day, hour).id
