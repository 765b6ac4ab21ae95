"""Benchmark of the official tables 人社统MA1/MA2 (issue 17) on a generated PostgreSQL database.

    .venv/bin/python bench/tables.py --database-url postgresql://postgres@127.0.0.1:5432/bench_tables --cases 100000

Generates the cases when the database has none (`generate.py`), fills the track tables (`metrics_fill.py`), sets
claim outcomes and recovered amounts on part of the claims, then for the district and a year measures, median of
--runs each: the bare COUNT over the same rows (the track's rows the form reads: accepted by the period's end and
not ended before its start, in the unit's subtree — the yardstick) beside `tables.compute` of each form, and the
check that a few cells equal their drill-down lists. Prints the sizes and the figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from metrics import has_cases, timed

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/bench_tables"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_TABLES_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--unit", default="LG")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cases", type=int, default=100_000, help="generated first when the database has none")
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
    from disputes.metrics import tables
    from disputes.metrics.scope import Period, unit_scope

    app = create_app("development")
    with app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            if not conn.scalar(sa.text("SELECT EXISTS (SELECT 1 FROM arbitrations)")):
                started = time.perf_counter()
                fill(conn, clock.today_local())
                print(f"track rows ready in {time.perf_counter() - started:.1f} s", flush=True)
            # Claim items as the operations would have left them, spread by id.
            conn.execute(
                sa.text(
                    "UPDATE claims SET outcome = (ARRAY['supported','partly_supported','rejected','mediated',"
                    "'withdrawn'])[1 + id % 5], resolved_amount = amount, recovered_amount = amount / 2 "
                    "WHERE outcome IS NULL AND case_id IN "
                    "(SELECT case_id FROM arbitrations WHERE closed_on IS NOT NULL)"
                )
            )
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM (ANALYZE) arbitrations, mediations, claims, cases, units"))
        session = db.session
        unit = organisation.unit_by_code(session, args.unit)
        scope = unit_scope(session, unit)
        period = Period(date(args.year, 1, 1), date(args.year, 12, 31))
        cases = session.scalar(sa.select(sa.func.count()).select_from(sa.table("cases")))
        print(f"{cases:,} cases; unit {args.unit} ({len(scope.unit_ids)} units); year {args.year}; runs {args.runs}")
        for form in (tables.MA1, tables.MA2):
            track = tables.TRACKS[form.source]
            bare_stmt = (
                sa.select(sa.func.count())
                .select_from(track.model)
                .join(tables.Case, tables.Case.id == track.model.case_id)
                .where(*tables._base(track, period, scope))
            )
            bare_ms, rows = timed(lambda stmt=bare_stmt: session.scalar(stmt), args.runs)
            table_ms, table = timed(lambda form=form: tables.compute(session, form, scope, period), args.runs)
            cells = len(form.rows) * len(form.columns)
            print(
                f"{form.code}: bare COUNT {bare_ms:8.1f} ms over {rows:,} rows | table {table_ms:8.1f} ms "
                f"({cells} cells, {table_ms / max(bare_ms, 0.001):.1f}× the bare count)",
                flush=True,
            )
            for row_key in ("accepted", "closed", "pending_end"):
                listed = tables.cell_rows(session, form, row_key, tables.TOTAL, scope, period)
                assert tables.cell_total(session, listed) == table.value(row_key), row_key
            print("   " + ", ".join(f"{r.key}={table.value(r.key)}" for r in form.rows[:3] + form.rows[-4:]))
        session.rollback()


if __name__ == "__main__":
    main()
