"""The form recording the service of one document on several parties, or of several documents on one party, in one
submission (issue 16)."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from disputes.labels import choices
from disputes.models import ServiceMethod
from disputes.web.fields import CheckboxList, VersionedForm, int_or_none


class ServiceForm(VersionedForm):
    document_id = CheckboxList(
        _l("Documents"), coerce=int, validators=[DataRequired(_l("Choose at least one document."))]
    )
    party_id = CheckboxList(_l("Recipients"), coerce=int, validators=[DataRequired(_l("Choose at least one party."))])
    method = SelectField(_l("Manner of service"), choices=choices(ServiceMethod), validators=[DataRequired()])
    served_at = DateTimeLocalField(_l("Time of service"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    place = StringField(_l("Place of service"), validators=[Optional(), Length(max=200)])
    recipient = StringField(
        _l("Signed for by"),
        validators=[Optional(), Length(max=120)],
        description=_l("The party, or the agent or adult relative who signed."),
    )
    refusal_note = TextAreaField(
        _l("Refusal note"),
        validators=[Optional(), Length(max=2000)],
        description=_l("When the recipient refused: what happened, and the witnesses."),
    )
    tracking_number = StringField(_l("Tracking number"), validators=[Optional(), Length(max=40)])
    address = StringField(_l("E-mail address or mobile number"), validators=[Optional(), Length(max=200)])
    published_on = DateField(_l("Notice published on"), validators=[Optional()])
    publication = StringField(_l("Published in or at"), validators=[Optional(), Length(max=200)])
    officer_id = SelectField(_l("Serving officer"), coerce=int_or_none, validators=[Optional()])
