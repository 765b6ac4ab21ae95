from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional


class MarkReadForm(FlaskForm):
    """Mark one notification read (by id), or every unread one when no id is sent."""

    id = IntegerField(validators=[Optional(), NumberRange(min=1)])
