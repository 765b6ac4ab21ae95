"""Mediation step forms: each fits on one screen and takes a minute to fill in."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DateTimeLocalField,
    DecimalField,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from disputes.labels import NONE_CHOSEN, choices
from disputes.web.fields import AppRowForm, CheckboxList, Money, RowList, enum_or_none, int_or_none
from disputes.web.steps import StepForm
from disputes.workflow.states import ConfirmationKind, ConfirmationResult, Performance, SessionOutcome

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class OpenForm(StepForm):
    unit_id = SelectField(_l("Mediation committee"), coerce=int, validators=[DataRequired()])
    applied_on = DateField(_l("Application received on"), validators=[DataRequired()])


class AcceptForm(StepForm):
    mediator_id = SelectField(_l("Mediator"), coerce=int_or_none, validators=[DataRequired()])
    accepted_on = DateField(_l("Accepted on"), validators=[DataRequired()])


class SessionForm(StepForm):
    held_at = DateTimeLocalField(_l("Held at"), format=DATETIME_FORMATS, validators=[DataRequired()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    online_link = StringField(
        _l("Online room"),
        validators=[Optional(), Length(max=300)],
        description=_l("Instead of a place, for an online session."),
    )
    attendees = StringField(_l("Attendees"), validators=[DataRequired(), Length(max=500)])
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(), Length(max=5000)])
    outcome = SelectField(
        _l("Outcome"), choices=choices(SessionOutcome), coerce=enum_or_none(SessionOutcome), validators=[DataRequired()]
    )
    next_at = DateTimeLocalField(_l("Next session"), format=DATETIME_FORMATS, validators=[Optional()])


class TermRow(AppRowForm):
    claim_id = SelectField(_l("Claim"), coerce=int_or_none, validate_choice=False)
    description = StringField(_l("Agreed term"), validators=[Optional(), Length(max=500)])
    amount = DecimalField(_l("Amount (yuan)"), places=2, validators=[Optional(), Money()])


class InstalmentRow(AppRowForm):
    due_on = DateField(_l("Due on"), validators=[Optional()])
    amount = DecimalField(_l("Amount (yuan)"), places=2, validators=[Optional(), Money(positive=True)])

    def validate(self, extra_validators=None):
        """A row with a date and no amount (or the other way round) is refused, not dropped without a word."""
        ok = super().validate(extra_validators)
        if ok and (self.due_on.data is None) != (self.amount.data is None):
            missing = self.due_on if self.due_on.data is None else self.amount
            missing.errors = [*missing.errors, _l("An instalment needs both its date and its amount.")]
            self._errors = None
            return False
        return ok


class AgreementForm(StepForm):
    signed_on = DateField(_l("Signed on"), validators=[DataRequired()])
    terms = RowList(FormField(TermRow), label=_l("Terms"), min_entries=1, max_entries=200)
    # Any number of instalments: the page adds and removes rows; the domain checks they pay the agreed total.
    instalments = RowList(FormField(InstalmentRow), label=_l("Payment schedule"), min_entries=1, max_entries=200)
    summary = TextAreaField(_l("Other terms"), validators=[Optional(), Length(max=5000)])


class ReasonForm(StepForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class LapseForm(StepForm):
    reason = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class PerformanceForm(StepForm):
    performance = SelectField(
        _l("Performance"),
        validators=[DataRequired()],
        coerce=enum_or_none(Performance),
        choices=[c for c in choices(Performance) if c.value != Performance.PENDING],
    )
    paid = CheckboxList(_l("Instalments paid"), coerce=int, validate_choice=False)
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class ConfirmationRequestForm(StepForm):
    kind = SelectField(
        _l("Request"),
        choices=[NONE_CHOSEN, *choices(ConfirmationKind)],
        coerce=enum_or_none(ConfirmationKind),
        validators=[DataRequired()],
    )
    applied_on = DateField(_l("Applied on"), validators=[DataRequired()])
    body = StringField(_l("Arbitration commission or court"), validators=[Optional(), Length(max=120)])


class ConfirmationResultForm(StepForm):
    result = SelectField(
        _l("Result"),
        validators=[DataRequired()],
        coerce=enum_or_none(ConfirmationResult),
        choices=[c for c in choices(ConfirmationResult) if c.value != ConfirmationResult.PENDING],
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
