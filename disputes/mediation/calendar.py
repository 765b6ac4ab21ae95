"""The mediation session calendar page: a week or a month of sessions, for a unit or a mediator."""

from datetime import date

import sqlalchemy as sa
from babel.dates import format_skeleton
from flask import render_template, request
from flask_babel import format_date, get_locale
from flask_login import current_user

from disputes import clock, params, policy
from disputes.auth.guards import requires
from disputes.extensions import db
from disputes.mediation import bp
from disputes.models import Role, User, UserRole
from disputes.organisation import subtree
from disputes.workflow.session_calendar import session_span


def _day(value: str | None) -> date:
    try:
        return params.parse_date(value) or clock.today_local()
    except ValueError:
        return clock.today_local()


def _mediators() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.MEDIATOR, User.active.is_(True), User.unit_id.in_(subtree(current_user.unit)))
            .order_by(User.display_name, User.id)
        )
    )


@bp.route("/mediation/calendar")
@requires(policy.can_read_cases)
def calendar():
    view = "month" if request.args.get("view") == "month" else "week"
    units = policy.visible_units(db.session, current_user)
    unit = next((u for u, _depth in units if u.id == request.args.get("unit", type=int)), None)
    mediators = _mediators()
    wanted = request.args.get("mediator", type=int)
    if wanted is None and "mediator" not in request.args and current_user.has_role(Role.MEDIATOR):
        wanted = current_user.id  # a mediator sees their own sessions first
    mediator = next((m for m in mediators if m.id == wanted), None)
    anchor = _day(request.args.get("week"))
    span = session_span(
        db.session, current_user, anchor, view, unit=unit, mediator_id=mediator.id if mediator else None
    )
    title = (
        format_skeleton("yMMMM", span.first, locale=get_locale())
        if view == "month"
        else f"{format_date(span.weeks[0][0].day)} – {format_date(span.weeks[0][-1].day)}"
    )
    return render_template(
        "mediation/calendar.html",
        span=span,
        view=view,
        title=title,
        units=units,
        unit=unit,
        mediators=mediators,
        mediator=mediator,
        weekday_labels=[format_date(date(2026, 11, 23 + i), "EEE") for i in range(7)],
        this_day=clock.today_local(),
    )
