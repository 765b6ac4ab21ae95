"""Running a calendar change's recomputation (a `CalendarRecompute`) in the background, in batches (issue 18).

Only the open timers whose period meets the changed days are read: a timer's deadline is counted over the days
from its start to its due date (working days, or calendar days rolled past rest days), so a day outside that span
cannot move it; a suspended one (no due date) by its nominal end, its deadline being counted again on resumption
anyway. They are read `batch_size` at a time in id order (keyset), each batch recomputed with the changed
calendar, the changed ones written back in a few statements (UPDATE … CASE id, not one UPDATE a timer: the
statistics' statement trigger then runs once a batch), its cases' timeline entries written, and committed with the
job's progress (a job commits its own batches: it runs outside any request); nothing of a batch stays in the
session, so memory stays bounded whatever the number of timers. The result is the one
`calendar_admin.recompute_open_timers` gives: the same computation on every timer the change can move. A failed
job can be run again (recomputing is idempotent). No Flask.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from disputes import clock
from disputes.models.sla import CalendarRecompute, SlaTimer
from disputes.models.user import User
from disputes.sla import timers
from disputes.sla.calendar_admin import _record_changes, _shown
from disputes.sla.calendar_store import forget, load_calendar
from disputes.sla.states import OPEN_STATUSES, TimerStatus

log = logging.getLogger(__name__)
BATCH_SIZE = 2000
WRITTEN = ("status", "nominal_on", "due_on", "provisional", "paused_days", "warn_on")  # what recompute() sets
UPDATE_ROWS = 400  # timers per UPDATE statement (SQLite binds at most 32,766 parameters)
# A queued or running job whose heartbeat is older than this has lost its worker (killed, restarted, or its database
# connection dropped): it is marked failed and can be retried. A running job beats at every batch (seconds apart).
STALE_AFTER = timedelta(minutes=10)
OPEN = ("queued", "running")


def recompute_batch(session: Session, batch: list[SlaTimer], calendar, today, actor: User | None) -> int:
    """Recompute the batch with `calendar`, write the changed timers in a few statements, note the moved
    deadlines on their cases' timelines (as `calendar_admin.recompute_open_timers` does); how many moved."""
    values: dict[int, dict] = {}
    changes: dict[int, list[tuple[dict, dict]]] = {}
    for timer in batch:
        old, before = {c: getattr(timer, c) for c in WRITTEN}, _shown(timer)
        timers.recompute(timer, calendar)
        if timer.status == TimerStatus.BREACHED and timer.due_on and timer.due_on >= today:
            timer.status = TimerStatus.RUNNING  # the deadline moved past today; the recorded breach stays
        new = {c: getattr(timer, c) for c in WRITTEN}
        if new != old:
            values[timer.id] = new
        if _shown(timer) != before:
            changes.setdefault(timer.case_id, []).append((before, _shown(timer)))
    for timer in batch:
        session.expunge(timer)  # written below, not by the unit of work
    table = SlaTimer.__table__
    ids = sorted(values)
    for start in range(0, len(ids), UPDATE_ROWS):
        chunk = ids[start : start + UPDATE_ROWS]
        session.execute(
            table.update()
            .where(table.c.id.in_(chunk))
            .values(
                {
                    column: sa.case(
                        {i: sa.literal(values[i][column], table.c[column].type) for i in chunk}, value=table.c.id
                    )
                    for column in WRITTEN
                }
            )
        )
    _record_changes(session, changes, actor)
    return sum(len(pairs) for pairs in changes.values())


def affected(first, last) -> sa.ColumnElement[bool]:
    """The open timers whose period meets the days `first`..`last`."""
    return sa.and_(
        SlaTimer.status.in_(sorted(OPEN_STATUSES)),
        SlaTimer.started_on <= last,
        sa.or_(SlaTimer.due_on >= first, sa.and_(SlaTimer.due_on.is_(None), SlaTimer.nominal_on >= first)),
    )


