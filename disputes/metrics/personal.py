"""A mediator's or an arbitrator's own figures (their work page): this year's so far, read from the statistics
summary's cells per person — the counts the dashboard's "by person" table reads, so the panel and the dashboard's
drill-down lists for that person give the same numbers, at the cost of one small statement. Counted live over the
rows they are the person of (sources.person_clause), with the same result, only while the cells cannot answer
(a change log too long to fold on the spot)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from disputes.metrics import summary
from disputes.metrics.compute import compute, figure_set
from disputes.metrics.dashboard import BREAKDOWN_TERMS
from disputes.metrics.scope import Period, Scope, preset
from disputes.metrics.sources import ARBITRATION, MEDIATION
from disputes.metrics.summary import read
from disputes.models import Role, User

# The figures of the dashboard's "by person" table for each role, and the arbitrator's open caseload.
OWN_FIGURES = {
    Role.ARBITRATOR: (
        ARBITRATION,
        (
            "arbitration.accepted",
            "arbitration.closed",
            "arbitration.pending_end",
            "arbitration.closure_rate",
            "arbitration.on_time_rate",
            "arbitration.mediation_rate",
            "arbitration.average_days",
        ),
    ),
    Role.MEDIATOR: (MEDIATION, ("mediation.closed", "mediation.success_rate")),
}
TERMS = (*BREAKDOWN_TERMS, "pending_end")  # what the cells hold per person for these figures


def own_period(today: date) -> Period:
    """The calendar year (the dashboard's "Year"): whole months, which the cells answer; nothing is dated after
    today, so its figures are the year's so far, with `today` as the as-of date."""
    return preset("year", today)


def own_figures(session: Session, user: User, today: date, fold_first: bool = True) -> dict:
    """{'period', 'as_of', 'values', 'from_cells'}: the figures of the user's roles. The caller commits (reading
    the cells may first fold a short change log; a page passes `fold_first=False` and folds through the jobs path)."""
    period = own_period(today)
    sources, keys = (), ()
    for role, (source, role_keys) in OWN_FIGURES.items():
        if user.has_role(role):
            sources, keys = (*sources, source), (*keys, *role_keys)
    from_cells = summary.current(session, Scope(), [period], today, fold_first)
    if from_cells:
        per_person = read.counts(session, Scope(), [period], today, grouping="person", sources=sources, only=TERMS)
        values = figure_set(per_person[user.id][0] if user.id in per_person else {})  # nothing counted: zeros
    else:
        values = compute(session, Scope(person_id=user.id), period, today, sources=sources)
    return {"period": period, "as_of": today, "values": [values[key] for key in keys], "from_cells": from_cells}
