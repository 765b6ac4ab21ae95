"""Form fields shared by several blueprints."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from disputes.models.base import MAX_MONEY


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
