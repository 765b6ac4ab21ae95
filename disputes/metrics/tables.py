"""The official statistical tables 人社统MA1 (调解组织) and 人社统MA2 (仲裁机构) for a period and a unit subtree.

Each cell is one condition over the rows of one track (mediations for MA1, arbitrations for MA2) and a measure (1
for a count, the workers for 劳动者当事人数, an amount for 涉案金额): its value is SUM(CASE WHEN condition THEN
measure END) and its drill-down list the same rows WHERE condition — one definition for both, as sources.py does
for the dashboard's figures, so a count always equals the length of its list. Row definitions and their source:
docs/statistical_tables.md. No Flask here: the CLI, the page and the exports read the same `Table`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from disputes.i18n import N_
from disputes.metrics.causes import ORGANISATIONS, claim_cause, organisation_units
from disputes.metrics.scope import Period, Scope
from disputes.models import Arbitration, Case, Claim, Mediation
from disputes.models.enums import ClaimOutcome, DisputeCause
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


def claim_items(track, base: list[sa.ColumnElement[bool]]) -> sa.Subquery:
    """Per case of the track's rows in `base`, what its claims say, read once (not per cell): the main cause (the
    first claim's, by position then id), the amounts claimed, agreed or awarded and recovered, and how many claims
    there are, are supported, and are rejected or withdrawn (for the results of MA2)."""
    cases = sa.select(track.case_id).where(*base)
    ranked = (
        sa.select(
            Claim.case_id,
            claim_cause(Claim).label("cause"),
            Claim.amount,
            Claim.resolved_amount,
            Claim.recovered_amount,
            Claim.outcome,
            sa.func.row_number().over(partition_by=Claim.case_id, order_by=(Claim.position, Claim.id)).label("n"),
        )
        .where(Claim.case_id.in_(cases))
        .subquery("ranked_claims")
    )
    r = ranked.c
    against_worker = [ClaimOutcome.REJECTED.value, ClaimOutcome.WITHDRAWN.value]
    return (
        sa.select(
            r.case_id,
            sa.func.max(sa.case((r.n == 1, r.cause))).label("main_cause"),
            sa.func.coalesce(sa.func.sum(r.amount), 0).label("claimed"),
            sa.func.coalesce(sa.func.sum(r.resolved_amount), 0).label("resolved"),
            sa.func.coalesce(sa.func.sum(r.recovered_amount), 0).label("recovered"),
            sa.func.count().label("claims"),
            sa.func.count(sa.case((r.outcome == ClaimOutcome.SUPPORTED.value, 1))).label("supported"),
            sa.func.count(sa.case((r.outcome.in_(against_worker), 1))).label("against_worker"),
        )
        .group_by(r.case_id)
        .subquery("claim_items")
    )


def _sum(column) -> sa.ColumnElement:
    return sa.func.coalesce(column, 0)


def _intake(track, accepted_on, ended_on, period: Period, items: sa.Subquery) -> dict[str, tuple]:
    """The rows shared by both forms: (condition, measure) per row key, over one track's rows."""
    accepted = accepted_on.between(period.start, period.end)
    collective = sa.and_(accepted, Case.collective.is_(True))
    out = {
        "pending_start": (sa.and_(accepted_on < period.start, sa.or_(ended_on.is_(None), ended_on >= period.start)),),
        "accepted": (accepted,),
        "collective": (collective,),
        "workers": (accepted, Case.worker_count),
        "collective_workers": (collective, Case.worker_count),
        "by_cause": (accepted,),
        "pending_end": (sa.or_(ended_on.is_(None), ended_on > period.end),),
    }
    for cause in DisputeCause:
        main = sa.func.coalesce(items.c.main_cause, DisputeCause.OTHER.value)
        out[f"cause_{cause.value}"] = (sa.and_(accepted, main == cause.value),)
    return out


def _mediation_cells(period: Period, items: sa.Subquery) -> dict[str, tuple]:
    m = Mediation
    closed = m.ended_on.between(period.start, period.end)
    agreement = sa.and_(closed, m.state == MediationState.AGREEMENT)
    return {
        **_intake(m, m.accepted_on, m.ended_on, period, items),
        "closed": (closed,),
        "agreement": (agreement,),
        # 达成和解: the parties settling by themselves before the committee's agreement; nothing records it apart
        # from a withdrawal (docs/statistical_tables.md), so it counts no row.
        "settlement": (sa.false(),),
        "no_agreement": (sa.and_(closed, m.state.in_([MediationState.FAILED, MediationState.LAPSED])),),
        "withdrawn": (sa.and_(closed, m.state == MediationState.WITHDRAWN),),
        "amount_claimed": (closed, _sum(items.c.claimed)),
        "amount_agreed": (agreement, _sum(items.c.resolved)),
        "amount_recovered": (agreement, _sum(items.c.recovered)),
    }


