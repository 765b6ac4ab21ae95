"""Filters and globals every template may use."""
from datetime import date, datetime
from decimal import Decimal, localcontext
from urllib.parse import urlencode

from flask import Flask, request
from flask_babel import format_date, format_datetime, format_decimal, get_locale, gettext
from flask_login import current_user

from disputes import clock, policy
from disputes.auth.forms import LanguageForm
from disputes.documents import formatting
from disputes.labels import label
from disputes.steps import available_steps
from disputes.workflow.approvals import approvers
from disputes.workflow.states import Track


def money(value: Decimal | None) -> str:
    """`¥12,000.00`; “—” for none, and for a stored value that is no number (it must not break the page)."""
    rounded = formatting.amount(value)
    if rounded is None:
        return "—"
    with localcontext() as context:  # Babel rounds in the current context: 28 digits would refuse 1e30
        context.prec = formatting.MAX_DIGITS + 4
        return "¥" + format_decimal(rounded, format="#,##0.00")


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


def url_with(**changes) -> str:
    """The current URL with some query arguments changed (None drops one)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [value]
    query = urlencode(args, doseq=True)
    return request.path + ("?" + query if query else "")


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        money=money, ldate=local_date, ldatetime=local_datetime, label=label, unit_name=unit_name, person=person
    )
    app.jinja_env.globals.update(
        policy=policy, url_with=url_with, today=clock.today_local, now_utc=clock.now_utc,
        available_steps=available_steps, Track=Track, approvers=approvers,
    )

    @app.context_processor
    def inject():
        return {
            "current_locale": str(get_locale()),
            "language_form": LanguageForm(formdata=None, locale=str(get_locale()), next=request.full_path),
            "user": current_user,
        }
