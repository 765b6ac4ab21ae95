"""Running a stored LedgerImport: the file read, the import done or refused, progress and outcome recorded.

No Flask: the caller supplies the stored note and causes in the importer's language. Progress goes through
a second connection in its own transactions (PostgreSQL), so a page polling the job sees it while the
import's own transaction is still open; SQLite allows one writer, so there it is only recorded at the end.
"""
from __future__ import annotations

import io
import logging

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes import clock
from disputes.i18n import N_
from disputes.ledger import parse
from disputes.ledger.errors import MAX_ERRORS, LedgerError, LedgerInvalid
from disputes.ledger.importer import import_ledger
from disputes.metrics.summary import fold
from disputes.models.ledger import ImportStatus, LedgerImport

log = logging.getLogger(__name__)
TABLE = LedgerImport.__table__


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
            conn.execute(sa.update(TABLE).where(TABLE.c.id == job_id).values(rows_done=done // 2,
                                                                               rows_total=total // 2))
            conn.commit()

    return write


def run(session: Session, job_id: int, *, note: str, causes: dict[str, str]) -> LedgerImport:
    job = session.get(LedgerImport, job_id)
    if job is None or job.finished:
        return job
    job.status = ImportStatus.RUNNING
    session.commit()
    try:
        sheet = parse.read(io.BytesIO(job.content), job.file_name)
        job.rows_total = len(sheet.rows)
        session.commit()
        result = import_ledger(session, sheet, job.created_by, update=job.update_existing, dry_run=job.dry_run,
                               note=note, causes=causes, progress=_progress_writer(session, job_id),
                               source=f"{job.file_name} (#{job.id})")
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
    session.commit()
    done = _finish(session, job_id, ImportStatus.DONE, created=result.created, updated=result.updated)
    _fold_statistics(session, job_id)  # after the job shows as done: the importer need not wait for it
    return done


def _fold_statistics(session: Session, job_id: int) -> None:
    """The statistics' cells of the imported cases, so the dashboard need not count live. The import has committed
    by now: should this fail, the change log keeps the cases for the next fold, and the job still finishes."""
    try:
        fold.fold(session)
        session.commit()
    except Exception:
        log.exception("statistics fold after ledger import %s failed", job_id)
        session.rollback()


def _finish(session: Session, job_id: int, status: ImportStatus, *, errors=(), error_count=0, created=0,
            updated=0) -> LedgerImport:
    job = session.get(LedgerImport, job_id)
    job.status, job.finished_at = status, clock.now_utc()
    job.rows_done = job.rows_total if status == ImportStatus.DONE else job.rows_done
    job.errors = [e.as_dict() for e in list(errors)[:MAX_ERRORS]] or None
    job.error_count, job.created_count, job.updated_count = error_count, created, updated
    session.commit()
    return job
