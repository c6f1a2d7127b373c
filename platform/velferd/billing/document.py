"""The invoice as a document: plain, frozen data, with no ORM behind it.

This is the seam between storing invoices and rendering them. Billing turns an issued invoice's
frozen snapshots into an ``InvoiceDocument`` (``document_for``); the renderers — EHF XML
(``ehf.py``), PDF (``pdf.py``), e-mail (``mail.py``) — are pure functions of it, so each can be
tested alone and an issued invoice renders the same way every time, whatever happens to the
payer's unit or the tenant's billing profile afterwards.

Amounts are ``Decimal`` in the document currency. Line amounts are as billed (already rounded to
two places by billing); the totals are derived here, once, so every renderer shows the same sums.
A credit note carries positive quantities and amounts — the amount credited — as UBL's CreditNote
does; its kind, not a sign, says which way the money goes. ``vat_rate`` is a percentage (25 = 25 %).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

INVOICE = "invoice"
CREDIT_NOTE = "credit_note"
KINDS = (INVOICE, CREDIT_NOTE)

OUTSIDE_SCOPE = "O"  # UNCL5305 "Services outside scope of tax" — municipal services between units
EXEMPT = "E"  # "Exempt from tax"
STANDARD = "S"  # "Standard rate"
VAT_CATEGORIES = (OUTSIDE_SCOPE, EXEMPT, STANDARD)

CENT = Decimal("0.01")

def plain_decimal(value: Decimal) -> str:
    """A quantity, price or rate in plain notation with '.', no exponent, no trailing zeros:
    ``1``, ``12500``, ``333.335`` — how the EHF file and the finance export write them."""
    text = f"{Decimal(value).normalize():f}"
    return "0" if text == "-0" else text


# Why an invoice carries no VAT, by category and seller country: the one table of this wording.
# Category O is outside the VAT system altogether ("utenfor merverdiavgiftsloven", "uden for
# momsområdet"); category E is within it but exempt ("fritatt", "momsfritaget") — a Danish
# municipality's O invoice that says "momsfritaget" claims an exemption it does not have.
VAT_EXEMPTION_WORDING = {
    (OUTSIDE_SCOPE, "NO"): "Utenfor merverdiavgiftsloven – kommunal tjenesteyting",
    (OUTSIDE_SCOPE, "DK"): "Uden for momsområdet – kommunal opgave",
    (EXEMPT, "NO"): "Fritatt for merverdiavgift",
    (EXEMPT, "DK"): "Momsfritaget",
}


def default_exemption_reason(country: str, category: str = OUTSIDE_SCOPE) -> str:
    """Why a municipality's invoice carries no VAT, in the country's language and true to the
    category (a Norwegian wording for a country without one of its own)."""
    return VAT_EXEMPTION_WORDING.get((category, country), VAT_EXEMPTION_WORDING[(category, "NO")])


def is_vat_registered(vat_category: str, registered: bool | None = None) -> bool:
    """Whether the seller is in the VAT register (Merverdiavgiftsregisteret / momsregistret): as
    its billing profile says (a registered municipality may still bill category O), and always when
    it bills S (standard rate) or E (zero-rated, "fritatt"), which only a registered seller can —
    EN 16931 asks their seller VAT identifier (BR-S-02, BR-E-02)."""
    return bool(registered) or vat_category in (STANDARD, EXEMPT)


def round_money(amount: Decimal) -> Decimal:
    """Two decimal places, half up — how the invoice totals are rounded everywhere."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Party:
    """Seller or buyer as printed on the invoice. ``organisation_number`` is the Norwegian
    organisation number (9 digits) or the Danish CVR number (8 digits), per ``country``."""

    name: str
    organisation_number: str
    country: str  # "NO" / "DK"
    address: str | None = None
    postal_code: str | None = None
    city: str | None = None
    email: str | None = None
    ehf_endpoint: str | None = None  # the PEPPOL participant id; the organisation number when blank

    @property
    def endpoint(self) -> str:
        return self.ehf_endpoint or self.organisation_number


@dataclass(frozen=True)
class DocumentLine:
    """One billed line. ``case_reference`` is the case's reference number only — never a name or
    a national id: invoices go to finance departments, which have no business knowing who."""

    position: int
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    period_start: dt.date
    period_end: dt.date
    case_reference: str | None = None


@dataclass(frozen=True)
class InvoiceDocument:
    kind: str  # INVOICE / CREDIT_NOTE
    number: int
    issue_date: dt.date
    due_date: dt.date
    currency: str
    period_start: dt.date
    period_end: dt.date
    seller: Party
    buyer: Party
    buyer_reference: str
    lines: tuple[DocumentLine, ...]
    vat_category: str = OUTSIDE_SCOPE
    vat_rate: Decimal = Decimal("0")
    vat_exemption_reason: str | None = None
    bank_account: str | None = None
    payment_terms_days: int = 30
    credited_number: int | None = None
    credited_issue_date: dt.date | None = None
    credit_reason: str | None = None
    note: str | None = None
    payment_reference: str | None = None  # velferd.billing.payment_reference, frozen at issue
    vat_registered: bool | None = None  # the seller's profile at issue; None on invoices issued before

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {self.kind!r}")
        if self.vat_category not in VAT_CATEGORIES:
            raise ValueError(f"vat_category must be one of {VAT_CATEGORIES}, not {self.vat_category!r}")
        if self.is_credit_note and self.credited_number is None:
            raise ValueError("a credit note names the invoice it credits (credited_number)")

    @property
    def is_credit_note(self) -> bool:
        return self.kind == CREDIT_NOTE

    @property
    def exemption_reason(self) -> str | None:
        """The text printed for categories O and E: the tenant's own, else the country's default."""
        if self.vat_category == STANDARD:
            return None
        return self.vat_exemption_reason or default_exemption_reason(self.seller.country, self.vat_category)

    @property
    def seller_vat_registered(self) -> bool:
        return is_vat_registered(self.vat_category, self.vat_registered)

    @property
    def reference_to_pay(self) -> str | None:
        """What the payer quotes when paying: the KID or FI payment id frozen at issue, the invoice
        number for an invoice issued before payment references existed; none on a credit note."""
        if self.is_credit_note:
            return None
        return self.payment_reference or str(self.number)

    @property
    def line_total(self) -> Decimal:
        """Sum of the line amounts (BT-106), rounded to two places."""
        return round_money(sum((line.amount for line in self.lines), Decimal("0")))

    @property
    def vat_amount(self) -> Decimal:
        """VAT on the line total: zero for categories O and E (the rate is 0 there by definition)."""
        if self.vat_category != STANDARD:
            return round_money(Decimal("0"))
        return round_money(self.line_total * Decimal(self.vat_rate) / Decimal("100"))

    @property
    def payable_total(self) -> Decimal:
        return round_money(self.line_total + self.vat_amount)
