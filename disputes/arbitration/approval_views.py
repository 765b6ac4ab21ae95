"""Pending closures in a list, approved several at once (issue 16): each through the closure approval step, each
audited; the cases that could not be approved are listed with the reason."""

import sqlalchemy as sa
from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms import SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from disputes import policy
from disputes.arbitration import bp
from disputes.auth.guards import requires
from disputes.extensions import db
from disputes.models import Arbitration, Award, Case
from disputes.web.fields import AppForm
from disputes.web.messages import translate_error
from disputes.workflow import approvals
from disputes.workflow.states import ArbitrationState


class BulkApprovalForm(AppForm):
    case_ids = SelectMultipleField(
        _l("Cases"), coerce=int, validate_choice=False, validators=[DataRequired(_l("Choose at least one case."))]
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


def _pending(ids=None) -> list[Arbitration]:
    """The arbitrations awaiting closure approval among the cases the user reads (oldest request first)."""
    query = (
        sa.select(Arbitration)
        .join(Case, Case.id == Arbitration.case_id)
        .where(Arbitration.state == ArbitrationState.CLOSING, policy.case_scope(current_user))
        .options(
            selectinload(Arbitration.case),
            selectinload(Arbitration.awards).selectinload(Award.items),
            selectinload(Arbitration.statement_terms),
        )
        .order_by(Arbitration.closure_requested_on, Arbitration.id)
    )
    if ids is not None:
        query = query.where(Case.id.in_(ids))
    return list(db.session.scalars(query))


@bp.route("/arbitration/closures", methods=["GET", "POST"])
@requires(policy.can_approve_closures)
def closures():
    form = BulkApprovalForm()
    outcomes = None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            chosen = set(form.case_ids.data)
            found = {a.case_id: a.case for a in _pending(chosen)}
            outcomes = approvals.approve_closures(
                db.session, current_user, [found[i] for i in sorted(chosen) if i in found], note=form.note.data or ""
            )
            # a case chosen but no longer pending (approved or sent back by someone else, or out of reach)
            outcomes += [approvals.BulkOutcome(i, "", approvals.not_pending()) for i in sorted(chosen - set(found))]
        else:
            status = 400
    rows = _pending()
    messages = {o.case_id: translate_error(o.error) for o in outcomes or () if o.error is not None}
    return render_template(
        "arbitration/closures.html",
        form=form,
        rows=rows,
        outcomes=outcomes,
        messages=messages,
        approved=[o for o in outcomes or () if o.approved],
        title=_("Closures awaiting approval"),
    ), status
