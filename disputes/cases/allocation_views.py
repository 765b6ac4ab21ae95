"""The case page's routing and allocation: the route step, a hand assignment, a recorded conflict (回避), the bulk
reassign or move from the case list, and the reasons of allocations shown wherever one is."""

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from disputes import policy
from disputes.auth.guards import case_or_abort, requires
from disputes.cases import bp
from disputes.cases.allocation_forms import (
    AssignForm,
    BulkForm,
    ConflictForm,
    RouteForm,
)
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.labels import LABELS, label
from disputes.models import Allocation, Case, ClaimCategory, Role, Unit, User, UserRole
from disputes.web.formats import unit_name
from disputes.web.messages import attach_error, translate_error
from disputes.workflow import allocation, routing
from disputes.workflow.actions import ConflictError


def destination_choices(found: list[routing.Destination]) -> list[SelectChoice]:
    options = [SelectChoice("", _("Decide later (the case waits in the clerk's queue)"))]
    for d in found:
        if d.unit is None:
            options.append(SelectChoice(d.key, label(d.route)))
            continue
        # The separators are translated: full-width "：" and "（）" in Chinese (issue 16).
        text = _("%(route)s: %(unit)s", route=label(d.route), unit=unit_name(d.unit))
        if d.why:
            text = _("%(destination)s (%(why)s)", destination=text, why=_(d.why))
        options.append(SelectChoice(d.key, text))
    return options


def _holders(case: Case) -> list[User]:
    """The people who could hold the case: the mediators of its mediation's unit, the arbitrators of its
    arbitration's."""
    units = []
    if case.mediation is not None:
        units.append((case.mediation.unit_id, Role.MEDIATOR))
    if case.arbitration is not None:
        units.append((case.arbitration.unit_id, Role.ARBITRATOR))
    people = []
    for unit_id, role in units:
        people += db.session.scalars(
            sa.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(User.unit_id == unit_id, User.active.is_(True), UserRole.role == role)
            .order_by(User.id)
        ).all()
    return people


def _staff_choices(people: list[User]) -> list[SelectChoice]:
    return [SelectChoice(u.id, u.display_name) for u in people]


def allocation_context(case: Case, route_form=None, assign_form=None, conflict_form=None) -> dict:
    """What the case page's allocation card shows and offers."""
    rows = db.session.scalars(
        sa.select(Allocation).where(Allocation.case_id == case.id).order_by(Allocation.at.desc(), Allocation.id.desc())
    ).all()
    context = {
        "allocations": rows,
        "route_form": None,
        "assign_form": None,
        "conflict_form": None,
        "conflicts": allocation.conflicts(db.session, case),
    }
    if routing.can_route(current_user, case):
        form = route_form or RouteForm(formdata=None)
        form.destination.choices = destination_choices(routing.case_destinations(db.session, case))[1:]
        form.version.data = str(case.version_id)
        context["route_form"] = form
    holders = _holders(case)
    if holders and current_user.has_role(Role.CLERK, Role.SUPERVISOR) and policy.can_view_case(current_user, case):
        form = assign_form or AssignForm(formdata=None)
        form.user_id.choices = _staff_choices(holders)
        form.version.data = str(case.version_id)
        context["assign_form"] = form
        conflict = conflict_form or ConflictForm(formdata=None)
        conflict.user_id.choices = _staff_choices(holders)
        context["conflict_form"] = conflict
    return context


@bp.app_template_global()
def explain_reasons(parts) -> str:
    """An allocation's reasons, translated and joined:
    "rotation: next after 王振华; 李建华 skipped: away until 12-10"."""
    shown = []
    for message, params in parts:
        values = dict(params)
        if values.get("category") and values.get("value") in ClaimCategory._value2member_map_:
            values["value"] = str(LABELS[ClaimCategory][ClaimCategory(values["value"])])
        shown.append(_(message, **values))
    return ("；" if str(get_locale()).startswith("zh") else "; ").join(shown)


@bp.app_template_global()
def allocation_text(row: Allocation) -> str:
    return explain_reasons(allocation.explain(row))


def _field(form, error: DomainError, default: str) -> str:
    return error.field if error.field in form._fields else default


def _back(case: Case):
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="allocation"))


def _again(case: Case, status: int = 400, **forms):
    from disputes.cases.views import render_detail  # the case page

    return render_detail(case, status=status, **forms)


@bp.route("/cases/<int:case_id>/route", methods=["POST"])
@requires(policy.can_register_cases)
def route(case_id: int):
    case = case_or_abort(case_id, policy.can_edit_parties)
    form = RouteForm()
    form.destination.choices = destination_choices(routing.case_destinations(db.session, case))
    if form.is_stale(case):
        flash(translate_error(ConflictError()), "error")
        return _back(case)
    if not form.validate_on_submit():
        return _again(case, route_form=form)
    chosen, unit_id = routing.parse_destination(form.destination.data)
    try:
        routed = routing.route_case(
            db.session,
            case,
            current_user,
            chosen,
            unit_id,
            language=form.route_language.data,
            note=form.route_note.data or "",
        )
    except DomainError as error:
        db.session.rollback()
        attach_error(form, error, _field(form, error, "destination"))
        return _again(case, route_form=form)
    except sa.orm.exc.StaleDataError:
        db.session.rollback()
        flash(translate_error(ConflictError()), "error")
        return _back(case)
    flash_routed(routed)
    return _back(case)


