"""“My work”: the signed-in user's queues, built by `disputes.queues`."""

from flask import render_template
from flask_login import current_user

from disputes import clock, policy
from disputes.auth.guards import requires
from disputes.extensions import db
from disputes.models import Role
from disputes.queues import build_queues
from disputes.queues.base import COUNT_CAP
from disputes.queues.my_cases import my_cases
from disputes.queues_web import bp


@bp.route("/work")
@requires(policy.can_read_cases)
def index():
    queues = build_queues(db.session, current_user, clock.now_utc())
    return render_template("work/index.html", queues=queues, count_cap=COUNT_CAP)


def can_hold_cases(user) -> bool:
    return user.is_authenticated and user.has_role(Role.MEDIATOR, Role.ARBITRATOR)


@bp.route("/work/mine")
@requires(can_hold_cases)
def mine():
    """“My cases”: what the signed-in mediator or arbitrator holds, next deadline first."""
    return render_template("work/mine.html", rows=my_cases(db.session, current_user))
