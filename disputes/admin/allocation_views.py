"""The allocation page: each mediation committee's and arbitration commission's rule, its people's absences (the
absence calendar) and skills; the administrator for every unit, a supervisor for their district's."""

from datetime import timedelta

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from disputes import clock, policy
from disputes.admin import bp
from disputes.admin.allocation_forms import AbsenceForm, DeleteForm, RuleForm, SkillForm
from disputes.administration import allocation as allocation_admin
from disputes.auth.guards import requires
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.labels import choices, label
from disputes.models import Absence, AllocationMethod, ClaimCategory, Role, SkillKind, StaffSkill, Unit, User, UserRole
from disputes.web.formats import unit_name
from disputes.web.messages import attach_error
from disputes.workflow import allocation, routing


def _units() -> list[Unit]:
    stmt = sa.select(Unit).where(Unit.kind.in_(allocation.ROLE_OF_UNIT), Unit.active.is_(True)).order_by(Unit.code)
    if not current_user.has_role(Role.ADMIN):
        stmt = stmt.where(Unit.path.startswith(routing.district_of(current_user.unit).path))
    return list(db.session.scalars(stmt))


def _staff(units: list[Unit]) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(
                User.unit_id.in_([u.id for u in units]),
                User.active.is_(True),
                UserRole.role.in_((Role.MEDIATOR, Role.ARBITRATOR)),
            )
            .order_by(User.unit_id, User.id)
        ).unique()
    )


def _rule_choices() -> list[SelectChoice]:
    return [c for c in choices(AllocationMethod) if c.value != AllocationMethod.MANUAL]


def _forms(staff: list[User], absence_form=None, skill_form=None):
    people = [SelectChoice(u.id, f"{u.display_name} · {unit_name(u.unit)}") for u in staff]
    absence_form = absence_form or AbsenceForm(formdata=None)
    absence_form.user_id.choices = people
    skill_form = skill_form or SkillForm(formdata=None)
    skill_form.user_id.choices = people
    skill_form.kind.choices = choices(SkillKind)
    return absence_form, skill_form


def _page(absence_form=None, skill_form=None, status=200):
    units = _units()
    staff = _staff(units)
    absence_form, skill_form = _forms(staff, absence_form, skill_form)
    ids = [u.id for u in staff]
    today = clock.today_local()
    absences = db.session.scalars(
        sa.select(Absence)
        .where(Absence.user_id.in_(ids), Absence.ends_on >= today - timedelta(days=30))
        .order_by(Absence.starts_on, Absence.id)
    ).all()
    skills = db.session.scalars(
        sa.select(StaffSkill)
        .where(StaffSkill.user_id.in_(ids))
        .order_by(StaffSkill.user_id, StaffSkill.kind, StaffSkill.value)
    ).all()
    rules = []
    for unit in units:
        form = RuleForm(formdata=None, unit_id=str(unit.id), method=allocation.rule_of(db.session, unit).value)
        form.method.choices = _rule_choices()
        role = allocation.role_for(unit)
        people = [u for u in staff if u.unit_id == unit.id and u.has_role(role)]
        loads = allocation.open_loads(db.session, [u.id for u in people], role)
        away = allocation.away(db.session, [u.id for u in people], today)
        rules.append((unit, form, [(u, loads[u.id], away.get(u.id)) for u in people]))
    return render_template(
        "admin/allocation.html",
        rules=rules,
        absences=absences,
        skills=skills,
        absence_form=absence_form,
        skill_form=skill_form,
        delete_form=DeleteForm(formdata=None),
        categories=choices(ClaimCategory),
        today=today,
    ), status


@bp.route("/allocation")
@requires(policy.can_manage_allocation)
def allocation_page():
    return _page()


@bp.route("/allocation/rule", methods=["POST"])
@requires(policy.can_manage_allocation)
def allocation_rule():
    form = RuleForm()
    form.method.choices = _rule_choices()
    unit = next((u for u in _units() if str(u.id) == form.unit_id.data), None)
    if unit is None:
        abort(404)
    if not form.validate_on_submit():
        flash(_("Choose how new work is given."), "error")
        return redirect(url_for("admin.allocation_page"))
    allocation_admin.set_rule(db.session, current_user, unit, form.method.data)
    flash(
        _(
            "%(unit)s now gives new work by: %(rule)s.",
            unit=unit_name(unit),
            rule=label(AllocationMethod(form.method.data)),
        ),
        "success",
    )
    return redirect(url_for("admin.allocation_page"))


@bp.route("/allocation/absences", methods=["POST"])
@requires(policy.can_manage_allocation)
def allocation_absence():
    staff = _staff(_units())
    form, _skill = _forms(staff, absence_form=AbsenceForm())
    if not form.validate_on_submit():
        return _page(absence_form=form, status=400)
    try:
        allocation_admin.record_absence(
            db.session,
            current_user,
            db.session.get(User, form.user_id.data),
            form.starts_on.data,
            form.ends_on.data,
            form.note.data or "",
        )
    except DomainError as error:
        db.session.rollback()
        attach_error(form, error)
        return _page(absence_form=form, status=400)
    flash(_("Absence recorded: no new work is given on those days."), "success")
    return redirect(url_for("admin.allocation_page", _anchor="absences"))


@bp.route("/allocation/absences/<int:absence_id>/delete", methods=["POST"])
@requires(policy.can_manage_allocation)
def allocation_absence_delete(absence_id: int):
    row = db.session.get(Absence, absence_id)
    if row is None or row.user not in _staff(_units()) or not DeleteForm().validate_on_submit():
        abort(404)
    allocation_admin.remove_absence(db.session, current_user, row)
    flash(_("Absence removed."), "success")
    return redirect(url_for("admin.allocation_page", _anchor="absences"))


@bp.route("/allocation/skills", methods=["POST"])
@requires(policy.can_manage_allocation)
def allocation_skill():
    staff = _staff(_units())
    _absence, form = _forms(staff, skill_form=SkillForm())
    if not form.validate_on_submit():
        return _page(skill_form=form, status=400)
    kind = SkillKind(form.kind.data)
    value = form.value.data.strip()
    if kind == SkillKind.CATEGORY and value not in ClaimCategory._value2member_map_:
        form.value.errors.append(_("Give a dispute category's code, e.g. wages."))
        return _page(skill_form=form, status=400)
    allocation_admin.add_skill(db.session, current_user, form.user_id.data, kind, value)
    flash(_("Skill recorded."), "success")
    return redirect(url_for("admin.allocation_page", _anchor="skills"))


@bp.route("/allocation/skills/<int:skill_id>/delete", methods=["POST"])
@requires(policy.can_manage_allocation)
def allocation_skill_delete(skill_id: int):
    row = db.session.get(StaffSkill, skill_id)
    if row is None or row.user not in _staff(_units()) or not DeleteForm().validate_on_submit():
        abort(404)
    allocation_admin.remove_skill(db.session, current_user, row)
    flash(_("Skill removed."), "success")
    return redirect(url_for("admin.allocation_page", _anchor="skills"))
