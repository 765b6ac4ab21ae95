"""The background recomputation's set-based path (issue 18): computing each distinct (start, period, extension,
warning) once and writing rows gives every timer exactly what the per-timer `timers.recompute` and the breach rule
give, whatever the timers, their adjustments and the order they come in (the cache is shared across them)."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from disputes.models.sla import SlaAdjustment, SlaRule, SlaTimer
from disputes.sla import timers
from disputes.sla.calendar import WorkCalendar, bundled_days
from disputes.sla.recompute_job import WRITTEN, TimerRow, recomputed
from disputes.sla.states import AdjustmentKind, PeriodUnit, TimerStatus

CAL = WorkCalendar(bundled_days(), {2024, 2025, 2026})
TODAY = date(2026, 3, 1)
STARTS = [date(2025, 12, 20) + timedelta(days=n) for n in range(0, 90, 30)]  # few: timers share their start

adjustment = st.tuples(
    st.sampled_from([AdjustmentKind.SUSPENSION, AdjustmentKind.PUBLIC_NOTICE, AdjustmentKind.EXTENSION]),
    st.integers(0, 40),  # days after the start
    st.one_of(st.none(), st.integers(0, 30)),  # length, or still open
    st.integers(0, 2),  # months (an extension)
)
timer = st.fixed_dictionaries(
    {
        "start": st.sampled_from(STARTS),
        "period": st.sampled_from([10, 45]),
        "unit": st.sampled_from([PeriodUnit.DAYS, PeriodUnit.WORKING_DAYS, PeriodUnit.MONTHS, PeriodUnit.REVERSE]),
        "extension_days": st.sampled_from([0, 0, 15]),
        "warning_days": st.sampled_from([1, 3]),
        "status": st.sampled_from([TimerStatus.RUNNING, TimerStatus.BREACHED, TimerStatus.PAUSED]),
        "adjustments": st.lists(adjustment, max_size=3),
    }
)


def _orm(n: int, spec: dict) -> SlaTimer:
    unit = spec["unit"]
    reverse = unit == PeriodUnit.REVERSE
    result = SlaTimer(
        id=n,
        case_id=n // 3,
        rule_id="rule",
        rule=SlaRule(warning_days=spec["warning_days"]),
        status=spec["status"],
        started_on=spec["start"],
        period=spec["period"],
        unit=unit,
        extension_days=0 if reverse else spec["extension_days"],
        nominal_on=date(2000, 1, 1),
        due_on=None,
        provisional=False,
        paused_days=0,
        warn_on=None,
    )
    for kind, offset, length, months in [] if reverse else spec["adjustments"]:
        since = spec["start"] + timedelta(days=offset)
        if kind == AdjustmentKind.EXTENSION:
            result.adjustments.append(SlaAdjustment(kind=kind, start_on=since, months=months))
        else:
            until = since + timedelta(days=length) if length is not None else None
            result.adjustments.append(SlaAdjustment(kind=kind, start_on=since, end_on=until))
    return result


@settings(max_examples=150, deadline=None)
@given(st.lists(timer, min_size=1, max_size=20))
def test_the_set_based_recomputation_equals_the_per_timer_one(specs):
    cache: dict = {}
    for n, spec in enumerate(specs, start=1):
        orm = _orm(n, spec)
        row = TimerRow(
            id=n,
            case_id=orm.case_id,
            rule_id="rule",
            status=orm.status,
            started_on=orm.started_on,
            period=orm.period,
            unit=orm.unit,
            extension_days=orm.extension_days,
            warning_days=spec["warning_days"],
            nominal_on=orm.nominal_on,
            due_on=orm.due_on,
            provisional=orm.provisional,
            paused_days=orm.paused_days,
            warn_on=orm.warn_on,
        )
        pauses = [(a.kind, a.start_on, a.end_on, a.months) for a in orm.adjustments]
        new = recomputed(row, pauses, CAL, TODAY, cache)
        timers.recompute(orm, CAL)
        if orm.status == TimerStatus.BREACHED and orm.due_on and orm.due_on >= TODAY:
            orm.status = TimerStatus.RUNNING
        assert new == {c: getattr(orm, c) for c in WRITTEN}
