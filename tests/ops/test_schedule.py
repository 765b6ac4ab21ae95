"""Scheduled jobs from Celery beat (issue 19): every daily job is on the schedule, each runs under a Redis lock
(two beats never run one at once), and the sweep fails the jobs whose worker died so they can be retried."""

import os
import threading
import uuid
from datetime import date, timedelta

import pytest
import redis

from disputes.jobs import celery_app
from disputes.models import CalendarRecompute, LedgerImport, Role
from disputes.models.enums import ImportStatus
from disputes.ops import schedule
from tests.conftest import FROZEN_AT

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        if os.environ.get("REQUIRE_REDIS") == "1":  # CI: a missing Redis fails these tests instead of skipping them
            pytest.fail(f"no Redis at {REDIS_URL} ({error}): the locks cannot be shown")
        pytest.skip(f"no Redis at {REDIS_URL} ({error}): the locks cannot be shown")
    return REDIS_URL


def test_every_scheduled_command_is_on_the_beat_schedule_and_exists(app):
    commands = {job.command for job in schedule.SCHEDULE.values()}
    for daily in (
        ("sla", "scan"),
        ("litigation", "effective"),
        ("archive", "public-notices"),
        ("metrics", "summary"),
        ("portal", "notify"),
    ):
        assert daily in commands
    beat = celery_app().conf.beat_schedule
    assert set(beat) == set(schedule.SCHEDULE)
    assert {entry["task"] for entry in beat.values()} == {"disputes.scheduled"}
    with app.app_context():
        from click import Context

        context = Context(app.cli)
        for group, name in commands:
            assert app.cli.get_command(context, group).get_command(context, name) is not None, (group, name)


def test_tasks_acknowledge_late_and_retry_transient_failures():
    made = celery_app()
    assert made.conf.task_acks_late and made.conf.task_reject_on_worker_lost
    for name in ("disputes.ledger_import", "disputes.calendar_recompute", "disputes.scheduled"):
        assert made.tasks[name].autoretry_for, name


def test_a_job_runs_once_while_another_process_holds_its_lock(redis_url):
    name = f"test-{uuid.uuid4().hex}"
    inside, release, runs = threading.Event(), threading.Event(), []

    def slow():
        runs.append("first")
        inside.set()
        release.wait(5)

    first = threading.Thread(target=schedule.run_locked, args=(redis_url, name, timedelta(seconds=30), slow))
    first.start()
    assert inside.wait(5)
    # A second beat (or instance) fires the same job meanwhile: skipped, not run.
    assert schedule.run_locked(redis_url, name, timedelta(seconds=30), lambda: runs.append("second")) is False
    release.set()
    first.join(5)
    assert runs == ["first"]
    # Once done, the lock is free again.
    assert schedule.run_locked(redis_url, name, timedelta(seconds=30), lambda: runs.append("third")) is True
    assert runs == ["first", "third"]


def _stalled_jobs(db, org):
    old = FROZEN_AT - timedelta(hours=1)
    job = LedgerImport(
        file_name="ledger.csv",
        content=b"registry_no\n",
        status=ImportStatus.RUNNING,
        created_by_id=org.user(Role.CLERK).id,
        heartbeat_at=old,
    )
    fresh = LedgerImport(
        file_name="fresh.csv",
        content=b"registry_no\n",
        status=ImportStatus.RUNNING,
        created_by_id=org.user(Role.CLERK).id,
        heartbeat_at=FROZEN_AT - timedelta(minutes=1),
    )
    recompute = CalendarRecompute(
        first=date(2026, 2, 16),
        last=date(2026, 2, 16),
        change="+ 2026-02-16",
        status="running",
        heartbeat_at=old,
        created_by_id=org.user(Role.ADMIN).id,
    )
    db.session.add_all([job, fresh, recompute])
    db.session.commit()
    return job.id, fresh.id, recompute.id


def test_the_sweep_fails_jobs_whose_worker_died_and_they_can_be_retried(app, db, org, redis_url, monkeypatch):
    from disputes.ledger import job as ledger_job
    from disputes.sla import recompute_job

    job_id, fresh_id, recompute_id = _stalled_jobs(db, org)
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    lock = redis.Redis.from_url(redis_url).lock(schedule.LOCK_PREFIX + "stalled-jobs", timeout=30)
    assert lock.acquire(blocking=False)
    try:
        assert schedule.run_scheduled(app, "stalled-jobs") is False  # another beat is sweeping: nothing done
        db.session.expire_all()
        assert db.session.get(LedgerImport, job_id).status == ImportStatus.RUNNING
    finally:
        lock.release()
    assert schedule.run_scheduled(app, "stalled-jobs") is True
    db.session.expire_all()
    stalled = db.session.get(LedgerImport, job_id)
    assert stalled.status == ImportStatus.FAILED and stalled.created_count == 0
    assert stalled.errors[0]["message"] == ledger_job.STALLED
    assert db.session.get(LedgerImport, fresh_id).status == ImportStatus.RUNNING  # its worker still beats
    assert db.session.get(CalendarRecompute, recompute_id).status == "failed"
    assert ledger_job.retry(db.session, job_id) and recompute_job.retry(db.session, recompute_id)
    db.session.commit()
    assert db.session.get(LedgerImport, job_id).status == ImportStatus.QUEUED
