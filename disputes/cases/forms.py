"""The intake form: several workers, employers, agents and claims in one submission."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
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
from disputes.cases.allocation_forms import RouteFields
from disputes.labels import NONE_CHOSEN, choices
from disputes.models import ClaimCategory, PartySide, Sex
from disputes.models.enums import LIMITATION_SPANS, LimitationEventKind
from disputes.web.fields import AppForm, AppRowForm, Money, RowList, VersionedForm
from disputes.workflow.intake import FLAG_NAMES, LimitationEventInput


def valid_resident_id(form, field):
    if field.data and not identity.is_valid_resident_id(field.data):
        raise ValidationError(_l("Not a valid resident ID number (check the 18 characters and the last digit)."))


def valid_credit_code(form, field):
    if field.data and not identity.is_valid_credit_code(field.data):
        raise ValidationError(_l("Not a valid unified social credit code (18 characters, check digit)."))


def _blank(value) -> bool:
    """Nothing typed (a zero counts as nothing, as an untouched amount). A typed NaN is something (refused later):
    comparing a signalling NaN ("sNaN") with False would raise, and the page would fail instead of saying so."""
    if isinstance(value, Decimal) and value.is_nan():
        return False
    return value in (None, "", False)


class RowForm(AppRowForm):
    """A repeatable row; a row left entirely blank is ignored rather than refused.

    A required column (a name, a category) has no `Optional()` validator: that would stop the
    chain before the row's own `validate_<name>` check runs.
    """

    def is_blank(self) -> bool:
        return all(_blank(field.data) for name, field in self._fields.items() if name not in self.defaulted)

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

    def validate_sex(self, field):
        number = identity.normalise(self.id_number.data)
        if field.data and identity.is_valid_resident_id(number) and identity.resident_id_sex(number) != field.data:
            raise ValidationError(_l("The sex differs from the one in the ID number."))

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


FIRST_OF_SIDE = ""  # the agent acts for the first party of its side


class AgentForm(RowForm):
    side = SelectField(_l("Acts for"), choices=choices(PartySide))
    # "applicant-0", "respondent-1": a worker or employer row as filled in; the view offers the rows' names.
    represents = SelectField(
        _l("Party"),
        choices=[SelectChoice(FIRST_OF_SIDE, _l("The first party of its side"))],
        default=FIRST_OF_SIDE,
        validators=[Optional()],
    )
    name = StringField(_l("Agent name"), validators=[Length(max=120)])
    capacity = StringField(
        _l("Capacity"),
        validators=[Optional(), Length(max=120)],
        description=_l("e.g. lawyer of a law firm, the employer's HR officer, the worker's son"),
    )
    id_number = StringField(_l("Resident ID number"), validators=[Optional(), valid_resident_id])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    address = StringField(_l("Address or law firm"), validators=[Optional(), Length(max=200)])
    defaulted = ("side", "represents")

    def validate_name(self, field):
        if not (field.data or "").strip():
            raise ValidationError(_l("Give the agent's name."))


ALL_WORKERS = ""  # a claim of every worker of the case


class ClaimForm(RowForm):
    category = SelectField(_l("Category"), choices=[NONE_CHOSEN, *choices(ClaimCategory)])
    amount = DecimalField(_l("Amount (yuan)"), places=2, validators=[Optional(), Money()])
    description = StringField(_l("What is claimed"), validators=[Optional(), Length(max=500)])
    # "worker-0", "worker-1": a worker row as filled in, in a multi-worker case (issue 16); the view offers them.
    worker = SelectField(
        _l("Worker"),
        choices=[SelectChoice(ALL_WORKERS, _l("All workers"))],
        default=ALL_WORKERS,
        validators=[Optional()],
    )
    defaulted = ("worker",)

    def validate_category(self, field):
        if not field.data:
            raise ValidationError(_l("Choose the claim's category."))


class LimitationEventForm(RowForm):
    """An interruption (Law Art 27(2)) or a suspension (27(3)) of the limitation period."""

    kind = SelectField(_l("Interruption or suspension"), choices=[NONE_CHOSEN, *choices(LimitationEventKind)])
    start_on = DateField(_l("On (from)"), validators=[Optional()])
    end_on = DateField(
        _l("Until"),
        validators=[Optional()],
        description=_l("a mediation's or a suspension's end; empty while it lasts"),
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])

    def validate_kind(self, field):
        if not field.data:
            raise ValidationError(_l("Choose what happened."))

    def validate(self, extra_validators=None):
        if self.is_blank():
            return True
        ok = super().validate(extra_validators)
        if self.start_on.data is None and not self.start_on.errors:  # Optional() ends the field's own chain
            self.start_on.errors = [_l("Give the date.")]
            ok = False
        return ok

    def validate_end_on(self, field):
        if field.data is None:
            return
        if self.kind.data and LimitationEventKind(self.kind.data) not in LIMITATION_SPANS:
            raise ValidationError(_l("Only a mediation or a suspension has an end date."))
        if self.start_on.data and field.data < self.start_on.data:
            raise ValidationError(_l("The end cannot come before the start."))

    def value(self) -> LimitationEventInput:
        return LimitationEventInput(
            kind=LimitationEventKind(self.kind.data),
            start_on=self.start_on.data,
            end_on=self.end_on.data,
            note=self.note.data or "",
        )


EMPLOYMENT_CHOICES = [
    SelectChoice("", _l("Not recorded")),
    SelectChoice("ongoing", _l("Still employed")),
    SelectChoice("ended", _l("Ended (give the day)")),
]


class LimitationFields:
    """What the limitation needs (Law Art 27), shared by the intake form and the case page's form."""

    employment = SelectField(_l("Employment (Art 27(4))"), choices=EMPLOYMENT_CHOICES, validators=[Optional()])
    employment_ended_on = DateField(_l("Employment ended on"), validators=[Optional()])
    limitation_events = RowList(FormField(LimitationEventForm), min_entries=1, max_entries=20)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        ended = self.employment_ended_on
        if not ended.errors and self.employment.data == "ended" and ended.data is None:
            ended.errors = [*ended.errors, _l("Give the day the employment ended.")]
            ok = False
        if not ended.errors and self.employment.data == "ongoing" and ended.data is not None:
            ended.errors = [*ended.errors, _l("A lasting employment has no end date.")]
            ok = False
        return ok

    def employment_value(self) -> tuple[bool, object]:
        """(still employed, ended on): a date given counts as ended."""
        if self.employment.data == "ongoing":
            return True, None
        return False, self.employment_ended_on.data

    def limitation_values(self) -> list[LimitationEventInput]:
        return [row.form.value() for row in self.limitation_events if not row.form.is_blank()]


