#!/usr/bin/env python
"""The deadline scan and the deadline board's counts on a million open timers (PostgreSQL).

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_sla .venv/bin/python bench/sla_scan.py

Creates the database if it does not exist and migrates it (`flask db upgrade`). When `sla_timers` holds
fewer open timers than `--timers` (or with `--reset`) it loads, with COPY: a small organisation, minimal
cases (4 timers each) and the timers — open ones spread over units, responsible people (30 % nobody),
the current rule versions and due dates, plus `--closed` met/cancelled ones. "Nothing to send": every
running timer inside its warning window is already warned, every overdue task timer already breached
(days late up to date), no running period past its date. Otherwise it migrates to head; with autovacuum off it
VACUUMs `sla_timers` first (see `tidy`).
Then, each run `--runs` times (median):
  - `scan()` with nothing to send (goal < 2 s);
  - the board's counts: `disputes.sla.board.counts` for a reader who sees every case, the district's and the
    centre's supervisors, and the same four WHERE clauses as bare COUNTs on `sla_timers` alone (goal < 100 ms);
  - the board's "by person" counts (`board.counts_by_person`) for the two supervisors;
  - `SELECT count(*) FROM sla_timers WHERE status IN ('running', 'paused', 'breached')`, the yardstick;
  - `scan()` with 10,000 warnings to send (`warned_at` cleared on 10,000 due-soon timers before each run).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa
from sqlalchemy.orm import Session

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/bench_sla"
TIMERS_PER_CASE = 4
OPEN = "status IN ('running', 'paused', 'breached')"
TIMER_COLS = (
    "id",
    "case_id",
    "rule_pk",
    "rule_id",
    "unit_id",
    "responsible_id",
    "status",
    "started_on",
    "period",
    "unit",
    "nominal_on",
    "due_on",
    "provisional",
    "paused_since",
    "paused_days",
    "extension_days",
    "warn_on",
    "warned_at",
    "completed_on",
    "completed_by",
    "breached_on",
    "days_late",
    "created_at",
)


def create_database(url: str) -> None:
    target = sa.engine.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}):
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def migrate(url: str, reset: bool) -> None:
    """Migrate to head (`flask db upgrade`), from an empty schema with `reset`."""
    from disputes import create_app
    from disputes.extensions import db, upgrade

    app = create_app("development", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        if reset:
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()


def generate(conn, n_open: int, n_closed: int, today, now, seed: int) -> None:
    """Load units, users, cases and timers with COPY (foreign-key triggers off: the rows are consistent)."""
    rng = random.Random(seed)
    t0 = time.perf_counter()
    conn.execute("SET session_replication_role = replica")
    conn.execute("SET maintenance_work_mem = '256MB'")
    units = [
        (1, "LG", "龙岗区", "district", None, "/1/"),
        (2, "LGC", "龙岗区调援裁诉中心", "centre", 1, "/1/2/"),
        (3, "LGM", "调解委员会", "mediation_committee", 2, "/1/2/3/"),
        (4, "LGA", "仲裁委员会", "arbitration_commission", 2, "/1/2/4/"),
        (5, "LGL", "法律援助中心", "legal_aid_centre", 2, "/1/2/5/"),
    ]
    units += [(5 + i, f"S{i}", f"街道{i}", "street", 1, f"/1/{5 + i}/") for i in range(1, 9)]
    units += [
        (13 + i, f"S{i}M", f"街道{i}调委会", "mediation_committee", 5 + i, f"/1/{5 + i}/{13 + i}/") for i in range(1, 9)
    ]
    copy(conn, "units", ("id", "code", "name", "kind", "parent_id", "path", "active"), [(*u, True) for u in units])
    working = [3, 4, 5, *range(14, 22)]
    users = [(1, "bench-supervisor", 1, "supervisor"), (2, "centre-supervisor", 2, "supervisor")]
    users += [(2 + i, f"staff{i}", working[i % len(working)], "arbitrator") for i in range(1, 61)]
    copy(
        conn,
        "users",
        (
            "id",
            "username",
            "display_name",
            "password_hash",
            "unit_id",
            "locale",
            "active",
            "failed_logins",
            "created_at",
        ),
        [(i, n, n, "x", u, "zh_CN", True, 0, now) for i, n, u, _ in users],
    )
    copy(conn, "user_roles", ("user_id", "role"), [(i, r) for i, _n, _u, r in users])
    staff = [u for u in users if u[3] != "supervisor"]
    rules = conn.execute(
        "SELECT DISTINCT ON (rule_id) id, rule_id, kind, warning_days, period, unit FROM sla_rules "
        "ORDER BY rule_id, version DESC"
    ).fetchall()
    total = n_open + n_closed
    n_cases = -(-total // TIMERS_PER_CASE)
    copy(
        conn,
        "cases",
        (
            "id",
            "registry_no",
            "unit_id",
            "registered_on",
            "cause",
            "facts",
            "stage",
            "status",
            "worker_count",
            "migrant_wage",
            "work_injury",
            "green_channel",
            "collective",
            "limitation_warning",
            "version_id",
            "created_at",
        ),
        (
            (
                c,
                f"BENCH〔{c:07d}〕号",
                working[c % len(working)],
                today - timedelta(days=c % 700),
                "拖欠工资",
                "",
                "arbitration",
                "open",
                1,
                False,
                False,
                False,
                False,
                False,
                1,
                now,
            )
            for c in range(1, n_cases + 1)
        ),
    )
    print(f"  organisation and {n_cases:,} cases in {time.perf_counter() - t0:.1f} s")
    t1 = time.perf_counter()
    copy(
        conn,
        "sla_timers",
        TIMER_COLS,
        (timer(rng, i, n_open, rules, staff, working, today, now) for i in range(1, total + 1)),
    )
    for table in ("units", "users", "cases", "sla_timers"):
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    conn.execute("SET session_replication_role = origin")
    conn.commit()
    print(f"  {total:,} timers ({n_open:,} open) in {time.perf_counter() - t1:.1f} s")


def timer(rng, i, n_open, rules, staff, working, today, now) -> tuple:
    pk, rule_id, kind, warning, period, unit = rules[rng.randrange(len(rules))]
    case_id = (i - 1) // TIMERS_PER_CASE + 1
    responsible = None if rng.random() < 0.3 else staff[rng.randrange(len(staff))]
    unit_id = responsible[2] if responsible else working[case_id % len(working)]
    status, paused_since, warned_at, completed_on, completed_by, breached_on, days_late = (
        "running",
        None,
        None,
        None,
        None,
        None,
        None,
    )
    r = rng.random()
    if i > n_open:  # closed long ago
        due = today - timedelta(days=rng.randint(10, 900))
        status = "cancelled" if r < 0.1 else "met"
        completed_on, completed_by = due - timedelta(days=rng.randint(0, 5)), "bench"
        warn_on = due - timedelta(days=warning)
    elif r < 0.04 and kind == "task":  # overdue, breach recorded (days late up to date)
        due = today - timedelta(days=rng.randint(1, 60))
        status, breached_on, days_late = "breached", due + timedelta(days=1), (today - due).days
        warn_on, warned_at = due - timedelta(days=warning), now - timedelta(days=(today - due).days + 1)
    elif r < 0.08:  # suspended: no deadline while it lasts
        due = warn_on = None
        status, paused_since = "paused", today - timedelta(days=rng.randint(1, 60))
    else:
        due = today + timedelta(days=int(rng.expovariate(1 / 40)))
        warn_on = due - timedelta(days=warning)
        warned_at = now - timedelta(hours=rng.randint(1, 72)) if warn_on <= today else None
    started = (due or paused_since) - timedelta(days=45)
    return (
        i,
        case_id,
        pk,
        rule_id,
        unit_id,
        responsible[0] if responsible else None,
        status,
        started,
        period,
        unit,
        due or started + timedelta(days=45),
        due,
        False,
        paused_since,
        0,
        0,
        warn_on,
        warned_at,
        completed_on,
        completed_by,
        breached_on,
        days_late,
        now,
    )


def copy(conn, table: str, cols: tuple, rows) -> None:
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as out:
        for row in rows:
            out.write_row(row)


SCOPES = {"bench-supervisor": "district", "centre-supervisor": "centre"}


def tidy(url: str) -> None:
    """VACUUM (ANALYZE) sla_timers when autovacuum is off (as on the bench server): what autovacuum does after
    1 % of the table changed (migration 0005), e.g. after the last run's warnings, keeping index-only scans so."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        if conn.execute("SHOW autovacuum").fetchone()[0] == "on":
            return
        t0 = time.perf_counter()
        conn.execute("VACUUM (ANALYZE) sla_timers")
        print(f"autovacuum is off: VACUUM (ANALYZE) sla_timers in {time.perf_counter() - t0:.1f} s")


