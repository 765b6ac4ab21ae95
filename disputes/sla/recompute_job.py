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
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock
from disputes.models.sla import CalendarRecompute, SlaAdjustment, SlaRule, SlaTimer
from disputes.models.timeline import TimelineEntry
from disputes.models.user import User
from disputes.sla.calendar_admin import RECOMPUTED
from disputes.sla.calendar_store import forget, load_calendar
from disputes.sla.compute import compute_deadline
from disputes.sla.states import OPEN_STATUSES, AdjustmentKind, PeriodUnit, TimerStatus

log = logging.getLogger(__name__)
BATCH_SIZE = 5000
WRITTEN = ("status", "nominal_on", "due_on", "provisional", "paused_days", "warn_on")  # what recompute() sets
UPDATE_ROWS = 400  # timers per UPDATE … CASE statement (SQLite binds at most 32,766 parameters)
PG_UPDATE_ROWS = 5000  # timers per UPDATE … FROM unnest(…) (one array parameter a column)
# One statement a batch, its rows passed as one array a column: a VALUES list of thousands of rows costs more to
# build and compile in SQLAlchemy (seconds a batch) than PostgreSQL takes to run it.
PG_UPDATE = sa.text(
    "UPDATE sla_timers AS t SET status = v.status, nominal_on = v.nominal_on, due_on = v.due_on, "
    "provisional = v.provisional, paused_days = v.paused_days, warn_on = v.warn_on "
    "FROM unnest(CAST(:id AS integer[]), CAST(:status AS varchar[]), CAST(:nominal_on AS date[]), "
    "CAST(:due_on AS date[]), CAST(:provisional AS boolean[]), CAST(:paused_days AS integer[]), "
    "CAST(:warn_on AS date[])) AS v(id, status, nominal_on, due_on, provisional, paused_days, warn_on) "
    "WHERE t.id = v.id"
)
# A queued or running job whose heartbeat is older than this has lost its worker (killed, restarted, or its database
# connection dropped): it is marked failed and can be retried. A running job beats at every batch (seconds apart).
STALE_AFTER = timedelta(minutes=10)
OPEN = ("queued", "running")


@dataclass(frozen=True)
class TimerRow:
    """What recomputing a timer reads: its period, its stored results and its rule's warning days."""

    id: int
    case_id: int
    rule_id: str
    status: TimerStatus
    started_on: date
    period: int
    unit: PeriodUnit
    extension_days: int
    warning_days: int
    nominal_on: date | None
    due_on: date | None
    provisional: bool
    paused_days: int
    warn_on: date | None


def recomputed(row: TimerRow, pauses: list, calendar, today, cache: dict) -> dict:
    """The stored columns (`WRITTEN`) `timers.recompute` and the breach rule give `row`: `pauses` are its
    adjustments as (kind, start, end, months). A timer without adjustments depends only on its start, period,
    unit, extension and warning days, which thousands of timers share: `cache` keeps each such deadline once."""
    key = None if pauses else (row.started_on, row.period, row.unit, row.extension_days, row.warning_days)
    dates = cache.get(key) if key is not None else None
    if dates is None:
        deadline = compute_deadline(
            start=row.started_on,
            period=row.period,
            unit=row.unit,
            calendar=calendar,
            suspensions=[(a, b) for kind, a, b, _ in pauses if kind == AdjustmentKind.SUSPENSION],
            notices=[(a, b) for kind, a, b, _ in pauses if kind == AdjustmentKind.PUBLIC_NOTICE],
            extension_days=row.extension_days,
            extension_months=sum(m or 0 for kind, _, _, m in pauses if kind == AdjustmentKind.EXTENSION),
        )
        warn_on = deadline.due - timedelta(days=row.warning_days) if deadline.due else None
        dates = (deadline.nominal, deadline.due, deadline.provisional, deadline.paused_days, warn_on)
        if key is not None:
            cache[key] = dates
    nominal_on, due_on, provisional, paused_days, warn_on = dates
    status = row.status
    if status == TimerStatus.BREACHED and due_on and due_on >= today:
        status = TimerStatus.RUNNING  # the deadline moved past today; the recorded breach stays
    return {
        "status": status,
        "nominal_on": nominal_on,
        "due_on": due_on,
        "provisional": provisional,
        "paused_days": paused_days,
        "warn_on": warn_on,
    }


def _shown_row(rule_id: str, due_on: date | None, provisional: bool) -> dict:
    """As `calendar_admin._shown` gives it for a timer (the timeline entry's form)."""
    return {"rule": rule_id, "due_on": due_on.isoformat() if due_on else None, "provisional": provisional}


