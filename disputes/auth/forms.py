from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from disputes.labels import LANGUAGE_CHOICES
from disputes.web.fields import AppForm, first_control


def no_control_characters(value):
    """`next` is only a wish: an address holding control characters is dropped (the home page instead), not a
    refused sign-in."""
    return "" if isinstance(value, str) and first_control(value) is not None else value


class LoginForm(AppForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField(filters=[no_control_characters])


class LanguageForm(AppForm):
    locale = SelectField(choices=LANGUAGE_CHOICES)
    next = HiddenField(filters=[no_control_characters])


class PasswordChangeForm(AppForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=200)])
    confirm = PasswordField(
        _l("Repeat the new password"), validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))]
    )
