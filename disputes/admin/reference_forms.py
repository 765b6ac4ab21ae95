from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, DecimalField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

from disputes.web.fields import AppForm


class MinimumWageForm(AppForm):
    region_code = StringField(
        _l("Region code"),
        description=_l("Six digits (GB/T 2260): a district, city (…00) or province (…0000)."),
        validators=[DataRequired(), Regexp(r"^\d{6}$", message=_l("Six digits, for example 440307."))],
    )
    region_name = StringField(_l("Region name"), validators=[DataRequired(), Length(max=60)])
    effective_from = DateField(_l("Effective from"), validators=[InputRequired()])
    monthly_amount = DecimalField(
        _l("Monthly amount (yuan)"), places=2,
        description=_l("Awards measure claims against 12 times this figure."),
        validators=[InputRequired()],
    )


class HearingRoomForm(AppForm):
    unit_id = SelectField(_l("Arbitration commission"), coerce=int, validate_choice=False,
                          validators=[DataRequired()])
    name = StringField(_l("Room name"), validators=[DataRequired(), Length(max=60)])
    active = BooleanField(_l("Active"), default=True)


class HearingRoomEditForm(HearingRoomForm):
    unit_id = None
