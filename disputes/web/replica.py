"""Reads that may come from the read replica (issue 19): the report pages (dashboard, drill-downs, the monthly
report) read through `session()`, which is the replica's when DATABASE_REPLICA_URL is set and the request's own
session otherwise. Nothing is written through it: a page that writes, or reads what it is about to write, uses
`db.session` (the primary). A replica lags its primary, so those pages say by how much their figures may."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from disputes.extensions import db
from disputes.metrics.summary import READ_ONLY

BIND = "replica"
REPLICA_SESSION = "replica_session"  # its key in `g`


def configured() -> bool:
    return BIND in (current_app.config.get("SQLALCHEMY_BINDS") or {})


def session() -> Session:
    """The session report pages read with: one per request on the replica, else the primary's `db.session`."""
    if not configured():
        return db.session
    if REPLICA_SESSION not in g:
        g.replica_session = Session(bind=db.engines[BIND], autoflush=False, info={READ_ONLY: True})
    return g.replica_session


def is_replica(session: Session) -> bool:
    """Whether `session` reads the replica, where nothing may be written (a hot standby refuses it)."""
    return bool(session.info.get(READ_ONLY))


def lag_seconds(session: Session, with_summary: bool, summary_current: bool = False) -> int | None:
    """How far behind the live record figures read through `session` may be: the replica's guaranteed lag, plus the
    period of the statistics fold when the figures come from its cells and were not brought up to date just before
    (pages never fold: beat does, on the primary, or the jobs path a page starts — inline when there is no broker).
    None when the figures are current."""
    lag = int(current_app.config.get("REPLICA_MAX_LAG_S") or 0) if is_replica(session) else 0
    if with_summary and (is_replica(session) or not summary_current):
        from disputes.ops.schedule import SCHEDULE

        lag += int((SCHEDULE["metrics-summary"].every or timedelta()).total_seconds())
    return lag or None


def bring_summary_up_to_date() -> bool:
    """Before a report page reads the primary: start the fold of the statistics' change log through the jobs path
    — queued for a worker when there is a broker (the page then reads the cells as they stand, and says they may
    lag), run now in its own session and transaction when there is none — so the page itself writes nothing.
    True when the cells are current for this page."""
    from disputes import jobs

    return not jobs.enqueue_metrics_fold()


def register(app: Flask) -> None:
    @app.teardown_request
    def close(error: BaseException | None) -> None:
        read = g.pop(REPLICA_SESSION, None)
        if read is not None:
            read.close()
