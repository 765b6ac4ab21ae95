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
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) of each table's statement")
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
        from disputes.metrics import drill, facts
        from disputes.metrics.summary import fold
        from disputes.models import Case, StatisticalFact

        session = db.session
        if fold.pending(session, 0):  # the fill's log (and the everything-row of a fresh database)
            started = time.perf_counter()
            folded = fold.fold(session)
            session.commit()
            print(f"fold of {folded.changes:,} log rows: {time.perf_counter() - started:.1f} s", flush=True)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(
                sa.text(
                    "VACUUM (ANALYZE) arbitrations, mediations, claims, cases, units, statistical_facts, metric_changes"
                )
            )
        unit = organisation.unit_by_code(session, args.unit)
        scope = unit_scope(session, unit)
        period = Period(date(args.year, 1, 1), date(args.year, 12, 31))
        cases = session.scalar(sa.select(sa.func.count()).select_from(sa.table("cases")))
        stored = session.scalar(sa.select(sa.func.count()).select_from(StatisticalFact))
        print(
            f"{cases:,} cases, {stored:,} facts rows; unit {args.unit} ({len(scope.unit_ids)} units); "
            f"year {args.year}; runs {args.runs}"
        )
        for form in (tables.MA1, tables.MA2):
            track = tables.TRACKS[form.source]
            bare_stmt = (  # the yardstick: the rows any cell may count, straight from the track table
                sa.select(sa.func.count())
                .select_from(track.model)
                .join(Case, Case.id == track.model.case_id)
                .where(
                    track.accepted_on.is_not(None),
                    track.accepted_on <= period.end,
                    sa.or_(track.ended_on.is_(None), track.ended_on >= period.start),
                    track.model.unit_id.in_(scope.unit_ids),
                )
            )
            f = StatisticalFact
            facts_stmt = sa.select(sa.func.count()).where(
                f.source == form.source,
                f.accepted_on <= period.end,
                f.until >= period.start,
                f.unit_id.in_(scope.unit_ids),
            )
            bare_ms, rows = timed(lambda stmt=bare_stmt: session.scalar(stmt), args.runs)
            facts_ms, fact_rows = timed(lambda stmt=facts_stmt: session.scalar(stmt), args.runs)
            assert fact_rows == rows, (fact_rows, rows)
            table_ms, table = timed(lambda form=form: tables.compute(session, form, scope, period), args.runs)
            live_ms, live = timed(lambda form=form: tables.compute(session, form, scope, period, live=True), 1)
            assert live.values == table.values
            cells = len(form.rows) * len(form.columns)
            print(
                f"{form.code}: bare COUNT {bare_ms:8.1f} ms over {rows:,} track rows | COUNT of the facts rows "
                f"{facts_ms:8.1f} ms | table {table_ms:8.1f} ms ({cells} cells, {table_ms / max(bare_ms, 0.001):.1f}× "
                f"the bare count) | the same table read live {live_ms:8.1f} ms",
                flush=True,
            )
            for row_key in ("accepted", "closed", "pending_end"):
                listed = tables.cell_rows(session, form, row_key, tables.TOTAL, scope, period)
                list_ms, _first = timed(lambda listed=listed: drill.page(session, listed, 1, 50), args.runs)
                total_ms, total = timed(lambda listed=listed: tables.cell_total(session, listed), args.runs)
                assert total == table.value(row_key), row_key
                print(f"   list {row_key}: first page {list_ms:6.1f} ms, its total {total_ms:6.1f} ms ({total:,})")
            print("   " + ", ".join(f"{r.key}={table.value(r.key)}" for r in form.rows[:3] + form.rows[-4:]))
            if args.explain:
                print(_explain(session, tables, form, scope, period), flush=True)
        # What the fold adds per change: the facts of 1,000 logged cases read again.
        some = sa.select(Case.id).order_by(Case.id.desc()).limit(1000)
        refresh_ms, _ = timed(lambda: facts.refresh(session, some), args.runs)
        print(f"facts of 1,000 cases read again (the fold's share): {refresh_ms:.1f} ms")
        session.rollback()


def _explain(session, tables, form, scope, period) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the table's one statement, with the parameters compute used."""
    import sqlalchemy as sa

    captured = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        if "fact_groups" in statement:
            captured.append((statement, parameters))

    engine = session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", grab)
    try:
        tables.compute(session, form, scope, period)
    finally:
        sa.event.remove(engine, "before_cursor_execute", grab)
    statement, parameters = captured[-1]
    plan = session.connection().exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).all()
    return "\n".join("      " + line[0] for line in plan)


if __name__ == "__main__":
    main()
