import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from disputes import SESSION_GENERATION, numbering, organisation, policy
from disputes.admin import bp
from disputes.admin.forms import (
    PasswordResetForm,
    UnitEditForm,
    UnitForm,
    UserEditForm,
    UserForm,
)
from disputes.administration import people
from disputes.auth.guards import requires
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.models import Unit, UnitKind, User
from disputes.params import arg_id
from disputes.web.formats import unit_name
from disputes.web.messages import attach_error, translate_error


def _unit_choices(exclude: Unit | None = None) -> list[SelectChoice]:
    return [
        SelectChoice(u.id, "\u3000" * depth + unit_name(u))
        for u, depth in organisation.unit_tree(db.session)
        if exclude is None or not u.path.startswith(exclude.path)
    ]


@bp.route("/users")
@requires(policy.can_administer)
def users():
    query = sa.select(User).order_by(User.active.desc(), User.username)
    q = request.args.get("q", "").strip()
    if q:
        query = query.where(sa.or_(User.username.ilike(f"%{q}%"), User.display_name.ilike(f"%{q}%")))
    return render_template("admin/users.html", users=db.session.scalars(query).all(), q=q)


@bp.route("/users/new", methods=["GET", "POST"])
@requires(policy.can_administer)
def user_new():
    form = UserForm()
    form.unit_id.choices = _unit_choices()
    if form.validate_on_submit():
        password = form.password.data or organisation.generate_password()
        try:
            user = people.create_user(
                db.session,
                current_user,
                form.username.data,
                form.display_name.data,
                form.roles.data,
                db.session.get(Unit, form.unit_id.data),
                password,
                locale=form.locale.data,
                email=form.email.data or None,
                phone=form.phone.data or None,
            )
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            if form.password.data:
                flash(_("User %(name)s created.", name=user.username), "success")
            else:
                flash(
                    _(
                        "User %(name)s created with the password %(pw)s — pass it on safely.",
                        name=user.username,
                        pw=password,
                    ),
                    "success",
                )
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, account=None)


def _keep_own_session(user: User) -> None:
    """An admin changing their own account ends their other sessions, not the one making the change."""
    if user.id == current_user.id:
        session[SESSION_GENERATION] = user.session_generation


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires(policy.can_administer)
def user_edit(user_id: int):
    user = _user_or_404(user_id)
    form = UserEditForm(obj=user)
    form.unit_id.choices = _unit_choices()
    if request.method == "GET":
        form.roles.data = sorted(r.value for r in user.roles)
    if form.validate_on_submit():
        changes = people.UserChanges(
            display_name=form.display_name.data,
            unit=db.session.get(Unit, form.unit_id.data),
            roles=form.roles.data,
            locale=form.locale.data,
            email=form.email.data,
            phone=form.phone.data,
            active=form.active.data,
        )
        try:
            people.edit_user(db.session, current_user, user, changes)
        except DomainError as error:
            db.session.rollback()
            flash(translate_error(error), "error")
        else:
            _keep_own_session(user)
            flash(_("User %(name)s saved.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, account=user, reset_form=PasswordResetForm(formdata=None))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@requires(policy.can_administer)
def user_reset_password(user_id: int):
    user = _user_or_404(user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        password = form.password.data or organisation.generate_password()
        try:
            people.reset_password(db.session, current_user, user, password)
        except DomainError as error:
            db.session.rollback()
            flash(translate_error(error), "error")
            return redirect(url_for("admin.user_edit", user_id=user.id))
        _keep_own_session(user)
        if form.password.data:
            flash(_("Password of %(name)s reset; the account is unlocked.", name=user.username), "success")
        else:
            flash(
                _("New password of %(name)s: %(pw)s — pass it on safely.", name=user.username, pw=password), "success"
            )
    else:
        for error in form.password.errors:
            flash(str(error), "error")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/units")
@requires(policy.can_administer)
def units():
    counts = dict(db.session.execute(sa.select(User.unit_id, sa.func.count()).group_by(User.unit_id)).all())
    return render_template("admin/units.html", tree=organisation.unit_tree(db.session), user_counts=counts)


def _registry_pattern(unit: Unit) -> str:
    return next((f.pattern for f in unit.number_formats if f.family == numbering.REGISTRY), "")


@bp.route("/units/new", methods=["GET", "POST"])
@requires(policy.can_administer)
def unit_new():
    form = UnitForm()
    form.parent_id.choices = [SelectChoice(0, "—"), *_unit_choices()]
    if request.method == "GET":
        form.parent_id.data = request.args.get("parent", 0, type=arg_id)
    if form.validate_on_submit():
        try:
            unit = people.create_unit(
                db.session,
                current_user,
                form.code.data,
                form.name.data,
                form.kind.data,
                db.session.get(Unit, form.parent_id.data) if form.parent_id.data else None,
                registry_pattern=(form.registry_pattern.data or "").strip() or None,
                name_en=form.name_en.data or None,
                region_code=form.region_code.data or None,
                address=form.address.data or None,
                phone=form.phone.data or None,
                active=form.active.data,
            )
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error, "registry_pattern" if error.field == "pattern" else None)
        else:
            flash(_("Unit %(name)s created.", name=unit.name), "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=None)


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@requires(policy.can_administer)
def unit_edit(unit_id: int):
    unit = db.session.get(Unit, unit_id) or abort(404)
    form = UnitEditForm(obj=unit)
    form.parent_id.choices = [SelectChoice(0, "—"), *_unit_choices(exclude=unit)]
    commission = unit.kind == UnitKind.ARBITRATION_COMMISSION
    if commission:
        candidates = {u.id: u for u in organisation.head_candidates(db.session, unit)} | {u.id: u for u in unit.heads}
        form.heads.choices = [
            SelectChoice(u.id, f"{u.display_name} ({unit_name(u.unit)})") for u in candidates.values()
        ]
    else:
        del form.heads
        del form.hearings_per_arbitrator_day
    if request.method == "GET":
        form.parent_id.data = unit.parent_id or 0
        form.registry_pattern.data = _registry_pattern(unit)
        if commission:
            form.heads.data = [u.id for u in unit.heads]
    if form.validate_on_submit():
        changes = people.UnitChanges(
            **{
                name: getattr(form, name).data
                for name in ("name", "name_en", "kind", "region_code", "address", "phone", "active")
            },
            parent=db.session.get(Unit, form.parent_id.data) if form.parent_id.data else None,
            registry_pattern=form.registry_pattern.data or "",
            heads=[candidates[i] for i in form.heads.data or [] if i in candidates] if commission else None,
            hearings_per_arbitrator_day=form.hearings_per_arbitrator_day.data if commission else None,
        )
        try:
            people.edit_unit(db.session, current_user, unit, changes)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error, {"pattern": "registry_pattern"}.get(error.field))
        else:
            flash(_("Unit %(name)s saved.", name=unit.name), "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=unit)
