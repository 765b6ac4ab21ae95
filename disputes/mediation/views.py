"""Mediation steps: thin wrappers that read a form and call `workflow.mediation`."""

from flask_login import current_user
from wtforms import SelectChoice

from disputes.extensions import db
from disputes.labels import NONE_CHOSEN, label
from disputes.mediation import bp
from disputes.mediation.forms import (
    AcceptForm,
    AgreementForm,
    ConfirmationRequestForm,
    ConfirmationResultForm,
    LapseForm,
    OpenForm,
    PerformanceForm,
    ReasonForm,
    SessionForm,
)
from disputes.models import Unit, UnitKind
from disputes.web.formats import money, unit_name
from disputes.web.steps import Step, TrackWeb, default_today, local_datetime, register_steps
from disputes.workflow import mediation as ops
from disputes.workflow.states import Track


def _open_prepare(form, case, row):
    units = db.session.query(Unit).filter(Unit.kind == UnitKind.MEDIATION_COMMITTEE, Unit.active.is_(True))
    units = sorted(units, key=lambda u: (u.id != current_user.unit_id, u.path))
    form.unit_id.choices = [SelectChoice(u.id, unit_name(u)) for u in units]
    default_today("applied_on")(form)


def _accept_prepare(form, case, row):
    form.mediator_id.choices = [NONE_CHOSEN] + [
        SelectChoice(u.id, u.display_name) for u in ops.mediators_for(db.session, row)
    ]
    default_today("accepted_on")(form)


def _agreement_prepare(form, case, row):
    claim_choices = [NONE_CHOSEN] + [SelectChoice(c.id, f"{label(c.category)} {money(c.amount)}") for c in case.claims]
    while len(form.terms) < len(case.claims):
        form.terms.append_entry()
    for entry, claim in zip(form.terms, case.claims, strict=False):
        entry.claim_id.choices = claim_choices
        if entry.claim_id.data is None and not form.is_submitted():
            entry.claim_id.data = claim.id
    for entry in form.terms:
        entry.claim_id.choices = claim_choices
    default_today("signed_on")(form)


def _performance_prepare(form, case, row):
    form.paid.choices = [
        SelectChoice(i.id, f"{i.due_on.isoformat()} {money(i.amount)}") for i in row.instalments if i.paid_on is None
    ]


def _terms(form) -> list[ops.TermInput]:
    rows = [entry.form for entry in form.terms]  # `entry.description` would be the FormField's own description
    return [
        ops.TermInput(description=row.description.data.strip(), amount=row.amount.data, claim_id=row.claim_id.data)
        for row in rows
        if row.description.data and row.description.data.strip()
    ]


def _instalments(form) -> list[ops.InstalmentInput]:
    rows = [entry.form for entry in form.instalments]
    return [
        ops.InstalmentInput(due_on=row.due_on.data, amount=row.amount.data)
        for row in rows
        if row.due_on.data and row.amount.data
    ]


STEPS = {
    s.action: s
    for s in [
        Step(
            ops.OPEN.name,
            OpenForm,
            prepare=_open_prepare,
            perform=lambda session, case, actor, row, f: ops.open_mediation(
                session,
                case,
                actor,
                unit_id=f.unit_id.data,
                applied_on=f.applied_on.data,
                expected_version=f.expected_version(),
            ),
        ),
        Step(
            ops.ACCEPT.name,
            AcceptForm,
            prepare=_accept_prepare,
            perform=lambda session, case, actor, row, f: ops.accept_mediation(
                session,
                case,
                actor,
                mediator_id=f.mediator_id.data,
                accepted_on=f.accepted_on.data,
                expected_version=f.expected_version(),
            ),
        ),
        Step(
            ops.LOG_SESSION.name,
            SessionForm,
            intro="tracks/_parties_told.html",  # a next session planned is told to the parties at once
            perform=lambda session, case, actor, row, f: ops.log_session(
                session,
                case,
                actor,
                ops.SessionInput(
                    held_at=local_datetime(f.held_at.data),
                    attendees=f.attendees.data,
                    summary=f.summary.data,
                    outcome=f.outcome.data,
                    place=f.place.data,
                    online_link=f.online_link.data,
                    next_at=local_datetime(f.next_at.data),
                ),
                expected_version=f.expected_version(),
            ),
        ),
        Step(
            ops.AGREE.name,
            AgreementForm,
            prepare=_agreement_prepare,
            template="mediation/agreement.html",
            perform=lambda session, case, actor, row, f: ops.record_agreement(
                session,
                case,
                actor,
                signed_on=f.signed_on.data,
                terms=_terms(f),
                instalments=_instalments(f),
                summary=f.summary.data or "",
                expected_version=f.expected_version(),
            ),
        ),
        Step(
            ops.FAIL.name,
            ReasonForm,
            perform=lambda session, case, actor, row, f: ops.fail_mediation(
                session, case, actor, reason=f.reason.data, expected_version=f.expected_version()
            ),
        ),
        Step(
            ops.WITHDRAW.name,
            ReasonForm,
            perform=lambda session, case, actor, row, f: ops.withdraw_mediation(
                session, case, actor, reason=f.reason.data, expected_version=f.expected_version()
            ),
        ),
        Step(
            ops.LAPSE.name,
            LapseForm,
            perform=lambda session, case, actor, row, f: ops.lapse_mediation(
                session, case, actor, reason=f.reason.data, expected_version=f.expected_version()
            ),
        ),
        Step(
            ops.PERFORMANCE.name,
            PerformanceForm,
            prepare=_performance_prepare,
            perform=lambda session, case, actor, row, f: ops.record_performance(
                session,
                case,
                actor,
                performance=f.performance.data,
                paid_instalment_ids=f.paid.data or [],
                note=f.note.data or "",
                expected_version=f.expected_version(),
            ),
        ),
        Step(
            ops.REQUEST_CONFIRMATION.name,
            ConfirmationRequestForm,
            prepare=default_today("applied_on"),
            perform=lambda session, case, actor, row, f: ops.request_confirmation(
                session,
                case,
                actor,
                kind=f.kind.data,
                applied_on=f.applied_on.data,
                body=f.body.data or "",
                expected_version=f.expected_version(),
            ),
        ),
        Step(
            ops.DECIDE_CONFIRMATION.name,
            ConfirmationResultForm,
            perform=lambda session, case, actor, row, f: ops.decide_confirmation(
                session,
                case,
                actor,
                result=f.result.data,
                note=f.note.data or "",
                expected_version=f.expected_version(),
            ),
        ),
    ]
}

register_steps(bp, TrackWeb(Track.MEDIATION, "mediation", lambda case, row_id: case.mediation, STEPS), "mediation")
