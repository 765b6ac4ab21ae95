"""Check digits of resident ID numbers (GB 11643) and unified social credit codes (GB 32100)."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes.identity import (
    credit_code_check_char,
    is_valid_credit_code,
    is_valid_resident_id,
    normalise,
    resident_id_birth_date,
    resident_id_check_char,
    resident_id_sex,
)

ID_CHECK_CHARS = "0123456789X"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# The frozen-clock fixture is autouse and function-scoped; these properties never read the clock.
pure = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)


def with_id_check(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def with_code_check(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


# --- resident ID numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # the GB 11643 sample: check character X
        "440524188001010014",
        "11010519491231002x",  # lower-case x is accepted (normalised)
        " 110105 19491231002X ",  # spaces from copy-paste are dropped
        with_id_check("44030620000229123"),  # 29 February of a leap year
        with_id_check("32010219851001123"),
    ],
)
def test_valid_resident_ids(number):
    assert is_valid_resident_id(number)


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # check character should be X
        "440524188001010015",  # check digit off by one
        "11010519491231002",  # 17 characters
        "11010519491231002X0",  # 19 characters
        "1101051949123100",  # 16 characters
        "",
        None,
        "11010519A91231002X",  # a letter among the digits
        "X10105194912310020",
        "11010519491231002Y",  # only X may be a check character
        with_id_check("11010519990230001"),  # 30 February 1999, correct check digit
        with_id_check("11010520010229001"),  # 29 February of a common year
        with_id_check("11010519991301001"),  # month 13
        with_id_check("11010519990100001"),  # day 0
        with_id_check("01010519491231002"),  # region codes start with 1–8
        with_id_check("91010519491231002"),
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits are not digits of an ID
        "1１０１０５１９４９１２３１００２X",  # … even after an ASCII first digit (str.isdigit() says yes)
        "1101051949123100²X",  # a superscript passes str.isdigit() but int() fails on it
        "11010519491231002X\u200b",  # a zero-width space from a copied web page
    ],
)
def test_invalid_resident_ids(number):
    assert not is_valid_resident_id(number)


def test_bad_date_is_the_only_fault_of_the_30_february_sample():
    number = with_id_check("11010519990230001")
    assert resident_id_check_char(number[:17]) == number[17]
    assert resident_id_birth_date(number) is None


def test_birth_date_and_sex_are_read_from_the_number():
    assert resident_id_birth_date("11010519491231002X") == date(1949, 12, 31)
    assert resident_id_sex("11010519491231002X") == "female"  # 17th digit 2: even
    assert resident_id_sex("440524188001010014") == "male"  # 17th digit 1: odd


def test_normalise():
    assert normalise(" 11010519491231002x ") == "11010519491231002X"
    assert normalise(None) == ""
    assert normalise("9135 0100 m000 100y43") == "91350100M000100Y43"


birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))


@st.composite
def id_first17(draw) -> str:
    region = str(draw(st.integers(min_value=1, max_value=8))) + draw(st.text("0123456789", min_size=5, max_size=5))
    born = draw(birth_dates)
    serial = draw(st.text("0123456789", min_size=3, max_size=3))
    return f"{region}{born:%Y%m%d}{serial}"


@pure
@given(first17=id_first17(), replacement=st.sampled_from(ID_CHECK_CHARS))
def test_property_computed_check_char_is_valid_and_any_other_is_not(first17, replacement):
    number = with_id_check(first17)
    assert is_valid_resident_id(number)
    assert is_valid_resident_id(number.lower())
    if replacement != number[17]:
        assert not is_valid_resident_id(first17 + replacement)


@pure
@given(first17=id_first17(), position=st.integers(min_value=0, max_value=16), delta=st.integers(1, 9))
def test_property_a_single_mistyped_digit_is_caught(first17, position, delta):
    """MOD 11-2 detects every single-digit substitution."""
    number = with_id_check(first17)
    digit = str((int(number[position]) + delta) % 10)
    mistyped = number[:position] + digit + number[position + 1 :]
    assert not is_valid_resident_id(mistyped)


@pure
@given(born=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 30)))
def test_property_impossible_dates_are_refused(born):
    """The day after the last of a month, written as that month's day 31/30/29 etc., never parses."""
    last_of_month = (born.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    impossible = f"{last_of_month:%Y%m}{last_of_month.day + 1:02d}"
    assert not is_valid_resident_id(with_id_check(f"110105{impossible}001"))


# --- unified social credit codes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the GB 32100 sample
        "91350100m000100y43",
        with_code_check("91440300MA5DXXXX0"),  # check character N
        with_code_check("12100000400000624"),  # a public institution
        with_code_check("52440300MJL000000"),
        with_code_check("91110108551385082"),
    ],
)
def test_valid_credit_codes(code):
    assert is_valid_credit_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y44",  # wrong check character
        "91350100M000100Y4",  # 17 characters
        "91350100M000100Y430",  # 19 characters
        "",
        None,
        "91350100I000100Y43",  # I, O, Z, S and V are not in the alphabet
        "91350100O000100Y43",
        "91350100Z000100Y43",
        "91350100S000100Y43",
        "91350100V000100Y43",
        "91350100M000100YI3",
        "91350100M000100Y4-",
        "91440300MA5DXXXX0I",  # I as check character
        "11010519491231002X",  # a resident ID is not a credit code
    ],
)
def test_invalid_credit_codes(code):
    assert not is_valid_credit_code(code)


@pure
@given(first17=st.text(USCC_ALPHABET, min_size=17, max_size=17), replacement=st.sampled_from(USCC_ALPHABET))
def test_property_credit_code_check_char(first17, replacement):
    code = with_code_check(first17)
    assert code[17] in USCC_ALPHABET
    assert is_valid_credit_code(code)
    if replacement != code[17]:
        assert not is_valid_credit_code(first17 + replacement)


@pure
@given(
    first17=st.text(USCC_ALPHABET, min_size=17, max_size=17),
    position=st.integers(min_value=0, max_value=17),
    letter=st.sampled_from("IOZSV"),
)
def test_property_letters_outside_the_alphabet_are_refused(first17, position, letter):
    code = with_code_check(first17)
    assert not is_valid_credit_code(code[:position] + letter + code[position + 1 :])
