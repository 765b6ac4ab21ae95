"""Legal-aid steps: thin wrappers that read a form and call `workflow.legal_aid`."""

from flask_login import current_user
from wtforms import SelectChoice

from disputes.extensions import db
from disputes.labels import NONE_CHOSEN
from disputes.legal_aid import bp
from disputes.legal_aid.forms import (
    GREEN_CHANNEL_WAIVED,
    HARDSHIP_NEEDED,
    ApplyForm,
    AssignForm,
    CloseForm,
    GrantForm,
    MaterialsReceivedForm,
    MaterialsRequestForm,
    ObjectionDecisionForm,
    ObjectionForm,
    RefuseForm,
)
from disputes.models import PartyKind, Unit, UnitKind
from disputes.web.formats import unit_name
from disputes.web.steps import Step, TrackWeb, default_today, register_steps
from disputes.workflow import legal_aid as ops
from disputes.workflow.states import Track


def find_row(case, row_id):
    return next((a for a in case.legal_aid if a.id == row_id), None)


def _apply_prepare(form, case, row):
    applied = {a.party_id for a in case.legal_aid}
    workers = [p for p in case.parties if p.kind == PartyKind.WORKER and p.id not in applied]
    form.party_id.choices = [NONE_CHOSEN] + [SelectChoice(p.id, p.name) for p in workers]
    if len(workers) == 1 and not form.is_submitted():
        form.party_id.data = workers[0].id
    units = db.session.query(Unit).filter(Unit.kind == UnitKind.LEGAL_AID_CENTRE, Unit.active.is_(True))
    units = sorted(units, key=lambda u: (u.id != current_user.unit_id, u.path))
    form.unit_id.choices = [SelectChoice(u.id, unit_name(u)) for u in units]
    form.hardship_statement.description = GREEN_CHANNEL_WAIVED if case.green_channel else HARDSHIP_NEEDED
    default_today("applied_on")(form)


def _assign_prepare(form, case, row):
    form.lawyer_id.choices = [NONE_CHOSEN] + [
        SelectChoice(u.id, f"{u.display_name} · {unit_name(u.unit)}") for u in ops.lawyers_for(db.session, row)
    ]
    if form.law_firm.data is None and row is not None and row.law_firm:
        form.law_firm.data = row.law_firm


def _decide_objection(overturned: bool):
    def perform(session, case, actor, row, f):
        return ops.decide_objection(
            session,
            case,
            actor,
            row,
            overturned=overturned,
            note=f.note.data or "",
            expected_version=f.expected_version(),
        )

    return perform


STEPS = {
    s.action: s
    for s in [
        Step(
            ops.APPLY.name,
            ApplyForm,
            prepare=_apply_prepare,
            perform=lambda session, case, actor, row, f: ops.apply_for_legal_aid(
                session,
                case,
                actor,
                party_id=f.party_id.data,
                unit_id=f.unit_id.data,
                matter=f.matter.data or "",
                applied_on=f.applied_on.data,
                hardship_statement=f.hardship_statement.data or "",
                expected_version=f.expected_version(),
            ),
        ),
        Step(
            ops.REQUEST_MATERIALS.name,
            MaterialsRequestForm,
            perform=lambda session, case, actor, row, f: ops.request_materials(
                session, case, actor, row, note=f.note.data, expected_version=f.expected_version()
            ),
        ),
        Step(
            ops.MATERIALS_RECEIVED.name,
            MaterialsReceivedForm,
            prepare=default_today("received_on"),
            perform=lambda session, case, actor, row, f: ops.materials_received(
                session, case, actor, row, received_on=f.received_on.data, expected_version=f.expected_version()
            ),
        ),
        Step(
            ops.GRANT.name,
            GrantForm,
            perform=lambda session, case, actor, row, f: ops.grant(
                session,
                case,
                actor,
                row,
                reason=f.reason.data or "",
                review_later=bool(f.review_later.data),
                expected_version=f.expected_version(),
            ),
        ),
        Step(
            ops.REFUSE.name,
            RefuseForm,
            perform=lambda session, case, actor, row, f: ops.refuse(
                session, case, actor, row, reason=f.reason.data, expected_version=f.expected_version()
            ),
        ),
        Step(
            ops.ASSIGN.name,
            AssignForm,
            prepare=_assign_prepare,
            perform=lambda session, case, actor, row, f: ops.assign_lawyer(
                session,
                case,
                actor,
                row,
                lawyer_id=f.lawyer_id.data,
                law_firm=f.law_firm.data or "",
                expected_version=f.expected_version(),
            ),
        ),
        Step(
            ops.OBJECT.name,
            ObjectionForm,
            prepare=default_today("objection_on"),
            perform=lambda session, case, actor, row, f: ops.lodge_objection(
                session,
                case,
                actor,
                row,
                reason=f.reason.data,
                objection_on=f.objection_on.data,
                expected_version=f.expected_version(),
            ),
        ),
        Step(ops.UPHOLD.name, ObjectionDecisionForm, perform=_decide_objection(False)),
        Step(ops.OVERTURN.name, ObjectionDecisionForm, perform=_decide_objection(True)),
        Step(
            ops.CLOSE.name,
            CloseForm,
            perform=lambda session, case, actor, row, f: ops.close_legal_aid(
                session,
                case,
                actor,
                row,
                closure=f.closure.data,
                note=f.note.data or "",
                expected_version=f.expected_version(),
            ),
        ),
    ]
}

register_steps(bp, TrackWeb(Track.LEGAL_AID, "legal_aid", find_row, STEPS), "legal-aid")
