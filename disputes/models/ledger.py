"""A ledger import run as a background job: its file, progress and outcome (issue 6)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes.extensions import db
from disputes.models.base import CreatedAtMixin, UTCDateTime, enum_type
from disputes.models.enums import ImportStatus
from disputes.models.user import User

FINISHED = frozenset({ImportStatus.DONE, ImportStatus.INVALID, ImportStatus.FAILED})


class LedgerImport(CreatedAtMixin, db.Model):
    __tablename__ = "ledger_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(sa.String(200))
    # The uploaded file itself, so that a worker on another machine can read it.
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    status: Mapped[ImportStatus] = mapped_column(
        enum_type(ImportStatus, "ledger_import_status"), default=ImportStatus.QUEUED
    )
    dry_run: Mapped[bool] = mapped_column(default=False)
    update_existing: Mapped[bool] = mapped_column(default=False)
    rows_done: Mapped[int] = mapped_column(default=0)
    rows_total: Mapped[int] = mapped_column(default=0)
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    # The first errors as LedgerError.as_dict() rows, rendered in the reader's language when shown.
    errors: Mapped[list | None] = mapped_column(sa.JSON)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Written when queued and while running; a job whose heartbeat stops (a killed worker, a lost connection) is
    # shown as failed after `ledger.job.STALE_AFTER` and can be retried.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[User] = relationship()

    __table_args__ = (
        sa.CheckConstraint("rows_done >= 0 AND rows_total >= 0", name="rows_non_negative"),
        sa.CheckConstraint(
            "(status IN ('done', 'invalid', 'failed')) = (finished_at IS NOT NULL)", name="finished_iff_done"
        ),
    )

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0