def flash_routed(routed: routing.Routed) -> None:
    where = label(routed.route.route) + (f": {unit_name(routed.route.unit)}" if routed.route.unit else "")
    if routed.allocation is not None:
        flash(
            _(
                "Routed to %(where)s and given to %(name)s (%(why)s).",
                where=where,
                name=routed.allocation.user.display_name,
                why=allocation_text(routed.allocation),
            ),
            "success",
        )
    elif routed.not_allocated is not None:
        flash(
            _(
                "Routed to %(where)s; nobody was given it: %(why)s",
                where=where,
                why=translate_error(routed.not_allocated),
            ),
            "warning",
        )
    else:
        flash(_("Routed to %(where)s.", where=where), "success")


@bp.route("/cases/<int:case_id>/assign", methods=["POST"])
@requires(policy.can_read_cases)
def assign(case_id: int):
    case = case_or_abort(case_id, policy.can_view_case)
    form = AssignForm()
    form.user_id.choices = _staff_choices(_holders(case))
    if not current_user.has_role(Role.CLERK, Role.SUPERVISOR):
        abort(403)
    if form.is_stale(case):
        flash(translate_error(ConflictError()), "error")
        return _back(case)
    if not form.validate_on_submit():
        return _again(case, assign_form=form)
    try:
        row = allocation.assign_by_hand(
            db.session, case, current_user, db.session.get(User, form.user_id.data), form.reason.data
        )
    except DomainError as error:
        db.session.rollback()
        attach_error(form, error, _field(form, error, "user_id"))
        return _again(case, assign_form=form)
    flash(_("Given to %(name)s.", name=row.user.display_name), "success")
    return _back(case)


@bp.route("/cases/<int:case_id>/conflict", methods=["POST"])
@requires(policy.can_read_cases)
def conflict(case_id: int):
    case = case_or_abort(case_id, policy.can_view_case)
    form = ConflictForm()
    form.user_id.choices = _staff_choices(_holders(case))
    if not current_user.has_role(Role.CLERK, Role.SUPERVISOR):
        abort(403)
    if not form.validate_on_submit():
        return _again(case, conflict_form=form)
    try:
        allocation.record_conflict(
            db.session, case, current_user, db.session.get(User, form.user_id.data), form.reason.data
        )
    except DomainError as error:
        db.session.rollback()
        attach_error(form, error, _field(form, error, "user_id"))
        return _again(case, conflict_form=form)
    flash(_("Recorded: this person stands aside on the case."), "success")
    return _back(case)


def bulk_form(units: list[Unit]) -> BulkForm | None:
    """The case list's bulk form, for supervisors: the people and units of their district."""
    if not current_user.has_role(Role.SUPERVISOR):
        return None
    district = routing.district_of(current_user.unit)
    form = BulkForm(formdata=None) if request.method == "GET" else BulkForm()
    staff = (
        db.session.scalars(
            sa.select(User)
            .join(Unit, Unit.id == User.unit_id)
            .join(UserRole, UserRole.user_id == User.id)
            .where(
                User.active.is_(True),
                UserRole.role.in_((Role.MEDIATOR, Role.ARBITRATOR)),
                Unit.path.startswith(district.path),
            )
            .order_by(User.unit_id, User.id)
        )
        .unique()
        .all()
    )
    form.user_id.choices = [
        SelectChoice("", "—"),
        *[SelectChoice(u.id, f"{u.display_name} · {unit_name(u.unit)}") for u in staff],
    ]
    targets = [u for u in units if u.kind in allocation.ROLE_OF_UNIT and u.path.startswith(district.path)]
    form.unit_id.choices = [SelectChoice("", "—"), *[SelectChoice(u.id, unit_name(u)) for u in targets]]
    return form


@bp.route("/cases/bulk", methods=["POST"])
@requires(policy.can_read_cases)
def bulk():
    if not current_user.has_role(Role.SUPERVISOR):
        abort(403)
    units = db.session.scalars(sa.select(Unit).where(Unit.active.is_(True)).order_by(Unit.code)).all()
    form = bulk_form(units)
    back = form.next.data if (form.next.data or "").startswith("/cases") else url_for("cases.index")
    if not form.validate_on_submit() or not form.case_ids.data:
        flash(_("Choose cases, then a person or a unit, and say why."), "error")
        return redirect(back)
    cases = [
        c
        for c in db.session.scalars(sa.select(Case).where(Case.id.in_(form.case_ids.data[:500])))
        if policy.can_view_case(current_user, c)
    ]
    person = db.session.get(User, form.user_id.data) if form.action.data == "reassign" and form.user_id.data else None
    unit = db.session.get(Unit, form.unit_id.data) if form.action.data == "move" and form.unit_id.data else None
    try:
        result = allocation.bulk(db.session, current_user, cases, person=person, unit=unit, reason=form.reason.data)
    except DomainError as error:
        db.session.rollback()
        flash(translate_error(error), "error")
        return redirect(back)
    if result.done:
        flash(_("%(n)d cases reassigned or moved.", n=len(result.done)), "success")
    for case, error in result.refused:
        flash(f"{case.registry_no}: {translate_error(error)}", "error")
    return redirect(back)
