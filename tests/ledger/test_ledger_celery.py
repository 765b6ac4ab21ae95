"""The import job through a real Celery worker on Redis (127.0.0.1:6379), when Redis is there."""

import io
import threading
import time

import pytest
import sqlalchemy as sa

from disputes import jobs
from disputes.models import Case, LedgerImport, Role
from tests.ledger_rows import GOOD, csv_text

BROKER = "redis://127.0.0.1:6379/15"


def redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=0.5).ping())
    except Exception:  # noqa: BLE001 - any failure means no broker to test with
        return False


@pytest.fixture
def worker(app, db):
    from celery.contrib.testing.worker import start_worker

    app.config["CELERY_BROKER_URL"] = BROKER
    jobs.celery.conf.broker_url = BROKER
    jobs._worker_app = app  # the worker thread runs tasks in the test's app (and its database)
    try:
        with start_worker(jobs.celery, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.config.pop("CELERY_BROKER_URL", None)
        jobs.celery.conf.broker_url = None
        jobs._worker_app = None


@pytest.mark.skipif(not redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_import_through_a_celery_worker(db, org, login, worker, monkeypatch):
    threads = []
    original = jobs.run_ledger_import

    def spy(job_id):
        threads.append(threading.current_thread().name)
        original(job_id)

    monkeypatch.setattr(jobs, "run_ledger_import", spy)
    client = login(org.user(Role.CLERK))
    response = client.post(
        "/ledger", data={"file": (io.BytesIO(csv_text(GOOD).encode()), "台账.csv")}, content_type="multipart/form-data"
    )
    job_url = response.headers["Location"]
    status = {}
    for _ in range(150):
        status = client.get(job_url + "/status").get_json()
        if status["finished"]:
            break
        time.sleep(0.2)
    assert status["status"] == "done" and status["created"] == len(GOOD), status
    assert threads and threads[0] != threading.main_thread().name  # run by the worker, not in the request
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == len(GOOD)
    assert db.session.scalar(sa.select(LedgerImport.finished_at)) is not None
