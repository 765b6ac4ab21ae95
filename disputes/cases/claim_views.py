"""A case's claims as data (issue 17): each claim's dispute cause and the amount recovered, entered by hand on a
page of its own, reached from the case page's claims card."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from disputes import policy
from disputes.auth.guards import case_or_abort, requires
from disputes.cases import bp
from disputes.cases.claim_forms import ClaimFactsForm
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.metrics.tables import CAUSE_TITLES
from disputes.models import Claim
from disputes.web.messages import attach_error
from disputes.workflow import claim_items


def _form(claim: Claim, formdata=None) -> ClaimFactsForm:
    data = {"dispute_cause": claim.dispute_cause or "", "recovered_amount": claim.recovered_amount}
    form = ClaimFactsForm(data=data) if formdata is None else ClaimFactsForm()
    form.dispute_cause.choices = [SelectChoice("", _("As its category"))] + [
        SelectChoice(cause.value, _(title)) for cause, title in CAUSE_TITLES.items()
    ]
    return form


def _claim(case, claim_id: int) -> Claim:
    claim = next((c for c in case.claims if c.id == claim_id), None)
    if claim is None:
        abort(404)
    return claim


@bp.route("/cases/<int:case_id>/claims")
@requires(policy.can_register_cases)
def claims(case_id: int):
    """Each claim with its cause (its own or its category's) and amounts, and a link to record them."""
    case = case_or_abort(case_id, policy.can_edit_parties)
    causes = {cause.value: title for cause, title in CAUSE_TITLES.items()}
    return render_template("cases/claims.html", case=case, causes=causes, cause_of=claim_items.cause_of)


@bp.route("/cases/<int:case_id>/claims/<int:claim_id>", methods=["GET", "POST"])
@requires(policy.can_register_cases)
def claim_facts(case_id: int, claim_id: int):
    case = case_or_abort(case_id, policy.can_edit_parties)
    claim = _claim(case, claim_id)
    form = _form(claim, formdata=True if request.method == "POST" else None)
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                changed = claim_items.record_facts(
                    db.session, current_user, claim, form.dispute_cause.data or None, form.recovered_amount.data
                )
            except DomainError as error:
                db.session.rollback()
                attach_error(form, error)
            except sa.orm.exc.StaleDataError:
                db.session.rollback()
                flash(_("Someone else changed this case meanwhile; nothing was saved. Please try again."), "error")
                return redirect(url_for("cases.claims", case_id=case.id))
            else:
                flash(_("Claim saved.") if changed else _("Nothing changed."), "success" if changed else "info")
                return redirect(url_for("cases.claims", case_id=case.id, _anchor=f"claim-{claim.id}"))
        status = 400
    else:
        status = 200
    return render_template("cases/claim_facts.html", case=case, claim=claim, form=form), status
