"""Bringing the summary up to date: take the change log the triggers wrote, work out which (unit, day) cells it
makes dirty (the cells it names, and every cell the logged cases are counted in now), refill them in metric_days
from the track tables, and add the difference to the month rows of metric_months. The official tables' facts rows
of the logged cases are read again in the same fold (metrics/facts.py).

Folds run one at a time (an advisory lock on PostgreSQL; SQLite has one writer anyway). Taking the log is one
DELETE … RETURNING, so a change committed meanwhile stays in the log for the next fold; refilling reads the tables
as they are, so folding a case twice does no harm."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.metrics import facts
from disputes.metrics.sources import AWARD_RULE
from disputes.metrics.summary import cells
from disputes.models import (
    Arbitration,
    Award,
    Case,
    LegalAidApplication,
    Mediation,
    MetricChange,
    MetricDay,
    MetricMonth,
    SlaTimer,
    Unit,
)
from disputes.ops import telemetry
from disputes.sql_dates import month_after, month_start

FOLD_LOCK = 0x6D657472  # pg_advisory_xact_lock key of the fold
TAKEN = sa.Table(
    "metric_taken",
    sa.MetaData(),
    sa.Column("case_id", sa.Integer),
    sa.Column("unit_id", sa.Integer),
    sa.Column("day", sa.Date),
)
DIRTY = sa.Table("metric_dirty_days", sa.MetaData(), sa.Column("unit_id", sa.Integer), sa.Column("day", sa.Date))
MONTHS = sa.Table(
    "metric_dirty_months",
    sa.MetaData(),
    sa.Column("unit_id", sa.Integer),
    sa.Column("month", sa.Date),
    sa.Column("next_month", sa.Date),
)


@dataclass(frozen=True)
class Folded:
    changes: int  # log rows taken
    cells: int  # day cells redone (-1: all of them)
    rebuilt: bool


def pending(session: Session, cap: int | None = None) -> int:
    """How many log rows wait for a fold (counted up to `cap` + 1)."""
    rows = sa.select(MetricChange.id)
    if cap is not None:
        rows = rows.limit(cap + 1)
    return session.scalar(sa.select(sa.func.count()).select_from(rows.subquery())) or 0


def _temporary(session: Session, postgres: bool) -> None:
    suffix = " ON COMMIT DELETE ROWS" if postgres else ""
    for table in (TAKEN, DIRTY, MONTHS):
        columns = ", ".join(f"{c.name} {c.type.compile(session.get_bind().dialect)}" for c in table.columns)
        session.execute(sa.text(f"CREATE TEMPORARY TABLE IF NOT EXISTS {table.name} ({columns}){suffix}"))
        session.execute(table.delete())


def _take(session: Session, postgres: bool) -> int:
    log = MetricChange.__table__
    if postgres:
        taken = log.delete().returning(log.c.case_id, log.c.unit_id, log.c.day).cte("taken")
        session.execute(TAKEN.insert().from_select(["case_id", "unit_id", "day"], sa.select(taken)))
        return session.scalar(sa.select(sa.func.count()).select_from(TAKEN))
    rows = session.execute(log.delete().returning(log.c.case_id, log.c.unit_id, log.c.day)).all()
    if rows:
        session.execute(TAKEN.insert(), [dict(r._mapping) for r in rows])
    return len(rows)


def _cells_of_cases() -> list[sa.Select]:
    """Every (unit, day) a logged case is counted in now."""
    cases = sa.select(TAKEN.c.case_id).where(TAKEN.c.case_id.is_not(None))
    a, w, m, la, t = Arbitration, Award, Mediation, LegalAidApplication, SlaTimer
    out = [
        sa.select(model.unit_id, day).where(model.case_id.in_(cases), day.is_not(None))
        for model, day in (
            (a, a.accepted_on),
            (a, a.closed_on),
            (m, m.ended_on),
            (m, m.agreement_signed_on),
            (la, la.decided_on),
            (t, t.breached_on),
            (t, t.completed_on),
        )
    ]
    out.append(sa.select(Case.unit_id, Case.closed_on).where(Case.id.in_(cases), Case.closed_on.is_not(None)))
    out.append(sa.select(a.unit_id, w.awarded_on).join(a, a.id == w.arbitration_id).where(a.case_id.in_(cases)))
    out.append(
        sa.select(a.unit_id, t.due_on)
        .join(t, t.case_id == a.case_id)  # the award deadline's cell
        .where(a.case_id.in_(cases), t.rule_id == AWARD_RULE, t.due_on.is_not(None))
    )
    return out


def _mark_dirty(session: Session, postgres: bool) -> int:
    named = sa.select(TAKEN.c.unit_id, TAKEN.c.day).where(TAKEN.c.unit_id.is_not(None), TAKEN.c.day.is_not(None))
    every_unit = (
        sa.select(Unit.id, TAKEN.c.day)
        .select_from(TAKEN)
        .join(Unit, sa.true())
        .where(TAKEN.c.unit_id.is_(None), TAKEN.c.day.is_not(None))
    )
    session.execute(DIRTY.insert().from_select(["unit_id", "day"], sa.union(named, every_unit, *_cells_of_cases())))
    month = month_start(DIRTY.c.day)
    months = sa.select(DIRTY.c.unit_id, month).distinct().subquery("months")
    session.execute(
        MONTHS.insert().from_select(
            ["unit_id", "month", "next_month"], sa.select(months.c.unit_id, months.c[1], month_after(months.c[1]))
        )
    )
    if postgres:
        session.execute(sa.text(f"ANALYZE {DIRTY.name}, {MONTHS.name}"))  # temporary tables have no statistics else
    return session.scalar(sa.select(sa.func.count()).select_from(DIRTY))


def _lock(session: Session, wait: bool) -> bool:
    if session.get_bind().dialect.name != "postgresql":
        return True
    if wait:
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(FOLD_LOCK)))
        return True
    return bool(session.scalar(sa.select(sa.func.pg_try_advisory_xact_lock(FOLD_LOCK))))


def fold_short(session: Session, limit: int) -> bool:
    """Fold the log if it holds at most `limit` rows and no other fold is running; True when the cells are then
    current (the caller commits)."""
    session.flush()
    waiting = pending(session, limit)
    if waiting == 0:
        return True
    if waiting > limit or not _lock(session, wait=False):
        return False
    fold(session)
    return True


@telemetry.timed(telemetry.FOLD_DURATION)
def fold(session: Session) -> Folded:
    """Redo the cells the log makes dirty (everything when it holds the everything-row); flushes, does not commit."""
    session.flush()
    _lock(session, wait=True)
    postgres = session.get_bind().dialect.name == "postgresql"
    _temporary(session, postgres)
    changes = _take(session, postgres)
    if not changes:
        return Folded(0, 0, False)
    everything = session.scalar(
        sa.select(sa.exists().where(TAKEN.c.case_id.is_(None), TAKEN.c.unit_id.is_(None), TAKEN.c.day.is_(None)))
    )
    if everything:
        facts.refresh(session, None)
        session.execute(sa.delete(MetricDay))
        session.execute(sa.delete(MetricMonth))
        cells.fill(session, None)
        cells.roll_up(session, None)
        return Folded(changes, -1, True)
    facts.refresh(session, sa.select(TAKEN.c.case_id).where(TAKEN.c.case_id.is_not(None)))
    dirty = _mark_dirty(session, postgres)
    if dirty:
        d, m = MetricDay.__table__, MetricMonth.__table__
        cells.roll_up(session, DIRTY, -1)
        session.execute(d.delete().where(sa.exists().where(DIRTY.c.unit_id == d.c.unit_id, DIRTY.c.day == d.c.day)))
        cells.fill(session, DIRTY)
        cells.roll_up(session, DIRTY, +1)
        session.execute(
            m.delete().where(
                m.c.n == 0,
                m.c.days == 0,
                sa.exists().where(MONTHS.c.unit_id == m.c.unit_id, MONTHS.c.month == m.c.month),
            )
        )
    return Folded(changes, dirty, False)


def rebuild(session: Session) -> Folded:
    """Everything again from the track tables (what migration 0010 asks for, and `flask metrics summary --rebuild`)."""
    session.add(MetricChange(case_id=None, unit_id=None, day=None))
    return fold(session)
