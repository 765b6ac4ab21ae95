"""Adding one holiday: the synchronous recomputation of every open timer of the year (as the admin page did inside
the request before issue 18) against the background job (only the timers whose period includes the day, in
batches). Each mode runs in a fresh process, which prints its time, the timers it recomputed and its peak memory,
beside a bare UPDATE of the same rows (each column written to itself: the floor of any recomputation writing them).

    .venv/bin/python bench/calendar_recompute.py --database-url postgresql://…/h18q_bench [--day 2026-12-16]

The synchronous run is rolled back; the job's change is undone afterwards by deleting the day (another job).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(mode: str, day: date, batch: int) -> None:
    from disputes import create_app
    from disputes.extensions import db, upgrade
    from disputes.models import User
    from disputes.sla import calendar_admin, recompute_job
    from disputes.sla.states import DayKind

    app = create_app("development")
    with app.app_context():
        upgrade()
        admin = db.session.scalar(db.select(User).where(User.username == "bench-admin"))
        before = rss_mib()
        started = time.perf_counter()
        if mode == "bare":
            # The floor: one UPDATE writing the same columns of the same rows to themselves (the statistics'
            # trigger included), rolled back.
            table = recompute_job.SlaTimer.__table__
            where = recompute_job.affected(day, day)
            count = db.session.scalar(db.select(db.func.count()).select_from(table).where(where))
            started = time.perf_counter()
            db.session.execute(table.update().where(where).values({c: table.c[c] for c in recompute_job.WRITTEN}))
            seconds = time.perf_counter() - started
            db.session.rollback()
            print(
                f"bare UPDATE, same rows   {seconds:8.1f} s  {count:>9,} timers  "
                f"peak RSS {rss_mib():7.0f} MiB (+{rss_mib() - before:.0f})  {count / seconds:,.0f} timers/s",
                flush=True,
            )
            return
        if mode == "sync":
            _row, count = calendar_admin.add_day(db.session, day, DayKind.HOLIDAY, "测试假日", admin)
            db.session.flush()
            seconds = time.perf_counter() - started
            db.session.rollback()
            print(
                f"synchronous, whole year  {seconds:8.1f} s  {count:>9,} timers  "
                f"peak RSS {rss_mib():7.0f} MiB (+{rss_mib() - before:.0f})",
                flush=True,
            )
            return
        calendar_admin.add_day(db.session, day, DayKind.HOLIDAY, "测试假日", admin, recompute=False)
        job = calendar_admin.queue_recompute(db.session, day, day, f"+ {day}", admin)
        db.session.commit()
        job = recompute_job.run(db.session, job.id, batch_size=batch)
        seconds = time.perf_counter() - started
        print(
            f"background job, the day  {seconds:8.1f} s  {job.timers_done:>9,} timers  "
            f"peak RSS {rss_mib():7.0f} MiB (+{rss_mib() - before:.0f})  {job.timers_changed:,} moved  "
            f"{job.timers_done / seconds:,.0f} timers/s",
            flush=True,
        )
        row = db.session.get(calendar_admin.CalendarDay, day)
        calendar_admin.delete_day(db.session, row, admin, recompute=False)
        undo = calendar_admin.queue_recompute(db.session, day, day, f"- {day}", admin)
        db.session.commit()
        recompute_job.run(db.session, undo.id, batch_size=batch)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--day", type=date.fromisoformat, default=None, help="default: ten days from today")
    parser.add_argument(
        "--mode",
        choices=("sync", "job", "bare", "both", "all"),
        default="both",
        help="both: job and bare; all: and sync",
    )
    parser.add_argument("--batch", type=int, default=5000, help="as recompute_job.BATCH_SIZE")
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    day = args.day or date.today() + timedelta(days=10)
    if args.mode not in ("both", "all"):
        measure(args.mode, day, args.batch)
        return
    for mode in ("bare", "job") + (("sync",) if args.mode == "all" else ()):
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--mode",
                mode,
                "--day",
                day.isoformat(),
                "--batch",
                str(args.batch),
                "--database-url",
                args.database_url,
            ],
            check=True,
        )


if __name__ == "__main__":
    main()
