"""The statistics' UPDATE trigger on sla_timers (migrations 0010, 0016, 0020): what it logs, and that its cost grows
linearly with the rows one statement changes, also in a session that has run small updates before (issue 18)."""

import time
from datetime import date

import sqlalchemy as sa

from disputes.models.sla import SlaRule, SlaTimer

TIMERS = SlaTimer.__table__


def _timers(db, case, count: int, **values) -> list[int]:
    rule = db.session.scalar(sa.select(SlaRule).where(SlaRule.rule_id == "arbitration.award").limit(1))
    rows = [
        {
            "case_id": case.id,
            "rule_pk": rule.id,
            "rule_id": rule.rule_id,
            "unit_id": case.unit_id,
            "status": "running",
            "started_on": date(2026, 11, 2),
            "period": 45,
            "unit": "days",
            "nominal_on": date(2026, 12, 17),
            "due_on": date(2026, 12, 17),
            "provisional": False,
            "paused_days": 0,
            "extension_days": 0,
            "warn_on": date(2026, 12, 14),
            **values,
        }
        for _ in range(count)
    ]
    with db.engine.begin() as conn:
        first = conn.scalar(sa.select(sa.func.coalesce(sa.func.max(TIMERS.c.id), 0)))
        conn.execute(TIMERS.insert(), rows)
        return list(conn.scalars(sa.select(TIMERS.c.id).where(TIMERS.c.id > first).order_by(TIMERS.c.id)))


def _logged(conn, last: int) -> set[tuple]:
    rows = conn.execute(
        sa.text("SELECT DISTINCT case_id, unit_id, day FROM metric_changes WHERE id > :last"), {"last": last}
    )
    return {(case, unit, str(day) if day is not None else None) for case, unit, day in rows}


def test_the_timers_trigger_logs_watched_changes_only(db, make_case):
    one, two, three = (make_case() for _ in range(3))
    (moved,) = _timers(db, one, 1)
    (warned,) = _timers(db, two, 1)
    (breached,) = _timers(db, three, 1, status="breached", breached_on=date(2026, 11, 10))
    with db.engine.begin() as conn:
        last = conn.scalar(sa.text("SELECT coalesce(max(id), 0) FROM metric_changes"))
        conn.execute(TIMERS.update().where(TIMERS.c.id == moved).values(due_on=date(2026, 12, 18)))
        conn.execute(TIMERS.update().where(TIMERS.c.id == warned).values(warned_at=sa.func.current_timestamp()))
        conn.execute(TIMERS.update().where(TIMERS.c.id == breached).values(status="running", breached_on=None))
        # The case of each changed timer, and the cells the old row was counted in (its breach); the warning, a
        # column no figure reads, logs nothing.
        assert _logged(conn, last) == {
            (one.id, None, None),
            (three.id, None, None),
            (None, three.unit_id, "2026-11-10"),
        }
        last = conn.scalar(sa.text("SELECT coalesce(max(id), 0) FROM metric_changes"))
        conn.execute(TIMERS.update().where(TIMERS.c.id.in_([moved, warned])).values(due_on=date(2026, 12, 21)))
        assert _logged(conn, last) == {(one.id, None, None), (two.id, None, None)}


def test_a_large_update_after_small_ones_costs_in_proportion_to_its_rows(db, make_case):
    """PostgreSQL keeps the trigger's plan for the session: made for one-row updates, it compared every new row
    with every old one (quadratic) until migration 0020. 8 times the rows must cost about 8 times as much."""
    case = make_case()
    ids = _timers(db, case, 3600)
    small, large = ids[:400], ids[400:]

    def timed(rows) -> float:
        with db.engine.connect() as conn:
            with conn.begin():
                for timer_id in rows[:6]:  # a few small updates first, as a long-lived session has done
                    conn.execute(TIMERS.update().where(TIMERS.c.id == timer_id).values(due_on=TIMERS.c.due_on))
            with conn.begin():
                started = time.perf_counter()
                conn.execute(TIMERS.update().where(TIMERS.c.id.in_(rows)).values(due_on=date(2027, 1, 4)))
                return time.perf_counter() - started

    timed(small)  # warm the caches
    # The best of three of each: another process on the machine (a parallel test worker) only ever adds time, and
    # quadratic cost would be 64 times for 8 times the rows, far above the bound, on any run.
    assert min(timed(large) for _ in range(3)) < 20 * min(timed(small) for _ in range(3)) + 0.05
