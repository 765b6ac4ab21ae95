"""The supervisor's dashboard, the cases behind every figure, and the monthly report as PDF."""
import sqlalchemy as sa
from flask import abort, make_response, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from disputes import clock, policy
from disputes.auth.guards import requires
from disputes.case_list import CasePage
from disputes.extensions import db
from disputes.metrics import figures as F
from disputes.metrics import targets as metric_targets
from disputes.metrics.chart import trend_svg
from disputes.metrics.dashboard import build, change
from disputes.metrics.drill import rows as drill_rows
from disputes.metrics.output import display
from disputes.metrics.scope import month_period
from disputes.models import Case, SlaTimer, Unit, User
from disputes.reports import bp
from disputes.reports.params import choice, period_args, readable_units, scope_of
from disputes.sla import board as sla_board

PER_PAGE = 50


def trend_names() -> dict[str, str]:
    return {"accepted": _("Accepted"), "closed": _("Closed"), "pending": _("Pending")}


def board_by_person(scope_clause, today):
    """Open timers per responsible person in each board group: one GROUP BY."""
    limits = sla_board.bounds(db.session)
    columns = [sa.func.sum(sa.case((sla_board.group_clause(key, today, limits), 1), else_=0)).label(key)
               for key in ("today", "soon", "overdue")]
    stmt = (sa.select(SlaTimer.responsible_id, *columns).where(scope_clause, SlaTimer.status.in_(["running", "breached"]))
            .group_by(SlaTimer.responsible_id))
    return [row for row in db.session.execute(stmt) if row.today or row.soon or row.overdue]


@bp.app_template_filter("metric")
def metric_filter(value) -> str:
    """A figure's value as the reports show it: '66.1 %', '12', '35.5', or '—' for a rate over nothing."""
    return display(value)


def drill_url(args: dict):
    def url(key: str, part: str = "numerator", **extra) -> str:
        return url_for("reports.cases", figure=key, part=part, **{**args, **extra})

    return url


@bp.route("/reports")
@requires(policy.can_view_reports)
def dashboard():
    c = choice()
    scope = scope_of(c)
    dash = build(db.session, scope, c.period, c.as_of)
    today = clock.today_local()
    in_scope = SlaTimer.unit_id.in_(scope.unit_ids)
    board = sla_board.counts(db.session, in_scope, sla_board.BoardFilter(), today)
    by_person_board = board_by_person(in_scope, today)
    people_ids = set(dash.by_person) | {row.responsible_id for row in by_person_board if row.responsible_id}
    people = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(people_ids)))} if people_ids else {}
    units = {u.id: u for u in db.session.scalars(sa.select(Unit).where(Unit.id.in_(list(dash.by_unit))))} \
        if dash.by_unit else {}
    response = render_template(
        "reports/dashboard.html", c=c, dash=dash, figures=F.BY_KEY, change=change,
        targets=metric_targets.targets_for(db.session, c.unit), meets=metric_targets.meets,
        units=readable_units(), unit_by_id=units, people=people, board=board, board_people=by_person_board,
        drill=drill_url(period_args(c)), chart=trend_svg(dash.trend, trend_names(), _("Monthly trend of arbitration cases")),
    )
    db.session.rollback()
    return response


@bp.route("/reports/cases")
@requires(policy.can_view_reports)
def cases():
    c = choice()
    figure = F.BY_KEY.get(request.args.get("figure", ""))
    part = request.args.get("part", "numerator")
    if figure is None or part not in ("numerator", "denominator"):
        abort(404)
    counted = drill_rows(figure, part, scope_of(c), c.period, c.as_of)
    if counted is None:
        abort(404)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(counted))
    page = max(1, request.args.get("page", 1, type=int))
    pages = CasePage(cases=[], total=total, capped=False, page=page, per_page=PER_PAGE)
    rows = db.session.execute(
        sa.select(Case, counted.c.source, counted.c.row_id).join(counted, Case.id == counted.c.case_id)
        .order_by(Case.id, counted.c.source, counted.c.row_id).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return render_template("reports/cases.html", c=c, figure=figure, part=part, rows=rows, page=pages,
                           link_args=period_args(c))


@bp.route("/reports/monthly.pdf")
@requires(policy.can_view_reports)
def monthly():
    from disputes.reports.monthly import monthly_pdf

    c = choice()
    try:
        year, number = (int(part) for part in request.args.get("month", "").split("-"))
        period = month_period(year, number)
    except ValueError:
        abort(400)
    pdf = monthly_pdf(db.session, c.unit, period, c.as_of, str(get_locale()))
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="report-{c.unit.code}-{year:04d}-{number:02d}.pdf"'
    return response