def run(session: Session, job_id: int, batch_size: int = BATCH_SIZE) -> CalendarRecompute | None:
    """Claim the queued job, recompute its timers batch by batch, record the outcome; returns the job."""
    claimed = session.execute(
        sa.update(CalendarRecompute)
        .where(CalendarRecompute.id == job_id, CalendarRecompute.status == "queued")
        .values(
            status="running", started_at=clock.now_utc(), heartbeat_at=clock.now_utc(), timers_done=0, timers_changed=0
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()  # a job outside any request: the claim of the job is seen by the page polling it
    job = session.get(CalendarRecompute, job_id)
    if job is None or not claimed:
        return job
    first, last, actor_id = job.first, job.last, job.created_by_id
    try:
        where = affected(first, last)
        job.timers_total = session.scalar(sa.select(sa.func.count()).select_from(SlaTimer).where(where))
        session.commit()  # a job: the total is shown on the progress page at once
        forget(session)
        calendar, today = load_calendar(session), clock.today_local()
        query = (
            sa.select(SlaTimer)
            .where(where)
            .order_by(SlaTimer.id)
            .limit(batch_size)
            .options(selectinload(SlaTimer.adjustments), selectinload(SlaTimer.rule))
        )
        after_id, done, changed = 0, 0, 0
        while True:
            batch = list(session.scalars(query.where(SlaTimer.id > after_id)))
            if not batch:
                break
            actor = session.get(User, actor_id) if actor_id else None
            changed += recompute_batch(session, batch, calendar, today, actor)
            done += len(batch)
            after_id = batch[-1].id
            session.execute(
                sa.update(CalendarRecompute)
                .where(CalendarRecompute.id == job_id)
                .values(timers_done=done, timers_changed=changed, heartbeat_at=clock.now_utc())
            )
            session.commit()  # a job: each batch and its progress are kept (bounded memory, resumable)
            if len(batch) < batch_size:
                break
    except Exception:
        log.exception("calendar recompute %s failed", job_id)
        session.rollback()
        session.execute(
            sa.update(CalendarRecompute)
            .where(CalendarRecompute.id == job_id)
            .values(status="failed", finished_at=clock.now_utc())
        )
        session.commit()  # a job: the failure is recorded for the page and a retry
        return session.get(CalendarRecompute, job_id)
    session.execute(
        sa.update(CalendarRecompute)
        .where(CalendarRecompute.id == job_id)
        .values(status="done", finished_at=clock.now_utc(), heartbeat_at=clock.now_utc(), timers_total=done)
    )
    session.commit()  # a job: done, with its totals
    return session.get(CalendarRecompute, job_id)


def expire_stalled(session: Session, now: datetime | None = None) -> int:
    """Mark as failed the queued or running jobs whose heartbeat stopped (the batches already committed stay
    recomputed; a retry recomputes them again, which changes nothing); how many. The caller commits."""
    limit = (now or clock.now_utc()) - STALE_AFTER
    table = CalendarRecompute.__table__
    stalled = sa.and_(table.c.status.in_(OPEN), sa.func.coalesce(table.c.heartbeat_at, table.c.started_at) < limit)
    if session.scalar(sa.select(table.c.id).where(stalled).limit(1)) is None:
        return 0  # the usual case, and no write (on SQLite an UPDATE would hold the database's write lock)
    result = session.execute(
        sa.update(table)
        .where(stalled)
        .values(status="failed", finished_at=now or clock.now_utc())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def retry(session: Session, job_id: int) -> bool:
    """Put a failed job back in the queue (the caller commits and enqueues it); False if it is not failed."""
    return (
        session.execute(
            sa.update(CalendarRecompute)
            .where(CalendarRecompute.id == job_id, CalendarRecompute.status == "failed")
            .values(status="queued", finished_at=None, heartbeat_at=clock.now_utc())
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