class IntakeForm(RouteFields, LimitationFields, AppForm):
    unit_id = SelectField(_l("Registering unit"), coerce=int, validators=[DataRequired()])
    registered_on = DateField(_l("Date received"), validators=[DataRequired()])
    dispute_known_on = DateField(_l("Dispute known since"), validators=[Optional()])
    cause = StringField(_l("Cause of dispute"), validators=[DataRequired(), Length(max=200)])
    facts = TextAreaField(_l("Facts and reasons"), validators=[Optional(), Length(max=10000)])
    worker_count = IntegerField(
        _l("Workers involved"),
        validators=[Optional(), NumberRange(min=1, max=100000, message=_l("At least one worker."))],
    )
    # A collective case can be large: 500 worker rows (with the head count field for more); more are refused.
    workers = RowList(FormField(WorkerForm), min_entries=1, max_entries=500)
    employers = RowList(FormField(EmployerForm), min_entries=1, max_entries=10)
    agents = RowList(FormField(AgentForm), min_entries=1, max_entries=10)
    claims = RowList(FormField(ClaimForm), min_entries=2, max_entries=30)
    migrant_wage = BooleanField()
    work_injury = BooleanField()
    green_channel = BooleanField()
    collective = BooleanField()
    limitation_warning = BooleanField()
    step = HiddenField(default="check")
    reviewed = HiddenField()
    submission = HiddenField()  # the one-time token: a second post of the confirmed form registers nothing

    flag_names = FLAG_NAMES
    section_errors: dict = {}

    def filled(self, name: str) -> list:
        return [entry.form for entry in getattr(self, name) if not entry.form.is_blank()]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        self.section_errors = {}
        for name in ("workers", "employers", "agents", "claims"):
            rows = getattr(self, name)
            if rows.too_many:
                self.section_errors[name] = rows.too_many_message()
        for name, message in (
            ("workers", _l("Add at least one worker.")),
            ("employers", _l("Add at least one employer.")),
            ("claims", _l("Add at least one claim.")),
        ):
            if not self.filled(name) and name not in self.section_errors:
                self.section_errors[name] = message
                ok = False
        known, received = self.dispute_known_on.data, self.registered_on.data
        if known and received and known > received:
            self.dispute_known_on.errors.append(_l("This date is after the date received."))
            ok = False
        return ok


class LimitationForm(LimitationFields, AppForm):
    """The case page's limitation card: the known day and the limitation facts, edited after registration."""

    dispute_known_on = DateField(_l("Dispute known since"), validators=[Optional()])
    reason = StringField(_l("Reason for the change"), validators=[Optional(), Length(max=500)])


class FlagsForm(VersionedForm):
    migrant_wage = BooleanField()
    work_injury = BooleanField()
    green_channel = BooleanField()
    collective = BooleanField()
    limitation_warning = BooleanField()
    reason = StringField(_l("Reason for the change"), validators=[DataRequired(), Length(max=500)])


class RevealForm(AppForm):
    reason = StringField(_l("Why do you need the full ID numbers?"), validators=[DataRequired(), Length(max=500)])
