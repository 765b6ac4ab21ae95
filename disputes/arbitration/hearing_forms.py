"""Hearing and award step forms."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FormField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from disputes.web.fields import AppRowForm, Money, RowList, int_or_none
from disputes.web.steps import StepForm


class ScheduleForm(StepForm):
    day = DateField(_l("Hearing date"), validators=[DataRequired()])
    starts_at = TimeField(_l("Starts at"), validators=[DataRequired()])
    ends_at = TimeField(_l("Ends at"), validators=[DataRequired()])
    room_id = SelectField(_l("Hearing room"), coerce=int_or_none, validators=[Optional()])
    online_link = StringField(
        _l("Online hearing link"),
        validators=[Optional(), Length(max=300)],
        description=_l("Instead of a room, for an online hearing."),
    )
    short_notice_agreed = BooleanField(
        _l("The parties accept a shorter notice"),
        description=_l("Only to hold the hearing before the earliest lawful date; recorded on the case."),
    )


class NoticeForm(StepForm):
    hearing_id = SelectField(_l("Hearing"), coerce=int_or_none, validators=[DataRequired()])
    served_on = DateField(_l("Notice served on"), validators=[DataRequired()])


class PostponeForm(StepForm):
    hearing_id = SelectField(_l("Hearing"), coerce=int_or_none, validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
    day = DateField(
        _l("New hearing date"),
        validators=[Optional()],
        description=_l("Optional: give date, start and end to schedule the new hearing now."),
    )
    starts_at = TimeField(_l("Starts at"), validators=[Optional()])
    ends_at = TimeField(_l("Ends at"), validators=[Optional()])
    room_id = SelectField(_l("Hearing room"), coerce=int_or_none, validators=[Optional()])
    online_link = StringField(_l("Online hearing link"), validators=[Optional(), Length(max=300)])
    short_notice_agreed = BooleanField(
        _l("The parties accept a shorter notice"),
        description=_l("Only to hold the hearing before the earliest lawful date; recorded on the case."),
    )

    def reschedules(self) -> bool:
        return any(f.data for f in (self.day, self.starts_at, self.ends_at))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.reschedules():
            for f in (self.day, self.starts_at, self.ends_at):
                if not f.data and not f.errors:
                    f.errors.append(_l("Give the date, start and end of the new hearing."))
                    valid = False
        return valid


class HoldForm(StepForm):
    """A scheduled hearing, or one held on the spot without being scheduled: then its date, times and place."""

    hearing_id = SelectField(
        _l("Hearing"),
        coerce=int_or_none,
        validators=[Optional()],
        description=_l("Or “held without scheduling”: give its date, times and room below."),
    )
    day = DateField(_l("Held on"), validators=[Optional()])
    starts_at = TimeField(_l("Started at"), validators=[Optional()])
    ends_at = TimeField(_l("Ended at"), validators=[Optional()])
    room_id = SelectField(_l("Hearing room"), coerce=int_or_none, validators=[Optional()])
    online_link = StringField(_l("Online hearing link"), validators=[Optional(), Length(max=300)])
    applicant_attended = BooleanField(_l("Applicant attended"))
    respondent_attended = BooleanField(_l("Respondent attended"))
    record = TextAreaField(_l("Record"), validators=[Optional(), Length(max=10000)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.hearing_id.data is None:  # held on the spot: when it was held, each field its own message
            for f in (self.day, self.starts_at, self.ends_at):
                if f.data is None and not f.errors:
                    f.errors = [*f.errors, _l("Give the date and times of the hearing held without scheduling.")]
                    valid = False
        return valid


class AwardItemRow(AppRowForm):
    claim_id = SelectField(_l("Claim"), coerce=int_or_none, validate_choice=False)
    amount = DecimalField(_l("Awarded (yuan)"), places=2, validators=[Optional(), Money()])
    text = StringField(_l("Ruling"), validators=[Optional(), Length(max=500)])
    # The enforceable term (Law Art 51): whose claim, who pays whom, within how many days of effect.
    claimant = SelectField(
        _l("Claim of"),
        choices=[SelectChoice("worker", _l("the worker")), SelectChoice("employer", _l("the employer"))],
        validators=[Optional()],
        description=_l("An employer's claim (its own or a counter-claim) is never final."),
    )
    obligor_id = SelectField(
        _l("Paid by"),
        coerce=int_or_none,
        validate_choice=False,
        validators=[Optional()],
        description=_l("Leave on “—” for the other side of the claimant."),
    )
    obligee_id = SelectField(
        _l("Paid to"),
        coerce=int_or_none,
        validate_choice=False,
        validators=[Optional()],
        description=_l("Leave on “—” for the claimant."),
    )
    due_days = IntegerField(
        _l("Days to pay after the award takes effect"),
        validators=[Optional(), NumberRange(1, 365)],
        description=_l("Leave empty for five days."),
    )


class AwardForm(StepForm):
    awarded_on = DateField(_l("Awarded on"), validators=[DataRequired()])
    items = RowList(FormField(AwardItemRow), label=_l("Ruling per claim"), min_entries=1, max_entries=200)
    reasons = TextAreaField(_l("Reasons"), validators=[Optional(), Length(max=20000)])
    every_claim = True  # a closing award rules on every claim

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for entry in self.items:
            blank = not (entry.text.data or "").strip()
            if blank and (self.every_claim or entry.amount.data is not None):
                entry.text.errors = [*entry.text.errors, _l("Give the ruling on this claim.")]
                valid = False
        return valid

    def item_rows(self):
        return [e for e in self.items if (e.text.data or "").strip()]


class PartialAwardForm(AwardForm):
    every_claim = False
