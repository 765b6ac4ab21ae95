"""Forms of the allocation page: a unit's rule, a person's absence, a person's skill."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from disputes.web.fields import AppForm


class RuleForm(AppForm):
    unit_id = HiddenField()
    method = SelectField(_l("How new work is given"))


class AbsenceForm(AppForm):
    user_id = SelectField(_l("Person"), coerce=int, validators=[DataRequired()])
    starts_on = DateField(_l("First day away"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day away"), validators=[DataRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])


class SkillForm(AppForm):
    user_id = SelectField(_l("Person"), coerce=int, validators=[DataRequired()])
    kind = SelectField(_l("Kind"))
    value = StringField(_l("Category or language"), validators=[DataRequired(), Length(max=40)])


class DeleteForm(AppForm):
    """A button that removes a row (an absence, a skill)."""
