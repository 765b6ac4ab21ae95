"""Form fields shared by several blueprints."""
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


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
