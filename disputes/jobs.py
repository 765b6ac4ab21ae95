"""Background jobs (Celery). With CELERY_BROKER_URL unset, tasks run inline in the request, so a plain
`make run` needs no Redis; with it set, start a worker beside the web server:

    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 DATABASE_URL=… .venv/bin/celery -A disputes.jobs worker -l info
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from flask import Flask, current_app, has_app_context

if TYPE_CHECKING:
    from celery import Celery

_celery: Celery | None = None
_worker_app: Flask | None = None


def celery_app() -> Celery:
    """The Celery app and its tasks, made on first use: every `flask` command and page would otherwise pay for
    importing Celery, which only a configured broker needs."""
    global _celery
    if _celery is None:
        from celery import Celery

        made = Celery("disputes", broker=os.environ.get("CELERY_BROKER_URL") or None)
        from disputes.ops import schedule

        made.conf.update(
            task_ignore_result=True,
            broker_connection_retry_on_startup=True,
            worker_hijack_root_logger=False,
            worker_redirect_stdouts=False,  # the app's own log lines (JSON) are not wrapped as Celery warnings
            # A task is acknowledged once done, so a worker that dies mid-task leaves it to another; each job claims
            # its row first, so a redelivered one never runs twice (and `flask jobs sweep` fails the dead ones).
            task_acks_late=True,
            task_reject_on_worker_lost=True,
            worker_prefetch_multiplier=1,
            beat_schedule=schedule.beat_schedule(),
            timezone=os.environ.get("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai"),
        )
        retried = {"autoretry_for": _transient(), "retry_backoff": True, "max_retries": 5}
        made.task(name="disputes.ledger_import", **retried)(_ledger_import_task)
        made.task(name="disputes.metrics_fold", **retried)(_metrics_fold_task)
        made.task(name="disputes.calendar_recompute", **retried)(_calendar_recompute_task)
        made.task(name="disputes.scheduled", **retried)(_scheduled_task)
        made.task(name="disputes.send_message", bind=True, max_retries=MESSAGE_RETRIES)(_send_message_task)
        _connect_signals()
        _celery = made
    return _celery


def _transient() -> tuple[type[Exception], ...]:
    """Failures worth a retry: the database or the broker out of reach for a moment."""
    import redis
    import sqlalchemy as sa

    return (sa.exc.OperationalError, sa.exc.InterfaceError, redis.exceptions.ConnectionError)


def _connect_signals() -> None:
    """The request id rides in each task's headers into the worker's logs; each task's run time is recorded."""
    import time

    from celery import signals

    from disputes.ops import observability, telemetry

    started: dict[str, float] = {}

    @signals.before_task_publish.connect(weak=False)
    def carry_request_id(headers=None, **_):
        rid = observability.REQUEST_ID.get()
        if rid and headers is not None:
            headers.setdefault("request_id", rid)

    @signals.task_prerun.connect(weak=False)
    def begin(task_id=None, task=None, **_):
        # A worker puts the message's own headers on the request; an eager run keeps them under `headers`.
        given = getattr(task.request, "request_id", None) or (task.request.headers or {}).get("request_id")
        observability.REQUEST_ID.set(given or task_id)
        started[task_id] = time.perf_counter()

    @signals.task_postrun.connect(weak=False)
    def end(task_id=None, task=None, state=None, **_):
        begun = started.pop(task_id, None)
        if begun is not None:
            outcome = (state or "unknown").lower()
            telemetry.TASK_DURATION.labels(task.name, outcome).observe(time.perf_counter() - begun)
        observability.REQUEST_ID.set(None)


def _scheduled_task(name: str) -> None:
    from disputes.ops import schedule

    schedule.run_scheduled(_app(), name)


def _ledger_import_task(job_id: int) -> None:
    run_ledger_import(job_id)


def _metrics_fold_task() -> None:
    run_metrics_fold()


def _calendar_recompute_task(job_id: int) -> None:
    run_calendar_recompute(job_id)


MESSAGE_RETRIES = 3


def _send_message_task(task, message_id: int, text: str) -> None:
    """One attempt at an outbound message; a failed one is tried again later (1, 2, 4 minutes), then listed."""
    if not run_send_message(message_id, text) and task.request.retries < MESSAGE_RETRIES:
        raise task.retry(countdown=60 * 2**task.request.retries)


