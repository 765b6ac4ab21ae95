"""Date expressions the dialects spell differently: days between two dates, a date's month and its first day,
a month later, the later of two dates, a date as text."""

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


def _function(name: str, type_: sa.types.TypeEngine, doc: str, postgres: str, sqlite: str) -> type[FunctionElement]:
    """A SQL function written `postgres` or `sqlite` ({0}, {1}: the compiled arguments)."""
    function = type(name, (FunctionElement,), {"type": type_, "inherit_cache": True, "name": name, "__doc__": doc})

    def spelling(template: str):
        def compile_(element, compiler, **kw):
            return template.format(*(compiler.process(c, **kw) for c in element.clauses))

        return compile_

    compiles(function)(spelling(postgres))
    compiles(function, "sqlite")(spelling(sqlite))
    return function


days_between = _function(
    "days_between",
    sa.Integer(),
    "Whole days from the first date to the second (second − first).",
    "({1} - {0})",
    "CAST(julianday({1}) - julianday({0}) AS INTEGER)",
)
month_of = _function(
    "month_of", sa.String(), "'YYYY-MM' of a date.", "to_char({0}, 'YYYY-MM')", "strftime('%Y-%m', {0})"
)
month_start = _function(
    "month_start",
    sa.Date(),
    "The first day of a date's month, as a date.",
    "CAST(date_trunc('month', {0}) AS DATE)",
    "date({0}, 'start of month')",
)
month_after = _function(
    "month_after",
    sa.Date(),
    "The same day a month later.",
    "CAST({0} + interval '1 month' AS DATE)",
    "date({0}, '+1 month')",
)
later_of = _function(
    "later_of", sa.Date(), "The later of two dates (neither NULL).", "greatest({0}, {1})", "max({0}, {1})"
)
date_text = _function(
    "date_text", sa.String(), "'YYYY-MM-DD' of a date.", "to_char({0}, 'YYYY-MM-DD')", "strftime('%Y-%m-%d', {0})"
)
