"""Arbitration step forms: receipt to acceptance, tribunal, side steps and closure."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DecimalField, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from disputes.labels import NONE_CHOSEN, choices
from disputes.web.fields import AppRowForm, Money, RowList, enum_or_none, int_or_none
from disputes.web.steps import StepForm
from disputes.workflow.states import ClosureType, RefusalGround, SuspensionGround, TribunalKind


class ReceiveForm(StepForm):
    unit_id = SelectField(_l("Arbitration commission"), coerce=int, validators=[DataRequired()])
    received_on = DateField(_l("Application received on"), validators=[DataRequired()])


class NoteForm(StepForm):
    note = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=2000)])


class OptionalNoteForm(StepForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class CorrectedForm(StepForm):
    received_on = DateField(_l("Corrected materials received on"), validators=[DataRequired()])


class AcceptForm(StepForm):
    accepted_on = DateField(_l("Accepted on"), validators=[DataRequired()])


class RefuseForm(StepForm):
    ground = SelectField(
        _l("Ground"),
        choices=[NONE_CHOSEN, *choices(RefusalGround)],
        coerce=enum_or_none(RefusalGround),
        validators=[DataRequired()],
        description=_l(
            "A commission without jurisdiction directs the applicant to the competent "
            "one; for every other ground the notice names the right to sue."
        ),
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("In the applicant's terms, e.g. which commission has jurisdiction and why."),
    )


class ServedForm(StepForm):
    served_on = DateField(_l("Served on"), validators=[DataRequired()])


class AwardServedForm(StepForm):
    """The award served on one party: each party's periods run from its own day (Law Art 48–50)."""

    party_id = SelectField(_l("Party"), coerce=int_or_none, validators=[DataRequired()])
    award_id = SelectField(
        _l("Award document"),
        coerce=int_or_none,
        validators=[Optional()],
        description=_l("Leave on “every award document” when the party received them together."),
    )
    served_on = DateField(_l("Served on"), validators=[DataRequired()])


class DefenceForm(StepForm):
    received_on = DateField(_l("Defence received on"), validators=[DataRequired()])


class TribunalForm(StepForm):
    kind = SelectField(
        _l("Tribunal"), choices=choices(TribunalKind), coerce=enum_or_none(TribunalKind), validators=[DataRequired()]
    )
    presiding_id = SelectField(_l("Sole or presiding arbitrator"), coerce=int_or_none, validators=[DataRequired()])
    second_id = SelectField(
        _l("Second arbitrator"),
        coerce=int_or_none,
        validators=[Optional()],
        description=_l("Three-member tribunal only."),
    )
    third_id = SelectField(
        _l("Third arbitrator"),
        coerce=int_or_none,
        validators=[Optional()],
        description=_l("Three-member tribunal only."),
    )

    def arbitrator_ids(self) -> list[int]:
        chosen = [self.presiding_id.data, self.second_id.data, self.third_id.data]
        return [i for i in chosen if i is not None]


class SimplifyForm(StepForm):
    ground = StringField(
        _l("Ground"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("Clear facts, a small amount, or both parties agree."),
    )


class SuspensionRequestForm(StepForm):
    ground = SelectField(
        _l("Ground"),
        choices=[NONE_CHOSEN, *choices(SuspensionGround)],
        coerce=enum_or_none(SuspensionGround),
        validators=[DataRequired()],
    )
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class SuspensionApprovalForm(StepForm):
    starts_on = DateField(_l("Suspended from"), validators=[Optional()], description=_l("Leave empty for today."))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class ResumeForm(StepForm):
    resumed_on = DateField(_l("Resumed on"), validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class ExtensionRequestForm(StepForm):
    days = IntegerField(
        _l("Days"), validators=[DataRequired(), NumberRange(min=1, max=15)], description=_l("At most 15 days in all.")
    )
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


CLOSURE_ORDER = (
    ClosureType.AWARD,
    ClosureType.MEDIATION_STATEMENT,
    ClosureType.WITHDRAWN,
    ClosureType.DEEMED_WITHDRAWN,
    ClosureType.TERMINATED,
    ClosureType.TRANSFERRED,
)


class StatementTermRow(AppRowForm):
    """One term of a mediation statement, as a mediation agreement's terms are kept (Law Art 42, 51)."""

    claim_id = SelectField(_l("Claim"), coerce=int_or_none, validate_choice=False, validators=[Optional()])
    text = StringField(_l("Term"), validators=[Optional(), Length(max=500)])
    amount = DecimalField(_l("Amount (yuan)"), places=2, validators=[Optional(), Money()])
    obligor_id = SelectField(
        _l("Paid by"),
        coerce=int_or_none,
        validate_choice=False,
        validators=[Optional()],
        description=_l("Leave on “—” for the respondent."),
    )
    obligee_id = SelectField(
        _l("Paid to"),
        coerce=int_or_none,
        validate_choice=False,
        validators=[Optional()],
        description=_l("Leave on “—” for the applicant."),
    )
    due_on = DateField(_l("Pay by"), validators=[Optional()])


class ClosureRequestForm(StepForm):
    closure_type = SelectField(
        _l("Closure"),
        coerce=enum_or_none(ClosureType),
        validators=[DataRequired()],
        choices=[NONE_CHOSEN, *sorted(choices(ClosureType), key=lambda c: CLOSURE_ORDER.index(ClosureType(c.value)))],
    )
    terms = RowList(
        FormField(StatementTermRow), label=_l("Terms of the mediation statement"), min_entries=3, max_entries=50
    )
    note = TextAreaField(
        _l("Other agreed matters or reason"),
        validators=[Optional(), Length(max=5000)],
        description=_l("For a mediation statement, what the terms above do not say; otherwise why the case ends."),
    )
    act_on = DateField(
        _l("Date of the closing act"),
        validators=[Optional()],
        description=_l(
            "The date of the mediation statement, or of the decision on the withdrawal, "
            "termination or transfer; an award closure takes the award's date. Leave "
            "empty for today."
        ),
    )
