"""The supervisor's dashboard, the cases behind every figure, and the monthly report as PDF."""

import sqlalchemy as sa
from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes import clock, policy
from disputes.auth.guards import requires
from disputes.case_list import CasePage
from disputes.extensions import db
from disputes.metrics import drill, summary
from disputes.metrics import figures as F
from disputes.metrics import targets as metric_targets
from disputes.metrics.chart import trend_svg, year_on_year_svg
from disputes.metrics.dashboard import build, by_subtree, change
from disputes.metrics.output import display
from disputes.metrics.personal import own_figures
from disputes.metrics.scope import month_period
from disputes.metrics_web import bp, export
from disputes.metrics_web.params import choice, period_args, scope_of
from disputes.models import SlaTimer, User
from disputes.params import MAX_YEAR, MIN_YEAR, arg_page
from disputes.sla import board as sla_board
from disputes.sla.rules import current_rules
from disputes.web import replica
from disputes.web.downloads import document_language, pdf_response, table_response

PER_PAGE = 50
EXPORT_LIMIT = 50_000  # rows a drill-down download carries at most (a district's year is far fewer)


def trend_names() -> dict[str, str]:
    return {"accepted": _("Accepted"), "closed": _("Closed"), "pending": _("Pending cases")}


def year_on_year_names() -> dict[str, str]:
    return {
        "accepted": _("Accepted"),
        "closed": _("Closed"),
        "accepted_before": _("Accepted a year earlier"),
        "closed_before": _("Closed a year earlier"),
    }


@bp.app_template_filter("metric")
def metric_filter(value) -> str:
    """A figure's value as the reports show it: '66.1 %', '12', '35.5', or '—' for a rate over nothing."""
    return display(value)


def drill_url(args: dict):
    def url(key: str, part: str = "numerator", **extra) -> str:
        return url_for("reports.cases", figure=key, part=part, **{**args, **extra})

    return url


@bp.app_template_global()
def my_figures() -> dict | None:
    """A mediator's or an arbitrator's own figures for this year so far, for the work page: the cells as they stand
    after the fold the jobs path runs (the page writes nothing, as the dashboard)."""
    if not policy.can_view_own_figures(current_user):
        return None
    replica.bring_summary_up_to_date()
    return own_figures(db.session, current_user, clock.today_local(), fold_first=False)


@bp.route("/reports")
@requires(policy.can_view_reports)
def dashboard():
    """A read: the statistics' cells as they stand (the replica's when there is one). On the primary the fold of
    their change log goes through the jobs path first (a worker; inline without a broker), never this request."""
    c = choice()
    scope = scope_of(c)
    read = replica.session()  # the replica when there is one: it folds nothing, the beat job folds on the primary
    summary_current = replica.is_replica(read) or replica.bring_summary_up_to_date()
    periods = [c.period, c.period.previous(), c.period.year_before()]
    cells = summary.current(read, scope, periods, c.as_of, fold_first=False)
    dash = build(read, scope, c.period, c.as_of, cells=cells)
    today = clock.today_local()
    in_scope = SlaTimer.unit_id.in_(scope.unit_ids)
    deadlines = sla_board.tally(read, in_scope, sla_board.BoardFilter(), today)  # the groups and people: one count
    board, by_person_board = deadlines.totals, deadlines.people
    people_ids = set(dash.by_person) | {row.responsible_id for row in by_person_board if row.responsible_id}
    people = {u.id: u for u in read.scalars(sa.select(User).where(User.id.in_(people_ids)))} if people_ids else {}
    tree = policy.visible_units(db.session, current_user, whole_subtree=True)  # a supervisor's whole subtree
    unit_rows = by_subtree(dash, [u for u, _d in tree if u.path.startswith(c.unit.path) and u.id != c.unit.id])
    response = render_template(
        "reports/dashboard.html",
        c=c,
        dash=dash,
        figures=F.BY_KEY,
        change=change,
        targets=metric_targets.targets_for(read, c.unit),
        judge=metric_targets.judge,
        annual_title=lambda annual: _("%(n)s a year, pro rata for the period", n=f"{annual:,.0f}"),
        units=tree,
        unit_by_id={u.id: u for u, _d in tree},
        unit_depth={u.id: d for u, d in tree},
        unit_rows=unit_rows,
        rules=current_rules(read),
        people=people,
        board=board,
        board_people=by_person_board,
        within_days=sla_board.WITHIN_DAYS,
        drill=drill_url(period_args(c)),
        chart=trend_svg(dash.trend, trend_names(), _("Monthly trend of arbitration cases")),
        year_chart=year_on_year_svg(
            dash.trend, dash.trend_year_before, year_on_year_names(), _("Arbitration cases, this year and last")
        ),
        lag_s=replica.lag_seconds(read, with_summary=bool(cells), summary_current=summary_current),
        lag_on_replica=replica.is_replica(read),
    )
    return response


