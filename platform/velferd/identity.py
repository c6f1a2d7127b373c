"""National identity numbers and organisation numbers for Norway and Denmark.

Tenants are Norwegian and Danish municipalities, so every person record carries either a
Norwegian fødselsnummer / D-number or a Danish CPR number, and every provider an
organisasjonsnummer or CVR number. python-stdnum covers the classic rules, and we lean on it
for compacting, the second Norwegian check digit, the CPR century table and the organisation
numbers. We cannot use its validators for persons as they stand, because:

* from 2032 Skatteetaten issues fødselsnummer whose first check digit (k1) is no longer unique,
  and stdnum rejects those numbers as having a bad checksum;
* Skatteetaten's synthetic test numbers (Tenor, month + 80) are what demo tenants and tests
  must use instead of real people's numbers, and stdnum cannot read their birth date;
* since 2007 real CPR numbers may fail the mod-11 check, so it must not be required.

Privacy: a national id is personal data, so neither error messages nor ``repr(NationalId)``
contain the full number; messages show it masked (birth date only).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from stdnum.dk import cpr, cvr
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.no import fodselsnummer, orgnr
from stdnum.util import isdigits

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
#: Allowed remainders of the k1 sum. The classic rule allows only 0; the 2032 rule adds 1-3.
K1_REMAINDERS = frozenset({0, 1, 2, 3})
D_NUMBER_DAY_OFFSET = 40
SYNTHETIC_MONTH_OFFSET = 80
_COMPACT = {"NO": fodselsnummer.compact, "DK": cpr.compact}
_ORGANISATION = {"NO": (orgnr, "organisasjonsnummer", 9), "DK": (cvr, "CVR number", 8)}


class InvalidIdentifier(ValueError):
    """An identifier failed validation; the message names the reason in plain words, so it can
    be shown to a caseworker as is (it never contains a full national id)."""


@dataclass(frozen=True)
class NationalId:
    """A validated national id. ``number`` is compact digits and is kept out of ``repr`` so a
    logged object does not leak it; use ``masked`` when it has to be shown."""

    number: str = field(repr=False)
    kind: str  # "fnr" | "dnr" | "cpr"
    country: str  # "NO" | "DK"
    birth_date: date
    synthetic: bool

    @property
    def masked(self) -> str:
        return mask_national_id(self.number)


def mask_national_id(number: str) -> str:
    """Keep the first six digits (the birth date, which caseworkers use to tell people apart)
    and replace the rest with ``*``: ``"010180*****"``. Separators are dropped first."""
    # stored numbers are already compact digits: skip stdnum's character clean-up (hot in lists)
    digits = number if number.isascii() and number.isdigit() else fodselsnummer.compact(number).strip()
    return digits[:6] + "*" * (len(digits) - 6)


def norwegian_check_digits(first9: str, k1_remainder: int = 0) -> tuple[int | None, int | None]:
    """Check digits (k1, k2) for the first nine digits of a Norwegian number.

    ``k1_remainder`` 0 gives the classic k1; 1-3 give the alternatives the 2032 rule allows.
    A digit that would have to be 10 is returned as None: no number exists with that prefix
    (and remainder), which is why individual numbers get skipped when numbers are issued.
    """
    k1 = (k1_remainder - _weighted(first9, K1_WEIGHTS)) % 11
    if k1 == 10:
        return None, None
    k2 = int(fodselsnummer.calc_check_digit2(first9 + str(k1)))
    return k1, (None if k2 == 10 else k2)


def complete_norwegian_number(first9: str, k1_remainder: int = 0) -> str | None:
    """Append both check digits to ``first9`` (see `norwegian_check_digits`), or None if
    impossible. With ``k1_remainder`` 1-3 this builds 2032-style numbers, e.g. for tests."""
    k1, k2 = norwegian_check_digits(first9, k1_remainder)
    return None if k2 is None else f"{first9}{k1}{k2}"


def parse_national_id(value: str, country: str) -> NationalId:
    """Validate a national id as typed by a person (spaces and dashes allowed).

    NO: fødselsnummer or D-number (day + 40), both also as synthetic numbers (month + 80).
    k1 is accepted when the weighted sum of the first ten digits is 0-3 mod 11 (2032 rule, a
    superset of the classic rule); k2 must satisfy the classic rule. For classic numbers the
    century comes from the individual number; for numbers only valid under the 2032 rule it
    cannot (Skatteetaten no longer encodes it), so the latest century not in the future is used.

    DK: CPR number; the century comes from digit 7 (stdnum's table) and the mod-11 check is not
    required. Denmark has no reserved synthetic range, so DK numbers are never flagged synthetic.
    Birth dates in the future are not rejected.
    """
    country = _country(country)
    number = _COMPACT[country](value).strip()
    if country == "DK":
        _require_digits(number, "CPR number", 10)
        year = cpr.get_birth_date("0101" + number[4:]).year
        return NationalId(number, "cpr", "DK", _birth_date(int(number[:2]), int(number[2:4]), year), False)

    _require_digits(number, "fødselsnummer", 11)
    day, month, yy, individual = (int(number[i : i + n]) for i, n in ((0, 2), (2, 2), (4, 2), (6, 3)))
    kind = "dnr" if day > D_NUMBER_DAY_OFFSET else "fnr"
    label = {"fnr": "fødselsnummer", "dnr": "D-number"}[kind]
    remainder = _weighted(number[:10], K1_WEIGHTS) % 11
    if remainder not in K1_REMAINDERS:
        raise InvalidIdentifier(f"{label} {mask_national_id(number)} has a wrong first check digit")
    if fodselsnummer.calc_check_digit2(number[:10]) != number[10]:
        raise InvalidIdentifier(f"{label} {mask_national_id(number)} has a wrong second check digit")
    synthetic = month > SYNTHETIC_MONTH_OFFSET
    year = _norwegian_birth_year(yy, individual, classic=remainder == 0)
    if year is None:
        raise InvalidIdentifier(
            f"{label} {mask_national_id(number)}: individual number {individual:03d} "
            f"is not used for birth year ..{yy:02d}, so the century is undefined"
        )
    day -= D_NUMBER_DAY_OFFSET if kind == "dnr" else 0
    month -= SYNTHETIC_MONTH_OFFSET if synthetic else 0
    return NationalId(number, kind, "NO", _birth_date(day, month, year), synthetic)


def validate_organisation_number(value: str, country: str) -> str:
    """Return the compact NO organisasjonsnummer (9 digits, mod 11) or DK CVR number
    (8 digits, mod 11, no leading 0), raising InvalidIdentifier with the reason."""
    module, label, length = _ORGANISATION[_country(country)]
    number = module.compact(value)
    _require_digits(number, label, length)
    try:
        return module.validate(number)
    except InvalidChecksum:
        raise InvalidIdentifier(f"{label} {number} has a wrong check digit") from None
    except ValidationError as exc:  # only CVR's "starts with 0" is left at this point
        raise InvalidIdentifier(f"{label} {number} is invalid: {exc}") from None


def synthetic_national_id(birth_date: date, country: str, rng: random.Random, kind: str = "fnr") -> str:
    """Generate a made-up national id for demo data and tests; deterministic given ``rng``.

    NO: a Skatteetaten-style synthetic number (month + 80; day + 40 as well for ``kind="dnr"``)
    with classic check digits, so it can never be a real person's number.
    DK: a CPR number with a valid date, century digit and mod-11 check. Denmark has no reserved
    synthetic range, so it is generated, not reserved: it may coincide with a real number and
    must never leave demo data. ``kind`` may be "cpr" (or the default) for DK.
    Raises ValueError if no number can encode the birth date (e.g. a year outside the ranges).
    """
    country = _country(country)
    if kind not in ({"fnr", "dnr"} if country == "NO" else {"fnr", "cpr"}):
        raise ValueError(f"unsupported kind {kind!r} for {country}")
    day, month, yy = birth_date.day, birth_date.month, birth_date.year % 100
    for serial in rng.sample(range(1000), 1000):
        if country == "NO":
            day_part = day + (D_NUMBER_DAY_OFFSET if kind == "dnr" else 0)
            candidate = complete_norwegian_number(
                f"{day_part:02d}{month + SYNTHETIC_MONTH_OFFSET:02d}{yy:02d}{serial:03d}"
            )
        else:
            first9 = f"{day:02d}{month:02d}{yy:02d}{serial:03d}"
            last = -cpr.checksum(first9 + "0") % 11  # the last digit has weight 1
            candidate = None if last == 10 else f"{first9}{last}"
        if candidate is not None and _parses_to(candidate, country, birth_date):
            return candidate
    raise ValueError(f"no {country} number can encode birth date {birth_date:%d.%m.%Y}")


def _parses_to(candidate: str, country: str, birth_date: date) -> bool:
    try:
        return parse_national_id(candidate, country).birth_date == birth_date
    except InvalidIdentifier:  # e.g. an individual number outside the century's range
        return False


def _weighted(digits: str, weights: tuple[int, ...]) -> int:
    return sum(w * int(d) for w, d in zip(weights, digits))


def _norwegian_birth_year(yy: int, individual: int, classic: bool) -> int | None:
    """Century per Skatteetaten's table; None where the table defines none."""
    if not classic:
        return 2000 + yy if 2000 + yy <= date.today().year else 1900 + yy
    if individual < 500:
        return 1900 + yy
    if individual < 750 and yy >= 54:
        return 1800 + yy
    if yy < 40:
        return 2000 + yy
    return 1900 + yy if individual >= 900 else None


def _birth_date(day: int, month: int, year: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidIdentifier(f"birth date {day:02d}.{month:02d}.{year} does not exist") from None


def _require_digits(number: str, label: str, length: int) -> None:
    if len(number) != length:
        raise InvalidIdentifier(f"{label} must be {length} digits, not {len(number)}")
    if not isdigits(number):
        raise InvalidIdentifier(f"{label} must contain only digits")


def _country(country: str) -> str:
    if country.upper() not in _COMPACT:
        raise ValueError(f"unsupported country {country!r}; expected 'NO' or 'DK'")
    return country.upper()
