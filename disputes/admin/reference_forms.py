from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, DecimalField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

from disputes.labels import NONE_CHOSEN, choices
from disputes.models import ClaimCategory
from disputes.web.fields import AppForm, enum_or_none


class MinimumWageForm(AppForm):
    region_code = StringField(
        _l("Region code"),
        description=_l("Six digits (GB/T 2260): a district, city (…00) or province (…0000)."),
        validators=[DataRequired(), Regexp(r"^\d{6}$", message=_l("Six digits, for example 440307."))],
    )
    region_name = StringField(_l("Region name"), validators=[DataRequired(), Length(max=60)])
    effective_from = DateField(_l("Effective from"), validators=[InputRequired()])
    monthly_amount = DecimalField(
        _l("Monthly amount (yuan)"),
        places=2,
        description=_l("Awards measure claims against 12 times this figure."),
        validators=[InputRequired()],
    )


class HearingRoomForm(AppForm):
    unit_id = SelectField(_l("Arbitration commission"), coerce=int, validate_choice=False, validators=[DataRequired()])
    name = StringField(_l("Room name"), validators=[DataRequired(), Length(max=60)])
    active = BooleanField(_l("Active"), default=True)


class HearingRoomEditForm(HearingRoomForm):
    unit_id = None


RULE_CHOICES = [
    NONE_CHOSEN,
    SelectChoice("amount", _l("Final up to 12 months of the minimum wage (Art 47(1))")),
    SelectChoice("final", _l("Always final (Art 47(2))")),
    SelectChoice("non_final", _l("Never final")),
]


class FinalityRuleForm(AppForm):
    """How a region reads Law Art 47 for one claim category from a date on, with the text it rests on."""

    region_code = StringField(
        _l("Region code"),
        description=_l("000000 for the national rules; six digits (GB/T 2260) for a province, city or district."),
        validators=[DataRequired(), Regexp(r"^\d{6}$", message=_l("Six digits, for example 440307."))],
    )
    region_name = StringField(_l("Region name"), validators=[DataRequired(), Length(max=60)])
    category = SelectField(
        _l("Claim category"),
        choices=[NONE_CHOSEN, *choices(ClaimCategory)],
        coerce=enum_or_none(ClaimCategory),
        validators=[DataRequired()],
    )
    rule = SelectField(
        _l("Finality"),
        choices=RULE_CHOICES,
        validators=[DataRequired()],
        description=_l("An employer's claim against a worker is never final, whatever the rule."),
    )
    effective_from = DateField(_l("Effective from"), validators=[InputRequired()])
    source = TextAreaField(
        _l("Source"),
        validators=[DataRequired(), Length(max=500)],
        description=_l("The article, notice or answer the reading rests on, with its date."),
    )