def _counted(c):
    figure = F.BY_KEY.get(request.args.get("figure", ""))
    part = request.args.get("part", "numerator")
    if figure is None or part not in ("numerator", "denominator"):
        abort(404)
    counted = drill.rows(figure, part, scope_of(c), c.period, c.as_of)
    if counted is None:
        abort(404)
    return figure, part, counted


def source_names() -> dict[str, str]:
    return {
        "arbitration": _("Arbitration"),
        "awards": _("Arbitration"),
        "award_due": _("Arbitration"),
        "mediation": _("Mediation"),
        "cases": _("Case"),
        "legal_aid": _("Legal aid"),
        "timers": _("Deadline"),
    }


@bp.route("/reports/cases.<any(csv, xlsx):fmt>")
@requires(policy.can_view_reports)
def cases_export(fmt):
    """The whole drill-down list (up to EXPORT_LIMIT rows) as a download."""
    c = choice()
    figure, part, counted = _counted(c)
    names = source_names()
    rows = drill.page(replica.session(), counted, 1, EXPORT_LIMIT)
    lines = (export.case_row(case, [names.get(source, source)]) for case, source, _row in rows)
    name = f"{figure.key}-{part}-{c.period.start.isoformat()}-{c.period.end.isoformat()}"
    return table_response(export.headers([_("Counted as")]), lines, fmt, name)


@bp.route("/reports/cases")
@requires(policy.can_view_reports)
def cases():
    c = choice()
    figure, part, counted = _counted(c)
    page = request.args.get("page", 1, type=arg_page)
    read = replica.session()
    pages = CasePage(cases=[], total=drill.count(read, counted), capped=False, page=page, per_page=PER_PAGE)
    rows = drill.page(read, counted, page, PER_PAGE)
    return render_template(
        "reports/cases.html",
        c=c,
        figure=figure,
        part=part,
        rows=rows,
        page=pages,
        link_args=period_args(c),
        sources=source_names(),
        lag_s=replica.lag_seconds(read, with_summary=False),
        lag_on_replica=replica.is_replica(read),
    )


@bp.route("/reports/monthly.pdf")
@requires(policy.can_view_reports)
def monthly():
    """A read, like the dashboard: the cells as they stand, the fold started through the jobs path first."""
    from disputes.metrics_web.monthly import monthly_pdf

    c = choice()
    try:
        year, number = (int(part) for part in request.args.get("month", "").split("-"))
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(year)
        period = month_period(year, number)
    except ValueError:
        abort(400)
    read = replica.session()
    summary_current = replica.is_replica(read) or replica.bring_summary_up_to_date()
    pdf = monthly_pdf(
        read, c.unit, period, c.as_of, document_language(), fold_first=False, summary_current=summary_current
    )
    return pdf_response(pdf, f"report-{c.unit.code}-{year:04d}-{number:02d}.pdf")
