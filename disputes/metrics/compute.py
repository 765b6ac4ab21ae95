"""Counts per term as GROUP BY statements: one statement per track table gives every term of every period asked
for (the period and the one before it, say), optionally per unit, person or claim category — never a figure set
per group, never a walk over cases."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.metrics import figures as F
from disputes.metrics.scope import Period, Scope
from disputes.metrics.sources import (
    ARBITRATION,
    ARBITRATION_ROWS,
    AWARDS,
    CASES,
    DUE,
    LEGAL_AID,
    MEDIATION,
    SOURCES,
    TIMERS,
    Source,
    arbitration_days,
    case_categories,
    suspended_days,
)
from disputes.models import CaseAssignment, LegalAidApplication, Mediation, Role, SlaTimer

ALL = "all"
ALL_SOURCES = (ARBITRATION, AWARDS, DUE, MEDIATION, CASES, LEGAL_AID, TIMERS)
GROUPINGS = (ALL, "unit", "person", "category")


@contextmanager
def without_jit(session: Session) -> Iterator[None]:
    """PostgreSQL would JIT-compile these aggregates (their estimates are large), costing more than it saves."""
    if session.get_bind().dialect.name != "postgresql" or session.info.get("metrics_without_jit"):
        yield
        return
    session.info["metrics_without_jit"] = True
    previous, memory = session.execute(sa.text("SELECT current_setting('jit'), current_setting('work_mem')")).one()
    # Room to hash the IN (subquery) sets of sources.py (a few MB of ids at a million cases), this transaction only.
    session.execute(sa.text("SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)"))
    try:
        yield
    finally:
        session.info.pop("metrics_without_jit", None)
        session.execute(
            sa.text("SELECT set_config('jit', :jit, true), set_config('work_mem', :memory, true)"),
            {"jit": previous, "memory": memory},
        )


def _group(
    source: Source, grouping: str, stmt: sa.Select, rows: sa.Select, postgres: bool
) -> tuple[sa.Select, sa.ColumnElement | None]:
    """The GROUP BY key; a person or a category is joined through (case, key) pairs made distinct, so a case with
    two claims of one category, or assigned twice to one person, still counts once in that group. PostgreSQL
    gets them per row through LATERAL (index probes by case); SQLite, which has no LATERAL, a semi-join."""
    if grouping == ALL:
        return stmt, None
    if grouping == "unit":
        return stmt, source.unit_col
    if grouping == "category":
        pairs, on, category = case_categories(source.case_col, postgres, rows)
        return stmt.join(pairs, on), category
    # person
    direct = {
        MEDIATION: Mediation.mediator_id,
        LEGAL_AID: LegalAidApplication.decided_by_id,
        TIMERS: SlaTimer.responsible_id,
    }
    if source.name in direct:
        return stmt, direct[source.name]
    arbitrators = [CaseAssignment.role == Role.ARBITRATOR] if source.name in ARBITRATION_ROWS else []
    if postgres:
        people = (
            sa.select(CaseAssignment.user_id)
            .where(CaseAssignment.case_id == source.case_col, *arbitrators)
            .distinct()
            .lateral("people")
        )
        return stmt.join(people, sa.true()), people.c.user_id
    people = (
        sa.select(CaseAssignment.case_id, CaseAssignment.user_id)
        .where(CaseAssignment.case_id.in_(rows), *arbitrators)
        .distinct()
        .subquery("people")
    )
    return stmt.join(people, people.c.case_id == source.case_col), people.c.user_id


def source_counts(
    session: Session,
    source_name: str,
    scope: Scope,
    periods: list[Period],
    as_of: date,
    grouping: str = ALL,
    only: tuple[str, ...] | None = None,
) -> dict[object, list[dict[F.Term, int]]]:
    """{group: [{term: count} for each period]} for one track table, in one statement (`only`: just these terms)."""
    source = SOURCES[source_name]
    wanted = [name for name in F.terms_of(source_name) if only is None or name in only]
    columns, labels = [], []
    suspended = suspended_days() if F.DAYS in wanted else None
    for index, period in enumerate(periods):
        conditions = source.conditions(period, as_of)
        for name in wanted:
            label = f"p{index}_{name}"
            if name == F.DAYS:
                columns.append(sa.func.coalesce(sa.func.sum(arbitration_days(period, suspended)), 0).label(label))
            else:
                columns.append(sa.func.coalesce(sa.func.sum(sa.case((conditions[name], 1), else_=0)), 0).label(label))
            labels.append((index, F.Term(source_name, name), label))
    start, end = min(p.start for p in periods), max(p.end for p in periods)
    where = [source.base(start, end), *source.scope_clauses(scope)]
    stmt = sa.select(*columns).select_from(source.model).where(*where)
    if suspended is not None:
        stmt = stmt.outerjoin(suspended, suspended.c.arbitration_id == source.row_col)
    postgres = session.get_bind().dialect.name == "postgresql"
    stmt, key = _group(source, grouping, stmt, sa.select(source.case_col).where(*where), postgres)
    if key is not None:
        stmt = stmt.add_columns(key.label("group_key")).group_by(key)
    out: dict[object, list[dict]] = {}
    for row in session.execute(stmt).mappings():
        group = row["group_key"] if key is not None else ALL
        per_period = [{} for _ in periods]
        for index, term, label in labels:
            per_period[index][term] = int(row[label])  # PostgreSQL sums are Decimal
        out[group] = per_period
    return out


def counts(
    session: Session,
    scope: Scope,
    periods: list[Period],
    as_of: date,
    grouping: str = ALL,
    sources: tuple[str, ...] = ALL_SOURCES,
    only: tuple[str, ...] | None = None,
) -> dict[object, list[dict]]:
    """Every term's count, merged over the track tables: {group: [{term: count} per period]}."""
    merged: dict[object, list[dict]] = defaultdict(lambda: [{} for _ in periods])
    with without_jit(session):
        for name in sources:
            for group, per_period in source_counts(session, name, scope, periods, as_of, grouping, only).items():
                for index, terms in enumerate(per_period):
                    merged[group][index].update(terms)
    return dict(merged)


def figure_set(terms: dict[F.Term, int | float]) -> dict[str, F.Value]:
    return {figure.key: F.evaluate(figure, terms) for figure in F.FIGURES}


def total(groups: dict[object, list[dict]], periods: int) -> list[dict[F.Term, int | float]]:
    """Sum of the groups of a grouping by unit (disjoint groups) into the scope's totals."""
    out = [defaultdict(int) for _ in range(periods)]
    for per_period in groups.values():
        for index, terms in enumerate(per_period):
            for term, value in terms.items():
                out[index][term] += value
    return [dict(t) for t in out]


def compute(
    session: Session, scope: Scope, period: Period, as_of: date, sources: tuple[str, ...] = ALL_SOURCES
) -> dict[str, F.Value]:
    """Every figure of metrics.md for one period: one statement per track table (figures of the tables left out
    of `sources` come out as 0)."""
    return figure_set(counts(session, scope, [period], as_of, sources=sources).get(ALL, [{}])[0])
