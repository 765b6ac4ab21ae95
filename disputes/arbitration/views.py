"""Arbitration steps from receipt to closure: thin wrappers that read a form and call `workflow.arbitration`.

The hearing, suspension/extension and award steps live in `hearing_views` and `side_views`;
all of them are registered here as one track.
"""

from flask_login import current_user
from wtforms import SelectChoice

from disputes.arbitration import bp
from disputes.arbitration.forms import (
    AcceptForm,
    ClosureRequestForm,
    CorrectedForm,
    DefenceForm,
    NoteForm,
    OptionalNoteForm,
    ReceiveForm,
    RefuseForm,
    ServedForm,
    SimplifyForm,
    TribunalForm,
)
from disputes.arbitration.hearing_views import HEARING_STEPS
from disputes.arbitration.restart_views import RESTART_STEPS
from disputes.arbitration.side_views import SIDE_STEPS
from disputes.extensions import db
from disputes.i18n import DomainError
from disputes.labels import NONE_CHOSEN, label
from disputes.models import Role, Unit, UnitKind
from disputes.web.formats import money, unit_name
from disputes.web.steps import Step, TrackWeb, default_today, register_steps
from disputes.workflow import arbitration as ops
from disputes.workflow.hearing_calendar import arbitrators_of
from disputes.workflow.parties import principals
from disputes.workflow.states import Track, TribunalKind


def _receive_prepare(form, case, row):
    units = db.session.query(Unit).filter(Unit.kind == UnitKind.ARBITRATION_COMMISSION, Unit.active.is_(True))
    mine = current_user.unit.path
    units = sorted(units, key=lambda u: (not u.path.startswith(mine), u.path))
    form.unit_id.choices = [SelectChoice(u.id, unit_name(u)) for u in units]
    default_today("received_on")(form, case, row)


def _tribunal_prepare(form, case, row):
    offered = [NONE_CHOSEN] + [SelectChoice(u.id, u.display_name) for u in arbitrators_of(db.session, row.unit)]
    form.presiding_id.choices = form.second_id.choices = form.third_id.choices = offered
    if form.kind.data is None and not form.is_submitted():
        form.kind.data = TribunalKind.THREE_MEMBER if case.collective else TribunalKind.SOLE
    if form.presiding_id.data is None and not form.is_submitted():
        # the arbitrator allocated when the case was routed (issue 16) is offered first
        held = [a.user_id for a in case.assignments if a.active and a.role == Role.ARBITRATOR]
        offered_ids = {c.value for c in offered}
        form.presiding_id.data = next((i for i in held if i in offered_ids), None)


def _form_tribunal(session, case, actor, row, f):
    try:
        ops.form_tribunal(
            session,
            case,
            actor,
            kind=f.kind.data,
            arbitrator_ids=f.arbitrator_ids(),
            expected_version=f.expected_version(),
        )
    except DomainError as refused:
        if refused.field == "arbitrator_ids":
            refused.field = "presiding_id"
        raise


def _closure_prepare(form, case, row):
    claims = [NONE_CHOSEN] + [SelectChoice(c.id, f"{label(c.category)} {money(c.amount)}") for c in case.claims]
    parties = [NONE_CHOSEN] + [SelectChoice(p.id, f"{p.name} · {label(p.kind)}") for p in principals(case)]
    for entry in form.terms:
        entry.claim_id.choices = claims
        entry.obligor_id.choices = entry.obligee_id.choices = parties


def _terms(form) -> list[ops.TermInput]:
    return [
        ops.TermInput(
            description=e.text.data or "",
            amount=e.amount.data,
            claim_id=e.claim_id.data,
            obligor_id=e.obligor_id.data,
            obligee_id=e.obligee_id.data,
            due_on=e.due_on.data,
        )
        for e in form.terms
        if (e.text.data or "").strip()
    ]


