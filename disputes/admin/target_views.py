"""Admin page for the metric targets per unit (issue 6): a default for every unit, overridden per unit."""

from decimal import Decimal

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from disputes import policy
from disputes.admin import bp
from disputes.admin.target_forms import TargetForm
from disputes.administration import settings
from disputes.auth.guards import requires
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.metrics import figures as F
from disputes.metrics.targets import RATE_KEYS, TARGET_KEYS
from disputes.models import MetricTarget, Unit
from disputes.organisation import unit_tree
from disputes.web.formats import unit_name
from disputes.web.messages import attach_error


@bp.route("/targets", methods=["GET", "POST"])
@requires(policy.can_administer)
def targets():
    form = TargetForm()
    form.unit_id.choices = [SelectChoice("", _("Default for every unit"))] + [
        SelectChoice(u.id, "\u3000" * depth + unit_name(u)) for u, depth in unit_tree(db.session)
    ]
    form.figure.choices = [SelectChoice(key, _(F.BY_KEY[key].title)) for key in TARGET_KEYS]
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None
        minimum = form.minimum.data
        if minimum is not None and form.figure.data in RATE_KEYS:
            minimum = minimum / Decimal(100)  # a rate is entered in per cent, kept as a fraction
        try:
            settings.set_target(db.session, current_user, unit, form.figure.data, minimum)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("Target saved.") if minimum is not None else _("Target removed."), "success")
            return redirect(url_for("admin.targets"))
    rows = db.session.execute(
        sa.select(MetricTarget, Unit)
        .outerjoin(Unit, Unit.id == MetricTarget.unit_id)
        .order_by(MetricTarget.unit_id.is_not(None), Unit.code, MetricTarget.figure)
    ).all()
    return render_template("admin/targets.html", form=form, rows=rows, figures=F.BY_KEY, rates=RATE_KEYS)
