"""The official tables' facts (models/statistical_fact.py): how a track row's facts are read from the track tables,
cases and claims (`select_facts`, the one definition, also what a table reads live when the facts are behind), and
how they are refreshed — per case by the fold of the statistics' change log, whole by a rebuild or the migration."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from disputes.metrics.causes import claim_cause
from disputes.models import Arbitration, Case, Claim, Mediation, StatisticalFact
from disputes.models.enums import ClaimOutcome, DisputeCause

OPEN = date(9999, 12, 31)  # `until` of a row not ended
SOURCES = {
    # source: (track model, accepted, ended, kind)
    "mediation": (Mediation, Mediation.accepted_on, Mediation.ended_on, Mediation.state),
    "arbitration": (Arbitration, Arbitration.accepted_on, Arbitration.closed_on, Arbitration.closure_type),
}
COLUMNS = (
    "source",
    "row_id",
    "case_id",
    "unit_id",
    "accepted_on",
    "ended_on",
    "until",
    "kind",
    "collective",
    "workers",
    "main_cause",
    "claimed",
    "resolved",
    "recovered",
    "all_supported",
    "all_against",
)


def claim_items(cases: sa.Select | None) -> sa.Subquery:
    """Per case (of `cases`, or every case), what its claims say: the main cause (the first claim's, by position then
    id), the amounts claimed, agreed or awarded and recovered, and whether every claim was supported, or every one
    rejected or withdrawn (the results of MA2)."""
    ranked = sa.select(
        Claim.case_id,
        claim_cause(Claim).label("cause"),
        Claim.amount,
        Claim.resolved_amount,
        Claim.recovered_amount,
        Claim.outcome,
        sa.func.row_number().over(partition_by=Claim.case_id, order_by=(Claim.position, Claim.id)).label("n"),
    )
    if cases is not None:
        ranked = ranked.where(Claim.case_id.in_(cases))
    r = ranked.subquery("ranked_claims").c
    against_worker = [ClaimOutcome.REJECTED.value, ClaimOutcome.WITHDRAWN.value]
    claims = sa.func.count()
    return (
        sa.select(
            r.case_id,
            sa.func.max(sa.case((r.n == 1, r.cause))).label("main_cause"),
            sa.func.coalesce(sa.func.sum(r.amount), 0).label("claimed"),
            sa.func.coalesce(sa.func.sum(r.resolved_amount), 0).label("resolved"),
            sa.func.coalesce(sa.func.sum(r.recovered_amount), 0).label("recovered"),
            (sa.func.count(sa.case((r.outcome == ClaimOutcome.SUPPORTED.value, 1))) == claims).label("all_supported"),
            (sa.func.count(sa.case((r.outcome.in_(against_worker), 1))) == claims).label("all_against"),
        )
        .group_by(r.case_id)
        .subquery("claim_items")
    )


def select_facts(source: str, cases: sa.Select | None = None) -> sa.Select:
    """The facts of the track's accepted rows (of the cases `cases` selects, or all), columns as COLUMNS."""
    model, accepted, ended, kind = SOURCES[source]
    items = claim_items(cases)
    stmt = (
        sa.select(
            sa.literal(source, sa.String(12)).label("source"),
            model.id.label("row_id"),
            model.case_id.label("case_id"),
            model.unit_id.label("unit_id"),
            accepted.label("accepted_on"),
            ended.label("ended_on"),
            sa.func.coalesce(ended, OPEN).label("until"),
            sa.func.coalesce(sa.cast(kind, sa.String(40)), "").label("kind"),
            Case.collective.label("collective"),
            Case.worker_count.label("workers"),
            sa.func.coalesce(items.c.main_cause, DisputeCause.OTHER.value).label("main_cause"),
            sa.func.coalesce(items.c.claimed, 0).label("claimed"),
            sa.func.coalesce(items.c.resolved, 0).label("resolved"),
            sa.func.coalesce(items.c.recovered, 0).label("recovered"),
            sa.func.coalesce(items.c.all_supported, False).label("all_supported"),
            sa.func.coalesce(items.c.all_against, False).label("all_against"),
        )
        .select_from(model)
        .join(Case, Case.id == model.case_id)
        .outerjoin(items, items.c.case_id == model.case_id)
        .where(accepted.is_not(None))
    )
    if cases is not None:
        stmt = stmt.where(model.case_id.in_(cases))
    return stmt


def refresh(conn, cases: sa.Select | None) -> None:
    """Delete and re-read the facts of the cases `cases` selects (None: every case). `conn` is a Session or a
    Connection (the migration's); flushes nothing, commits nothing."""
    table = StatisticalFact.__table__
    delete = table.delete()
    if cases is not None:
        delete = delete.where(table.c.case_id.in_(cases))
    conn.execute(delete)
    for source in SOURCES:
        conn.execute(table.insert().from_select(list(COLUMNS), select_facts(source, cases)))
