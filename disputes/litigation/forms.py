"""Litigation step forms: what the court liaison copies from the court's documents."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from disputes.labels import NONE_CHOSEN, choices
from disputes.web.fields import AppRowForm, RowList, enum_or_none, int_or_none
from disputes.web.steps import StepForm
from disputes.workflow.states import CourtOutcome, CourtProcedure, ItemRuling, Litigant

BASIC_COURT = {"placeholder": _l("e.g. Longgang District People's Court")}
INTERMEDIATE_COURT = {"placeholder": _l("e.g. Shenzhen Intermediate People's Court")}


def _enum_select(label, enum_cls, required=True, **kwargs):
    return SelectField(
        label,
        choices=[NONE_CHOSEN, *choices(enum_cls)],
        coerce=enum_or_none(enum_cls),
        validators=[DataRequired()] if required else [Optional()],
        **kwargs,
    )


class FileForm(StepForm):
    plaintiff = _enum_select(_l("Who sued"), Litigant)
    award_id = SelectField(
        _l("Against the award"),
        coerce=int_or_none,
        validators=[Optional()],
        description=_l("Leave empty when the arbitration commission refused the application."),
    )
    court = StringField(_l("Court"), validators=[DataRequired(), Length(max=120)], render_kw=BASIC_COURT)
    court_case_no = StringField(
        _l("Court case number"),
        validators=[Optional(), Length(max=64)],
        description=_l("If the court has already given one."),
    )
    filed_on = DateField(_l("Filed on"), validators=[DataRequired()])


class DocketForm(StepForm):
    court_case_no = StringField(_l("Court case number"), validators=[DataRequired(), Length(max=64)])
    docketed_on = DateField(_l("Docketed on"), validators=[DataRequired()])
    procedure = _enum_select(_l("Procedure"), CourtProcedure)


SERVED_HINT = _l(
    "The day the judgment reached the parties (the last of them): the 15 days to appeal run from it (CPL Art 171)."
)
RECEIVED_HINT = _l("The day the ruling reached the parties: either may sue within 15 days from it (Law Art 49).")


class JudgeForm(StepForm):
    outcome = _enum_select(
        _l("Result"), CourtOutcome, description=_l("Court mediation and withdrawal end the lawsuit at once.")
    )
    judged_on = DateField(_l("Decided on"), validators=[DataRequired()])
    served_on = DateField(
        _l("Judgment served on"),
        validators=[Optional()],
        description=_l("Leave empty until the judgment has been served; record it later then."),
    )
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=5000)])


class ServeJudgmentForm(StepForm):
    served_on = DateField(_l("Judgment served on"), validators=[DataRequired()], description=SERVED_HINT)


class ExtensionForm(StepForm):
    months = IntegerField(
        _l("Months"),
        validators=[InputRequired(), NumberRange(min=1, max=24)],
        description=_l(
            "Ordinary procedure: up to 6 months on the president's approval; simplified "
            "and small claims: 1 month (CPL Art 152, 164, 168)."
        ),
    )
    approved_on = DateField(_l("Approved on"), validators=[DataRequired()])
    approver = StringField(
        _l("Approved by"),
        validators=[DataRequired(), Length(max=120)],
        render_kw={"placeholder": _l("e.g. the court's president")},
    )
    higher_court = BooleanField(_l("Approved by the higher court (ordinary procedure, beyond six months)"))


class AppealForm(StepForm):
    appellant = _enum_select(_l("Appellant"), Litigant)
    appealed_on = DateField(_l("Appealed on"), validators=[DataRequired()])
    appeal_court = StringField(
        _l("Appeal court"), validators=[Optional(), Length(max=120)], render_kw=INTERMEDIATE_COURT
    )


class SecondInstanceForm(StepForm):
    appeal_case_no = StringField(_l("Appeal case number"), validators=[DataRequired(), Length(max=64)])


class CloseForm(StepForm):
    closed_on = DateField(_l("Finished on"), validators=[DataRequired()])
    # Shown only at second instance, where the domain requires it (the refusal appears next to the field).
    second_outcome = _enum_select(_l("Second-instance result"), CourtOutcome, required=False)
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=5000)])


class RevocationForm(StepForm):
    award_id = SelectField(_l("Final award"), coerce=int_or_none, validators=[DataRequired()])
    court = StringField(
        _l("Intermediate court"), validators=[DataRequired(), Length(max=120)], render_kw=INTERMEDIATE_COURT
    )
    court_case_no = StringField(_l("Court case number"), validators=[Optional(), Length(max=64)])
    filed_on = DateField(_l("Filed on"), validators=[DataRequired()])


class RevocationDecisionForm(StepForm):
    decided_on = DateField(_l("Decided on"), validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class RevokeForm(RevocationDecisionForm):
    received_on = DateField(
        _l("Ruling received on"),
        validators=[Optional()],
        description=_l("Leave empty until the parties have the ruling; record it later then."),
    )


class RulingReceivedForm(StepForm):
    received_on = DateField(_l("Ruling received on"), validators=[DataRequired()], description=RECEIVED_HINT)


class ItemResultForm(AppRowForm):
    """One item of the award (or claim): its key, and what the court made of it. The label is the item's text."""

    key = HiddenField()
    ruling = _enum_select(_l("Court's result"), ItemRuling)


class ItemResultsForm(StepForm):
    court_case_no = StringField(_l("Court case number"), validators=[Optional(), Length(max=64)])
    decided_on = DateField(
        _l("Judgment or ruling dated"),
        validators=[DataRequired()],
        description=_l("The date of the judgment (or ruling, or court mediation statement) that decided the items."),
    )
    items = RowList(FormField(ItemResultForm), label=_l("Result per item"), min_entries=0, max_entries=100)
