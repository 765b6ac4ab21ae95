"""Form fields and the base form shared by every form of the app.

Every text a person types passes one check (issue 14): control characters (C0 and C1, DEL, bidirectional
overrides, tag characters; line breaks and tabs only in multi-line text areas) are refused with their position;
zero-width characters (zero-width space and joiners, word joiner, BOM, soft hyphen) are removed from within the
text; a text made only of invisible characters is refused. The input is kept on the form either way. Numbers
must be finite and fit their columns, dates lie within `params.MIN_DATE` … `params.MAX_DATE`.

`AppForm` (for the pages' forms) and `AppRowForm` (for repeatable rows inside them) bind every field through
`TextMeta`, which puts these checks first in each field's validator chain.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeField,
    DecimalField,
    FieldList,
    FloatField,
    Form,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.datetime import DateTimeLocalField
from wtforms.meta import DefaultMeta
from wtforms.utils import unset_value
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from disputes import params
from disputes.models.base import MAX_MONEY

MULTI_LINE_ALLOWED = frozenset("\t\n\r")
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")
# Characters that show nothing although they are letters or symbols (Hangul fillers, the braille blank).
FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
LARGEST_INTEGER = 2**31 - 1  # INTEGER columns
LARGEST_DECIMAL = Decimal("999999999999.99")  # NUMERIC(14, 2), the money columns


def is_control(char: str, multi_line: bool) -> bool:
    if multi_line and char in MULTI_LINE_ALLOWED:
        return False
    if char in BIDI_CONTROLS or char in "\u2028\u2029" or "\U000e0000" <= char <= "\U000e007f":
        return True
    category = unicodedata.category(char)
    return category in ("Cc", "Cs") or (category == "Cn" and (ord(char) & 0xFFFE) == 0xFFFE)


def first_control(text: str, multi_line: bool = False) -> int | None:
    """The 0-based position of the first control character in `text`, or None."""
    return next((i for i, char in enumerate(text) if is_control(char, multi_line)), None)


def without_zero_width(text: str) -> str:
    return "".join(char for char in text if char not in ZERO_WIDTH)


def invisible_only(text: str) -> bool:
    """Something was typed (not just spaces), yet nothing of it can be seen."""
    if not text.strip():
        return False
    return all(char.isspace() or char in ZERO_WIDTH or char in FILLERS for char in text)


def check_text(form, field) -> None:
    """First in every text field's chain: refuse control characters and invisible-only text, drop zero-width ones."""
    value = field.data
    if not isinstance(value, str) or not value:
        return
    position = first_control(value, multi_line=isinstance(field, TextAreaField))
    if position is not None:
        raise StopValidation(
            _l("Control characters are not allowed here (a character at position %(position)d).", position=position + 1)
        )
    if isinstance(field, PasswordField | HiddenField):
        return  # a password is taken as typed; hidden fields are the page's own
    if invisible_only(value):
        raise StopValidation(_l("Only invisible characters were entered."))
    field.data = without_zero_width(value)


def check_number(form, field) -> None:
    value = field.data
    if value is None or any(isinstance(v, Money) for v in field.validators):
        return  # an amount in yuan: `Money` says what is wrong with it in its own words
    if isinstance(field, IntegerField) and abs(value) > LARGEST_INTEGER:
        raise StopValidation(_l("This number is too large."))
    if isinstance(field, DecimalField | FloatField):
        if isinstance(value, float):
            value = Decimal(str(value))
        if not value.is_finite():
            raise StopValidation(_l("Enter a number."))
        if abs(value) > LARGEST_DECIMAL:
            raise StopValidation(_l("This number is too large."))


def check_date(form, field) -> None:
    value = field.data
    if not isinstance(value, date):  # None, or a time of day
        return
    day = value.date() if isinstance(value, datetime) else value
    if not params.in_range(day):
        raise StopValidation(
            _l(
                "Enter a date between %(first)s and %(last)s.",
                first=params.MIN_DATE.isoformat(),
                last=params.MAX_DATE.isoformat(),
            )
        )


class TextMeta(DefaultMeta):
    """Binds every field with the app's input checks first in its validator chain."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        if isinstance(field, StringField):
            field.validators = [check_text, *field.validators]
        elif isinstance(field, IntegerField | DecimalField | FloatField):
            field.validators = [check_number, *field.validators]
        elif isinstance(field, DateField | DateTimeField | DateTimeLocalField):
            field.validators = [check_date, *field.validators]
        return field


class AppForm(FlaskForm):
    """The base of every form of the app's pages."""

    Meta = TextMeta


class VersionedForm(AppForm):
    """A form that writes a case carries the case version it was opened on; a post without it, or with another,
    is refused (the form is shown again with the conflict), never carried out unchecked."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None

    def is_stale(self, case) -> bool:
        return self.expected_version() != case.version_id


class AppRowForm(Form):
    """The base of every repeatable row inside a page's form (a FormField in a RowList)."""

    Meta = TextMeta


class RowList(FieldList):
    """A FieldList that refuses more rows than it takes, instead of dropping the rest without a word."""

    sent = 0

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.sent = len(set(self._extract_indices(self.name, formdata))) if formdata else 0
        super().process(formdata, data, extra_filters)

    @property
    def too_many(self) -> bool:
        return bool(self.max_entries) and self.sent > self.max_entries

    def too_many_message(self):
        return _l(
            "At most %(n)d rows can be entered here; %(sent)d were sent. Nothing was saved.",
            n=self.max_entries,
            sent=self.sent,
        )

    def validate(self, form, extra_validators=()):
        ok = super().validate(form, extra_validators)
        if self.too_many:
            self.errors.append(self.too_many_message())
            return False
        return ok


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def enum_or_none(enum_cls):
    """A `coerce` for a select of enum members where the empty choice means “not chosen”."""

    def coerce(value):
        if value in (None, ""):
            return None
        return value if isinstance(value, enum_cls) else enum_cls(value)

    return coerce


def int_or_none(value):
    return int(value) if value not in (None, "") else None


__all__ = [
    "AppForm",
    "AppRowForm",
    "CheckboxList",
    "Money",
    "RowList",
    "TextMeta",
    "ValidationError",
    "VersionedForm",
    "enum_or_none",
    "int_or_none",
]


class Money:
    """Validates an amount in yuan (issue 14): a finite number from 0 (or more than 0 when `positive`) to
    MAX_MONEY, with at most two decimals. DecimalField parses “NaN”, “Infinity” and “1e30” as numbers; comparing
    NaN raises, so this runs in place of NumberRange and stops the chain. The typed text stays in the form."""

    def __init__(self, positive: bool = False):
        self.positive = positive

    def __call__(self, form, field):
        value = field.data
        if value is None:
            return
        if not value.is_finite():
            raise StopValidation(_l("Enter an amount in yuan, for example 12000.50."))
        if value < 0:
            raise StopValidation(_l("An amount cannot be negative."))
        if self.positive and value == 0:
            raise StopValidation(_l("The amount must be more than zero."))
        if value > MAX_MONEY:
            raise StopValidation(_l("At most %(limit)s yuan.", limit=f"{MAX_MONEY:,}"))
        if value.as_tuple().exponent < -2:
            raise StopValidation(_l("Amounts have at most two decimals (fen)."))
