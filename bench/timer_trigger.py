"""The statistics' UPDATE trigger on sla_timers, before (migration 0016: transition tables joined on id) and after
(migration 0020: their difference), beside a bare UPDATE with the triggers off (issue 18). PostgreSQL only.

One UPDATE of `--rows` running timers (their due dates moved a day, a watched column: every row is logged), timed
in a fresh session and in a session that first ran six one-row updates (PL/pgSQL keeps the trigger's plan per
session, made for the first transition tables it saw). Each run installs the body it measures inside its own
transaction and rolls everything back, so the database is left as it was. Also checks that both bodies log the
same rows.

    .venv/bin/python bench/timer_trigger.py --database-url postgresql://postgres@127.0.0.1:5432/h18q_bench
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
# The migration that made it linear (revision 0020; its file number follows the merge order).
MIGRATION = next((ROOT / "migrations" / "versions").glob("*_linear_statistics_triggers.py"))


def _migration():
    spec = importlib.util.spec_from_file_location("linear_triggers", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(engine, body: str | None, rows: int, warm: bool) -> tuple[float, set]:
    """Seconds for the big UPDATE, and what it logged; `body` None: the triggers off (the bare UPDATE)."""
    with engine.connect() as conn:
        tx = conn.begin()
        if body is None:
            conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        else:
            conn.execute(
                sa.text(
                    "CREATE OR REPLACE FUNCTION metric_changes_sla_timers_update() RETURNS trigger "
                    f"LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$"
                )
            )
        ids = list(
            conn.scalars(
                sa.text("SELECT id FROM sla_timers WHERE status = 'running' ORDER BY id LIMIT :n"), {"n": rows + 6}
            )
        )
        if warm:
            for timer_id in ids[:6]:
                conn.execute(sa.text("UPDATE sla_timers SET due_on = due_on + 1 WHERE id = :id"), {"id": timer_id})
        last = conn.scalar(sa.text("SELECT coalesce(max(id), 0) FROM metric_changes"))
        started = time.perf_counter()
        conn.execute(sa.text("UPDATE sla_timers SET due_on = due_on + 1 WHERE id = ANY(:ids)"), {"ids": ids[6:]})
        seconds = time.perf_counter() - started
        logged = {
            tuple(r)
            for r in conn.execute(
                sa.text("SELECT case_id, unit_id, day FROM metric_changes WHERE id > :last"), {"last": last}
            )
        }
        tx.rollback()
    return seconds, logged


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    engine = sa.create_engine(args.database_url)
    migration = _migration()
    bodies = {
        "bare (triggers off)": None,
        "0016: joined": migration.joined_body("sla_timers"),
        "0020: difference": migration.linear_body("sla_timers"),
    }
    with engine.connect() as conn:
        print(
            f"{conn.scalar(sa.text('SELECT count(*) FROM sla_timers')):,} timers; UPDATE of {args.rows:,} rows, "
            f"median of {args.runs}"
        )
    print(f"{'trigger body':<22} {'fresh session s':>16} {'after 6 one-row updates s':>26}")
    logs = {}
    for name, body in bodies.items():
        figures = []
        for warm in (False, True):
            times = []
            for _ in range(args.runs if not (warm and body and "joined" in name) else 1):
                seconds, logged = run(engine, body, args.rows, warm)
                times.append(seconds)
            figures.append(statistics.median(times))
            if body is not None:
                logs.setdefault(name, logged)
        print(f"{name:<22} {figures[0]:16.3f} {figures[1]:26.3f}", flush=True)
    same = len({frozenset(v) for v in logs.values()}) == 1
    print(f"both bodies log the same {len(next(iter(logs.values()))):,} rows: {same}")


if __name__ == "__main__":
    main()
