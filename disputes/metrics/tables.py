"""The official statistical tables 人社统MA1 (调解组织) and 人社统MA2 (仲裁机构) for a period and a unit subtree.

Each cell is one condition over the rows of one track (mediations for MA1, arbitrations for MA2) and a measure (1
for a count, the workers for 劳动者当事人数, an amount for 涉案金额): its value is SUM(CASE WHEN condition THEN
measure END) and its drill-down list the same rows WHERE condition — one definition for both, as sources.py does
for the dashboard's figures, so a count always equals the length of its list. Both read the facts rows the fold of
the statistics' change log keeps (models/statistical_fact.py, metrics/facts.py), one per accepted track row. Row
definitions and their source: docs/statistical_tables.md. No Flask here: the CLI, the page and the exports read
the same `Table`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.i18n import N_
from disputes.metrics.causes import ORGANISATIONS, organisation_units
from disputes.metrics.facts import select_facts
from disputes.metrics.scope import Period, Scope
from disputes.models import Arbitration, Mediation, StatisticalFact
from disputes.models.enums import DisputeCause
from disputes.workflow.states import ClosureType, MediationState

COUNT, WORKERS, MONEY = "count", "workers", "money"  # a cell's measure
TOTAL = "total"
FORMS = ("MA1", "MA2")


@dataclass(frozen=True)
class RowDef:
    key: str  # the documented identifier (JSON key)
    title: str  # N_() text
    level: int = 0  # indentation under the row above (其中)
    measure: str = COUNT


@dataclass(frozen=True)
class ColumnDef:
    key: str
    title: str


@dataclass(frozen=True)
class FormDef:
    key: str
    code: str  # 人社统MA1
    title: str
    source: str  # "mediation" | "arbitration": whose rows the cells count
    rows: tuple[RowDef, ...]
    columns: tuple[ColumnDef, ...]


@dataclass
class Table:
    form: FormDef
    period: Period
    scope: Scope
    values: dict[tuple[str, str], int | Decimal] = field(default_factory=dict)

    def value(self, row: str, column: str = TOTAL) -> int | Decimal:
        return self.values[(row, column)]

    def as_json(self) -> dict:
        """{row key: {column key: value}}, money as a string of two decimals."""
        return {
            r.key: {
                c.key: (f"{self.values[(r.key, c.key)]:.2f}" if r.measure == MONEY else self.values[(r.key, c.key)])
                for c in self.form.columns
            }
            for r in self.form.rows
        }


CAUSE_TITLES = {
    DisputeCause.REMUNERATION: N_("Remuneration"),
    DisputeCause.SOCIAL_INSURANCE: N_("Social insurance"),
    DisputeCause.CONTRACT: N_("Concluding, changing, rescinding or ending the contract"),
    DisputeCause.WORKING_TIME: N_("Working time and leave"),
    DisputeCause.EMPLOYMENT_RELATION: N_("Confirming the employment relation"),
    DisputeCause.WORK_INJURY: N_("Work injury"),
    DisputeCause.OTHER: N_("Other causes"),
}
CAUSE_ROWS = tuple(RowDef(f"cause_{c.value}", CAUSE_TITLES[c], 1) for c in DisputeCause)
INTAKE_ROWS = (
    RowDef("pending_start", N_("Pending from the previous period")),
    RowDef("accepted", N_("Accepted in the period")),
    RowDef("collective", N_("Collective disputes"), 1),
    RowDef("workers", N_("Workers involved (persons)"), 0, WORKERS),
    RowDef("collective_workers", N_("Workers in collective disputes"), 1, WORKERS),
    RowDef("by_cause", N_("Accepted, by dispute cause")),
    *CAUSE_ROWS,
)
ORGANISATION_TITLES = {
    "enterprise": N_("Enterprise mediation committees"),
    "street": N_("Township and street mediation organisations"),
    "arbitration": N_("Arbitration institution (before filing)"),
    "other": N_("Other organisations"),
}

MA1 = FormDef(
    "MA1",
    "人社统MA1",
    N_("Labour and personnel dispute mediation (mediation organisations)"),
    "mediation",
    (
        *INTAKE_ROWS,
        RowDef("closed", N_("Mediation cases closed")),
        RowDef("agreement", N_("Mediation agreement reached"), 1),
        RowDef("settlement", N_("Settlement reached"), 1),
        RowDef("no_agreement", N_("No agreement reached"), 1),
        RowDef("withdrawn", N_("Withdrawn at a party's request"), 1),
        RowDef("pending_end", N_("Pending at the end of the period")),
        RowDef("amount_claimed", N_("Amount involved (yuan)"), 0, MONEY),
        RowDef("amount_agreed", N_("Amount agreed (yuan)"), 1, MONEY),
        RowDef("amount_recovered", N_("Amount recovered (yuan)"), 1, MONEY),
    ),
    (
        ColumnDef(TOTAL, N_("Total")),
        *(ColumnDef(o, ORGANISATION_TITLES[o]) for o in ORGANISATIONS),
    ),
)
MA2 = FormDef(
    "MA2",
    "人社统MA2",
    N_("Labour and personnel dispute arbitration (arbitration institutions)"),
    "arbitration",
    (
        *INTAKE_ROWS,
        RowDef("closed", N_("Cases closed")),
        RowDef("by_method", N_("Closed, by method")),
        RowDef("method_mediation", N_("Arbitral mediation"), 1),
        RowDef("method_award", N_("Arbitral award"), 1),
        RowDef("method_other", N_("Other methods"), 1),
        RowDef("by_result", N_("Closed, by result")),
        RowDef("result_employer", N_("Employer prevailed"), 1),
        RowDef("result_worker", N_("Worker prevailed"), 1),
        RowDef("result_partly", N_("Both partly prevailed"), 1),
        RowDef("pending_end", N_("Pending at the end of the period")),
        RowDef("amount_claimed", N_("Amount involved (yuan)"), 0, MONEY),
        RowDef("amount_awarded", N_("Amount mediated or awarded (yuan)"), 1, MONEY),
        RowDef("amount_recovered", N_("Amount recovered (yuan)"), 1, MONEY),
    ),
    (ColumnDef(TOTAL, N_("Total")),),
)
BY_KEY = {"MA1": MA1, "MA2": MA2}
HEADINGS = ("by_cause", "by_method", "by_result")  # rows that only head their 其中 rows: equal to their parent's


# --- the conditions -------------------------------------------------------------------------------------------
#
# Every condition reads the facts of one track row (models/statistical_fact.py) through `f`: its unit, kind,
# main cause, collective flag and claim results as they are, and its dates only against the period's two bounds
# (`accepted_on` before or inside the period, `until` — the end, or 9999-12-31 while open — inside or after it).
# So `compute` may first group the rows by those attributes and the dates' classes, and evaluate each condition
# once per group on a representative (the group's earliest dates) with the group's sums as the measures: every row
# of a group gives a condition the same answer. `cell_rows` evaluates the same conditions row by row.


@dataclass(frozen=True)
class _Facts:
    """The columns the conditions read, and the measures: `n` rows, their workers and amounts."""

    organisation: sa.ColumnElement  # MA1's column of the row's unit ("total" for MA2)
    accepted_on: sa.ColumnElement
    until: sa.ColumnElement
    kind: sa.ColumnElement
    collective: sa.ColumnElement
    main_cause: sa.ColumnElement
    all_supported: sa.ColumnElement
    all_against: sa.ColumnElement
    n: sa.ColumnElement
    workers: sa.ColumnElement
    claimed: sa.ColumnElement
    resolved: sa.ColumnElement
    recovered: sa.ColumnElement


GROUP_KEYS = ("kind", "collective", "main_cause", "all_supported", "all_against")
SUMMED = ("workers", "claimed", "resolved", "recovered")


def _facts_of(columns, organisation, n=None) -> _Facts:
    return _Facts(
        **{k: columns[k] for k in (*GROUP_KEYS, "accepted_on", "until", *SUMMED)},
        organisation=organisation,
        n=sa.literal(1) if n is None else n,
    )


def _intake(f: _Facts, period: Period) -> dict[str, tuple]:
    """The rows shared by both forms: (condition, measure) per row key, over one track's rows."""
    accepted = f.accepted_on.between(period.start, period.end)
    collective = sa.and_(accepted, f.collective == sa.true())
    out = {
        "pending_start": (sa.and_(f.accepted_on < period.start, f.until >= period.start),),
        "accepted": (accepted,),
        "collective": (collective,),
        "workers": (accepted, f.workers),
        "collective_workers": (collective, f.workers),
        "by_cause": (accepted,),
        "pending_end": (f.until > period.end,),
    }
    for cause in DisputeCause:
        out[f"cause_{cause.value}"] = (sa.and_(accepted, f.main_cause == cause.value),)
    return out