def recompute_rows(
    session: Session, rows: list[TimerRow], pauses: dict[int, list], calendar, today, actor, cache: dict
) -> int:
    """Recompute the rows with `calendar`, write the changed timers (one set-based UPDATE on PostgreSQL), note the
    moved deadlines on their cases' timelines (as `calendar_admin.recompute_open_timers` does); how many moved."""
    values: dict[int, dict] = {}
    changes: dict[int, list[tuple[dict, dict]]] = {}
    for row in rows:
        new = recomputed(row, pauses.get(row.id, []), calendar, today, cache)
        if any(new[c] != getattr(row, c) for c in WRITTEN):
            values[row.id] = new
        before = _shown_row(row.rule_id, row.due_on, row.provisional)
        after = _shown_row(row.rule_id, new["due_on"], new["provisional"])
        if after != before:
            changes.setdefault(row.case_id, []).append((before, after))
    write(session, values)
    note_moves(session, changes, actor)
    return sum(len(pairs) for pairs in changes.values())


def note_moves(session: Session, changes: dict[int, list[tuple[dict, dict]]], actor: User | None) -> None:
    """The timeline entries `calendar_admin._record_changes` writes, in one INSERT of many rows: entries built by the
    ORM on a loaded case read each case's timeline (a statement a case, thousands a batch)."""
    if changes:
        at, actor_id = clock.now_utc(), actor.id if actor else None
        session.execute(
            sa.insert(TimelineEntry),
            [
                {
                    "case_id": case_id,
                    "actor_id": actor_id,
                    "at": at,
                    "kind": RECOMPUTED,
                    "reason": None,
                    "before": {"timers": [before for before, _ in pairs]},
                    "after": {"timers": [after for _, after in pairs]},
                }
                for case_id, pairs in sorted(changes.items())
            ],
        )


def write(session: Session, values: dict[int, dict]) -> None:
    """Write the timers' new columns: on PostgreSQL one `UPDATE … FROM unnest(arrays)` joined by id (the statistics'
    statement trigger runs once); elsewhere `UPDATE … CASE id` statements of `UPDATE_ROWS` timers (SQLite has no
    column list for a VALUES alias)."""
    if not values:
        return
    table = SlaTimer.__table__
    ids = sorted(values)
    if session.get_bind().dialect.name == "postgresql":
        for start in range(0, len(ids), PG_UPDATE_ROWS):
            chunk = ids[start : start + PG_UPDATE_ROWS]
            session.execute(
                PG_UPDATE,
                {
                    "id": chunk,
                    "status": [TimerStatus(values[i]["status"]).value for i in chunk],
                    **{c: [values[i][c] for i in chunk] for c in WRITTEN if c != "status"},
                },
            )
        return
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
        calendar, today, cache = load_calendar(session), clock.today_local(), {}
        timer, adjustment, rule = SlaTimer.__table__, SlaAdjustment.__table__, SlaRule.__table__
        columns = [timer.c[f.name] for f in fields(TimerRow) if f.name != "warning_days"] + [rule.c.warning_days]
        query = (
            sa.select(*columns)
            .join_from(timer, rule, rule.c.id == timer.c.rule_pk)
            .where(where)
            .order_by(timer.c.id)
            .limit(batch_size)
        )
        after_id, done, changed = 0, 0, 0
        while True:
            rows = [TimerRow(**r._mapping) for r in session.execute(query.where(timer.c.id > after_id))]
            if not rows:
                break
            pauses: dict[int, list] = {}
            for timer_id, *pause in session.execute(
                sa.select(
                    adjustment.c.timer_id,
                    adjustment.c.kind,
                    adjustment.c.start_on,
                    adjustment.c.end_on,
                    adjustment.c.months,
                )
                .join_from(adjustment, timer, timer.c.id == adjustment.c.timer_id)
                .where(where, timer.c.id > after_id, timer.c.id <= rows[-1].id)
                .order_by(adjustment.c.id)
            ):
                pauses.setdefault(timer_id, []).append(tuple(pause))
            actor = session.get(User, actor_id) if actor_id else None
            changed += recompute_rows(session, rows, pauses, calendar, today, actor, cache)
            done += len(rows)
            after_id = rows[-1].id
            session.execute(
                sa.update(CalendarRecompute)
                .where(CalendarRecompute.id == job_id)
                .values(timers_done=done, timers_changed=changed, heartbeat_at=clock.now_utc())
            )
            session.commit()  # a job: each batch and its progress are kept (bounded memory, resumable)
            if len(rows) < batch_size:
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
