"""Forms of transfers (移送), a court's delegated mediation, and linked groups."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DateTimeLocalField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from disputes.labels import choices
from disputes.models import DelegationKind, LinkKind
from disputes.web.fields import AppForm, int_or_none
from disputes.workflow.states import ClosureType


class TransferForm(AppForm):
    track = SelectField(_l("Track"), validators=[DataRequired()])
    to_unit_id = SelectField(_l("Transfer to"), coerce=int_or_none, validators=[DataRequired()])
    reason = TextAreaField(_l("Reason for the transfer"), validators=[DataRequired(), Length(max=500)])


class AcceptTransferForm(AppForm):
    received_on = DateField(_l("Received on"), validators=[Optional()], description=_l("Leave empty for today."))


class ReturnTransferForm(AppForm):
    return_reason = TextAreaField(_l("Reason for returning it"), validators=[DataRequired(), Length(max=500)])


class DelegationForm(AppForm):
    kind = SelectField(_l("Kind"), choices=choices(DelegationKind), validators=[DataRequired()])
    court = StringField(_l("Court"), validators=[DataRequired(), Length(max=120)])
    court_reference = StringField(_l("Court's reference"), validators=[DataRequired(), Length(max=80)])
    received_on = DateField(_l("Received on"), validators=[Optional()], description=_l("Leave empty for today."))


class DelegationReturnForm(AppForm):
    returned_on = DateField(_l("Sent back on"), validators=[Optional()], description=_l("Leave empty for today."))
    letter = StringField(_l("Letter's reference (告知函)"), validators=[Optional(), Length(max=120)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class LinkForm(AppForm):
    registry_no = StringField(_l("Case number to link"), validators=[DataRequired(), Length(max=64)])
    kind = SelectField(_l("Link"), choices=choices(LinkKind), validators=[DataRequired()])


class UnlinkForm(AppForm):
    """Take this case out of its group."""


class GroupHearingForm(AppForm):
    starts_at = DateTimeLocalField(_l("Starts at"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends at"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    room_id = SelectField(_l("Hearing room"), coerce=int_or_none, validators=[Optional()])
    online_link = StringField(_l("Online hearing link"), validators=[Optional(), Length(max=300)])


SERVICE_METHODS = ("in_person", "post", "electronic")  # a public notice is published case by case


class GroupServiceForm(AppForm):
    kind = SelectField(_l("Document"), validators=[DataRequired()])
    side = SelectField(
        _l("Served on whom"),
        choices=[SelectChoice("respondent", _l("The respondents")), SelectChoice("applicant", _l("The applicants"))],
        validators=[DataRequired()],
    )
    method = SelectField(_l("Manner of service"), validators=[DataRequired()])
    served_at = DateTimeLocalField(
        _l("Time of service"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("Leave empty for now."),
    )
    recipient = StringField(_l("Signed for by"), validators=[Optional(), Length(max=120)])
    tracking_number = StringField(_l("Tracking number"), validators=[Optional(), Length(max=40)])
    address = StringField(_l("E-mail address or mobile number"), validators=[Optional(), Length(max=200)])


GROUP_CLOSURES = (ClosureType.WITHDRAWN, ClosureType.TERMINATED, ClosureType.TRANSFERRED)


class GroupClosureForm(AppForm):
    closure_type = SelectField(_l("Closure"), validators=[DataRequired()])
    note = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
    act_on = DateField(_l("Date of the closing act"), validators=[Optional()], description=_l("Leave empty for today."))
