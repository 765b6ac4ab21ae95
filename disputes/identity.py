"""Check digits of Chinese identity numbers (pure functions).

Resident ID numbers follow GB 11643-1999 (ISO 7064 MOD 11-2); unified social
credit codes follow GB 32100-2015 (MOD 31 over a 31-character alphabet).
"""

from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normalise(value: str | None) -> str:
    return (value or "").strip().upper().replace(" ", "")


def resident_id_check_char(first17: str) -> str:
    total = sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def resident_id_birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def is_valid_resident_id(value: str | None) -> bool:
    number = normalise(value)
    # isascii(): str.isdigit() also accepts full-width and superscript digits ("１", "²").
    if len(number) != 18 or not (number.isascii() and number[:17].isdigit()):
        return False
    if number[0] not in "12345678" or resident_id_birth_date(number) is None:
        return False
    return resident_id_check_char(number[:17]) == number[17]


MASK = "*" * 8


def mask_resident_id(number: str | None) -> str | None:
    """An ID number as shown without the right to unmask it: the first 6 and the last 4 characters (domain.md)."""
    if not number:
        return number
    return number[:6] + MASK + number[-4:]


def is_masked_resident_id(value: str) -> bool:
    return len(value) == 18 and value[6:14] == MASK and value[:6].isascii() and value[:6].isdigit()


def resident_id_sex(number: str) -> str:
    """The 17th digit is odd for men and even for women."""
    return "male" if int(number[16]) % 2 else "female"


def credit_code_check_char(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(value: str | None) -> bool:
    code = normalise(value)
    if len(code) != 18 or any(ch not in _USCC_ALPHABET for ch in code):
        return False
    return credit_code_check_char(code[:17]) == code[17]
