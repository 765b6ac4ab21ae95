"""The administration's audit trail (issue 15): every administrative change, newest first, by kind of entity."""

from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l

from disputes import policy
from disputes.admin import bp
from disputes.administration import audit
from disputes.auth.guards import requires
from disputes.case_list import CasePage
from disputes.extensions import db
from disputes.params import arg_page

ENTITY_LABELS = {
    "user": _l("User"),
    "unit": _l("Unit"),
    "rule": _l("Deadline rule"),
    "calendar_day": _l("Calendar day"),
    "calendar_year": _l("Calendar year"),
    "minimum_wage": _l("Minimum wage"),
    "finality_rule": _l("Finality rule"),
    "hearing_room": _l("Hearing room"),
    "target": _l("Target"),
    "number_pattern": _l("Number pattern"),
    "seal": _l("Seal"),
    "allocation_rule": _l("Allocation rule"),
    "absence": _l("Absence"),
    "skill": _l("Skill"),
}
ACTION_LABELS = {
    "created": _l("created"),
    "edited": _l("changed"),
    "deleted": _l("deleted"),
    "password_reset": _l("password reset"),
    "on_record": _l("put on record"),
    "imported": _l("imported"),
}


@bp.route("/audit")
@requires(policy.can_administer)
def audit_trail():
    entity = request.args.get("entity") or None
    if entity is not None and entity not in ENTITY_LABELS:
        abort(404)
    page_no = request.args.get("page", 1, type=arg_page)
    rows, total = audit.page(db.session, entity, page_no)
    page = CasePage(cases=[], total=total, capped=False, page=page_no, per_page=audit.PER_PAGE)
    return render_template(
        "admin/audit.html", rows=rows, page=page, entity=entity, entities=ENTITY_LABELS, actions=ACTION_LABELS
    )
