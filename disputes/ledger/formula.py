"""Formula injection (OWASP “CSV injection”): a cell that begins with = + - @, a tab or a carriage return is a
formula to a spreadsheet program. The CSV export writes such a cell with a leading single quote; the import
takes exactly that quote off again, so export → import gives the text back unchanged.

A value that already begins with quotes followed by one of those characters gets one more quote, so that
taking one off always gives the original (“'=x” → “''=x” → “'=x”). XLSX needs none of this: its cells are
written as strings, never as formulas (export.to_xlsx).
"""

from __future__ import annotations

import re

TRIGGERS = "=+-@\t\r"
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")
_DANGEROUS = re.compile(r"^'*[=+\-@\t\r]")


def escape(value: str) -> str:
    """The cell as the CSV export writes it."""
    return "'" + value if _DANGEROUS.match(value) else value


def unescape(value: str) -> str:
    """The cell as the export had it before `escape`."""
    return value[1:] if _ESCAPED.match(value) else value


def is_formula(value: str) -> bool:
    """Would a spreadsheet program read this text as a formula?"""
    return bool(value) and value[0] in TRIGGERS