def _mediation_cells(f: _Facts, period: Period) -> dict[str, tuple]:
    closed = f.until.between(period.start, period.end)
    agreement = sa.and_(closed, f.kind == MediationState.AGREEMENT.value)
    return {
        **_intake(f, period),
        "closed": (closed,),
        "agreement": (agreement,),
        # 达成和解: the parties settling by themselves before the committee's agreement; nothing records it apart
        # from a withdrawal (docs/statistical_tables.md), so it counts no row.
        "settlement": (sa.false(),),
        "no_agreement": (sa.and_(closed, f.kind.in_([MediationState.FAILED.value, MediationState.LAPSED.value])),),
        "withdrawn": (sa.and_(closed, f.kind == MediationState.WITHDRAWN.value),),
        "amount_claimed": (closed, f.claimed),
        "amount_agreed": (agreement, f.resolved),
        "amount_recovered": (agreement, f.recovered),
    }


def _arbitration_cells(f: _Facts, period: Period) -> dict[str, tuple]:
    closed = f.until.between(period.start, period.end)
    award = sa.and_(closed, f.kind == ClosureType.AWARD.value)
    worker = sa.and_(award, f.all_supported == sa.true())
    employer = sa.and_(
        closed,
        sa.or_(
            f.kind.in_([ClosureType.WITHDRAWN.value, ClosureType.DEEMED_WITHDRAWN.value]),
            sa.and_(f.kind == ClosureType.AWARD.value, f.all_against == sa.true()),
        ),
    )
    decided = f.kind.in_([ClosureType.AWARD.value, ClosureType.MEDIATION_STATEMENT.value])
    return {
        **_intake(f, period),
        "closed": (closed,),
        "by_method": (closed,),
        "method_mediation": (sa.and_(closed, f.kind == ClosureType.MEDIATION_STATEMENT.value),),
        "method_award": (award,),
        "method_other": (
            sa.and_(closed, f.kind.not_in([ClosureType.MEDIATION_STATEMENT.value, ClosureType.AWARD.value])),
        ),
        "by_result": (closed,),
        "result_employer": (employer,),
        "result_worker": (worker,),
        "result_partly": (sa.and_(closed, sa.not_(worker), sa.not_(employer)),),
        "amount_claimed": (closed, f.claimed),
        "amount_awarded": (sa.and_(closed, decided), f.resolved),
        "amount_recovered": (sa.and_(closed, decided), f.recovered),
    }


