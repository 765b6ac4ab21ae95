"""Forms of the admin pages for the holiday calendar and the deadline rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from disputes.sla.calendar import MAX_NAME_LENGTH
from disputes.sla.states import DayKind, PeriodUnit
from disputes.web.fields import AppForm

KIND_LABELS = {
    DayKind.HOLIDAY.value: _l("Official holiday (rest day)"),
    DayKind.WORKDAY.value: _l("Make-up working day (调休上班日)"),
}
UNIT_LABELS = {
    PeriodUnit.DAYS.value: _l("days"),
    PeriodUnit.WORKING_DAYS.value: _l("working days"),
    PeriodUnit.MONTHS.value: _l("months"),
    PeriodUnit.REVERSE.value: _l("days before the event"),
}
EVENTS_HELP = _l("Step names such as arbitration.accept, one a line or separated by commas.")
DAY_KINDS = [SelectChoice(value, text) for value, text in KIND_LABELS.items()]
UNITS = [SelectChoice(value, text) for value, text in UNIT_LABELS.items()]


class CalendarDayEditForm(AppForm):
    kind = SelectField(_l("Kind"), choices=DAY_KINDS, validators=[DataRequired()])
    name = StringField(
        _l("Name"),
        description=_l("For example 春节, or 春节调休 for a make-up working day."),
        validators=[DataRequired(), Length(max=MAX_NAME_LENGTH)],
    )


class CalendarDayForm(CalendarDayEditForm):
    day = DateField(_l("Date"), validators=[InputRequired()])


class CalendarImportForm(AppForm):
    file = FileField(
        _l("CSV file"),
        description=_l(
            "UTF-8, a header line day,kind,name, then one line per day, for example 2027-01-01,holiday,元旦."
        ),
        validators=[FileRequired(_l("Choose a file."))],
    )


class CalendarYearForm(AppForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])


class RetryRecomputeForm(AppForm):
    """Only the CSRF token: run a failed calendar recomputation again."""


class RuleForm(AppForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title in English"), validators=[DataRequired(), Length(max=200)])
    period = IntegerField(_l("Period"), validators=[InputRequired(), NumberRange(min=0, max=3650)])
    unit = SelectField(_l("Unit"), choices=UNITS, validators=[DataRequired()])
    warning_days = IntegerField(
        _l("Warning window (days)"),
        description=_l("A timer is due soon this many days before its deadline."),
        validators=[InputRequired(), NumberRange(min=0, max=365)],
    )
    pausable = BooleanField(_l("Paused while the case is suspended"))
    max_extension_days = IntegerField(
        _l("Extension allowed (days, in total)"), validators=[InputRequired(), NumberRange(min=0, max=365)]
    )
    legal_basis = StringField(_l("Legal basis"), validators=[DataRequired(), Length(max=120)])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])
    active = BooleanField(_l("Active: start timers for this rule"))
    # The events by name (the workflow's step ids, e.g. arbitration.accept), one a line or separated by commas.
    triggers = TextAreaField(_l("Started by"), description=EVENTS_HELP)
    completed_by = TextAreaField(_l("Completed by"), description=EVENTS_HELP)
    cancelled_by = TextAreaField(_l("Cancelled by"), description=EVENTS_HELP)
