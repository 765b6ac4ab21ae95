"""The hearing calendar page: a week by room or by arbitrator."""

from datetime import date, datetime, time

from babel.dates import format_skeleton
from flask import render_template, request
from flask_babel import format_date, get_locale
from flask_login import current_user

from disputes import clock, params, policy
from disputes.arbitration import bp
from disputes.auth.guards import requires
from disputes.extensions import db
from disputes.workflow.hearing_calendar import (
    BY_ARBITRATOR,
    BY_ROOM,
    arbitrators_of,
    free_rooms,
    hearing_month,
    hearing_week,
    rooms_of,
    row_day,
)
from disputes.workflow.hearings import earliest_hearing_day, notice_days


def _day(value: str | None) -> date:
    try:
        return params.parse_date(value) or clock.today_local()
    except ValueError:
        return clock.today_local()


def _time(value: str | None, default: time) -> time:
    try:
        return time.fromisoformat(value) if value else default
    except ValueError:
        return default


def _free(anchor: date) -> dict | None:
    """The free rooms of the user's units for a day and slot (`free`, `from`, `to`), when asked."""
    if "free" not in request.args:
        return None
    day = _day(request.args.get("free")) or anchor
    starts, ends = _time(request.args.get("from"), time(9)), _time(request.args.get("to"), time(12))
    if ends <= starts:
        starts, ends = ends, starts
    lower = datetime.combine(day, starts, tzinfo=clock.LOCAL_TZ)
    upper = datetime.combine(day, ends, tzinfo=clock.LOCAL_TZ)
    return {"day": day, "from": starts, "to": ends, "rooms": free_rooms(db.session, current_user.unit, lower, upper)}


@bp.route("/arbitration/calendar")
@requires(policy.can_read_cases)
def calendar():
    if request.args.get("view") == "month":
        anchor = _day(request.args.get("week"))
        return render_template(
            "arbitration/calendar_month.html",
            month=hearing_month(db.session, current_user, anchor),
            month_label=format_skeleton("yMMMM", anchor, locale=get_locale()),
            weekday_labels=[format_date(date(2026, 11, 23 + i), "EEE") for i in range(7)],
            this_day=clock.today_local(),
            earliest=earliest_hearing_day(db.session),
            notice_days=notice_days(db.session),
            free=_free(anchor),
        )
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
    day_list = _day_list(by)
    return render_template(
        "arbitration/calendar.html",
        week=week,
        by=by,
        options=options,
        day_labels=day_labels,
        chosen=room_id if by == BY_ROOM else arbitrator_id,
        this_day=clock.today_local(),
        earliest=earliest_hearing_day(db.session),
        notice_days=notice_days(db.session),
        free=_free(week.monday),
        day_list=day_list,
        day_row=next((row.label for row in week.rows if day_list and row.key == day_list.key), None),
    )


def _day_list(by: str):
    """One row's day, paged, when a cell's "+k more" asks: `day`, `dpage` and the row, `day_room` (a room id or
    "online") by room or `day_arbitrator` (an arbitrator's id) by arbitrator."""
    if "day" not in request.args:
        return None
    if by == BY_ARBITRATOR:
        key = request.args.get("day_arbitrator", type=params.arg_id)
        online = False
    else:
        online = request.args.get("day_room") == "online"
        key = None if online else request.args.get("day_room", type=params.arg_id)
    if key is None and not online:
        return None
    return row_day(
        db.session, current_user, by, key, _day(request.args.get("day")), request.args.get("dpage", 1, type=int)
    )