@dataclass(frozen=True)
class _Track:
    model: type
    accepted_on: sa.ColumnElement
    ended_on: sa.ColumnElement
    cells: Callable[[_Facts, Period], dict[str, tuple]]


TRACKS = {
    "mediation": _Track(Mediation, Mediation.accepted_on, Mediation.ended_on, _mediation_cells),
    "arbitration": _Track(Arbitration, Arbitration.accepted_on, Arbitration.closed_on, _arbitration_cells),
}


def facts_current(session: Session, fold_first: bool = True) -> bool:
    """Whether the facts rows can stand for the tracks. With `fold_first` (the CLI) a short change log is folded
    first (the caller commits); a page passes False, having started the fold through the jobs path, and reads the
    rows as they stand while the log is short (at most a fold behind, which the page says). A replica's session
    reads them as the last fold left them. False (a long log: an import, a rebuild under way) sends the caller to
    the live facts."""
    from disputes.metrics.summary import FOLD_LIMIT, READ_ONLY
    from disputes.metrics.summary.fold import fold_short, pending

    if session.info.get(READ_ONLY):
        return True
    if fold_first:
        return fold_short(session, FOLD_LIMIT)
    return pending(session, FOLD_LIMIT) <= FOLD_LIMIT


def _rows(session: Session, form: FormDef, scope: Scope, period: Period, live: bool, fold_first: bool = True):
    """The facts rows any cell of the form may count (accepted by the period's end, not ended before its start, in
    the scope): the stored ones, or when they are behind (or `live`) the same read from the track tables."""
    if live or not facts_current(session, fold_first):
        source = select_facts(form.source).subquery("live_facts")
    else:
        source = StatisticalFact.__table__
    c = source.c
    where = [c.source == form.source, c.accepted_on <= period.end, c.until >= period.start]
    if scope.unit_ids is not None:
        where.append(c.unit_id.in_(scope.unit_ids))
    return source, where


def _column_clause(f: _Facts, column: str):
    return sa.true() if column == TOTAL else f.organisation == column


