"""Values as the reader reads them: money, dates, names in the user's locale.

A leaf of the web layer (it imports nothing else of it), so templating, messages and the views can all use it
without an import cycle."""

from datetime import date, datetime
from decimal import Decimal, localcontext

from flask_babel import format_date, format_datetime, format_decimal, get_locale, gettext

from disputes.documents import formatting


def money(value: Decimal | None) -> str:
    """`¥12,000.00`; “—” for none, and for a stored value that is no number (it must not break the page)."""
    rounded = formatting.amount(value)
    if rounded is None:
        return "—"
    if get_locale().language in PLAIN_NUMBERS:
        return f"¥{rounded:,.2f}"  # already rounded to fen: formatting only groups the digits
    with localcontext() as context:  # Babel rounds in the current context: 28 digits would refuse 1e30
        context.prec = formatting.MAX_DIGITS + 4
        return "¥" + format_decimal(rounded, format="#,##0.00")


# Languages whose numbers group thousands with "," and mark decimals with ".": Python's own format writes them as
# Babel does, at a tenth of its cost (50 amounts a list page). tests/web/test_formats.py checks the two agree.
PLAIN_NUMBERS = frozenset({"zh", "en"})


def person(user) -> str:
    """A user's name, or “not recorded” for an act whose person the record lacks (history from a ledger)."""
    return user.display_name if user is not None else gettext("Not recorded")


def local_date(value: date | str | None, style: str = "medium") -> str:
    """A date (or an ISO date as stored in a timeline entry) in the reader's format."""
    if value is None:
        return "—"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if str(get_locale()).startswith("zh") and style == "medium":
        return f"{value.year}年{value.month}月{value.day}日"
    return format_date(value, style)


def local_datetime(value: datetime | None) -> str:
    if value is None:
        return "—"
    return format_datetime(value, "yyyy-MM-dd HH:mm")


def unit_name(unit) -> str:
    return unit.display_name(str(get_locale())) if unit is not None else "—"


def rule_title(rule) -> str:
    return rule.title if str(get_locale()).startswith("zh") else rule.title_en
