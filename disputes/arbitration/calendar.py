"""The hearing calendar page: a week by room or by arbitrator."""

from datetime import date

from flask import render_template, request
from flask_babel import format_date
from flask_login import current_user

from disputes import clock, params, policy
from disputes.arbitration import bp
from disputes.auth.guards import requires
from disputes.extensions import db
from disputes.workflow.hearing_calendar import BY_ARBITRATOR, BY_ROOM, arbitrators_of, hearing_week, rooms_of


def _day(value: str | None) -> date:
    try:
        return params.parse_date(value) or clock.today_local()
    except ValueError:
        return clock.today_local()


@bp.route("/arbitration/calendar")
@requires(policy.can_read_cases)
def calendar():
    by = BY_ARBITRATOR if request.args.get("by") == BY_ARBITRATOR else BY_ROOM
    room_id = request.args.get("room", type=params.arg_id) if by == BY_ROOM else None
    arbitrator_id = request.args.get("arbitrator", type=params.arg_id) if by == BY_ARBITRATOR else None
    week = hearing_week(
        db.session,
        current_user,
        _day(request.args.get("week")),
        by,
        room_id=room_id,
        arbitrator_id=arbitrator_id,
        page=request.args.get("page", 1, type=int),
    )
    if by == BY_ROOM:
        options = [(r.id, r.name) for r in rooms_of(db.session, current_user.unit)]
    else:
        options = [(u.id, u.display_name) for u in arbitrators_of(db.session, current_user.unit)]
    day_labels = [format_date(d, "EEE M-d") for d in week.days]
    return render_template(
        "arbitration/calendar.html",
        week=week,
        by=by,
        options=options,
        day_labels=day_labels,
        chosen=room_id if by == BY_ROOM else arbitrator_id,
        this_day=clock.today_local(),
    )
