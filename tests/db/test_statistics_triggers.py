"""The statistics' UPDATE trigger on sla_timers (migrations 0010, 0016, 0020): what it logs, and that its work grows
linearly with the rows one statement changes, also in a session that has run small updates before (issue 18). The
work is counted (plan rows, virtual-machine steps), not timed, so a busy machine cannot make it fail."""

import importlib.util
import json
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from disputes.models.sla import SlaRule, SlaTimer

TIMERS = SlaTimer.__table__
# auto_explain (PostgreSQL's contrib module, loaded for one session): every statement's plan with its row counts,
# nested ones (the trigger's) too, sent to the client as a notice; no timing.
AUTO_EXPLAIN = {
    "log_min_duration": "0",
    "log_analyze": "on",
    "log_timing": "off",
    "log_nested_statements": "on",
    "log_format": "json",
    "log_level": "notice",
}


def _migration_0020():
    """Migration 0020 (linear statistics triggers), whose `joined_body` is the former, quadratic one."""
    path = next((Path(__file__).parents[2] / "migrations" / "versions").glob("*_linear_statistics_triggers.py"))
    spec = importlib.util.spec_from_file_location("linear_triggers", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def _plan_rows(node: dict) -> float:
    """Rows every node of a plan handled: what it returned and what its filters dropped, over all its loops."""
    loops = node.get("Actual Loops", 1)
    handled = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
    handled += node.get("Rows Removed by Join Filter", 0)
    return handled * loops + sum(_plan_rows(child) for child in node.get("Plans", ()))


def _work(db, ids: list[int], body: str | None = None) -> float:
    """The work of one UPDATE of `ids` with its triggers, in a session that ran six one-row updates first, as a
    number that does not depend on the machine's load: on PostgreSQL the rows every plan node of the trigger's
    statements handled (auto_explain, ANALYZE without timing, sent back as notices); on SQLite the
    virtual machine's steps (a progress handler every 100 instructions). `body`: a trigger body to put in place
    of the current one for this measurement (PostgreSQL). Everything is rolled back."""
    engine = sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool)  # a fresh session, discarded after
    try:
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            postgres = engine.dialect.name == "postgresql"
            with conn.begin() as transaction:
                if body is not None:
                    conn.execute(
                        sa.text(
                            "CREATE OR REPLACE FUNCTION metric_changes_sla_timers_update() RETURNS trigger "
                            f"LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$"
                        )
                    )
                for timer_id in ids[:6]:  # PL/pgSQL plans the trigger's statement now, for one-row tables
                    conn.execute(TIMERS.update().where(TIMERS.c.id == timer_id).values(due_on=date(2027, 1, 3)))
                update = TIMERS.update().where(TIMERS.c.id.in_(ids[6:])).values(due_on=date(2027, 1, 4))
                if postgres:
                    plans: list[dict] = []
                    raw.add_notice_handler(
                        lambda notice: plans.append(json.loads(notice.message_primary.split("plan:", 1)[1]))
                    )
                    conn.execute(sa.text("LOAD 'auto_explain'"))
                    for setting, value in AUTO_EXPLAIN.items():
                        conn.execute(sa.text(f"SET LOCAL auto_explain.{setting} = {value}"))
                    conn.execute(update)
                    conn.execute(sa.text("SET LOCAL auto_explain.log_min_duration = -1"))
                    trigger = [plan for plan in plans if not plan["Query Text"].lstrip().startswith("UPDATE")]
                    assert trigger, plans  # the trigger's statements (the UPDATE's own plan is not its work)
                    work = sum(_plan_rows(plan["Plan"]) for plan in trigger)
                else:
                    steps = [0]

                    def step() -> int:
                        steps[0] += 1
                        return 0

                    raw.set_progress_handler(step, 100)
                    conn.execute(update)
                    raw.set_progress_handler(None, 100)
                    work = steps[0]
                transaction.rollback()
            return work
    finally:
        engine.dispose()


def _growth(db, make_case, body: str | None = None) -> tuple[float, float, float]:
    """The work of updating 400 timers, 800 timers, and the same 800 again once the table holds 4,000 more."""
    ids = _timers(db, make_case(), 6 + 800)
    once, twice = _work(db, ids[: 6 + 400], body), _work(db, ids, body)
    _timers(db, make_case(), 4000)
    return once, twice, _work(db, ids, body)


def test_a_large_update_after_small_ones_costs_in_proportion_to_its_rows(db, make_case):
    """PostgreSQL keeps the trigger's plan for the session: made for one-row updates, migration 0016's body compared
    every new row with every old one (quadratic) until migration 0020. Twice the rows must be about twice the
    work, and the work must not grow with the rows the statement leaves alone — counted, not timed
    (bench/timer_trigger.py times it)."""
    once, twice, bigger_table = _growth(db, make_case)
    assert once > 0
    assert twice < 2.3 * once, (once, twice)
    assert bigger_table < 1.2 * twice, (twice, bigger_table)


# Two bodies the measure must reject: migration 0016's (the transition tables joined on id, which a session's
# one-row plan turns into a nested loop) and one that looks at the whole table for every changed row.
SCANNING = (
    "INSERT INTO metric_changes (case_id, unit_id, day) SELECT r.case_id, NULL, NULL FROM new_rows r "
    "WHERE (SELECT count(*) FROM sla_timers t WHERE t.unit_id = r.unit_id) > 0;"
)


def test_the_work_count_sees_a_trigger_that_compares_every_row_with_every_other(db, make_case):
    """SQLite's triggers are row-level and have no such body: PostgreSQL only."""
    if db.engine.dialect.name != "postgresql":
        return
    _once, twice, bigger_table = _growth(db, make_case, SCANNING)  # 806 timers, then 4,806
    assert bigger_table > 3 * twice, (twice, bigger_table)
    once, twice, _bigger = _growth(db, make_case, _migration_0020().joined_body("sla_timers"))
    assert twice > 3.5 * once, (once, twice)
