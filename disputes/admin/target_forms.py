from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from disputes.web.fields import AppForm


class TargetForm(AppForm):
    unit_id = SelectField(
        _l("Unit"), coerce=lambda v: int(v) if v not in ("", None, "None") else None, validate_choice=False
    )
    figure = SelectField(_l("Figure"), validators=[InputRequired()])
    minimum = DecimalField(
        _l("Minimum"),
        places=2,
        validators=[Optional(), NumberRange(0, None)],
        description=_l("Per cent for a rate, cases a year for a count. Leave empty to remove the target."),
    )
