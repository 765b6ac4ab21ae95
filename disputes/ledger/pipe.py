"""Writing while building: on PostgreSQL a second thread runs each COPY while the importer builds the next rows.

The import is CPU-bound on both sides (Python building rows, PostgreSQL checking keys and filling indexes);
with two CPUs the two halves overlap instead of taking turns. Both use the session's one connection and
transaction, so all or nothing still holds: the builder hands over CSV blocks and touches the session only
after `sync()` (the queue drained). Any COPY error is raised in the builder at its next hand-over, at
`sync()` or at `close()`. On SQLite the rows are simply inserted in the caller's thread.
"""

from __future__ import annotations

import queue
import threading
import time

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.ledger import write

QUEUE_SIZE = 32  # table batches waiting: bounds the memory the builder can run ahead by


class CopyPipe:
    def __init__(self, session: Session):
        self.session = session
        self.threaded = session.get_bind().dialect.name == "postgresql"
        self.error: BaseException | None = None
        if self.threaded:
            self.raw = session.connection().connection.driver_connection
            self.queue: queue.Queue = queue.Queue(maxsize=QUEUE_SIZE)
            self.thread = threading.Thread(target=self._run, name="ledger-copy", daemon=True)
            self.thread.start()

    def insert(self, name: str, rows: list[dict]) -> None:
        if not rows:
            return
        if not self.threaded:
            write.insert(self.session, name, rows)
            return
        target = write.table(name)
        columns = list(rows[0])
        json_columns = [c for c in columns if isinstance(target.c[c].type, sa.JSON)]
        blocks = [write.csv_block(rows[i : i + 2000], columns, json_columns) for i in range(0, len(rows), 2000)]
        sql = f"COPY {name} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '{write.NULL}')"
        while True:
            self._raise()
            try:
                self.queue.put((name, sql, blocks), timeout=0.2)
                return
            except queue.Full:
                continue

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            try:
                if item is None:
                    return
                if self.error is None:
                    name, sql, blocks = item
                    started = time.perf_counter()
                    with self.raw.cursor() as cursor, cursor.copy(sql) as copy:
                        for block in blocks:
                            copy.write(block)
                    write.SECONDS[name] += time.perf_counter() - started
            except BaseException as error:  # noqa: BLE001 - handed to the builder thread
                self.error = error
            finally:
                self.queue.task_done()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def sync(self) -> None:
        """Wait until every batch handed over is written (the session is the caller's again)."""
        if self.threaded:
            self.queue.join()
        self._raise()

    def close(self, raise_errors: bool = True) -> None:
        if self.threaded and self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if raise_errors:
            self._raise()
