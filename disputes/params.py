"""Bounded parameters from URLs and query strings: ids, years and dates out of range are a 404 (or are ignored
where a filter is optional), never a database error or an overflow in date arithmetic (issue 14).

`<int:…>` in every route is `IdConverter` (registered app-wide in `create_app`): a positive id that fits the
databases' INTEGER primary keys; anything larger does not match the route, so it is a 404.
"""

from __future__ import annotations

import builtins
from datetime import date

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # INTEGER primary keys (PostgreSQL int4): a larger id can name no row
MIN_YEAR, MAX_YEAR = 2000, 2100  # calendars, reports, hearing weeks
MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2100, 12, 31)  # any date typed into a form or a query string


class IdConverter(IntegerConverter):
    """`<int:…>`: 0 … 2^31 − 1 (werkzeug's own int converter takes any length of digits)."""

    def __init__(
        self, map, fixed_digits: int = 0, min: int | None = 0, max: int | None = None, signed: bool = False
    ) -> None:
        bounded = MAX_ID if max is None else builtins.min(max, MAX_ID)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=bounded, signed=signed)


def refuse_control_characters() -> None:
    """Before every request: a path or query string holding control characters (a NUL breaks PostgreSQL's text
    parameters) is a 400, whatever the view does with it."""
    from flask import abort, request

    from disputes.web.fields import first_control

    if first_control(request.path) is not None:
        abort(400)
    for values in request.args.listvalues():
        if any(first_control(value) is not None for value in values):
            abort(400)


def arg_id(value: str) -> int:
    """`request.args.get(name, type=arg_id)`: an id, or None (werkzeug turns the ValueError into the default)."""
    number = int(value)
    if not 0 < number <= MAX_ID:
        raise ValueError(value)
    return number


MAX_PAGE = 1_000_000


def arg_page(value: str) -> int:
    """A page number: 1 … MAX_PAGE (an OFFSET beyond BIGINT is a database error)."""
    number = int(value)
    if not 0 < number <= MAX_PAGE:
        raise ValueError(value)
    return number


def arg_year(value: str) -> int:
    number = int(value)
    if not MIN_YEAR <= number <= MAX_YEAR:
        raise ValueError(value)
    return number


def in_range(day: date | None) -> bool:
    return day is None or MIN_DATE <= day <= MAX_DATE


def parse_date(value: str | None) -> date | None:
    """An ISO date within MIN_DATE … MAX_DATE, else ValueError."""
    if not value:
        return None
    day = date.fromisoformat(value)
    if not in_range(day):
        raise ValueError(value)
    return day
