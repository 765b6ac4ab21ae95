"""Suspension, extension and award steps."""

from flask_babel import gettext as _
from wtforms import SelectChoice

from disputes.arbitration.forms import (
    AwardServedForm,
    ExtensionRequestForm,
    NoteForm,
    OptionalNoteForm,
    ResumeForm,
    SuspensionApprovalForm,
    SuspensionRequestForm,
)
from disputes.arbitration.hearing_forms import AwardForm, PartialAwardForm
from disputes.labels import NONE_CHOSEN, label
from disputes.web.formats import money
from disputes.web.steps import Step, default_today
from disputes.workflow import awards
from disputes.workflow import interruptions as ops
from disputes.workflow.parties import principals


def _award_prepare(form, case, row):
    claim_choices = [NONE_CHOSEN] + [SelectChoice(c.id, f"{label(c.category)} {money(c.amount)}") for c in case.claims]
    while len(form.items) < len(case.claims):
        form.items.append_entry()
    for entry, claim in zip(form.items, case.claims, strict=False):
        if entry.claim_id.data is None and not form.is_submitted():
            entry.claim_id.data = claim.id
    parties = [NONE_CHOSEN] + [SelectChoice(p.id, f"{p.name} · {label(p.kind)}") for p in principals(case)]
    claimant = awards.applicant_kind(case)
    for entry in form.items:
        entry.claim_id.choices = claim_choices
        entry.obligor_id.choices = entry.obligee_id.choices = parties
        if not form.is_submitted() and not entry.claimant.data:
            entry.claimant.data = claimant
    default_today("awarded_on")(form, case, row)


def _served_prepare(form, case, row):
    """The parties still to serve, and the award documents (a mixed award is two, each with its own periods)."""
    waiting = list(dict.fromkeys(party for _award, party in awards.unserved(case)))
    form.party_id.choices = [NONE_CHOSEN] + [SelectChoice(p.id, f"{p.name} · {label(p.kind)}") for p in waiting]
    closing = [a for a in row.awards if not a.partial]
    form.award_id.choices = [SelectChoice("", _("Every award document"))] + [
        SelectChoice(a.id, f"{a.number or ''} {label(a.finality)}".strip()) for a in closing
    ]
    default_today("served_on")(form, case, row)


def _serve_award(session, case, actor, row, f):
    return awards.serve_award_on(
        session,
        case,
        actor,
        party_id=f.party_id.data,
        served_on=f.served_on.data,
        award_ids=[f.award_id.data] if f.award_id.data else None,
        expected_version=f.expected_version(),
    )


def _items(form) -> list[awards.ItemInput]:
    return [
        awards.ItemInput(
            claim_id=e.claim_id.data,
            amount=e.amount.data,
            text=e.text.data,
            claimant=e.claimant.data or None,
            obligor_id=e.obligor_id.data,
            obligee_id=e.obligee_id.data,
            due_days=e.due_days.data,
        )
        for e in form.item_rows()
    ]


APPROVAL_INTRO = "arbitration/_approval_intro.html"  # who may approve (four-eyes, Rules Art 45)

SIDE_STEPS = [
    Step(
        ops.REQUEST_SUSPENSION.name,
        SuspensionRequestForm,
        perform=lambda session, case, actor, row, f: ops.request_suspension(
            session, case, actor, ground=f.ground.data, reason=f.reason.data, expected_version=f.expected_version()
        ),
    ),
    Step(
        ops.APPROVE_SUSPENSION.name,
        SuspensionApprovalForm,
        intro=APPROVAL_INTRO,
        perform=lambda session, case, actor, row, f: ops.decide_suspension(
            session,
            case,
            actor,
            approve=True,
            note=f.note.data or "",
            starts_on=f.starts_on.data,
            expected_version=f.expected_version(),
        ),
    ),
    Step(
        ops.REJECT_SUSPENSION.name,
        NoteForm,
        perform=lambda session, case, actor, row, f: ops.decide_suspension(
            session, case, actor, approve=False, note=f.note.data, expected_version=f.expected_version()
        ),
    ),
    Step(
        ops.RESUME.name,
        ResumeForm,
        prepare=default_today("resumed_on"),
        perform=lambda session, case, actor, row, f: ops.resume(
            session,
            case,
            actor,
            resumed_on=f.resumed_on.data,
            note=f.note.data or "",
            expected_version=f.expected_version(),
        ),
    ),
    Step(
        ops.REQUEST_EXTENSION.name,
        ExtensionRequestForm,
        perform=lambda session, case, actor, row, f: ops.request_extension(
            session, case, actor, days=f.days.data, reason=f.reason.data, expected_version=f.expected_version()
        ),
    ),
    Step(
        ops.APPROVE_EXTENSION.name,
        OptionalNoteForm,
        intro=APPROVAL_INTRO,
        perform=lambda session, case, actor, row, f: ops.decide_extension(
            session, case, actor, approve=True, note=f.note.data or "", expected_version=f.expected_version()
        ),
    ),
    Step(
        ops.REJECT_EXTENSION.name,
        NoteForm,
        intro=APPROVAL_INTRO,
        perform=lambda session, case, actor, row, f: ops.decide_extension(
            session, case, actor, approve=False, note=f.note.data, expected_version=f.expected_version()
        ),
    ),
    Step(
        awards.RECORD_AWARD.name,
        AwardForm,
        prepare=_award_prepare,
        perform=lambda session, case, actor, row, f: awards.record_award(
            session,
            case,
            actor,
            items=_items(f),
            awarded_on=f.awarded_on.data,
            reasons=f.reasons.data or "",
            expected_version=f.expected_version(),
        ),
    ),
    Step(
        awards.PARTIAL_AWARD.name,
        PartialAwardForm,
        prepare=_award_prepare,
        perform=lambda session, case, actor, row, f: awards.partial_award(
            session,
            case,
            actor,
            items=_items(f),
            awarded_on=f.awarded_on.data,
            reasons=f.reasons.data or "",
            expected_version=f.expected_version(),
        ),
    ),
    Step(awards.SERVE_AWARD.name, AwardServedForm, prepare=_served_prepare, perform=_serve_award),
]
