"""Date expressions the dialects spell differently: days between two dates, a date's month and its first day,
the later of two dates."""
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


class month_start(FunctionElement):
    """The first day of a date's month, as a date."""

    type = sa.Date()
    inherit_cache = True
    name = "month_start"


@compiles(month_start)
def _month_start_pg(element, compiler, **kw):
    return f"CAST(date_trunc('month', {compiler.process(next(iter(element.clauses)), **kw)}) AS DATE)"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element, compiler, **kw):
    return f"date({compiler.process(next(iter(element.clauses)), **kw)}, 'start of month')"


class later_of(FunctionElement):
    """The later of two dates (neither NULL)."""

    type = sa.Date()
    inherit_cache = True
    name = "later_of"


@compiles(later_of)
def _later_pg(element, compiler, **kw):
    return f"greatest({', '.join(compiler.process(c, **kw) for c in element.clauses)})"


@compiles(later_of, "sqlite")
def _later_sqlite(element, compiler, **kw):
    return f"max({', '.join(compiler.process(c, **kw) for c in element.clauses)})"


class month_after(FunctionElement):
    """The same day a month later (the first of the next month, for a first of month)."""

    type = sa.Date()
    inherit_cache = True
    name = "month_after"


@compiles(month_after)
def _month_after_pg(element, compiler, **kw):
    return f"CAST({compiler.process(next(iter(element.clauses)), **kw)} + interval '1 month' AS DATE)"


@compiles(month_after, "sqlite")
def _month_after_sqlite(element, compiler, **kw):
    return f"date({compiler.process(next(iter(element.clauses)), **kw)}, '+1 month')"