def __getattr__(name: str):
    if name == "celery":  # `celery -A disputes.jobs worker` and the tests find the app here
        return celery_app()
    raise AttributeError(name)


def broker_url(app: Flask) -> str:
    return app.config.get("CELERY_BROKER_URL") or os.environ.get("CELERY_BROKER_URL") or ""


def init_app(app: Flask) -> None:
    broker = broker_url(app)
    if broker:
        celery_app().conf.broker_url = broker


def _app() -> Flask:
    """The Flask app a task runs in: the caller's (inline) or one made once per worker process."""
    global _worker_app
    if has_app_context():
        return current_app._get_current_object()
    if _worker_app is None:
        from disputes import create_app

        _worker_app = create_app()
    return _worker_app


def run_ledger_import(job_id: int) -> None:
    from flask_babel import force_locale

    from disputes.cli.ledger import texts
    from disputes.extensions import db
    from disputes.ledger import job
    from disputes.models import LedgerImport

    app = _app()
    with app.app_context():
        record = db.session.get(LedgerImport, job_id)
        if record is None:
            return
        with app.test_request_context(), force_locale(record.created_by.locale or "zh_CN"):
            note, causes = texts()
        job.run(db.session, job_id, note=note, causes=causes)


def enqueue_ledger_import(job_id: int) -> bool:
    """Hand the job to a worker; without a broker run it now. True when it was queued."""
    if not broker_url(current_app):
        run_ledger_import(job_id)
        return False
    celery_app().tasks["disputes.ledger_import"].delay(job_id)
    return True


def run_metrics_fold() -> None:
    from disputes.extensions import db
    from disputes.metrics.summary import fold

    with _app().app_context():
        fold.fold(db.session)
        db.session.commit()  # job: runs outside any request, in its own app context and session


FOLD_QUEUED_KEY = "disputes:metrics-fold:queued"
FOLD_QUEUED_FOR_S = 30  # report pages opened meanwhile queue no other fold (the queued one folds for them all)


def enqueue_metrics_fold() -> bool:
    """Bring the statistics' summary up to date in the background (a worker; without a broker, now, in its own
    session) when its change log holds anything: report pages call this instead of folding in their own request.
    True when a fold was queued (or one was queued moments ago) and has not run yet."""
    from disputes.extensions import db
    from disputes.metrics.summary import fold

    if not fold.pending(db.session, 0):
        return False
    broker = broker_url(current_app)
    if not broker:
        run_metrics_fold()
        return False
    if broker.startswith("redis"):
        import redis

        try:
            fresh = redis.Redis.from_url(broker).set(FOLD_QUEUED_KEY, "1", nx=True, ex=FOLD_QUEUED_FOR_S)
        except redis.RedisError:
            fresh = True
        if not fresh:
            return True
    celery_app().tasks["disputes.metrics_fold"].delay()
    return True


def run_calendar_recompute(job_id: int) -> None:
    from disputes.extensions import db
    from disputes.sla import recompute_job

    with _app().app_context():
        recompute_job.run(db.session, job_id)


def enqueue_calendar_recompute(job_id: int) -> bool:
    """Recompute the timers a calendar change may move in the background (a worker; without a broker, now, after
    the change was committed). True when it was queued."""
    if not broker_url(current_app):
        run_calendar_recompute(job_id)
        return False
    celery_app().tasks["disputes.calendar_recompute"].delay(job_id)
    return True


def run_send_message(message_id: int, text: str) -> bool:
    """Deliver one stored message (the worker's side of `disputes.messaging`). True when the gateway took it or it
    was already sent (a task run twice sends once)."""
    from disputes import messaging
    from disputes.extensions import db
    from disputes.models import OutboundMessage
    from disputes.models.enums import MessageStatus

    app = _app()
    with app.app_context():
        message = db.session.get(OutboundMessage, message_id)
        if message is None or message.status in (MessageStatus.SENT, MessageStatus.DELIVERED):
            return True
        done = messaging.deliver(db.session, message, text, config=app.config)
        db.session.commit()  # job: the attempt's outcome is stored whether or not it is retried
        return done


def enqueue_message(message_id: int, text: str) -> None:
    """Hand a committed outbound message to the worker (called after the commit by `disputes.messaging`)."""
    celery_app().tasks["disputes.send_message"].delay(message_id, text)
