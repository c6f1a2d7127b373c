"""Whether a bank account can be paid to, by the check digits the account really has.

* **Norway**: the 11-digit kontonummer (``1503 12 34562``) carries a MOD11 check digit
  (`stdnum.no.kontonr`); a mistyped digit is caught before any invoice asks to be paid to it.
* **IBAN** (any country, e.g. ``NO93 8601 1117 947``, ``DK50 0040 0440 1162 43``): the ISO 13616
  check digits and the country's length and format (`stdnum.iban`).
* **Denmark, domestic**: a 4-digit reg.nr and an account number of up to 10 digits. There is no
  check digit common to Danish banks — each bank has its own modulus rule, or none, and they are
  not published as one list — so only the format is checked; an IBAN is checked fully.

People write an account with spaces, dots or dashes (``1503.12.34562``, ``1503 12 34562``);
`written_account` stores one form of it: a domestic account as the country writes it, grouped by
spaces (that string is what the PDF and the e-mail print), an IBAN in its electronic format
(ISO 13616: no spaces, capitals — it always fits the 34 characters the column holds).

Stored profiles and issued invoices are not re-checked: an issued invoice is a legal document
and stays as it was sent.
"""

from __future__ import annotations

import re

from stdnum import iban
from stdnum.exceptions import ValidationError
from stdnum.no import kontonr

from velferd.billing.payment_means import compact_account

_DANISH_DOMESTIC = re.compile(r"^\d{4}\d{1,10}$")


class InvalidAccount(ValueError):
    """The account cannot be paid to; the message says why, for the ``bank_account`` field."""


def check_bank_account(bank_account: str | None, country: str) -> None:
    """Raise `InvalidAccount` with the reason if ``bank_account`` (of a seller in ``country``)
    fails its check digits or format; a blank account is allowed (no payment request)."""
    account = compact_account(bank_account)
    if not account:
        return
    if account[:2].isalpha():
        if not iban.is_valid(account):
            raise InvalidAccount("The IBAN's check digits or length do not match (ISO 13616): check the number.")
        return
    if country == "NO":
        if not (account.isdigit() and len(account) == 11):
            raise InvalidAccount("A Norwegian account number has 11 digits (e.g. 1503 12 34562), or give an IBAN.")
        try:
            kontonr.validate(account)
        except ValidationError:
            raise InvalidAccount("The account number's check digit does not match (MOD11): a digit is wrong.") \
                from None
        return
    if country == "DK":
        if not _DANISH_DOMESTIC.match(account):
            raise InvalidAccount("A Danish account is a 4-digit reg.nr and an account number of up to 10 digits, "
                                 "or an IBAN.")
        return
    raise InvalidAccount("Give the account as an IBAN.")


def written_account(bank_account: str | None, country: str) -> str | None:
    """The one stored form of an account however it was typed (None when blank): a Norwegian
    kontonummer ``1503 12 34562``, a Danish reg.nr and account ``0040 0440116243``, an IBAN
    compact. A value of no known shape is returned compact, for `check_bank_account` to refuse."""
    account = compact_account(bank_account)
    if not account:
        return None
    if not account.isdigit():
        return account
    if country == "NO" and len(account) == 11:
        return f"{account[:4]} {account[4:6]} {account[6:]}"
    if country == "DK" and _DANISH_DOMESTIC.match(account):
        return f"{account[:4]} {account[4:]}"
    return account
