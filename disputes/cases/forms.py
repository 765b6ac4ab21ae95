"""The intake form: several workers, employers, agents and claims in one submission."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from disputes import identity
from disputes.fields import Money
from disputes.labels import NONE_CHOSEN, choices
from disputes.models import ClaimCategory, PartySide, Sex
from disputes.workflow.intake import FLAG_NAMES


def valid_resident_id(form, field):
    if field.data and not identity.is_valid_resident_id(field.data):
        raise ValidationError(_l("Not a valid resident ID number (check the 18 characters and the last digit)."))


def valid_credit_code(form, field):
    if field.data and not identity.is_valid_credit_code(field.data):
        raise ValidationError(_l("Not a valid unified social credit code (18 characters, check digit)."))


class RowForm(Form):
    """A repeatable row; a row left entirely blank is ignored rather than refused.

    A required column (a name, a category) has no `Optional()` validator: that would stop the
    chain before the row's own `validate_<name>` check runs.
    """

    def is_blank(self) -> bool:
        return not any(
            (field.data not in (None, "", False)) for name, field in self._fields.items() if name not in self.defaulted
        )

    defaulted: tuple[str, ...] = ()

    def validate(self, extra_validators=None):
        if self.is_blank():
            return True
        return super().validate(extra_validators)


class WorkerForm(RowForm):
    name = StringField(_l("Name"), validators=[Length(max=120)])
    sex = SelectField(_l("Sex"), choices=[NONE_CHOSEN, *choices(Sex)], validators=[Optional()])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    id_number = StringField(_l("Resident ID number"), validators=[Optional(), valid_resident_id])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    migrant_worker = BooleanField(_l("Migrant worker"))
    is_representative = BooleanField(_l("Representative"))
    defaulted = ("sex",)

    def validate_name(self, field):
        if not (field.data or "").strip():
            raise ValidationError(_l("Give the worker's name."))

    def validate_birth_date(self, field):
        number = identity.normalise(self.id_number.data)
        if (
            field.data
            and identity.is_valid_resident_id(number)
            and identity.resident_id_birth_date(number) != field.data
        ):
            raise ValidationError(_l("The date of birth differs from the one in the ID number."))


class EmployerForm(RowForm):
    name = StringField(_l("Employer name"), validators=[Length(max=120)])
    credit_code = StringField(_l("Unified social credit code"), validators=[Optional(), valid_credit_code])
    legal_representative = StringField(_l("Legal representative"), validators=[Optional(), Length(max=80)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])

    def validate_name(self, field):
        if not (field.data or "").strip():
            raise ValidationError(_l("Give the employer's name."))


class AgentForm(RowForm):
    side = SelectField(_l("Acts for"), choices=choices(PartySide))
    name = StringField(_l("Agent name"), validators=[Length(max=120)])
    id_number = StringField(_l("Resident ID number"), validators=[Optional(), valid_resident_id])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    address = StringField(_l("Address or law firm"), validators=[Optional(), Length(max=200)])
    defaulted = ("side",)

    def validate_name(self, field):
        if not (field.data or "").strip():
            raise ValidationError(_l("Give the agent's name."))


class ClaimForm(RowForm):
    category = SelectField(_l("Category"), choices=[NONE_CHOSEN, *choices(ClaimCategory)])
    amount = DecimalField(_l("Amount (yuan)"), places=2, validators=[Optional(), Money()])
    description = StringField(_l("What is claimed"), validators=[Optional(), Length(max=500)])

    def validate_category(self, field):
        if not field.data:
            raise ValidationError(_l("Choose the claim's category."))


class IntakeForm(FlaskForm):
    unit_id = SelectField(_l("Registering unit"), coerce=int, validators=[DataRequired()])
    registered_on = DateField(_l("Date received"), validators=[DataRequired()])
    dispute_known_on = DateField(_l("Dispute known since"), validators=[Optional()])
    cause = StringField(_l("Cause of dispute"), validators=[DataRequired(), Length(max=200)])
    facts = TextAreaField(_l("Facts and reasons"), validators=[Optional(), Length(max=10000)])
    worker_count = IntegerField(
        _l("Workers involved"),
        validators=[Optional(), NumberRange(min=1, max=100000, message=_l("At least one worker."))],
    )
    workers = FieldList(FormField(WorkerForm), min_entries=1, max_entries=60)
    employers = FieldList(FormField(EmployerForm), min_entries=1, max_entries=10)
    agents = FieldList(FormField(AgentForm), min_entries=1, max_entries=10)
    claims = FieldList(FormField(ClaimForm), min_entries=2, max_entries=30)
    migrant_wage = BooleanField()
    work_injury = BooleanField()
    green_channel = BooleanField()
    collective = BooleanField()
    limitation_warning = BooleanField()
    step = HiddenField(default="check")
    reviewed = HiddenField()

    flag_names = FLAG_NAMES
    section_errors: dict = {}

    def filled(self, name: str) -> list:
        return [entry.form for entry in getattr(self, name) if not entry.form.is_blank()]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        self.section_errors = {}
        for name, message in (
            ("workers", _l("Add at least one worker.")),
            ("employers", _l("Add at least one employer.")),
            ("claims", _l("Add at least one claim.")),
        ):
            if not self.filled(name):
                self.section_errors[name] = message
                ok = False
        known, received = self.dispute_known_on.data, self.registered_on.data
        if known and received and known > received:
            self.dispute_known_on.errors.append(_l("This date is after the date received."))
            ok = False
        return ok


class FlagsForm(FlaskForm):
    migrant_wage = BooleanField()
    work_injury = BooleanField()
    green_channel = BooleanField()
    collective = BooleanField()
    limitation_warning = BooleanField()
    reason = StringField(_l("Reason for the change"), validators=[DataRequired(), Length(max=500)])


class RevealForm(FlaskForm):
    reason = StringField(_l("Why do you need the full ID numbers?"), validators=[DataRequired(), Length(max=500)])
