"""The monthly statistical report as PDF, through the documents' WeasyPrint renderer (no Flask needed, so the
CLI renders the same file)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from disputes.documents.render import html_to_pdf, render_html
from disputes.metrics import figures as F
from disputes.metrics import monthly, summary
from disputes.metrics.chart import trend_svg
from disputes.metrics.dashboard import change, trend, trend_period
from disputes.metrics.output import display
from disputes.metrics.scope import Period, unit_scope
from disputes.metrics.targets import targets_for
from disputes.models import Unit
from disputes.web import replica

RATES = (
    "arbitration.closure_rate",
    "arbitration.on_time_rate",
    "arbitration.due_closure_rate",
    "arbitration.mediation_rate",
    "arbitration.mediation_withdrawal_rate",
    "arbitration.final_award_share",
    "arbitration.finality_rate",
    "arbitration.finality_pending",
    "arbitration.average_days",
    "mediation.closed",
    "mediation.success_rate",
    "mediation.performance_rate",
    "overall.mediation_rate",
    "overall.mediation_success_rate",
    "overall.pre_court_resolution_rate",
    "legal_aid.granted",
    "legal_aid.decided_on_time_rate",
    "sla.breaches",
    "sla.on_time_rate",
)


def context(
    session: Session,
    unit: Unit,
    period: Period,
    as_of: date,
    lang: str,
    *,
    fold_first: bool = True,
    summary_current: bool = True,
) -> dict:
    """`fold_first` False reads the cells as they stand (a page); `summary_current` says whether they were brought
    up to date just before (else the report says they may lag by the fold's period)."""
    scope = unit_scope(session, unit)
    values = summary.figures(session, scope, period, as_of, fold_first)
    months = trend_period(period)
    return {
        "unit": unit,
        "period": period,
        "as_of": as_of,
        "table": monthly.table(session, scope, period, as_of),
        "values": values,
        "before": summary.figures(session, scope, period.previous(), as_of, fold_first),
        "year_before": summary.figures(session, scope, period.year_before(), as_of, fold_first),
        "change": change,
        "previous": period.previous(),
        "last_year": period.year_before(),
        "rates": RATES,
        "figures": F.BY_KEY,
        "display": display,
        "targets": targets_for(session, unit),
        "trend": trend(session, scope, months, summary.current(session, scope, [months], as_of, fold_first)),
        "trend_svg": trend_svg,
        "lag_s": replica.lag_seconds(session, with_summary=True, summary_current=summary_current),
        "lag_on_replica": replica.is_replica(session),
    }


def monthly_pdf(session: Session, unit: Unit, period: Period, as_of: date, lang: str, **reading: bool) -> bytes:
    """The report's PDF; `reading` as `context` takes it. With `fold_first` (the CLI's default) the statistics'
    change log may be folded on the way (the caller commits); the page passes False and writes nothing, nor does
    anything on a replica's session."""
    made = context(session, unit, period, as_of, lang, **reading)
    html = render_html("documents/monthly_report.html", made, lang)
    return html_to_pdf(html)
