"""How documents write dates, times and amounts in each language (pure functions)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")
_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "兆")


def is_chinese(lang: str) -> bool:
    return not lang.startswith("en")


def format_date(value: date | datetime | None, lang: str) -> str:
    """`2026年11月21日` (Arabic numerals, as GB/T 9704 asks) or `21 November 2026`."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL).date() if value.tzinfo else value.date()
    if is_chinese(lang):
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {value:%B} {value.year}"


def format_datetime(value: datetime | None, lang: str) -> str:
    """Service receipts and hearing notices name the hour: `2026年11月21日 9时30分`."""
    if value is None:
        return ""
    local = value.astimezone(LOCAL) if value.tzinfo else value
    if is_chinese(lang):
        return f"{format_date(local, lang)} {local.hour}时{local.minute:02d}分"
    return f"{format_date(local, lang)}, {local:%H:%M}"


# What a sentence or clause typed by a user may end with, and the template's own punctuation replaces.
_TRAILING = "。．.，,；;、：: \t\r\n\u3000"


def clause(value: str | None) -> str:
    """User text set inside a sentence of the template, without its own closing stop (no "。。")."""
    return (value or "").rstrip(_TRAILING)


CENT = Decimal("0.01")
MAX_DIGITS = 60  # an amount with more integer digits is not a number anyone stored on purpose


def amount(value: Decimal | float | str | None) -> Decimal | None:
    """A stored amount rounded to fen, or None when it is none or no number (NaN, infinity, junk). Never raises,
    whatever the value: SQLite keeps what it was given (1e30), PostgreSQL's NUMERIC can hold NaN, and a page or a
    document must still show."""
    if value is None:
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        return None
    if not number.is_finite() or number.adjusted() > MAX_DIGITS:
        return None
    with localcontext() as context:  # the default 28 digits would refuse to quantize 1e30
        context.prec = MAX_DIGITS + 4
        return number.quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(value: Decimal | float | None) -> str:
    rounded = amount(value)
    return "" if rounded is None else f"{rounded:,}"


def money_in_capitals(value: Decimal | float | None) -> str:
    """The amount in Chinese capitals (人民币大写), e.g. `壹万贰仟叁佰肆拾伍元陆角整`; empty for no number or one
    beyond the largest unit (兆)."""
    rounded = amount(value)
    if rounded is None or abs(rounded) >= 10 ** (4 * len(_BIG_UNITS)):
        return ""
    if rounded < 0:
        return "负" + money_in_capitals(-rounded)
    yuan = int(rounded)
    cents = int((rounded - yuan) * 100)
    words = _integer_in_capitals(yuan) + "元" if yuan else ""
    jiao, fen = divmod(cents, 10)
    if not cents:
        return (words or "零元") + "整"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif words:
        words += "零"
    if fen:
        words += _DIGITS[fen] + "分"
    else:
        words += "整"
    return words


def _integer_in_capitals(number: int) -> str:
    groups = []
    while number:
        number, group = divmod(number, 10000)
        groups.append(group)
    text, pending_zero = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            pending_zero = bool(text)
            continue
        part = _group_in_capitals(group)
        if text and (pending_zero or group < 1000):
            text += "零"
        text += part + _BIG_UNITS[index]
        pending_zero = False
    return text


def _group_in_capitals(group: int) -> str:
    digits = f"{group:04d}"
    text, zero = "", False
    for position, char in enumerate(digits):
        digit = int(char)
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += _DIGITS[digit] + _SMALL_UNITS[3 - position]
    return text.lstrip("零")
