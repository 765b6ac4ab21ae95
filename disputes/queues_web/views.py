"""“My work”: the signed-in user's queues, built by `disputes.queues`."""

from datetime import timedelta

from flask import Response, g, render_template, request, url_for
from flask_login import current_user

from disputes import clock, policy
from disputes.auth.guards import requires
from disputes.extensions import db
from disputes.models import Role
from disputes.queues import build_queues, routing
from disputes.queues.base import COUNT_CAP
from disputes.queues.my_cases import my_cases
from disputes.queues_web import bp
from disputes.web import ical
from disputes.workflow.session_calendar import own_events


@bp.route("/work")
@requires(policy.can_read_cases)
def index():
    queues = build_queues(db.session, current_user, clock.now_utc())
    for section in (s for queue in queues for s in queue.sections if routing.is_transfers(s)):
        g.pending_transfers = section.total  # the navigation's badge counts the same transfers: not again
    return render_template("work/index.html", queues=queues, count_cap=COUNT_CAP)


def can_hold_cases(user) -> bool:
    return user.is_authenticated and user.has_role(Role.MEDIATOR, Role.ARBITRATOR)


@bp.route("/work/mine")
@requires(can_hold_cases)
def mine():
    """“My cases”: what the signed-in mediator or arbitrator holds, next deadline first."""
    return render_template("work/mine.html", rows=my_cases(db.session, current_user))


ICAL_PAST_DAYS, ICAL_FUTURE_DAYS = 90, 366


@bp.route("/work/calendar.ics")
@requires(policy.can_read_cases)
def ical_export():
    """The signed-in user's hearings and mediation sessions (90 days back, a year ahead) as iCalendar."""
    today = clock.today_local()
    events = own_events(
        db.session, current_user, today - timedelta(days=ICAL_PAST_DAYS), today + timedelta(days=ICAL_FUTURE_DAYS)
    )
    body = ical.calendar(
        current_user.display_name,
        (
            {
                "uid": e.uid,
                "starts": e.starts,
                "ends": e.ends,
                "summary": e.summary,
                "location": e.location,
                "description": e.description,
                "url": url_for("cases.detail", case_id=e.url_case_id, _external=True),
            }
            for e in events
        ),
        clock.now_utc(),
        request.host.split(":")[0] or "disputes",
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'attachment; filename="calendar.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
