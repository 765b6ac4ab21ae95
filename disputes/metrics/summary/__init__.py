"""The statistics' summary: counts per unit and day (metric_days), summed per month (metric_months), that the
dashboard, the monthly report and `flask metrics` read instead of the track tables when they can; redone cell by
cell from the change log the database triggers keep (see models/metric_cell.py). Whatever the cells cannot
answer is counted live."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from disputes.metrics import figures as F
from disputes.metrics.compute import ALL, compute, figure_set
from disputes.metrics.scope import Period, Scope
from disputes.metrics.summary import fold, read

READ_ONLY = "read_only"  # a session's info key: it reads a replica (disputes/web/replica.py)
FOLD_LIMIT = 20_000  # log rows a reader folds itself; a longer log (an import, a rebuild) is the background's


def current(session: Session, scope: Scope, periods: list[Period], as_of: date, fold_first: bool = True) -> bool:
    """Whether the cells can answer these periods for this scope, folding a short log first (the caller commits);
    False sends the caller to the live counts. With `fold_first` False (a page: GETs do not write) or on a
    read-only session (a replica's, marked with READ_ONLY in its info) nothing is folded: the cells are as the last
    fold (the beat job, or the jobs path a page starts) left them."""
    if not read.answerable(scope, periods):
        return False
    if fold_first and not session.info.get(READ_ONLY) and not fold.fold_short(session, FOLD_LIMIT):
        return False
    return read.as_of_covered(session, as_of)


def figures(session: Session, scope: Scope, period: Period, as_of: date, fold_first: bool = True) -> dict[str, F.Value]:
    """Every figure of metrics.md for one period: from the cells when they answer, else `compute`."""
    if current(session, scope, [period], as_of, fold_first):
        return figure_set(read.counts(session, scope, [period], as_of)[ALL][0])
    return compute(session, scope, period, as_of)
