"""Benchmark of the statistics (issue 6) on the million-case database of `generate.py`.

    make bench-metrics     # BENCH_METRICS_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/bench_metrics

Migrates the database (`flask db upgrade`), fills the track tables from the cases once (`metrics_fill.py`) and
folds the statistics' change log (the first time: every cell of metric_cells, timed). Then for the district and a
year it measures, median of --runs each: the bare aggregate SQL over the same rows (one plain COUNT per track
table over the rows the figures read — the yardstick), `compute()` (the live count), the figures from the cells
(what `flask metrics --json` reads), the whole `flask metrics --json` command as a process, the dashboard's domain
part (`dashboard.build`) live and from the cells, the dashboard page `/reports` through the Flask test client
signed in as bench-supervisor, and a fold after one arbitration closes; and prints the figures. The dashboard from
the cells is checked against the live one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/bench_metrics"


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(1000 * (time.perf_counter() - started))
    return statistics.median(times), result


def has_cases(url: str) -> bool:
    import sqlalchemy as sa

    from config import _database_url

    engine = sa.create_engine(_database_url(url))
    try:
        with engine.connect() as conn:
            return bool(
                conn.scalar(sa.text("SELECT to_regclass('cases') IS NOT NULL"))
                and conn.scalar(sa.text("SELECT EXISTS (SELECT 1 FROM cases)"))
            )
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def bare_sql(session, unit_ids, period, both: bool) -> int:
    """The yardstick: one COUNT per track table over exactly the rows the figures read (their base clauses), for
    the period alone (what `flask metrics` reads) or with the previous one (what the dashboard's totals read)."""
    import sqlalchemy as sa

    from disputes.metrics.scope import Scope
    from disputes.metrics.sources import SOURCES

    scope = Scope(unit_ids=unit_ids)
    previous = period.previous() if both else period
    total = 0
    for source in SOURCES.values():
        total += session.scalar(
            sa.select(sa.func.count())
            .select_from(source.model)
            .where(source.base(previous.start, period.end), *source.scope_clauses(scope))
        )
    return total


def close_one_and_fold(session, period):
    """An open arbitration of the period closes (its closing date moves back and forth between runs), then the
    fold redoes its cells: what the next dashboard view pays after a write."""
    import sqlalchemy as sa

    from disputes.metrics.summary import fold

    row = session.execute(
        sa.text(
            "SELECT id, closed_on FROM arbitrations WHERE accepted_on BETWEEN :start AND :end "
            "AND closed_on > accepted_on + 2 ORDER BY id LIMIT 1"
        ),
        {"start": period.start, "end": period.end},
    ).one()
    moved = row.closed_on + timedelta(days=1 if row.closed_on.day % 2 else -1)
    session.execute(sa.text("UPDATE arbitrations SET closed_on = :day WHERE id = :id"), {"day": moved, "id": row.id})
    session.commit()
    done = fold.fold(session)
    session.commit()
    return done


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_METRICS_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--unit", default="LG")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cases", type=int, default=1_000_000, help="generated first when the database has none")
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    if not has_cases(args.database_url):
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "generate.py"), "--cases", str(args.cases), "--reset"],
            check=True,
            env={**os.environ, "DATABASE_URL": args.database_url},
        )

    import sqlalchemy as sa
    from metrics_fill import fill

    from disputes import clock, create_app, organisation
    from disputes.extensions import db, upgrade
    from disputes.metrics import dashboard, output, summary
    from disputes.metrics.compute import compute
    from disputes.metrics.scope import preset, unit_scope
    from disputes.metrics.summary import fold

    app = create_app("development")
    app.config["WTF_CSRF_ENABLED"] = True
    with app.app_context():
        upgrade()
        today = clock.today_local()
        with db.engine.begin() as conn:
            started = time.perf_counter()
            fill(conn, today)
            print(f"track rows ready in {time.perf_counter() - started:.1f} s", flush=True)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(
                sa.text(
                    "VACUUM (ANALYZE) arbitrations, mediations, awards, suspensions, lawsuits, "
                    "legal_aid_applications, sla_timers"
                )
            )
        session = db.session
        started = time.perf_counter()
        folded = fold.fold(session)
        session.commit()
        print(
            f"statistics' cells: {folded.changes:,} log rows folded ({'every cell' if folded.rebuilt else folded.cells}"
            f") in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM (ANALYZE) metric_days, metric_months, metric_changes"))
        sizes = {
            t: session.scalar(sa.text(f"SELECT count(*) FROM {t}"))
            for t in (
                "cases",
                "arbitrations",
                "mediations",
                "awards",
                "lawsuits",
                "legal_aid_applications",
                "sla_timers",
            )
        }
        print("rows:", ", ".join(f"{t} {n:,}" for t, n in sizes.items()))
        unit = organisation.unit_by_code(session, args.unit)
        scope = unit_scope(session, unit)
        period = preset("year", date(args.year, 6, 1))
        print(
            f"scope {unit.code} ({len(scope.unit_ids)} units), period {period.start} – {period.end}, "
            f"previous {period.previous().start} – {period.previous().end}, as of {today}; median of {args.runs}"
        )

        def fresh(fn):
            def run():
                try:
                    return fn()
                finally:
                    session.rollback()

            return run

        bare_ms, rows = timed(fresh(lambda: bare_sql(session, scope.unit_ids, period, False)), args.runs)
        bare2_ms, rows2 = timed(fresh(lambda: bare_sql(session, scope.unit_ids, period, True)), args.runs)
        compute_ms, values = timed(fresh(lambda: compute(session, scope, period, today)), args.runs)
        cells_ms, from_cells = timed(fresh(lambda: summary.figures(session, scope, period, today)), args.runs)
        assert from_cells == values, "the cells' figures differ from the live ones"
        build_ms, live_dash = timed(fresh(lambda: dashboard.build(session, scope, period, today)), args.runs)
        assert summary.current(session, scope, [period, period.previous()], today)
        cells_build_ms, cells_dash = timed(
            fresh(lambda: dashboard.build(session, scope, period, today, cells=True)), args.runs
        )
        for name in ("current", "before", "by_unit", "by_person", "by_category", "trend", "breaches_by_rule"):
            assert getattr(cells_dash, name) == getattr(live_dash, name), name
        from case_pages import SqlRecorder

        recorder = SqlRecorder(db.engine)
        fresh(lambda: dashboard.build(session, scope, period, today, cells=True))()
        statements = [(1000 * elapsed, " ".join(sql.split())[:90]) for sql, _p, elapsed in recorder.statements]
        sa.event.remove(db.engine, "before_cursor_execute", recorder._before)
        sa.event.remove(db.engine, "after_cursor_execute", recorder._after)

        client = app.test_client()
        from case_pages import login_test_client

        login_test_client(client, "bench-supervisor")
        path = f"/reports?unit={unit.id}&preset=year&on={args.year}-06-01"
        page_ms, response = timed(lambda: client.get(path), args.runs)
        assert response.status_code == 200, response.status_code
        fold_ms, folded_one = timed(lambda: close_one_and_fold(session, period), args.runs)
        cli = [
            str(ROOT / ".venv" / "bin" / "flask"),
            "--app",
            "wsgi",
            "metrics",
            "--from",
            str(period.start),
            "--to",
            str(period.end),
            "--unit",
            unit.code,
            "--json",
        ]
        cli_ms, done = timed(
            lambda: subprocess.run(cli, cwd=ROOT, capture_output=True, text=True, check=True), args.runs
        )
        startup_ms, _ = timed(
            lambda: subprocess.run(
                [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "metrics", "--help"],
                cwd=ROOT,
                capture_output=True,
                check=True,
            ),
            args.runs,
        )

    print(f"\n{'':<52}{'ms':>9}{'× bare':>9}")
    for name, ms, base in (
        ("bare SQL: COUNT per table, the year", bare_ms, bare_ms),
        ("compute(): every figure, live", compute_ms, bare_ms),
        ("summary.figures(): every figure from the cells", cells_ms, bare_ms),
        ("flask metrics --json (process, wall clock)", cli_ms, bare_ms),
        ("flask metrics --help (process start-up only)", startup_ms, bare_ms),
        ("bare SQL: COUNT per table, year + previous", bare2_ms, bare2_ms),
        ("dashboard.build() live: figures ×2, breakdowns, trend", build_ms, bare2_ms),
        ("dashboard.build() from the cells", cells_build_ms, bare2_ms),
        ("GET /reports (whole page, in-process)", page_ms, bare2_ms),
        (f"fold after one closure ({folded_one.cells} cells)", fold_ms, bare2_ms),
    ):
        print(f"{name:<52}{ms:>9.1f}{ms / base:>9.1f}")
    print(
        f"\nrows counted by the bare SQL: {rows:,} (the year), {rows2:,} (with the previous); "
        f"page size {len(response.data):,} bytes"
    )
    print("\nthe dashboard's statements, ms:")
    for ms, sql in statements:
        print(f"  {ms:8.1f}  {sql}")
    print("\nfigures:")
    for line in output.text_lines(values):
        print("  " + line)
    assert json.loads(done.stdout) == output.as_json(values)


if __name__ == "__main__":
    main()
