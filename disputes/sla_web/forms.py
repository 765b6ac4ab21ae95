from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from disputes.web.fields import AppForm


class MarkReadForm(AppForm):
    """Mark one notification read (by id), or every unread one when no id is sent."""

    id = IntegerField(validators=[Optional(), NumberRange(min=1)])
