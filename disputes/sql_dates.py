"""Two date expressions the dialects spell differently: days between two dates, and a date's month."""
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class days_between(FunctionElement):
    """Whole days from the first date to the second (second − first)."""

    type = sa.Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_pg(element, compiler, **kw):
    first, second = list(element.clauses)
    return f"({compiler.process(second, **kw)} - {compiler.process(first, **kw)})"


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    first, second = list(element.clauses)
    return (f"CAST(julianday({compiler.process(second, **kw)}) - julianday({compiler.process(first, **kw)}) "
            "AS INTEGER)")


class month_of(FunctionElement):
    """'YYYY-MM' of a date."""

    type = sa.String()
    inherit_cache = True
    name = "month_of"


@compiles(month_of)
def _month_pg(element, compiler, **kw):
    return f"to_char({compiler.process(next(iter(element.clauses)), **kw)}, 'YYYY-MM')"


@compiles(month_of, "sqlite")
def _month_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(next(iter(element.clauses)), **kw)})"
