"""Suspension, extension and award steps."""
from wtforms import SelectChoice

from disputes.arbitration.forms import (
    ExtensionRequestForm,
    NoteForm,
    OptionalNoteForm,
    ResumeForm,
    ServedForm,
    SuspensionApprovalForm,
    SuspensionRequestForm,
)
from disputes.arbitration.hearing_forms import AwardForm, PartialAwardForm
from disputes.labels import NONE_CHOSEN, label
from disputes.steps import Step, default_today
from disputes.templating import money
from disputes.workflow import awards
from disputes.workflow import interruptions as ops


def _award_prepare(form, case, row):
    claim_choices = [NONE_CHOSEN] + [
        SelectChoice(c.id, f"{label(c.category)} {money(c.amount)}") for c in case.claims
    ]
    while len(form.items) < len(case.claims):
        form.items.append_entry()
    for entry, claim in zip(form.items, case.claims, strict=False):
        if entry.claim_id.data is None and not form.is_submitted():
            entry.claim_id.data = claim.id
    for entry in form.items:
        entry.claim_id.choices = claim_choices
    default_today("awarded_on")(form, case, row)


def _items(form) -> list[awards.ItemInput]:
    return [awards.ItemInput(claim_id=e.claim_id.data, amount=e.amount.data, text=e.text.data)
            for e in form.item_rows()]


APPROVAL_INTRO = "arbitration/_approval_intro.html"  # who may approve (four-eyes, Rules Art 45)

SIDE_STEPS = [
    Step(ops.REQUEST_SUSPENSION.name, SuspensionRequestForm, perform=lambda session, case, actor, row, f:
         ops.request_suspension(session, case, actor, ground=f.ground.data, reason=f.reason.data,
                                expected_version=f.expected_version())),
    Step(ops.APPROVE_SUSPENSION.name, SuspensionApprovalForm, intro=APPROVAL_INTRO, perform=lambda session, case, actor, row, f:
         ops.decide_suspension(session, case, actor, approve=True, note=f.note.data or "", starts_on=f.starts_on.data,
                               expected_version=f.expected_version())),
    Step(ops.REJECT_SUSPENSION.name, NoteForm, perform=lambda session, case, actor, row, f:
         ops.decide_suspension(session, case, actor, approve=False, note=f.note.data,
                               expected_version=f.expected_version())),
    Step(ops.RESUME.name, ResumeForm, prepare=default_today("resumed_on"), perform=lambda session, case, actor, row, f:
         ops.resume(session, case, actor, resumed_on=f.resumed_on.data, note=f.note.data or "",
                    expected_version=f.expected_version())),
    Step(ops.REQUEST_EXTENSION.name, ExtensionRequestForm, perform=lambda session, case, actor, row, f:
         ops.request_extension(session, case, actor, days=f.days.data, reason=f.reason.data,
                               expected_version=f.expected_version())),
    Step(ops.APPROVE_EXTENSION.name, OptionalNoteForm, intro=APPROVAL_INTRO, perform=lambda session, case, actor, row, f:
         ops.decide_extension(session, case, actor, approve=True, note=f.note.data or "",
                              expected_version=f.expected_version())),
    Step(ops.REJECT_EXTENSION.name, NoteForm, intro=APPROVAL_INTRO, perform=lambda session, case, actor, row, f:
         ops.decide_extension(session, case, actor, approve=False, note=f.note.data,
                              expected_version=f.expected_version())),
    Step(awards.RECORD_AWARD.name, AwardForm, prepare=_award_prepare, perform=lambda session, case, actor, row, f:
         awards.record_award(session, case, actor, items=_items(f), awarded_on=f.awarded_on.data,
                             reasons=f.reasons.data or "", expected_version=f.expected_version())),
    Step(awards.PARTIAL_AWARD.name, PartialAwardForm, prepare=_award_prepare,
         perform=lambda session, case, actor, row, f:
         awards.partial_award(session, case, actor, items=_items(f), awarded_on=f.awarded_on.data,
                              reasons=f.reasons.data or "", expected_version=f.expected_version())),
    Step(awards.SERVE_AWARD.name, ServedForm, prepare=default_today("served_on"), perform=lambda session, case, actor, row, f:
         awards.serve_award(session, case, actor, served_on=f.served_on.data, expected_version=f.expected_version())),
]
