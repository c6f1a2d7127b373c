"""The payment reference an invoice asks the payer to quote, so the payment is matched to it
without anyone reading a free-text field.

* **Norway: KID** (kundeidentifikasjon). The invoice number, zero-padded to `KID_NUMBER_DIGITS`
  (9) digits, and a MOD10 (Luhn) check digit: a 10-digit KID, e.g. invoice 17 → ``0000000174``.
  Banks accept MOD10 and MOD11 KIDs; MOD10 is the default of every OCR agreement and has no
  number it cannot give a check digit to (MOD11 has: a remainder of 10 is a "-" KID). The length
  is fixed because the bank's OCR agreement states one length per account. The tenant's invoice
  numbers are per account already, so no other part is needed to make the KID unique.
* **Denmark: FIK +71** (fælles indbetalingskort), when the tenant has an FI creditor number
  (kreditornummer, 8 digits, the first an 8): a 15-digit payment id — the invoice number
  zero-padded to 14 digits and a modulus-10 check digit, weights 2-1 from the right (Luhn; the
  printers' published examples: payment id 1 is written 18, 2 is written 26) — printed as the
  payment line ``+71<000000000000174+85117924<``. That whole line is what is
  stored, so the payment request is self-contained whatever happens to the profile. Without a
  creditor number a Danish invoice is paid by bank transfer with the invoice number as text.

A credit note requests no payment and has no payment reference.
"""

from __future__ import annotations

import re

from stdnum import luhn

KID_NUMBER_DIGITS = 9
FIK_NUMBER_DIGITS = 14
FIK_CARD_TYPE = "71"
_FIK_LINE = re.compile(r"^\+71<(\d{15})\+(\d{8})<$")


def kid(number: int) -> str:
    """The Norwegian KID of invoice ``number``: 9 digits of the number + a MOD10 check digit."""
    payload = _padded(number, KID_NUMBER_DIGITS)
    return payload + luhn.calc_check_digit(payload)


def fik_payment_id(number: int) -> str:
    """The 15-digit payment id of a +71 FI card for invoice ``number``."""
    payload = _padded(number, FIK_NUMBER_DIGITS)
    return payload + luhn.calc_check_digit(payload)


def fik_line(number: int, creditor_number: str) -> str:
    """The printed +71 payment line: ``+71<payment id+creditor number<``."""
    return f"+{FIK_CARD_TYPE}<{fik_payment_id(number)}+{creditor_number}<"


def payment_reference(number: int, seller_country: str, fi_creditor_number: str | None = None) -> str:
    """The reference frozen on an invoice at issue: a KID in Norway, a +71 line in Denmark with a
    creditor number, the invoice number otherwise."""
    if seller_country == "NO":
        return kid(number)
    if seller_country == "DK" and fi_creditor_number:
        return fik_line(number, fi_creditor_number)
    return str(number)


def fik_parts(reference: str | None) -> tuple[str, str] | None:
    """(payment id, creditor number) of a stored +71 line; None for any other reference."""
    found = _FIK_LINE.match(reference or "")
    return (found.group(1), found.group(2)) if found else None


def reference_kind(reference: str | None, seller_country: str) -> str:
    """How a stored reference is labelled for the payer: ``"fik"`` (a +71 line), ``"kid"`` (a
    Norwegian KID) or ``"reference"`` (the invoice number of an invoice issued before references)."""
    if fik_parts(reference):
        return "fik"
    return "kid" if reference and seller_country == "NO" else "reference"


def payment_id(reference: str) -> str:
    """What goes into the EHF ``PaymentID``: the KID, or the +71 payment id alone."""
    parts = fik_parts(reference)
    return parts[0] if parts else reference


def _padded(number: int, digits: int) -> str:
    text = str(int(number))
    if len(text) > digits:
        raise ValueError(f"invoice number {number} has more than the {digits} digits a payment reference holds")
    return text.zfill(digits)
