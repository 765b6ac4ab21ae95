"""Forms of the steps that restart the award period (Rules Art 46): a party added, claims changed, a counter-claim,
a transferred case received."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DecimalField, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from disputes import identity
from disputes.cases.forms import valid_credit_code, valid_resident_id
from disputes.labels import NONE_CHOSEN, choices
from disputes.models import ClaimCategory, PartyKind, Sex
from disputes.web.fields import AppRowForm, RowList, enum_or_none, int_or_none
from disputes.web.steps import StepForm
from disputes.workflow.states import JoinCapacity

NOTE = _l("Note")


class AddPartyForm(StepForm):
    decided_on = DateField(
        _l("Decided to add on"),
        validators=[DataRequired()],
        description=_l("The award period runs again from this day (Rules Art 46)."),
    )
    capacity = SelectField(
        _l("Joins as"),
        choices=[NONE_CHOSEN, *choices(JoinCapacity)],
        coerce=enum_or_none(JoinCapacity),
        validators=[DataRequired()],
    )
    kind = SelectField(
        _l("Person or employer"),
        coerce=enum_or_none(PartyKind),
        validators=[DataRequired()],
        choices=[c for c in choices(PartyKind) if c.value in (PartyKind.WORKER, PartyKind.EMPLOYER)],
    )
    party_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    sex = SelectField(_l("Sex"), choices=[NONE_CHOSEN, *choices(Sex)], validators=[Optional()])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    id_number = StringField(_l("Resident ID number"), validators=[Optional(), valid_resident_id])
    credit_code = StringField(_l("Unified social credit code"), validators=[Optional(), valid_credit_code])
    legal_representative = StringField(_l("Legal representative"), validators=[Optional(), Length(max=80)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    note = TextAreaField(_l("Ground for adding"), validators=[Optional(), Length(max=2000)])

    def validate_birth_date(self, field):
        number = identity.normalise(self.id_number.data)
        if (
            field.data
            and identity.is_valid_resident_id(number)
            and identity.resident_id_birth_date(number) != field.data
        ):
            raise ValidationError(_l("The date of birth differs from the one in the ID number."))


class ClaimChangeRow(AppRowForm):
    claim_id = SelectField(_l("Claim"), coerce=int_or_none, validate_choice=False)
    category = SelectField(
        _l("Category"),
        choices=[NONE_CHOSEN, *choices(ClaimCategory)],
        coerce=enum_or_none(ClaimCategory),
        validators=[Optional()],
    )
    amount = DecimalField(_l("Amount (yuan)"), places=2, validators=[Optional(), NumberRange(min=0)])
    what = StringField(_l("What is claimed"), validators=[Optional(), Length(max=500)])

    def is_blank(self) -> bool:
        return self.claim_id.data is None and not (
            self.category.data or self.amount.data is not None or (self.what.data or "").strip()
        )


class ClaimsChangeForm(StepForm):
    accepted_on = DateField(
        _l("Change accepted on"),
        validators=[DataRequired()],
        description=_l("The award period runs again from this day (Rules Art 46)."),
    )
    claims = RowList(
        FormField(ClaimChangeRow), label=_l("Claims as they now read, and added claims"), min_entries=1, max_entries=40
    )
    note = TextAreaField(NOTE, validators=[Optional(), Length(max=2000)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for row in self.rows():
            if row.category.data is None:
                row.category.errors = [*row.category.errors, _l("Choose the claim's category.")]
                valid = False
        return valid

    def rows(self) -> list[ClaimChangeRow]:
        """The filled rows (the inner forms); blank rows are ignored."""
        return [entry.form for entry in self.claims if not entry.form.is_blank()]


class CounterClaimForm(StepForm):
    accepted_on = DateField(
        _l("Counter-claim accepted on"),
        validators=[DataRequired()],
        description=_l("The award period runs again from this day (Rules Art 46)."),
    )
    claims_text = TextAreaField(_l("The employer's claims"), validators=[DataRequired(), Length(max=5000)])
    amount = DecimalField(_l("Total claimed (yuan)"), places=2, validators=[Optional(), NumberRange(min=0)])
    note = TextAreaField(NOTE, validators=[Optional(), Length(max=2000)])


class TransferInForm(StepForm):
    received_on = DateField(
        _l("Transferred case received on"),
        validators=[DataRequired()],
        description=_l("The award period runs again from this day (Rules Art 46)."),
    )
    transferred_from = StringField(
        _l("Transferred by"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("The commission or court that transferred the case."),
    )
    note = TextAreaField(NOTE, validators=[Optional(), Length(max=2000)])