def _organisation(session: Session, form: FormDef, unit_id) -> sa.ColumnElement:
    """MA1's column of a row's unit (the units' kinds read now, not stored: a unit's kind may change); MA2 has one.
    One CASE per statement (the unit ids written in: integers from the units table) rather than an IN list per
    cell."""
    if len(form.columns) == 1:
        return sa.literal_column(f"'{TOTAL}'")
    whens = [
        (unit_id.in_([sa.literal_column(str(int(i))) for i in ids]), sa.literal_column(f"'{organisation}'"))
        for organisation, ids in organisation_units(session).items()
        if ids
    ]
    return sa.case(*whens, else_=sa.literal_column("''")) if whens else sa.literal_column("''")


def _measure(f: _Facts, row: RowDef, spec: tuple):
    return spec[1] if row.measure != COUNT else f.n


def compute(
    session: Session, form: FormDef, scope: Scope, period: Period, live: bool = False, fold_first: bool = True
) -> Table:
    """Every cell of the form in one statement: the facts rows grouped by what the conditions read, then each cell
    summed over the groups."""
    source, where = _rows(session, form, scope, period, live, fold_first)
    c = source.c
    keys = ([c.unit_id] if len(form.columns) > 1 else []) + [c[k] for k in GROUP_KEYS]
    started = c.accepted_on < period.start  # the dates' classes (the base leaves no other)
    open_at_end = c.until > period.end
    groups = (
        sa.select(
            *keys,
            sa.func.min(c.accepted_on).label("accepted_on"),
            sa.func.min(c.until).label("until"),
            sa.func.count().label("n"),
            *(sa.func.sum(c[k]).label(k) for k in SUMMED),
        )
        .where(*where)
        .group_by(*keys, started, open_at_end)
        .subquery("fact_groups")
    )
    unit_id = groups.c.unit_id if len(form.columns) > 1 else None
    f = _facts_of(groups.c, _organisation(session, form, unit_id), groups.c.n)
    specs = TRACKS[form.source].cells(f, period)
    cells, sums = [], []
    for row in form.rows:
        spec = specs[row.key]
        for column in form.columns:
            condition = sa.and_(spec[0], _column_clause(f, column.key))
            cells.append((row, column.key))
            sums.append(sa.func.coalesce(sa.func.sum(sa.case((condition, _measure(f, row, spec)), else_=0)), 0))
    if session.get_bind().dialect.name == "postgresql":
        # A hash of the few hundred groups in memory rather than a sort of every row spilled to disk, which the
        # default 4 MB chooses for MA1's groups by unit (bench/README.md: 240 → 125 ms at 1,000,000 cases).
        session.execute(sa.text("SET LOCAL work_mem = '16MB'"))
    result = session.execute(sa.select(*sums).select_from(groups)).one()
    table = Table(form, period, scope)
    for (row, column_key), value in zip(cells, result, strict=True):
        table.values[(row.key, column_key)] = (
            Decimal(value).quantize(Decimal("0.01")) if row.measure == MONEY else int(value)
        )
    return table


def cell_rows(
    session: Session,
    form: FormDef,
    row_key: str,
    column_key: str,
    scope: Scope,
    period: Period,
    live: bool = False,
    fold_first: bool = True,
):
    """The rows a cell counts, as a subquery (case_id, source, row_id, value) for `drill.page`/`drill.count`;
    KeyError for an unknown row or column."""
    row = next(r for r in form.rows if r.key == row_key) if row_key in {r.key for r in form.rows} else None
    if row is None or column_key not in {c.key for c in form.columns}:
        raise KeyError((row_key, column_key))
    source, where = _rows(session, form, scope, period, live, fold_first)
    f = _facts_of(source.c, _organisation(session, form, source.c.unit_id))
    spec = TRACKS[form.source].cells(f, period)[row_key]
    condition = sa.and_(spec[0], _column_clause(f, column_key))
    return (
        sa.select(
            source.c.case_id.label("case_id"),
            sa.literal(form.source).label("source"),
            source.c.row_id.label("row_id"),
            _measure(f, row, spec).label("value"),
        )
        .where(*where, condition)
        .subquery("cell")
    )


def cell_total(session: Session, rows: sa.Subquery) -> int | Decimal:
    """The sum of a drill-down list's measure (its length for a count cell)."""
    return session.scalar(sa.select(sa.func.coalesce(sa.func.sum(rows.c.value), 0)))
