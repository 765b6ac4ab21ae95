"""The portal's forms: every one carries a CSRF token (Flask-WTF)."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from disputes import identity
from disputes.labels import LANGUAGE_CHOICES
from disputes.messaging import normalise_contact, normalise_phone
from disputes.web.fields import AppForm


def mobile_or_email(form, field):
    value = normalise_contact(field.data)
    if "@" in value:
        if len(value) > 200 or value.count("@") != 1:
            raise ValidationError(_l("Enter a mobile number or an e-mail address."))
    elif not (len(value) == 11 and value.isascii() and value.isdigit() and value.startswith("1")):
        raise ValidationError(_l("Enter a mobile number or an e-mail address."))


def mobile(form, field):
    value = normalise_phone(field.data)
    if not (len(value) == 11 and value.isascii() and value.isdigit() and value.startswith("1")):
        raise ValidationError(_l("Enter an 11-digit mobile number."))


def resident_id(form, field):
    if not identity.is_valid_resident_id(field.data):
        raise ValidationError(_l("This ID number is not valid: check every digit (GB 11643 check digit)."))


def credit_code(form, field):
    if field.data and not identity.is_valid_credit_code(field.data):
        raise ValidationError(_l("This unified social credit code is not valid (GB 32100 check character)."))


class LanguageForm(AppForm):
    locale = SelectField(choices=LANGUAGE_CHOICES)
    next = HiddenField()


class SignOutForm(AppForm):
    pass


class ContactForm(AppForm):
    contact = StringField(_l("Mobile number or e-mail address"), validators=[DataRequired(), mobile_or_email])
    next = HiddenField()


class CodeForm(AppForm):
    code = StringField(
        _l("One-time code"), validators=[DataRequired(), Regexp(r"^[0-9]{6}$", message=_l("The code is six digits."))]
    )
    next = HiddenField()


class WhoForm(AppForm):
    kind = SelectField(
        _l("What do you apply for?"),
        choices=[("mediation", _l("Mediation")), ("arbitration", _l("Arbitration"))],
    )
    unit_id = SelectField(_l("Where"), coerce=int)
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    id_number = StringField(_l("Resident ID number"), validators=[DataRequired(), resident_id])
    phone = StringField(_l("Mobile number"), validators=[DataRequired(), mobile])
    email = StringField(_l("E-mail (optional)"), validators=[Optional(), Email(), Length(max=200)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    migrant_worker = BooleanField(_l("I am a migrant worker"))
    drafted_by = StringField(_l("Drafted by (legal-aid lawyer, optional)"), validators=[Optional(), Length(max=120)])
    worker_count = SelectField(
        _l("How many workers apply together?"),
        choices=[("1", _l("Only me")), ("collective", _l("Ten or more (collective)"))],
    )


class EmployerForm(AppForm):
    name = StringField(_l("Employer's name"), validators=[DataRequired(), Length(max=120)])
    credit_code = StringField(_l("Unified social credit code"), validators=[Optional(), credit_code])
    address = StringField(_l("Employer's address"), validators=[Optional(), Length(max=200)])
    known_on = StringField(_l("When did you learn your rights were infringed? (YYYY-MM-DD)"), validators=[Optional()])
    still_employed = BooleanField(_l("I still work there"))


class ClaimsForm(AppForm):
    category_1 = SelectField(_l("First claim"))
    amount_1 = DecimalField(_l("Amount (yuan)"), places=2, validators=[Optional(), NumberRange(min=0, max=999999999)])
    description_1 = StringField(_l("Details"), validators=[Optional(), Length(max=500)])
    category_2 = SelectField(_l("Second claim (optional)"))
    amount_2 = DecimalField(_l("Amount (yuan)"), places=2, validators=[Optional(), NumberRange(min=0, max=999999999)])
    description_2 = StringField(_l("Details"), validators=[Optional(), Length(max=500)])
    category_3 = SelectField(_l("Third claim (optional)"))
    amount_3 = DecimalField(_l("Amount (yuan)"), places=2, validators=[Optional(), NumberRange(min=0, max=999999999)])
    description_3 = StringField(_l("Details"), validators=[Optional(), Length(max=500)])
    facts = TextAreaField(_l("What happened (in your own words)"), validators=[Optional(), Length(max=4000)])


class EvidenceForm(AppForm):
    files = MultipleFileField(_l("Photos or PDF files"))


class ConfirmForm(AppForm):
    confirm = BooleanField(_l("What I have entered is true"), validators=[DataRequired()])


class JoinForm(AppForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    id_number = StringField(_l("Resident ID number"), validators=[DataRequired(), resident_id])
    phone = StringField(_l("Mobile number"), validators=[DataRequired(), mobile])


class VoteForm(AppForm):
    # Not asked again of a worker who joined (or filed) in this browser: the session knows which worker it is.
    id_number = StringField(_l("Your resident ID number"), validators=[Optional(), resident_id])
    candidate = SelectField(_l("Whom do you elect as representative?"), coerce=int)


class ConsentForm(AppForm):
    agree = BooleanField(
        _l("I agree to receive documents of this case electronically, by a link sent to this address."),
        validators=[DataRequired()],
    )
    postal_address = StringField(
        _l("Postal address for paper documents (optional)"), validators=[Optional(), Length(max=200)]
    )


class OpenForm(AppForm):
    pass
