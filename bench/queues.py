"""Issue 18's bounded pages, measured in-process: "My work", the hearing calendar's busiest week (by room and by
arbitrator), the deadline board, per user; median server time, statements per request, the bare 50-row page
(bench/bare_app.py) before and after as the run's yardstick. On a `generate.py` database, filled once by
`queue_fill.py`.

    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE h18q_bench'
    .venv/bin/python bench/generate.py --cases 100000 --reset --database-url postgresql://…/h18q_bench
    .venv/bin/python bench/queues.py --database-url postgresql://…/h18q_bench --extra-timers 100000

`--baseline bench/baseline.json` fails (exit status 1) when a page is more than 50 % slower than its entry
("<user> / <page>") after scaling by the bare page; `--write-baseline` merges this run's entries into the file
(bench/baseline.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

USERS = ("bench-supervisor", "bench-clerk", "med-bjm-1", "arb-lga-01")  # as case_pages.py's SCOPED_USERS
BARE = "queues.py / bare 50-row page"  # this script's bare page in the baseline (bench/baseline.py)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--extra-timers", type=int, default=100_000, help="running timers added by the fill")
    parser.add_argument("--requests", type=int, default=7)
    parser.add_argument("--users", default=",".join(USERS))
    parser.add_argument("--pages", help="comma-separated page names (default: all), e.g. 'my work,deadline board'")
    parser.add_argument(
        "--explain",
        type=int,
        default=0,
        metavar="N",
        help="print EXPLAIN (ANALYZE, BUFFERS) of each page's N slowest statements (as the last request sent them, "
        "each in its own transaction, JIT as the server has it)",
    )
    parser.add_argument(
        "--unit-scope",
        action="store_true",
        help="replace the reading scope by the cases of the user's units (a stand-in for the "
        "indexable scope of issue 18 part 1), to see these pages' own cost",
    )
    parser.add_argument("--baseline", type=Path, help="fail when a page's median grows by more than --tolerance")
    parser.add_argument("--tolerance", type=float, default=0.5)
    parser.add_argument("--write-baseline", type=Path, help="merge the medians of this run into this baseline")
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url

    import baseline
    import sqlalchemy as sa
    from case_pages import SqlRecorder, bare_in_process, login_test_client
    from queue_fill import fill

    from disputes import clock, create_app, policy
    from disputes.extensions import db, upgrade

    if args.unit_scope:
        from disputes.models import Case
        from disputes.organisation import subtree

        policy.case_scope = lambda user: Case.unit_id.in_(subtree(user.unit))

    app = create_app("development")
    app.config["WTF_CSRF_ENABLED"] = True
    with app.app_context():
        upgrade()
        today = clock.today_local()
        with db.engine.begin() as conn:
            started = time.perf_counter()
            fill(conn, today, args.extra_timers)
            print(f"rows ready in {time.perf_counter() - started:.1f} s", flush=True)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if conn.scalar(sa.text("SHOW autovacuum")) == "off":
                # The statistics' change log is a queue (rows added by every write, deleted by the fold): with the
                # bench server's autovacuum off its dead rows pile up (8 million after a backfill) and the pages'
                # "anything to fold?" probe reads them all (65-82 ms). Production vacuums it; so does the bench.
                conn.execute(sa.text("VACUUM (ANALYZE) metric_changes"))
                print("autovacuum is off: VACUUM (ANALYZE) metric_changes", flush=True)
        with db.engine.connect() as conn:
            tables = ("cases", "arbitrations", "hearings", "sla_timers")
            counts = {table: conn.scalar(sa.text(f"SELECT count(*) FROM {table}")) for table in tables}
            for table, count in counts.items():
                print(f"  {table:<14} {count:>10,}")
            busiest = conn.scalar(
                sa.text(
                    "SELECT date_trunc('week', starts_at AT TIME ZONE 'Asia/Shanghai')::date FROM hearings "
                    "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
                )
            )
            in_week = conn.scalar(
                sa.text(
                    "SELECT count(*) FROM hearings WHERE starts_at >= (CAST(:monday AS date)::timestamp AT TIME ZONE "
                    "'Asia/Shanghai') AND starts_at < ((CAST(:monday AS date) + 7)::timestamp AT TIME ZONE "
                    "'Asia/Shanghai')"
                ),
                {"monday": busiest},
            )
            print(f"  busiest hearing week {busiest}: {in_week:,} hearings")
        sql = SqlRecorder(db.engine)
    pages = {
        "my work": ["/work"],
        "calendar by room": [f"/arbitration/calendar?week={busiest}"],
        "calendar by arbitrator": [f"/arbitration/calendar?week={busiest}&by=arbitrator"],
        "deadline board": ["/deadlines?view=all"],
    }
    if args.pages:
        pages = {name: paths for name, paths in pages.items() if name in args.pages.split(",")}
    measured = {BARE: bare_in_process(50)}
    print(f"\nbare 50-row page, in-process (the run's yardstick): {measured[BARE]:.2f} ms; load {load_average()}")
    print(f"\n{'user':<18} {'page':<24} {'median ms':>9} {'max ms':>8} {'SQL ms':>7} {'queries':>7} {'KiB':>5}")
    for username in args.users.split(","):
        client = app.test_client()
        login_test_client(client, username)
        for name, paths in pages.items():
            client.get(paths[0])  # warm-up
            times, sql_times, queries, size = [], [], [], 0
            for _ in range(args.requests):
                sql.reset()
                started = time.perf_counter()
                response = client.get(paths[0])
                times.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise SystemExit(f"{paths[0]}: HTTP {response.status_code}")
                sql_times.append(sql.seconds)
                queries.append(len(sql.statements))
                size = len(response.data)
            measured[f"{username} / {name}"] = round(statistics.median(times) * 1000, 1)
            print(
                f"{username:<18} {name:<24} {statistics.median(times) * 1000:9.1f} {max(times) * 1000:8.1f} "
                f"{statistics.median(sql_times) * 1000:7.1f} {statistics.median(queries):7.0f} {size / 1024:5.0f}",
                flush=True,
            )
            if args.explain:
                with app.app_context():
                    explain_slowest(db.engine, sql.statements, args.explain)
    again = bare_in_process(50)
    print(f"\nbare 50-row page, in-process, again: {again:.2f} ms (the yardstick: their mean); load {load_average()}")
    measured[BARE] = round((measured[BARE] + again) / 2, 2)
    if args.write_baseline:
        database = "PostgreSQL" if "postgresql" in args.database_url else "SQLite"
        baseline.write(args.write_baseline, measured, cases=counts["cases"], database=database, script="queues.py")
    if args.baseline:
        baseline.fail(baseline.check(args.baseline, measured, args.tolerance, counts["cases"], BARE), args.tolerance)


def explain_slowest(engine, statements: list, count: int) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the `count` slowest SELECTs, with the parameters the page sent."""
    selects = [entry for entry in statements if entry[0].lstrip().upper().startswith(("SELECT", "WITH"))]
    for statement, parameters, elapsed in sorted(selects, key=lambda entry: -entry[2])[:count]:
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            plan = "\n".join(f"      {row[0]}" for row in cursor.fetchall())
            raw.rollback()
        finally:
            raw.close()
        print(f"    {elapsed * 1000:.1f} ms: {' '.join(statement.split())[:300]}\n{plan}", flush=True)


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
