"""Running a stored LedgerImport: the file read, the import done or refused, progress and outcome recorded.

No Flask: the caller supplies the stored note and causes in the importer's language. Progress goes through
a second connection in its own transactions (PostgreSQL), so a page polling the job sees it while the
import's own transaction is still open; SQLite allows one writer, so there it is only recorded at the end.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock
from disputes.i18n import N_
from disputes.ledger import parse
from disputes.ledger.errors import MAX_ERRORS, LedgerError, LedgerInvalid
from disputes.ledger.importer import import_ledger
from disputes.metrics.summary import fold
from disputes.models.enums import ImportStatus
from disputes.models.ledger import LedgerImport

log = logging.getLogger(__name__)
TABLE = LedgerImport.__table__
# A queued or running job whose heartbeat is older than this has lost its worker (killed, or its database connection
# dropped): it is shown as failed, with nothing imported, and can be retried. A running job beats at every progress
# step (PostgreSQL) and between its phases.
STALE_AFTER = timedelta(minutes=10)
STALLED = N_("The import stopped (its worker or database connection was lost); nothing was imported. Retry it.")
OPEN = (ImportStatus.QUEUED.value, ImportStatus.RUNNING.value)


def _progress_writer(session: Session, job_id: int):
    engine = session.get_bind()
    if engine.dialect.name != "postgresql":
        return None
    last = {"done": -1}

    def write(done: int, total: int) -> None:
        if done - last["done"] < max(1, total // 50) and done < total:
            return
        last["done"] = done
        with engine.connect() as conn:
            conn.execute(
                sa.update(TABLE)
                .where(TABLE.c.id == job_id)
                .values(rows_done=done // 2, rows_total=total // 2, heartbeat_at=clock.now_utc())
            )
            conn.commit()

    return write


def expire_stalled(session: Session, now: datetime | None = None) -> int:
    """Mark as failed (nothing imported) the queued or running jobs whose heartbeat stopped; the caller commits."""
    now = now or clock.now_utc()
    limit = now - STALE_AFTER
    stalled = sa.and_(TABLE.c.status.in_(OPEN), sa.func.coalesce(TABLE.c.heartbeat_at, TABLE.c.created_at) < limit)
    if session.scalar(sa.select(TABLE.c.id).where(stalled).limit(1)) is None:
        return 0  # the usual case, and no write (on SQLite an UPDATE would hold the database's write lock)
    failure = LedgerError(0, None, STALLED).as_dict()
    result = session.execute(
        sa.update(TABLE)
        .where(stalled)
        .values(status=ImportStatus.FAILED.value, finished_at=now, errors=[failure], error_count=1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def retry(session: Session, job_id: int) -> bool:
    """Put a failed job back in the queue with the same stored file; False if it is not failed. The caller commits
    and enqueues it."""
    result = session.execute(
        sa.update(TABLE)
        .where(TABLE.c.id == job_id, TABLE.c.status == ImportStatus.FAILED.value)
        .values(
            status=ImportStatus.QUEUED.value,
            finished_at=None,
            errors=None,
            error_count=0,
            rows_done=0,
            created_count=0,
            updated_count=0,
            heartbeat_at=clock.now_utc(),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _still_running(session: Session, job_id: int) -> bool:
    """In the import's own transaction, just before it commits: the job has not been given up meanwhile (its row is
    locked from here to the commit, so it cannot be given up before the result is recorded with the import)."""
    status = session.scalar(sa.select(TABLE.c.status).where(TABLE.c.id == job_id).with_for_update())
    return status == ImportStatus.RUNNING.value


def run(session: Session, job_id: int, *, note: str, causes: dict[str, str]) -> LedgerImport:
    # Claim the job: only a queued one runs, so a job given up and retried never runs twice at once.
    claimed = session.execute(
        sa.update(TABLE)
        .where(TABLE.c.id == job_id, TABLE.c.status == ImportStatus.QUEUED.value)
        .values(status=ImportStatus.RUNNING.value, heartbeat_at=clock.now_utc())
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()  # job: the claim is seen by other workers at once
    job = session.get(LedgerImport, job_id)
    if job is None or not claimed:
        return job
    try:
        sheet = parse.read(io.BytesIO(job.content), job.file_name)
        job.rows_total = len(sheet.rows)
        job.heartbeat_at = clock.now_utc()
        session.commit()  # job: the progress page reads the total meanwhile
        result = import_ledger(
            session,
            sheet,
            job.created_by,
            update=job.update_existing,
            dry_run=job.dry_run,
            note=note,
            causes=causes,
            progress=_progress_writer(session, job_id),
            source=f"{job.file_name} (#{job.id})",
        )
    except LedgerInvalid as invalid:
        session.rollback()
        return _finish(session, job_id, ImportStatus.INVALID, errors=invalid.errors, error_count=invalid.total)
    except Exception:
        log.exception("ledger import %s failed", job_id)
        session.rollback()
        failure = LedgerError(0, None, N_("The import failed unexpectedly; nothing was written."))
        return _finish(session, job_id, ImportStatus.FAILED, errors=[failure], error_count=1)
    if job.dry_run:
        session.rollback()
        return _finish(session, job_id, ImportStatus.DONE, created=result.created, updated=result.updated)
    if not _still_running(session, job_id):  # given up as stalled meanwhile: keep nothing, as the page says
        session.rollback()
        return session.get(LedgerImport, job_id)
    # The cases and the job's outcome in one commit.
    done = _finish(session, job_id, ImportStatus.DONE, created=result.created, updated=result.updated)
    _fold_statistics(session, job_id)  # after the job shows as done: the importer need not wait for it
    return done


def _fold_statistics(session: Session, job_id: int) -> None:
    """The statistics' cells of the imported cases, so the dashboard need not count live. The import has committed
    by now: should this fail, the change log keeps the cases for the next fold, and the job still finishes."""
    try:
        fold.fold(session)
        session.commit()  # job: the fold after the import, its own unit of work
    except Exception:
        log.exception("statistics fold after ledger import %s failed", job_id)
        session.rollback()


def _finish(
    session: Session, job_id: int, status: ImportStatus, *, errors=(), error_count=0, created=0, updated=0
) -> LedgerImport:
    job = session.get(LedgerImport, job_id)
    job.status, job.finished_at = status, clock.now_utc()
    job.rows_done = job.rows_total if status == ImportStatus.DONE else job.rows_done
    job.errors = [e.as_dict() for e in list(errors)[:MAX_ERRORS]] or None
    job.error_count, job.created_count, job.updated_count = error_count, created, updated
    session.commit()  # job: the outcome, for the page that polls it
    return job
