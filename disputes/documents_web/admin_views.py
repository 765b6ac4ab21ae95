"""Admin pages: the units' e-seals and the document-number patterns per unit and family."""

from __future__ import annotations

from io import BytesIO

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from disputes import numbering, params, policy
from disputes.administration import settings
from disputes.auth.guards import requires
from disputes.documents import seals
from disputes.documents_web import bp
from disputes.documents_web.forms import PatternForm, SealForm
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.models import NumberFormat, Unit, UnitSeal
from disputes.organisation import unit_tree
from disputes.web.messages import attach_error, translate_error

FAMILY_LABELS = {
    numbering.MEDIATION_DOC: _l("Mediation documents"),
    numbering.LEGAL_AID_DOC: _l("Legal aid documents"),
    numbering.ARBITRATION_DOC: _l("Arbitration documents"),
}


@bp.route("/documents/seals")
@requires(policy.can_manage_seals)
def seals_page():
    have = {seal.unit_id: seal for seal in db.session.query(UnitSeal).all()}
    return render_template("documents_web/seals.html", tree=unit_tree(db.session), have=have, form=SealForm())


@bp.route("/documents/seals/<int:unit_id>", methods=["POST"])
@requires(policy.can_manage_seals)
def seal_upload(unit_id: int):
    unit = db.session.get(Unit, unit_id) or abort(404)
    form = SealForm()
    if not form.validate_on_submit():
        flash(_("Choose a PNG file."), "error")
        return redirect(url_for("documents.seals_page"))
    data = form.image.data.read(current_app.config["SEAL_MAX_BYTES"] + 1)
    try:
        settings.set_seal(db.session, current_user, unit, data, current_app.config["SEAL_MAX_BYTES"])
    except DomainError as error:
        db.session.rollback()
        flash(translate_error(error), "error")
    else:
        flash(_("Seal of %(name)s saved.", name=unit.name), "success")
    return redirect(url_for("documents.seals_page"))


@bp.route("/documents/seals/<int:unit_id>/delete", methods=["POST"])
@requires(policy.can_manage_seals)
def seal_delete(unit_id: int):
    unit = db.session.get(Unit, unit_id) or abort(404)
    settings.remove_seal(db.session, current_user, unit)
    flash(_("Seal of %(name)s removed; documents print the placeholder circle.", name=unit.name), "success")
    return redirect(url_for("documents.seals_page"))


@bp.route("/documents/seals/<int:unit_id>.png")
@requires(policy.can_manage_seals)
def seal_image(unit_id: int):
    seal = db.session.get(UnitSeal, unit_id) or abort(404)
    return send_file(BytesIO(seals.seal_png(db.session, seal)), mimetype="image/png", etag=seal.sha256)


@bp.route("/documents/numbers", methods=["GET", "POST"])
@requires(policy.can_administer)
def numbers():
    tree = unit_tree(db.session)
    form = PatternForm()
    form.unit_id.choices = [SelectChoice(u.id, "\u3000" * depth + u.name) for u, depth in tree]
    form.family.choices = [SelectChoice(f, label) for f, label in FAMILY_LABELS.items()]
    if request.method == "GET":
        form.unit_id.data = request.args.get("unit", type=params.arg_id)
        form.family.data = request.args.get("family") or numbering.ARBITRATION_DOC
        chosen = db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None
        form.pattern.data = next(
            (f.pattern for f in (chosen.number_formats if chosen else []) if f.family == form.family.data), ""
        )
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data) or abort(404)
        pattern = (form.pattern.data or "").strip()
        try:
            settings.set_number_pattern(db.session, current_user, unit, form.family.data, pattern)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error, "pattern")
        else:
            flash(_("Number pattern of %(name)s saved.", name=unit.name), "success")
            return redirect(url_for("documents.numbers"))
    own = {(f.unit_id, f.family): f.pattern for f in db.session.query(NumberFormat).all()}
    rows = []
    for unit, depth in tree:
        cells = []
        for family in FAMILY_LABELS:
            owner, pattern = numbering.pattern_owner(unit, family)
            cells.append(
                {
                    "family": family,
                    "pattern": pattern,
                    "own": (unit.id, family) in own,
                    "inherited_from": owner if owner.id != unit.id and (owner.id, family) in own else None,
                }
            )
        rows.append((unit, depth, cells))
    return render_template("documents_web/numbers.html", form=form, rows=rows, families=FAMILY_LABELS)