def timed(runs: int, work, before=None) -> tuple[float, object]:
    """Median wall time in ms of `runs` calls of work() (before() runs untimed first); and the last result."""
    times, result = [], None
    for _ in range(runs):
        if before:
            before()
        t0 = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--timers", type=int, default=1_000_000, help="open timers")
    parser.add_argument("--closed", type=int, default=500_000, help="met and cancelled timers besides")
    parser.add_argument("--warnings", type=int, default=10_000, help="warnings to send in the last measurement")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reset", action="store_true", help="empty the database and load again")
    parser.add_argument("--seed", type=int, default=20261121)
    args = parser.parse_args(argv)

    import psycopg

    from config import _database_url
    from disputes import clock
    from disputes.sla import board
    from disputes.sla.scan import scan

    url = _database_url(args.database_url)
    create_database(url)
    engine = sa.create_engine(url)
    today, now = clock.today_local(), datetime.now(UTC)
    with engine.connect() as conn:
        loaded = conn.scalar(sa.text("SELECT to_regclass('sla_timers') IS NOT NULL")) and conn.scalar(
            sa.text(f"SELECT count(*) FROM sla_timers WHERE {OPEN}")
        )
    if args.reset or not loaded or loaded < args.timers:
        print(f"loading {args.timers:,} open timers into {engine.url.render_as_string()} …")
        migrate(url, reset=True)
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
            generate(conn, args.timers, args.closed, today, now, args.seed)
            conn.autocommit = True
            t0 = time.perf_counter()
            conn.execute("VACUUM (ANALYZE)")
            print(f"  VACUUM (ANALYZE) in {time.perf_counter() - t0:.1f} s")
        today, now = clock.today_local(), datetime.now(UTC)
    else:
        migrate(url, reset=False)  # to head, e.g. the board's covering indexes (0005) on an older load
    tidy(url)

    with engine.connect() as conn:
        size = conn.scalar(sa.text("SELECT pg_size_pretty(pg_total_relation_size('sla_timers'))"))
        counts = dict(conn.execute(sa.text("SELECT status, count(*) FROM sla_timers GROUP BY status")).all())
    print(f"\nsla_timers ({size}): " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())) + f"; today {today}")

    session = Session(engine)
    bare_sql = sa.text(f"SELECT count(*) FROM sla_timers WHERE {OPEN}")
    bare, n = timed(args.runs, lambda: session.scalar(bare_sql))
    session.commit()
    idle, result = timed(args.runs, lambda: scan(session, today, now))
    assert (result.breached, result.warned, result.closed) == (0, 0, 0), result
    everyone = board.BoardFilter()
    with_join, groups = timed(args.runs, lambda: board.counts(session, sa.true(), everyone, today))
    readers, by_person = {}, {}
    for username in ("bench-supervisor", "centre-supervisor"):  # the district's and the centre's, as the page asks
        from disputes import policy
        from disputes.models import User

        user = session.scalar(sa.select(User).where(User.username == username))
        scope = policy.deadline_scope_parts(user, session)
        readers[username] = timed(args.runs, lambda s=scope: board.counts(session, s, everyone, today))[0]
        by_person[username], people = timed(
            args.runs, lambda s=scope: board.counts_by_person(session, s, everyone, today)
        )
    limits = board.bounds(session)
    clauses = {key: board.group_clause(key, today, limits) for key in board.GROUPS}
    from disputes.models.sla import SlaTimer

    bare_groups = {
        key: timed(args.runs, lambda c=c: session.scalar(sa.select(sa.func.count()).select_from(SlaTimer).where(c)))[0]
        for key, c in clauses.items()
    }
    session.commit()

    def unwarn():
        session.execute(sa.text("DELETE FROM notifications"))
        session.execute(
            sa.text(
                "UPDATE sla_timers SET warned_at = NULL WHERE id IN (SELECT id FROM sla_timers WHERE status = "
                "'running' "
                "AND warn_on <= :today AND due_on >= :today ORDER BY id LIMIT :n)"
            ),
            {"today": today, "n": args.warnings},
        )
        session.commit()

    busy, sent = timed(args.runs, lambda: scan(session, today, now), before=unwarn)
    session.close()

    print(f"\nmedian of {args.runs} runs, ms (ratio to the bare count)")
    print(f"  bare count of open timers ({n:,})            {bare:8.1f}")
    print(f"  scan, nothing to send                        {idle:8.1f}  ({idle / bare:.2f}×)   goal < 2000")
    print(f"  board counts, scope everything               {with_join:8.1f}  ({with_join / bare:.2f}×)   goal < 100")
    for username, ms in readers.items():
        label = f"board counts, scope {SCOPES[username]} ({username})"
        print(f"  {label:<45}{ms:8.1f}  ({ms / bare:.2f}×)   goal < 100")
    print(f"    {groups}")
    for username, ms in by_person.items():
        label = f"by-person counts, scope {SCOPES[username]}"
        print(f"  {label:<45}{ms:8.1f}  ({ms / bare:.2f}×)")
    print(f"    {len(people)} lines, first {people[0] if people else None}")
    total = sum(bare_groups.values())
    print(
        f"  board counts, four bare COUNTs on sla_timers  {total:8.1f}  ({total / bare:.2f}×)   "
        + ", ".join(f"{k} {v:.1f}" for k, v in bare_groups.items())
    )
    print(f"  scan, {sent.warned:,} warnings → {sent.notifications:,} notifications  {busy:8.1f}  ({busy / bare:.2f}×)")


if __name__ == "__main__":
    main()
