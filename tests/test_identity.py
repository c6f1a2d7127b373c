"""Tests for velferd.identity.

No real person's number appears here. Norwegian numbers are either synthetic (month + 80, a
range Skatteetaten reserves for test data), 2032-style (k1 remainder 1-3, not issued before
2032) or carry a birth date in the future; Danish ones carry future birth dates (or 1858).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from stdnum.dk import cpr
from stdnum.exceptions import InvalidChecksum
from stdnum.no import fodselsnummer

from velferd.identity import (
    InvalidIdentifier,
    NationalId,
    complete_norwegian_number,
    mask_national_id,
    norwegian_check_digits,
    parse_national_id,
    synthetic_national_id,
    validate_organisation_number,
)


def norwegian(prefix6: str, individuals: range, k1_remainder: int = 0) -> str:
    """The first complete number for the birth-date prefix with an individual number in range."""
    for individual in individuals:
        number = complete_norwegian_number(f"{prefix6}{individual:03d}", k1_remainder)
        if number is not None:
            return number
    raise AssertionError(f"no number for {prefix6} in {individuals}")


SYNTHETIC_FNR = norwegian("018180", range(0, 500))  # 1 Jan 1980, month written as 81


def replace_digit(number: str, index: int, shift: int) -> str:
    return number[:index] + str((int(number[index]) + shift) % 10) + number[index + 1 :]


# --- Norway: fødselsnummer, D-number, synthetic numbers ----------------------------------


def test_synthetic_fodselsnummer_month_plus_80_is_accepted() -> None:
    parsed = parse_national_id(SYNTHETIC_FNR, "NO")
    assert parsed == NationalId(SYNTHETIC_FNR, "fnr", "NO", date(1980, 1, 1), synthetic=True)


def test_synthetic_d_number_has_day_plus_40_and_month_plus_80() -> None:
    number = norwegian("418180", range(0, 500))
    parsed = parse_national_id(number, "no")
    assert (parsed.kind, parsed.birth_date, parsed.synthetic) == ("dnr", date(1980, 1, 1), True)


def test_d_number_is_recognised() -> None:
    number = norwegian("410138", range(500, 1000))  # born 2038: cannot belong to anyone yet
    parsed = parse_national_id(number, "NO")
    assert (parsed.kind, parsed.birth_date, parsed.synthetic) == ("dnr", date(2038, 1, 1), False)


def test_classic_check_digits_agree_with_stdnum() -> None:
    for first9 in ("018180123", "290282499", "311299567"):
        k1, k2 = norwegian_check_digits(first9)
        expected_k1 = fodselsnummer.calc_check_digit1(first9)
        assert k1 == (None if expected_k1 == "10" else int(expected_k1))
        if k1 is not None:
            expected_k2 = fodselsnummer.calc_check_digit2(f"{first9}{k1}")
            assert k2 == (None if expected_k2 == "10" else int(expected_k2))


@pytest.mark.parametrize(
    ("year_digits", "individuals", "expected_year"),
    [
        ("80", range(0, 500), 1980),
        ("60", range(500, 750), 1860),
        ("05", range(500, 1000), 2005),
        ("05", range(750, 1000), 2005),
        ("45", range(900, 1000), 1945),
    ],
)
def test_century_is_read_from_individual_number(
    year_digits: str, individuals: range, expected_year: int
) -> None:
    number = norwegian(f"0181{year_digits}", individuals)
    assert parse_national_id(number, "NO").birth_date == date(expected_year, 1, 1)


def test_individual_number_with_no_century_for_the_year_is_rejected() -> None:
    number = norwegian("018145", range(750, 900))
    with pytest.raises(InvalidIdentifier, match="century is undefined"):
        parse_national_id(number, "NO")


def test_wrong_check_digit_names_the_reason() -> None:
    with pytest.raises(InvalidIdentifier, match="has a wrong second check digit"):
        parse_national_id(replace_digit(SYNTHETIC_FNR, 10, 1), "NO")
    # k1 + 5 moves the k1 remainder from 0 to 5 or 6, which not even the 2032 rule allows
    with pytest.raises(InvalidIdentifier, match="has a wrong first check digit"):
        parse_national_id(replace_digit(SYNTHETIC_FNR, 9, 5), "NO")


def test_error_message_masks_the_number() -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        parse_national_id(replace_digit(SYNTHETIC_FNR, 10, 1), "NO")
    assert str(excinfo.value) == "fødselsnummer 018180***** has a wrong second check digit"


def test_spaces_and_dashes_are_accepted() -> None:
    spaced = f" {SYNTHETIC_FNR[:6]} {SYNTHETIC_FNR[6:]} "
    dashed = f"{SYNTHETIC_FNR[:6]}-{SYNTHETIC_FNR[6:]}"
    assert parse_national_id(spaced, "NO").number == SYNTHETIC_FNR
    assert parse_national_id(dashed, "NO").number == SYNTHETIC_FNR


@pytest.mark.parametrize(
    ("value", "reason"),
    [("0181801234", "fødselsnummer must be 11 digits, not 10"), ("01818O12345", "only digits"), ("", "11 digits")],
)
def test_malformed_fodselsnummer_names_the_reason(value: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier, match=reason):
        parse_national_id(value, "NO")


def test_fodselsnummer_with_impossible_date_is_rejected() -> None:
    number = norwegian("318280", range(0, 500))  # 31 Feb 1980, synthetic month
    with pytest.raises(InvalidIdentifier, match=r"birth date 31\.02\.1980 does not exist"):
        parse_national_id(number, "NO")


def test_h_number_month_plus_40_is_not_accepted() -> None:
    with pytest.raises(InvalidIdentifier, match="does not exist"):
        parse_national_id(norwegian("014180", range(0, 500)), "NO")


# --- Norway: the 2032 rule ------------------------------------------------------------------


def test_2032_number_with_k1_remainder_2_is_valid_though_stdnum_rejects_it() -> None:
    number = norwegian("150605", range(500, 1000), k1_remainder=2)
    with pytest.raises(InvalidChecksum):
        fodselsnummer.validate(number)
    assert number[9] != fodselsnummer.calc_check_digit1(number)
    parsed = parse_national_id(number, "NO")
    assert (parsed.kind, parsed.birth_date, parsed.synthetic) == ("fnr", date(2005, 6, 15), False)


@pytest.mark.parametrize("remainder", [1, 2, 3])
def test_2032_rule_accepts_k1_remainders_1_to_3(remainder: int) -> None:
    number = norwegian("150605", range(500, 1000), k1_remainder=remainder)
    assert parse_national_id(number, "NO").number == number


@pytest.mark.parametrize("remainder", [4, 5, 9])
def test_2032_rule_rejects_other_k1_remainders(remainder: int) -> None:
    number = norwegian("150605", range(500, 1000), k1_remainder=remainder)
    with pytest.raises(InvalidIdentifier, match="wrong first check digit"):
        parse_national_id(number, "NO")


def test_2032_number_still_needs_the_classic_second_check_digit() -> None:
    number = norwegian("150605", range(500, 1000), k1_remainder=3)
    with pytest.raises(InvalidIdentifier, match="wrong second check digit"):
        parse_national_id(replace_digit(number, 10, 1), "NO")


def test_2032_number_does_not_take_its_century_from_the_individual_number() -> None:
    # individual number 0xx meant 1900-1999 under the classic table; from 2032 it means nothing
    number = norwegian("150605", range(0, 100), k1_remainder=1)
    assert parse_national_id(number, "NO").birth_date == date(2005, 6, 15)


def test_2032_synthetic_d_number_is_accepted() -> None:
    number = norwegian("558105", range(0, 1000), k1_remainder=2)
    parsed = parse_national_id(number, "NO")
    assert (parsed.kind, parsed.birth_date, parsed.synthetic) == ("dnr", date(2005, 1, 15), True)


# --- Denmark: CPR ---------------------------------------------------------------------------


def test_cpr_failing_mod11_is_still_valid() -> None:
    number = "0101364001"  # born 2036
    assert cpr.checksum(number) != 0
    parsed = parse_national_id("010136-4001", "DK")
    assert parsed == NationalId(number, "cpr", "DK", date(2036, 1, 1), synthetic=False)


@pytest.mark.parametrize(
    ("number", "expected_year"),
    [("0101364001", 2036), ("0101369001", 2036), ("0101575001", 2057), ("0101585001", 1858)],
)
def test_cpr_century_is_read_from_the_seventh_digit(number: str, expected_year: int) -> None:
    assert parse_national_id(number, "DK").birth_date == date(expected_year, 1, 1)


def test_cpr_with_impossible_date_is_rejected() -> None:
    with pytest.raises(InvalidIdentifier, match=r"birth date 31\.02\.2036 does not exist"):
        parse_national_id("310236-4001", "DK")


def test_cpr_must_be_10_digits() -> None:
    with pytest.raises(InvalidIdentifier, match="CPR number must be 10 digits"):
        parse_national_id("010136-400", "DK")


def test_unsupported_country_is_a_programming_error_not_an_invalid_number() -> None:
    with pytest.raises(ValueError, match="unsupported country") as excinfo:
        parse_national_id(SYNTHETIC_FNR, "SE")
    assert not isinstance(excinfo.value, InvalidIdentifier)


# --- Organisation numbers -------------------------------------------------------------------


def with_mod11_check_digit(prefix: str, weights: tuple[int, ...]) -> str:
    check = -sum(w * int(d) for w, d in zip(weights, prefix)) % 11
    assert check != 10, "pick another prefix"
    return f"{prefix}{check}"


def test_orgnr_mod11() -> None:
    number = with_mod11_check_digit("91234568", (3, 2, 7, 6, 5, 4, 3, 2))
    assert validate_organisation_number(f"{number[:3]} {number[3:6]} {number[6:]}", "NO") == number
    with pytest.raises(InvalidIdentifier, match=f"organisasjonsnummer {number[:8]}. has a wrong check digit"):
        validate_organisation_number(replace_digit(number, 8, 1), "NO")
    with pytest.raises(InvalidIdentifier, match="organisasjonsnummer must be 9 digits"):
        validate_organisation_number(number[:8], "NO")


def test_cvr() -> None:
    number = with_mod11_check_digit("1234567", (2, 7, 6, 5, 4, 3, 2))
    assert validate_organisation_number(f"DK {number[:2]} {number[2:4]} {number[4:6]} {number[6:]}", "DK") == number
    with pytest.raises(InvalidIdentifier, match="CVR number .* has a wrong check digit"):
        validate_organisation_number(replace_digit(number, 7, 1), "DK")
    with pytest.raises(InvalidIdentifier, match="CVR number must be 8 digits"):
        validate_organisation_number(number + "0", "DK")


def test_cvr_cannot_start_with_zero() -> None:
    number = with_mod11_check_digit("0234567", (2, 7, 6, 5, 4, 3, 2))
    with pytest.raises(InvalidIdentifier, match="CVR number 0.* is invalid"):
        validate_organisation_number(number, "DK")


# --- Masking --------------------------------------------------------------------------------


def test_mask_keeps_birth_date_only() -> None:
    assert mask_national_id(SYNTHETIC_FNR) == "018180*****"
    assert mask_national_id(f"{SYNTHETIC_FNR[:6]} {SYNTHETIC_FNR[6:]}") == "018180*****"
    assert mask_national_id("010136-4001") == "010136****"


def test_national_id_repr_does_not_leak_the_number() -> None:
    parsed = parse_national_id(SYNTHETIC_FNR, "NO")
    assert SYNTHETIC_FNR not in repr(parsed)
    assert parsed.masked == "018180*****"


# --- Generated (synthetic) numbers ----------------------------------------------------------


def random_dates(rng: random.Random, count: int, first: date, last: date) -> list[date]:
    span = (last - first).days
    return [first + timedelta(days=rng.randrange(span + 1)) for _ in range(count)]


@pytest.mark.parametrize(
    ("country", "kind", "first", "last"),
    [
        ("NO", "fnr", date(1854, 1, 1), date(2039, 12, 31)),
        ("NO", "dnr", date(1854, 1, 1), date(2039, 12, 31)),
        ("DK", "cpr", date(1858, 1, 1), date(2057, 12, 31)),
    ],
)
def test_generated_numbers_round_trip(country: str, kind: str, first: date, last: date) -> None:
    rng = random.Random(2032)
    for birth_date in random_dates(random.Random(7), 500, first, last):
        number = synthetic_national_id(birth_date, country, rng, kind)
        parsed = parse_national_id(number, country)
        assert (parsed.number, parsed.kind, parsed.birth_date) == (number, kind, birth_date)
        assert parsed.synthetic is (country == "NO")
        if country == "DK":
            assert cpr.checksum(number) == 0
        else:
            assert number[9] == fodselsnummer.calc_check_digit1(number)  # classic k1


def test_generation_is_deterministic_given_the_rng() -> None:
    dates = random_dates(random.Random(1), 20, date(1930, 1, 1), date(2020, 12, 31))
    for country in ("NO", "DK"):
        first = [synthetic_national_id(d, country, random.Random(5)) for d in dates]
        again = [synthetic_national_id(d, country, random.Random(5)) for d in dates]
        assert first == again


def test_generation_refuses_birth_dates_no_number_can_encode() -> None:
    with pytest.raises(ValueError, match="can encode"):
        synthetic_national_id(date(1850, 1, 1), "NO", random.Random(1))
    with pytest.raises(ValueError, match="can encode"):
        synthetic_national_id(date(2060, 1, 1), "DK", random.Random(1))


def test_denmark_has_no_d_numbers() -> None:
    with pytest.raises(ValueError, match="unsupported kind"):
        synthetic_national_id(date(1980, 1, 1), "DK", random.Random(1), kind="dnr")
