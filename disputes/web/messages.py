"""Locale selection and translating domain messages for the current user."""

from datetime import date
from enum import StrEnum

from flask import current_app, flash, session
from flask_babel import gettext
from flask_login import current_user

from disputes.i18n import DomainError, Notice
from disputes.labels import label
from disputes.models import SlaRule
from disputes.web.formats import local_date, rule_title


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def _shown(value):
    """A parameter as the user reads it: enum members by their label, dates in the locale's form, a deadline
    rule by its title in the user's language."""
    if isinstance(value, StrEnum):
        return label(value)
    if isinstance(value, date):
        return local_date(value)
    if isinstance(value, SlaRule):
        return rule_title(value)
    return value


def translate_error(error: DomainError | Notice) -> str:
    """The error's (or notice's) message in the user's language, parameters filled in."""
    return gettext(error.message, **{name: _shown(value) for name, value in error.params.items()})


def attach_error(form, error: DomainError, field_name: str | None = None) -> None:
    """A refusal from the domain: next to its form field when there is one, else as a flashed message."""
    name = field_name or error.field
    field = form._fields.get(name) if name else None
    if field is not None:
        field.errors.append(translate_error(error))
    else:
        flash(translate_error(error), "error")
