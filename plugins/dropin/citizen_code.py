"""The citizen code: a pseudonym that ties one citizen's anonymous contacts together without
identifying anyone (as HMIS systems keep de-identified clients apart by a chosen code).

The citizen chooses it or the centre gives it; it is at most `CODE_MAX` characters and is kept in
upper case (``bjørn-7`` and ``BJØRN-7`` are one citizen). A national id must never become one:
a value with six or more digits looks like a CPR number (``DDMMÅÅ`` and more) and is refused with
a 422 naming the field — "no national id in an anonymous record". A contact's free-text note is
checked for a CPR number written out (`CPR_IN_TEXT`: six digits in a row, or ``DD MM ÅÅ-XXXX``
with spaces, dots or hyphens), not for six digits in all: a note says when the next meeting is
("12.05.2025 kl. 10:30"), and a date is not a national id.

Once a citizen consents with a code (`consent`), the code is that person's: it points to the
person (`person_of_code`), so a later contact with the code is linked while the consent is in
force, and the evaluation counts the code's contacts as that one person.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from velferd.toolkit import ValidationFailed, db

from .contact_models import CODE_MAX, Consent, Contact
from .markers import N_

DIGITS_LIKE_CPR = 6
LOOKS_LIKE_CPR = N_("This looks like a CPR number (6 or more digits); an anonymous record holds no national id.")


#: a CPR number (or its first six digits) in a text: six digits in a row, or the ten digits in
#: pairs and a group of four with spaces, dots or hyphens between them (17 05 80 1234, 17.05.80-1234)
CPR_IN_TEXT = re.compile(r"\d{6}|(?<!\d)\d{2}([ .-]?)\d{2}\1\d{2}[ -]?\d{4}(?!\d)")


def digits_in(text: str) -> int:
    return sum(character.isdigit() for character in text)


def refuse_cpr_like(field: str, text: str | None) -> None:
    """422 naming `field` when the short value `text` (a citizen code) holds six or more digits
    (a CPR number, with or without its hyphen, or part of one)."""
    if text and digits_in(text) >= DIGITS_LIKE_CPR:
        raise ValidationFailed(f"{field} must not hold a national id", {field: [LOOKS_LIKE_CPR]})


def refuse_cpr_in_text(field: str, text: str | None) -> None:
    """422 naming `field` when the free text `text` (a note) holds a CPR number (`CPR_IN_TEXT`);
    dates and times in it are fine."""
    if text and CPR_IN_TEXT.search(text):
        raise ValidationFailed(f"{field} must not hold a national id", {field: [LOOKS_LIKE_CPR]})


def normalised(code: str | None, field: str = "citizen_code") -> str | None:
    """The code as kept (spaces collapsed, upper case), or None when empty; 422 naming `field`
    for a CPR-like value or one longer than `CODE_MAX`."""
    if code is None:
        return None
    code = re.sub(r"\s+", " ", code).strip().upper()
    if not code:
        return None
    refuse_cpr_like(field, code)
    if len(code) > CODE_MAX:
        raise ValidationFailed(f"{field} is too long", {field: [f"at most {CODE_MAX} characters"]})
    return code


def person_of_code(code: str | None) -> int | None:
    """The person a code belongs to: the one who consented with it, else the one its contacts were
    linked to; None for a code that is still anonymous."""
    if not code:
        return None
    person_id = db.session.scalar(sa.select(Consent.person_id).where(Consent.citizen_code == code)
                                  .order_by(Consent.id.desc()).limit(1))
    if person_id is None:
        person_id = db.session.scalar(sa.select(Contact.person_id).where(
            Contact.citizen_code == code, Contact.person_id.is_not(None)).order_by(Contact.id.desc()).limit(1))
    return person_id


def codes_of_persons() -> dict[str, int]:
    """Every code that belongs to a person, with the person's id (for counting citizens)."""
    owned: dict[str, int] = {}
    for code, person_id in db.session.execute(sa.select(Contact.citizen_code, Contact.person_id).where(
            Contact.citizen_code.is_not(None), Contact.person_id.is_not(None)).order_by(Contact.id)):
        owned[code] = person_id
    for code, person_id in db.session.execute(sa.select(Consent.citizen_code, Consent.person_id).where(
            Consent.citizen_code.is_not(None)).order_by(Consent.id)):
        owned[code] = person_id
    return owned
