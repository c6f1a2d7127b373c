"""Which PEPPOL payment means (UNCL4461 code) an invoice's bank account is written as.

The code depends on the seller's country, because the national PEPPOL rules differ:

* **Denmark.** OpenPEPPOL's rule DK-R-005 allows Danish suppliers only the codes
  "1, 10, 31, 42, 48, 49, 50, 58, 59, 93 and 97" — credit transfer (30), what Norway uses, is
  refused. A Danish bank account is a four-digit registration number (reg.nr) and an account
  number of up to ten digits; DK-R-006 says "bank account and registration account is mandatory
  if payment means is 31 or 42". So a Danish account — written domestically ("0040 0440116243")
  or as a Danish IBAN (``DKkk`` + reg.nr + account) — is code 31 with the reg.nr as the
  branch (``FinancialInstitutionBranch/ID``) and the account number as the account. A foreign
  IBAN of a Danish seller is SEPA credit transfer (58), which DK-R-005 allows.
* **Norway (and any other seller).** Credit transfer (30) to the account, or SEPA credit
  transfer (58) for an IBAN in EUR; BR-61 needs the account for both, and it is always given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CREDIT_TRANSFER = "30"
DANISH_BANK_TRANSFER = "31"
SEPA_CREDIT_TRANSFER = "58"
DANISH_ALLOWED_CODES = frozenset({"1", "10", "31", "42", "48", "49", "50", "58", "59", "93", "97"})  # DK-R-005

_DANISH_DOMESTIC = re.compile(r"^(\d{4})(\d{1,10})$")
_DANISH_IBAN = re.compile(r"^DK\d{2}(\d{4})(\d{10})$")


@dataclass(frozen=True)
class PaymentMeans:
    code: str
    account: str
    branch: str | None = None  # the Danish registration number, when the code needs one


def compact_account(bank_account: str | None) -> str:
    """The account without the spaces, dots and dashes people write it with."""
    return re.sub(r"[ .\-]", "", bank_account or "").upper()


def payment_means_for(bank_account: str | None, *, seller_country: str, currency: str) -> PaymentMeans | None:
    """The payment means for ``bank_account``, or None without an account (no request to pay to)."""
    account = compact_account(bank_account)
    if not account:
        return None
    is_iban = account[:2].isalpha()
    if seller_country == "DK":
        danish = _DANISH_IBAN.match(account) or _DANISH_DOMESTIC.match(account)
        if danish:
            return PaymentMeans(DANISH_BANK_TRANSFER, account=danish.group(2), branch=danish.group(1))
        if is_iban:
            return PaymentMeans(SEPA_CREDIT_TRANSFER, account=account)
        raise ValueError("bank_account: a Danish account is a 4-digit reg.nr and an account number of up to "
                         "10 digits, or an IBAN")
    if is_iban and currency == "EUR":
        return PaymentMeans(SEPA_CREDIT_TRANSFER, account=account)
    return PaymentMeans(CREDIT_TRANSFER, account=account)
