"""The deadline board, the notification inbox, and the helpers the case page's timer panel calls."""

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import lazyload, selectinload

from disputes import clock, policy
from disputes.auth.guards import requires
from disputes.extensions import db
from disputes.models import Case, Role, Unit, User
from disputes.models.sla import Notification, SlaTimer
from disputes.models.user import UserRole
from disputes.sla import board as sla_board
from disputes.sla import events as sla_events
from disputes.sla import explain as sla_explain
from disputes.sla import owners
from disputes.sla.calendar_store import load_calendar, running_out
from disputes.sla.compute import explain
from disputes.sla.rules import current_rules
from disputes.sla.states import RuleKind
from disputes.sla_web import bp
from disputes.sla_web.forms import MarkReadForm
from disputes.web.formats import local_date, rule_title

INBOX_LIMIT = 200
MINE_BY_DEFAULT = (Role.ARBITRATOR, Role.MEDIATOR)
RESPONSIBLE_ROLES = (Role.ARBITRATOR, Role.MEDIATOR, Role.LEGAL_AID_OFFICER)


def _people(units: list[Unit]) -> list[User]:
    """Who can answer for a deadline (sla.owners) among the users of those units."""
    ids = [unit.id for unit in units]
    answerable = sa.select(UserRole.user_id).where(UserRole.role.in_(RESPONSIBLE_ROLES))
    return (
        list(
            db.session.scalars(
                sa.select(User)
                .where(User.unit_id.in_(ids), User.active.is_(True), User.id.in_(answerable))
                .order_by(User.display_name, User.id)
                .options(lazyload(User.role_rows))  # the picker shows names: their roles would be a statement more
            )
        )
        if ids
        else []
    )


@bp.route("/deadlines")
@requires(policy.can_read_cases)
def board():
    units = policy.visible_units(db.session, current_user)
    unit = next((u for u, _depth in units if u.id == request.args.get("unit", type=int)), None)
    view = request.args.get("view")
    if view not in ("mine", "all"):
        view = "mine" if current_user.has_role(*MINE_BY_DEFAULT) else "all"
    people = _people([u for u, _depth in units])
    person = None
    if view == "mine":
        person = current_user.id
    elif request.args.get("person", type=int) in {p.id for p in people}:
        person = request.args.get("person", type=int)
    rules = current_rules(db.session)
    rule_id = request.args.get("rule") if request.args.get("rule") in rules else None
    kind = request.args.get("kind") if request.args.get("kind") in (RuleKind.TASK, RuleKind.PERIOD) else None
    today = clock.today_local()
    week_of = today if request.args.get("when") == "week" else None
    filters = sla_board.BoardFilter(
        unit=unit, responsible_id=person, rule_id=rule_id, kind=RuleKind(kind) if kind else None, week_of=week_of
    )
    scope = policy.deadline_scope_parts(current_user, db.session)
    wanted = request.args.get("group")
    pages = {wanted: request.args.get("page", 1, type=int)} if wanted in sla_board.GROUPS else {}
    # One count for the groups and, on the whole unit's view, the "by person" lines (sla.board.tally).
    read = sla_board.read_board(db.session, scope, filters, today, pages=pages, by_person=view == "all")
    groups, by_person = read.groups, read.people
    calendar_end = running_out(db.session, today) if current_user.has_role(Role.SUPERVISOR) else None
    return render_template(
        "deadlines/board.html",
        groups=groups,
        units=units,
        people=people,
        rules=sorted(rules.values(), key=lambda r: r.rule_id),
        filters=filters,
        view=view,
        today=today,
        calendar_end=calendar_end,
        unit_by_id=sla_board.units_of(db.session, groups),
        by_person=by_person,
        within_days=sla_board.WITHIN_DAYS,
        week=sla_board.week_bounds(today),
        person_by_id=_users_by_id(
            [line.responsible_id for line in by_person],
            [*people, *(t.responsible for g in groups for t in g.timers if t.responsible is not None)],
        ),
    )


def _users_by_id(ids: list[int | None], known: list[User]) -> dict[int, User]:
    """The users of `ids`, from `known` (the page's people already loaded), a statement only for the others."""
    wanted = {i for i in ids if i is not None}
    found = {u.id: u for u in known if u.id in wanted}
    missing = wanted - found.keys()
    if missing:
        users = db.session.scalars(sa.select(User).where(User.id.in_(missing)).options(lazyload(User.role_rows)))
        found.update((u.id, u) for u in users)
    return found


@bp.route("/notifications")
@requires(policy.can_read_cases)
def notifications():
    mine = Notification.user_id == current_user.id
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(mine))
    rows = db.session.scalars(
        sa.select(Notification)
        .where(mine)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(INBOX_LIMIT)
        .options(selectinload(Notification.case), selectinload(Notification.timer).selectinload(SlaTimer.rule))
    ).all()
    return render_template("deadlines/notifications.html", notices=rows, total=total, form=MarkReadForm())


@bp.route("/notifications/read", methods=["POST"])
@requires(policy.can_read_cases)
def mark_read():
    form = MarkReadForm()
    if not form.validate_on_submit():
        abort(400)
    stmt = sa.update(Notification).where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
    if form.id.data:
        notice = db.session.get(Notification, form.id.data)
        if notice is None or notice.user_id != current_user.id:
            abort(404)
        stmt = stmt.where(Notification.id == form.id.data)
    db.session.execute(stmt.values(read_at=clock.now_utc()))
    flash(_("Marked as read.") if form.id.data else _("All notifications marked as read."), "success")
    return redirect(url_for("deadlines.notifications"))


@bp.app_context_processor
def unread_badge():
    def unread_notifications() -> int:
        """One COUNT on ix_notifications_user_unread, run only when the navigation asks."""
        if not (current_user.is_authenticated and policy.can_read_cases(current_user)):
            return 0
        if "unread_notifications" not in g:  # once a request: the board's page asks twice (navigation and button)
            g.unread_notifications = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Notification)
                .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
            )
        return g.unread_notifications

    return {"unread_notifications": unread_notifications}


@bp.app_template_global()
def case_timers(case: Case) -> list[sla_explain.TimerView]:
    """The case page's timer panel: every timer, open first, each with its rebuilt explanation."""
    timers = sla_explain.load_case_timers(db.session, case.id)
    if not timers:
        return []
    return sla_explain.case_timers(timers, load_calendar(db.session), clock.today_local())


@bp.app_template_global()
def explain_step(step) -> str:
    return explain(step, _, local_date)


@bp.app_template_global()
def timer_party(timer):
    """The party a timer runs for (a party's own period to sue or to apply for revocation), else None."""
    return sla_events.party_of(timer)


bp.add_app_template_global(owners.period_party, "period_party")
bp.add_app_template_global(rule_title)


@bp.app_template_global()
def rule_id_title(rule_id: str) -> str:
    """The current title of a rule named by its id (a timeline entry keeps the id), or the id if it is unknown."""
    rule = current_rules(db.session).get(rule_id)
    return rule_title(rule) if rule is not None else rule_id
