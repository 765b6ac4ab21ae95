"""Legal-aid step forms: one per decision, each a few fields."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from disputes.labels import NONE_CHOSEN, choices
from disputes.web.fields import enum_or_none, int_or_none
from disputes.web.steps import StepForm
from disputes.workflow.states import LegalAidClosure

GREEN_CHANNEL_WAIVED = _l(
    "This case is on the green channel (migrant-worker wages or work injury): the hardship review is waived "
    "(LAL Art 42) and no statement is needed."
)
HARDSHIP_NEEDED = _l(
    "This case is not on the green channel, so describe the applicant's financial hardship. Green-channel cases "
    "(migrant-worker wages or work injury) are exempt from the hardship review (LAL Art 42)."
)


class ApplyForm(StepForm):
    party_id = SelectField(_l("Applicant worker"), coerce=int_or_none, validators=[DataRequired()])
    unit_id = SelectField(_l("Legal-aid centre"), coerce=int_or_none, validators=[DataRequired()])
    applied_on = DateField(_l("Application received on"), validators=[DataRequired()])
    matter = StringField(
        _l("Matter"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("What the aid is for, e.g. arbitration over unpaid wages."),
    )
    hardship_statement = TextAreaField(_l("Financial hardship"), validators=[Optional(), Length(max=5000)])


class MaterialsRequestForm(StepForm):
    note = TextAreaField(_l("Materials missing"), validators=[DataRequired(), Length(max=2000)])


class MaterialsReceivedForm(StepForm):
    received_on = DateField(
        _l("Materials complete on"),
        validators=[DataRequired()],
        description=_l("The seven-day decision period starts again from this date (LAL Art 43)."),
    )


class GrantForm(StepForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])
    review_later = BooleanField(
        _l("Granted first, to be reviewed later"),
        description=_l(
            "When a deadline is less than seven days away, aid may be granted first and the conditions "
            "reviewed afterwards (LAL Art 44)."
        ),
    )


class RefuseForm(StepForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class AssignForm(StepForm):
    lawyer_id = SelectField(_l("Lawyer"), coerce=int_or_none, validators=[DataRequired()])
    law_firm = StringField(_l("Law firm"), validators=[Optional(), Length(max=120)])


class ObjectionForm(StepForm):
    reason = TextAreaField(_l("Grounds of the objection"), validators=[DataRequired(), Length(max=2000)])
    objection_on = DateField(_l("Objection lodged on"), validators=[DataRequired()])


class ObjectionDecisionForm(StepForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class CloseForm(StepForm):
    closure = SelectField(
        _l("How the aid ended"),
        choices=[NONE_CHOSEN, *choices(LegalAidClosure)],
        coerce=enum_or_none(LegalAidClosure),
        validators=[DataRequired()],
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
