"""Date arithmetic for statutory periods (pure)."""

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """Same-numbered day of the target month, or its last day (Civil Code Art 202)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
