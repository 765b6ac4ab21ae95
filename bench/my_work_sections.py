"""Issue 18, part 4: the clerk's "My work" in-process — median time and statements of `build_queues`, with migration
0035's two partial indexes and, in the same run, with them dropped inside a transaction rolled back (the bare
comparison); then EXPLAIN ANALYZE of the awards-to-serve and unrouted sections' statements.

    .venv/bin/python bench/my_work_sections.py --database-url postgresql://…/h18b_bench [--user bench-clerk]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]
INDEXES = ("ix_arbitrations_closed_award", "ix_cases_open_registered")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--user", default="bench-clerk")
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url

    import sqlalchemy as sa

    from disputes import clock, create_app
    from disputes.extensions import db, upgrade
    from disputes.models import User
    from disputes.queues import build_queues

    app = create_app("development")
    with app.app_context():
        upgrade()
        seen: list[str] = []
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))

        def measure(label: str) -> None:
            times, counts = [], []
            for _ in range(args.requests + 1):
                user = db.session.scalar(sa.select(User).where(User.username == args.user))
                seen.clear()
                started = time.perf_counter()
                queues = build_queues(db.session, user, clock.now_utc())
                times.append(time.perf_counter() - started)
                counts.append(len(seen))
                db.session.expire_all()
            totals = {s.key: s.total for q in queues for s in q.sections}
            print(
                f"{label:<28} {statistics.median(times[1:]) * 1000:8.1f} ms  {statistics.median(counts):4.0f} "
                f"statements  totals {totals}",
                flush=True,
            )

        measure("with migration 0035")
        for name in INDEXES:
            db.session.execute(sa.text(f"DROP INDEX {name}"))
        measure("indexes dropped (rolled back)")
        db.session.rollback()
        user = db.session.scalar(sa.select(User).where(User.username == args.user))
        seen.clear()
        build_queues(db.session, user, clock.now_utc())
        for statement in seen:
            if "awards.served_on IS NULL" in statement or "case_routes" in statement:
                if "count(*)" in statement or "LIMIT" not in statement:
                    kind = "count"
                else:
                    kind = "page"
                print(f"\n-- {kind}: {statement[:160]!r}…")
        db.session.rollback()


if __name__ == "__main__":
    main()