BASE_STEPS = [
    Step(
        ops.RECEIVE.name,
        ReceiveForm,
        prepare=_receive_prepare,
        intro="arbitration/_receive_intro.html",
        perform=lambda session, case, actor, row, f: ops.receive_application(
            session,
            case,
            actor,
            unit_id=f.unit_id.data,
            received_on=f.received_on.data,
            expected_version=f.expected_version(),
        ),
    ),
    Step(
        ops.REQUEST_CORRECTION.name,
        NoteForm,
        perform=lambda session, case, actor, row, f: ops.request_correction(
            session, case, actor, note=f.note.data, expected_version=f.expected_version()
        ),
    ),
    Step(
        ops.CORRECTED.name,
        CorrectedForm,
        prepare=default_today("received_on"),
        perform=lambda session, case, actor, row, f: ops.corrected(
            session, case, actor, received_on=f.received_on.data, expected_version=f.expected_version()
        ),
    ),
    Step(
        ops.CORRECTION_LAPSED.name,
        OptionalNoteForm,
        perform=lambda session, case, actor, row, f: ops.correction_lapsed(
            session, case, actor, note=f.note.data or "", expected_version=f.expected_version()
        ),
    ),
    Step(
        ops.ACCEPT.name,
        AcceptForm,
        prepare=default_today("accepted_on"),
        perform=lambda session, case, actor, row, f: ops.accept(
            session, case, actor, accepted_on=f.accepted_on.data, expected_version=f.expected_version()
        ),
    ),
    Step(
        ops.REFUSE.name,
        RefuseForm,
        perform=lambda session, case, actor, row, f: ops.refuse(
            session, case, actor, ground=f.ground.data, reason=f.reason.data, expected_version=f.expected_version()
        ),
    ),
    Step(
        ops.SERVE.name,
        ServedForm,
        prepare=default_today("served_on"),
        perform=lambda session, case, actor, row, f: ops.serve_respondent(
            session, case, actor, served_on=f.served_on.data, expected_version=f.expected_version()
        ),
    ),
    Step(
        ops.DEFENCE.name,
        DefenceForm,
        prepare=default_today("received_on"),
        perform=lambda session, case, actor, row, f: ops.record_defence(
            session, case, actor, received_on=f.received_on.data, expected_version=f.expected_version()
        ),
    ),
    Step(
        ops.SERVE_DEFENCE.name,
        ServedForm,
        prepare=default_today("served_on"),
        perform=lambda session, case, actor, row, f: ops.serve_defence(
            session, case, actor, served_on=f.served_on.data, expected_version=f.expected_version()
        ),
    ),
    Step(ops.FORM_TRIBUNAL.name, TribunalForm, prepare=_tribunal_prepare, perform=_form_tribunal),
    Step(
        ops.NOTIFY_TRIBUNAL.name,
        ServedForm,
        prepare=default_today("served_on"),
        perform=lambda session, case, actor, row, f: ops.notify_tribunal(
            session, case, actor, served_on=f.served_on.data, expected_version=f.expected_version()
        ),
    ),
    Step(
        ops.SIMPLIFY.name,
        SimplifyForm,
        perform=lambda session, case, actor, row, f: ops.simplify(
            session, case, actor, ground=f.ground.data, expected_version=f.expected_version()
        ),
    ),
    Step(
        ops.PRE_HEARING.name,
        NoteForm,
        perform=lambda session, case, actor, row, f: ops.pre_hearing_mediation(
            session, case, actor, note=f.note.data, expected_version=f.expected_version()
        ),
    ),
    Step(
        ops.ADVANCE_EXECUTION.name,
        NoteForm,
        perform=lambda session, case, actor, row, f: ops.advance_execution(
            session, case, actor, note=f.note.data, expected_version=f.expected_version()
        ),
    ),
    Step(
        ops.REQUEST_CLOSURE.name,
        ClosureRequestForm,
        prepare=_closure_prepare,
        perform=lambda session, case, actor, row, f: ops.request_closure(
            session,
            case,
            actor,
            closure_type=f.closure_type.data,
            note=f.note.data or "",
            act_on=f.act_on.data,
            terms=_terms(f),
            expected_version=f.expected_version(),
        ),
    ),
    Step(
        ops.APPROVE_CLOSURE.name,
        OptionalNoteForm,
        intro="arbitration/_approval_intro.html",
        perform=lambda session, case, actor, row, f: ops.approve_closure(
            session, case, actor, note=f.note.data or "", expected_version=f.expected_version()
        ),
    ),
    Step(
        ops.REJECT_CLOSURE.name,
        NoteForm,
        perform=lambda session, case, actor, row, f: ops.reject_closure(
            session, case, actor, note=f.note.data, expected_version=f.expected_version()
        ),
    ),
]

STEPS = {s.action: s for s in [*BASE_STEPS, *HEARING_STEPS, *SIDE_STEPS, *RESTART_STEPS]}

register_steps(
    bp, TrackWeb(Track.ARBITRATION, "arbitration", lambda case, row_id: case.arbitration, STEPS), "arbitration"
)