def _arbitration_cells(period: Period, items: sa.Subquery) -> dict[str, tuple]:
    a = Arbitration
    closed = a.closed_on.between(period.start, period.end)
    award = sa.and_(closed, a.closure_type == ClosureType.AWARD)
    claims = _sum(items.c.claims)
    worker = sa.and_(award, claims > 0, items.c.supported == claims)
    employer = sa.and_(
        closed,
        sa.or_(
            a.closure_type.in_([ClosureType.WITHDRAWN, ClosureType.DEEMED_WITHDRAWN]),
            sa.and_(
                a.closure_type == ClosureType.AWARD,
                claims > 0,
                items.c.against_worker == claims,
            ),
        ),
    )
    decided = a.closure_type.in_([ClosureType.AWARD, ClosureType.MEDIATION_STATEMENT])
    return {
        **_intake(a, a.accepted_on, a.closed_on, period, items),
        "closed": (closed,),
        "by_method": (closed,),
        "method_mediation": (sa.and_(closed, a.closure_type == ClosureType.MEDIATION_STATEMENT),),
        "method_award": (award,),
        "method_other": (sa.and_(closed, a.closure_type.not_in([ClosureType.MEDIATION_STATEMENT, ClosureType.AWARD])),),
        "by_result": (closed,),
        "result_employer": (employer,),
        "result_worker": (worker,),
        "result_partly": (sa.and_(closed, sa.not_(worker), sa.not_(employer)),),
        "amount_claimed": (closed, _sum(items.c.claimed)),
        "amount_awarded": (sa.and_(closed, decided), _sum(items.c.resolved)),
        "amount_recovered": (sa.and_(closed, decided), _sum(items.c.recovered)),
    }


@dataclass(frozen=True)
class _Track:
    model: type
    accepted_on: sa.ColumnElement
    ended_on: sa.ColumnElement
    cells: Callable[[Period, sa.Subquery], dict[str, tuple]]


TRACKS = {
    "mediation": _Track(Mediation, Mediation.accepted_on, Mediation.ended_on, _mediation_cells),
    "arbitration": _Track(Arbitration, Arbitration.accepted_on, Arbitration.closed_on, _arbitration_cells),
}


def _base(track: _Track, period: Period, scope: Scope) -> list[sa.ColumnElement[bool]]:
    """The track's rows any cell may count: accepted by the period's end and not ended before its start."""
    clauses = [
        track.accepted_on.is_not(None),
        track.accepted_on <= period.end,
        sa.or_(track.ended_on.is_(None), track.ended_on >= period.start),
    ]
    if scope.unit_ids is not None:
        clauses.append(track.model.unit_id.in_(scope.unit_ids))
    return clauses


def _column_clause(form: FormDef, column: str, organisations: dict[str, tuple[int, ...]] | None):
    if column == TOTAL:
        return sa.true()
    return TRACKS[form.source].model.unit_id.in_(organisations[column])


def _organisations(session: Session, form: FormDef) -> dict[str, tuple[int, ...]] | None:
    return organisation_units(session) if len(form.columns) > 1 else None


def _measure(row: RowDef, spec: tuple):
    return spec[1] if row.measure != COUNT else sa.literal(1)


def compute(session: Session, form: FormDef, scope: Scope, period: Period) -> Table:
    """Every cell of the form, in one statement over the track's rows."""
    track = TRACKS[form.source]
    base = _base(track, period, scope)
    items = claim_items(track.model, base)
    specs = track.cells(period, items)
    organisations = _organisations(session, form)
    keys, sums = [], []
    for row in form.rows:
        spec = specs[row.key]
        for column in form.columns:
            condition = sa.and_(spec[0], _column_clause(form, column.key, organisations))
            keys.append((row.key, column.key))
            sums.append(sa.func.coalesce(sa.func.sum(sa.case((condition, _measure(row, spec)), else_=0)), 0))
    stmt = (
        sa.select(*sums)
        .select_from(track.model)
        .join(Case, Case.id == track.model.case_id)
        .outerjoin(items, items.c.case_id == track.model.case_id)
        .where(*base)
    )
    result = session.execute(stmt).one()
    table = Table(form, period, scope)
    for (row_key, column_key), value, row in zip(
        keys, result, (r for r in form.rows for _c in form.columns), strict=True
    ):
        table.values[(row_key, column_key)] = (
            Decimal(value).quantize(Decimal("0.01")) if row.measure == MONEY else int(value)
        )
    return table


def cell_rows(session: Session, form: FormDef, row_key: str, column_key: str, scope: Scope, period: Period):
    """The rows a cell counts, as a subquery (case_id, source, row_id, value) for `drill.page`/`drill.count`;
    KeyError for an unknown row or column."""
    row = next(r for r in form.rows if r.key == row_key) if row_key in {r.key for r in form.rows} else None
    if row is None or column_key not in {c.key for c in form.columns}:
        raise KeyError((row_key, column_key))
    track = TRACKS[form.source]
    base = _base(track, period, scope)
    items = claim_items(track.model, base)
    spec = track.cells(period, items)[row_key]
    condition = sa.and_(spec[0], _column_clause(form, column_key, _organisations(session, form)))
    return (
        sa.select(
            track.model.case_id.label("case_id"),
            sa.literal(form.source).label("source"),
            track.model.id.label("row_id"),
            _measure(row, spec).label("value"),
        )
        .select_from(track.model)
        .join(Case, Case.id == track.model.case_id)
        .outerjoin(items, items.c.case_id == track.model.case_id)
        .where(*base, condition)
        .subquery("cell")
    )


def cell_total(session: Session, rows: sa.Subquery) -> int | Decimal:
    """The sum of a drill-down list's measure (its length for a count cell)."""
    return session.scalar(sa.select(sa.func.coalesce(sa.func.sum(rows.c.value), 0)))
