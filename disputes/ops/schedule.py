"""The scheduled jobs, run by Celery beat (issue 19), each under a Redis lock so that two beats, or a beat and an
operator's cron line, never run one job twice at once. Each job is the CLI command an operator would run (the cron
lines in the README stay the alternative), so both ways do exactly the same."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask

log = logging.getLogger(__name__)
LOCK_PREFIX = "disputes:schedule:"


@dataclass(frozen=True)
class Job:
    command: tuple[str, ...]  # the `flask` command's words
    every: timedelta | None = None  # run this often …
    at: tuple[int, int] | None = None  # … or daily at this local (hour, minute)
    longest: timedelta = timedelta(hours=1)  # the lock's life: a dead worker's lock lapses after this


SCHEDULE = {
    "sla-scan": Job(("sla", "scan"), every=timedelta(minutes=15)),
    "litigation-effective": Job(("litigation", "effective"), at=(0, 30)),
    "public-notices": Job(("archive", "public-notices"), at=(0, 40)),
    "metrics-summary": Job(("metrics", "summary"), every=timedelta(minutes=5)),
    "portal-notify": Job(("portal", "notify"), every=timedelta(minutes=5), longest=timedelta(minutes=10)),
    "stalled-jobs": Job(("jobs", "sweep"), every=timedelta(minutes=5), longest=timedelta(minutes=5)),
}


def beat_schedule() -> dict:
    from celery.schedules import crontab

    schedule = {}
    for name, job in SCHEDULE.items():
        when = job.every if job.every else crontab(hour=job.at[0], minute=job.at[1])
        schedule[name] = {"task": "disputes.scheduled", "schedule": when, "args": (name,)}
    return schedule


def lock_url(app: Flask) -> str:
    broker = app.config.get("CELERY_BROKER_URL") or ""
    return app.config.get("REDIS_URL") or (broker if broker.startswith("redis") else "")


def run_locked(url: str, name: str, longest: timedelta, work) -> bool:
    """Run `work()` unless another process holds the job's lock (then skip: it is being done). True when run."""
    import redis

    lock = redis.Redis.from_url(url).lock(LOCK_PREFIX + name, timeout=longest.total_seconds(), blocking=False)
    if not lock.acquire():
        log.info("scheduled job %s is already running elsewhere: skipped", name)
        return False
    try:
        work()
    finally:
        try:
            lock.release()
        except redis.exceptions.LockError:  # it lapsed while the job ran longer than `longest`
            log.warning("scheduled job %s outlived its lock (%s)", name, longest)
    return True


def run_command(app: Flask, words: tuple[str, ...]) -> None:
    """Run a `flask` command of this app in-process, failing loudly as a cron line would."""
    from flask.cli import ScriptInfo

    app.cli.main(args=list(words), prog_name="flask", standalone_mode=False, obj=ScriptInfo(create_app=lambda: app))


def run_scheduled(app: Flask, name: str) -> bool:
    job = SCHEDULE[name]
    url = lock_url(app)
    if not url:
        log.warning("no Redis configured: scheduled job %s runs without a lock", name)
        run_command(app, job.command)
        return True
    return run_locked(url, name, job.longest, lambda: run_command(app, job.command))
