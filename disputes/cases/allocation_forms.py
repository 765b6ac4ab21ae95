"""Forms of routing and allocation: the route step, a hand assignment, a conflict (回避), a bulk move."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional

from disputes.web.fields import AppForm, VersionedForm


class RouteFields:
    destination = SelectField(_l("Where the case goes"), validators=[Optional()])
    route_language = StringField(
        _l("Language the parties need (if not Mandarin)"), validators=[Optional(), Length(max=40)]
    )
    route_note = StringField(
        _l("Note (for legal aid: the applicant's hardship)"), validators=[Optional(), Length(max=500)]
    )


class RouteForm(RouteFields, VersionedForm):
    """The route step of a case registered without one."""


class AssignForm(VersionedForm):
    user_id = SelectField(_l("Person"), coerce=int, validators=[DataRequired()])
    reason = StringField(_l("Reason for assigning by hand"), validators=[DataRequired(), Length(max=200)])


class ConflictForm(AppForm):
    user_id = SelectField(_l("Person"), coerce=int, validators=[DataRequired()])
    reason = StringField(_l("Ground for standing aside"), validators=[DataRequired(), Length(max=200)])


class BulkForm(AppForm):
    """The case list's selection: reassign the chosen cases to a person, or move them to another unit."""

    case_ids = SelectMultipleField(coerce=int, validate_choice=False)
    action = SelectField(
        _l("Action"),
        choices=[
            SelectChoice("reassign", _l("Reassign to a person")),
            SelectChoice("move", _l("Move to another unit")),
        ],
    )
    user_id = SelectField(_l("Person"), validators=[Optional()], coerce=lambda v: int(v) if v else None)
    unit_id = SelectField(_l("Unit"), validators=[Optional()], coerce=lambda v: int(v) if v else None)
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()
