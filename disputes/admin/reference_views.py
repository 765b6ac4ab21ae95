"""Admin pages for reference data: minimum wages (the final-award threshold), the finality rules per region and
hearing rooms."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from disputes import policy, reference
from disputes.admin import bp
from disputes.admin.reference_forms import FinalityRuleForm, HearingRoomEditForm, HearingRoomForm, MinimumWageForm
from disputes.administration import settings
from disputes.auth.guards import requires
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.models import FinalityRule, Hearing, HearingRoom, MinimumWage, Unit, UnitKind
from disputes.params import arg_id
from disputes.web.formats import local_date, unit_name
from disputes.web.messages import attach_error

# --- minimum wages ----------------------------------------------------------------------


@bp.route("/minimum-wages")
@requires(policy.can_administer)
def minimum_wages():
    return render_template("admin/minimum_wages.html", regions=reference.by_region(db.session))


def _wage_input(form: MinimumWageForm) -> reference.WageInput:
    return reference.WageInput(
        form.region_code.data, form.region_name.data, form.effective_from.data, form.monthly_amount.data
    )


def _wage_saved(row: MinimumWage, added: bool):
    params = {"region": row.region_name, "date": local_date(row.effective_from)}
    if added:
        flash(_("Minimum wage of %(region)s from %(date)s added.", **params), "success")
    else:
        flash(_("Minimum wage of %(region)s from %(date)s saved.", **params), "success")
    return redirect(url_for("admin.minimum_wages"))


@bp.route("/minimum-wages/new", methods=["GET", "POST"])
@requires(policy.can_administer)
def minimum_wage_new():
    form = MinimumWageForm()
    if request.method == "GET" and request.args.get("region"):
        latest = db.session.scalar(
            sa.select(MinimumWage)
            .where(MinimumWage.region_code == request.args["region"])
            .order_by(MinimumWage.effective_from.desc())
            .limit(1)
        )
        if latest is not None:
            form.region_code.data, form.region_name.data = latest.region_code, latest.region_name
    if form.validate_on_submit():
        try:
            row = settings.add_minimum_wage(db.session, current_user, _wage_input(form))
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            return _wage_saved(row, added=True)
    return render_template("admin/minimum_wage_form.html", form=form, row=None)


def _wage_or_404(wage_id: int) -> MinimumWage:
    return db.session.get(MinimumWage, wage_id) or abort(404)


@bp.route("/minimum-wages/<int:wage_id>", methods=["GET", "POST"])
@requires(policy.can_administer)
def minimum_wage_edit(wage_id: int):
    row = _wage_or_404(wage_id)
    form = MinimumWageForm(obj=row)
    if form.validate_on_submit():
        try:
            settings.update_minimum_wage(db.session, current_user, row, _wage_input(form))
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            return _wage_saved(row, added=False)
    return render_template(
        "admin/minimum_wage_form.html", form=form, row=row, used_by=reference.awards_using(db.session, row)
    )


@bp.route("/minimum-wages/<int:wage_id>/delete", methods=["POST"])
@requires(policy.can_administer)
def minimum_wage_delete(wage_id: int):
    row = _wage_or_404(wage_id)
    region, start = row.region_name, row.effective_from
    settings.delete_minimum_wage(db.session, current_user, row)
    flash(_("Minimum wage of %(region)s from %(date)s deleted.", region=region, date=local_date(start)), "success")
    return redirect(url_for("admin.minimum_wages"))


# --- hearing rooms ----------------------------------------------------------------------


@bp.route("/hearing-rooms")
@requires(policy.can_administer)
def hearing_rooms():
    rooms = db.session.scalars(sa.select(HearingRoom).join(Unit).order_by(Unit.code, HearingRoom.name)).all()
    grouped: dict[Unit, list[HearingRoom]] = {}
    for room in rooms:
        grouped.setdefault(room.unit, []).append(room)
    counts = dict(
        db.session.execute(
            sa.select(Hearing.room_id, sa.func.count()).where(Hearing.room_id.is_not(None)).group_by(Hearing.room_id)
        ).all()
    )
    return render_template("admin/hearing_rooms.html", grouped=grouped, hearing_counts=counts)


def _commission_choices() -> list[SelectChoice]:
    units = db.session.scalars(
        sa.select(Unit).where(Unit.kind == UnitKind.ARBITRATION_COMMISSION).order_by(Unit.active.desc(), Unit.code)
    )
    return [SelectChoice(u.id, unit_name(u)) for u in units]


@bp.route("/hearing-rooms/new", methods=["GET", "POST"])
@requires(policy.can_administer)
def hearing_room_new():
    form = HearingRoomForm()
    form.unit_id.choices = _commission_choices()
    if request.method == "GET":
        form.unit_id.data = request.args.get("unit", type=arg_id)
    if form.validate_on_submit():
        try:
            room = settings.add_hearing_room(
                db.session,
                current_user,
                db.session.get(Unit, form.unit_id.data),
                form.name.data,
                active=form.active.data,
            )
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("Hearing room %(name)s added.", name=room.name), "success")
            return redirect(url_for("admin.hearing_rooms"))
    return render_template("admin/hearing_room_form.html", form=form, room=None)


@bp.route("/hearing-rooms/<int:room_id>", methods=["GET", "POST"])
@requires(policy.can_administer)
def hearing_room_edit(room_id: int):
    room = db.session.get(HearingRoom, room_id) or abort(404)
    form = HearingRoomEditForm(obj=room)
    if form.validate_on_submit():
        try:
            settings.update_hearing_room(db.session, current_user, room, form.name.data, form.active.data)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("Hearing room %(name)s saved.", name=room.name), "success")
            return redirect(url_for("admin.hearing_rooms"))
    return render_template("admin/hearing_room_form.html", form=form, room=room)


# --- finality rules ---------------------------------------------------------------------


@bp.route("/finality-rules")
@requires(policy.can_administer)
def finality_rules():
    return render_template("admin/finality_rules.html", rules=reference.finality_rules(db.session))


def _finality_rule_page(row: FinalityRule | None):
    form = FinalityRuleForm(obj=row)
    if form.validate_on_submit():
        data = reference.FinalityRuleInput(
            form.region_code.data,
            form.region_name.data,
            form.category.data,
            form.rule.data,
            form.effective_from.data,
            form.source.data,
        )
        try:
            saved = settings.save_finality_rule(db.session, current_user, row, data)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(
                _(
                    "Finality rule of %(region)s from %(date)s saved.",
                    region=saved.region_name,
                    date=local_date(saved.effective_from),
                ),
                "success",
            )
            return redirect(url_for("admin.finality_rules"))
    return render_template("admin/finality_rule_form.html", form=form, row=row)


@bp.route("/finality-rules/new", methods=["GET", "POST"])
@requires(policy.can_administer)
def finality_rule_new():
    return _finality_rule_page(None)


@bp.route("/finality-rules/<int:rule_id>", methods=["GET", "POST"])
@requires(policy.can_administer)
def finality_rule_edit(rule_id: int):
    return _finality_rule_page(db.session.get(FinalityRule, rule_id) or abort(404))
