"""Figures as JSON and as text lines (the CLI's two outputs)."""

from __future__ import annotations

from disputes.metrics import figures as F


def json_value(value: F.Value) -> int | float | None:
    """A count as an integer, a rate as a fraction in [0, 1], the average as days (2 decimals); null if 0/0."""
    if value.figure.kind == F.COUNT:
        return int(value.numerator)
    if value.value is None:
        return None
    return round(value.value, 2) if value.figure.kind == F.AVERAGE else value.value


def as_json(values: dict[str, F.Value]) -> dict[str, int | float | None]:
    return {key: json_value(values[key]) for key in F.KEYS}


def display(value: F.Value) -> str:
    """'66.1 %', '12', '35.5' — and '—' for a rate over nothing."""
    if value.figure.kind == F.COUNT:
        return str(int(value.numerator))
    if value.value is None:
        return "—"
    if value.figure.kind == F.AVERAGE:
        return f"{value.value:.1f}"
    return f"{100 * value.value:.1f} %"


def text_lines(values: dict[str, F.Value]) -> list[str]:
    lines = []
    for key in F.KEYS:
        value = values[key]
        ratio = "" if value.denominator is None else f"  ({_num(value.numerator)} / {value.denominator})"
        lines.append(f"{key:<40} {display(value):>10}{ratio}")
    return lines


def _num(number) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:.1f}"
