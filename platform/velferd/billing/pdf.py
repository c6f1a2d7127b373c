"""The invoice as an A4 PDF, in the tenant's language (``nb`` or ``da``), made with fpdf2.

It shows what a finance department checks before paying: who bills whom (names, addresses,
organisation numbers — a VAT-registered seller's Norwegian one with "MVA", bokføringsforskriften
§ 5-1-1), number, dates and period, their reference, the lines with the case reference the payer
knows, why there is no VAT or at which rate there is, the totals and where to pay with which KID
or FI payment line. A credit note is titled as one, names the invoice it credits and requests no
payment: no account, no reference to quote, no due date — it says the amount is credited.

Numbers and dates are formatted by `velferd.billing.wording` (Babel), as in the e-mail.

fpdf2's built-in Helvetica is used, so the PDF renders the same on every machine without a font
file to ship; it covers Latin-1, which has every Norwegian and Danish letter. Typographic
punctuation outside Latin-1 (dashes, curly quotes) is written as its ASCII equivalent.

The output is deterministic for a given document: the PDF's creation date is the issue date,
so re-rendering an issued invoice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fpdf import FPDF
from fpdf.fonts import FontFace

from stdnum.no import orgnr

from velferd.billing.document import InvoiceDocument, Party
from velferd.billing.payment_reference import reference_kind
from velferd.billing.wording import (
    format_amount, format_date, format_money, format_percent, format_period, format_price, format_quantity,
    payment_terms_text,
)

LABELS = {
    "nb": {
        "invoice": "FAKTURA", "credit_note": "KREDITNOTA",
        "number": "Fakturanummer", "credit_number": "Kreditnotanummer",
        "issue_date": "Fakturadato", "credit_issue_date": "Dato", "due_date": "Forfallsdato",
        "period": "Periode", "buyer_reference": "Deres referanse",
        "credits": "Krediterer faktura", "of": "av", "reason": "Årsak",
        "buyer": "Fakturamottaker", "seller": "Avsender",
        "position": "Nr.", "description": "Beskrivelse", "case": "Saksref.",
        "quantity": "Antall", "unit_price": "Enhetspris", "amount": "Beløp",
        "net_total": "Sum eks. mva.", "vat": "Mva.", "payable": "Å betale", "credited": "Kreditert beløp",
        "vat_note": "Merverdiavgift",
        "payment": "Betaling", "account": "Kontonummer",
        "kid": "KID", "fik": "FI-kort +71", "reference": "Betalingsreferanse",
        "terms": "Betalingsbetingelser",
        "crediting": "Kreditering",
        "credited_note": "Beløpet krediteres. Kreditnotaen skal ikke betales; beløpet godskrives faktura {number}.",
        "note": "Merknad",
    },
    "da": {
        "invoice": "FAKTURA", "credit_note": "KREDITNOTA",
        "number": "Fakturanummer", "credit_number": "Kreditnotanummer",
        "issue_date": "Fakturadato", "credit_issue_date": "Dato", "due_date": "Forfaldsdato",
        "period": "Periode", "buyer_reference": "Jeres reference",
        "credits": "Krediterer faktura", "of": "af", "reason": "Årsag",
        "buyer": "Fakturamodtager", "seller": "Afsender",
        "position": "Nr.", "description": "Beskrivelse", "case": "Sagsref.",
        "quantity": "Antal", "unit_price": "Enhedspris", "amount": "Beløb",
        "net_total": "Beløb ekskl. moms", "vat": "Moms", "payable": "At betale", "credited": "Krediteret beløb",
        "vat_note": "Moms",
        "payment": "Betaling", "account": "Kontonummer",
        "kid": "KID", "fik": "FI-kort +71", "reference": "Betalingsreference",
        "terms": "Betalingsbetingelser",
        "crediting": "Kreditering",
        "credited_note": "Beløbet krediteres. Kreditnotaen skal ikke betales; beløbet godskrives faktura {number}.",
        "note": "Bemærkning",
    },
}
LOCALES = tuple(LABELS)
_NOT_LATIN_1 = str.maketrans({"–": "-", "—": "-", "‑": "-", "‘": "'", "’": "'", "“": '"', "”": '"',
                              "„": '"', "…": "...", "\u00a0": " ", "\u202f": " ", "€": "EUR", "×": "x"})
LEFT = 18  # mm margins; A4 is 210 mm wide
KEEP_TOGETHER_MM = 95  # the height of totals, VAT note and payment details, with the bottom margin


def invoice_pdf(doc: InvoiceDocument, locale: str) -> bytes:
    if locale not in LABELS:
        raise ValueError(f"locale must be one of {LOCALES}, not {locale!r}")
    return _InvoicePdf(doc, locale).render()


def organisation_number_text(party: Party, *, vat_registered: bool) -> str:
    """``Org.nr. 964 338 531 MVA`` for a VAT-registered Norwegian seller (bokføringsforskriften
    § 5-1-1 asks the "MVA" suffix), ``Org.nr. 944 588 132`` otherwise, ``CVR-nr. 29189919`` in Denmark."""
    if party.country == "DK":
        return f"CVR-nr. {party.organisation_number}"
    number = party.organisation_number
    if party.country == "NO" and orgnr.is_valid(number or ""):
        number = orgnr.format(number)
    return f"Org.nr. {number}" + (" MVA" if vat_registered and party.country == "NO" else "")


def _latin_1(text: str) -> str:
    return text.translate(_NOT_LATIN_1).encode("latin-1", "replace").decode("latin-1")


class _InvoicePdf:
    def __init__(self, doc: InvoiceDocument, locale: str):
        self.doc = doc
        self.locale = locale
        self.label = LABELS[locale]
        self.pdf = FPDF(format="A4", unit="mm")
        self.pdf.set_margins(LEFT, 16, LEFT)
        self.pdf.set_auto_page_break(True, margin=18)
        self.pdf.set_creation_date(dt.datetime.combine(doc.issue_date, dt.time(), tzinfo=dt.timezone.utc))
        self.pdf.set_title(_latin_1(f"{self.label[doc.kind]} {doc.number}"))
        self.pdf.set_author(_latin_1(doc.seller.name))
        self.pdf.add_page()

    def render(self) -> bytes:
        self._heading()
        self._parties()
        self._lines()
        self._totals()
        self._vat_and_payment()
        return bytes(self.pdf.output())

    # ---- small helpers -----------------------------------------------------------------------------
    def _text(self, text: str, *, size: float = 9, bold: bool = False, height: float = 4.6, width: float = 0,
              align: str = "L") -> None:
        self.pdf.set_font("helvetica", "B" if bold else "", size)
        self.pdf.multi_cell(width, height, _latin_1(text), align=align, new_x="LMARGIN", new_y="NEXT")

    def _money(self, amount: Decimal) -> str:
        return format_amount(amount, self.doc.currency, self.locale)

    def _date(self, day: dt.date) -> str:
        return format_date(day, self.locale)

    def _party_lines(self, party: Party, *, seller: bool) -> list[str]:
        place = " ".join(part for part in (party.postal_code, party.city) if part)
        number = organisation_number_text(party, vat_registered=seller and self.doc.seller_vat_registered)
        return [line for line in (party.name, party.address, place, number, party.email) if line]

    # ---- sections ----------------------------------------------------------------------------------
    def _heading(self) -> None:
        doc, label = self.doc, self.label
        top = self.pdf.get_y()
        self._text("\n".join(self._party_lines(doc.seller, seller=True)), width=95)
        seller_bottom = self.pdf.get_y()
        self.pdf.set_xy(LEFT + 100, top)
        self.pdf.set_font("helvetica", "B", 18)
        self.pdf.cell(74, 9, label[doc.kind], align="R", new_x="LEFT", new_y="NEXT")
        facts = [
            (label["credit_number"] if doc.is_credit_note else label["number"], str(doc.number)),
            (label["credit_issue_date"] if doc.is_credit_note else label["issue_date"], self._date(doc.issue_date)),
        ]
        if not doc.is_credit_note:
            facts.append((label["due_date"], self._date(doc.due_date)))
        facts.append((label["period"], format_period(doc.period_start, doc.period_end, self.locale)))
        if doc.buyer_reference:
            facts.append((label["buyer_reference"], doc.buyer_reference))
        if doc.is_credit_note:
            credited = f"{doc.credited_number}"
            if doc.credited_issue_date:
                credited += f" {label['of']} {self._date(doc.credited_issue_date)}"
            facts.append((label["credits"], credited))
        for name, value in facts:
            self.pdf.set_x(LEFT + 100)
            self.pdf.set_font("helvetica", "", 9)
            self.pdf.cell(34, 5, _latin_1(name))
            self.pdf.set_font("helvetica", "B", 9)
            self.pdf.cell(40, 5, _latin_1(value), align="R", new_x="LEFT", new_y="NEXT")
        self.pdf.set_xy(LEFT, max(seller_bottom, self.pdf.get_y()) + 8)

    def _parties(self) -> None:
        self._text(self.label["buyer"], size=8, bold=True)
        self._text("\n".join(self._party_lines(self.doc.buyer, seller=False)), size=10, height=5)
        if self.doc.is_credit_note and self.doc.credit_reason:
            self.pdf.ln(2)
            self._text(f"{self.label['reason']}: {self.doc.credit_reason}")
        if self.doc.note:
            self.pdf.ln(2)
            self._text(f"{self.label['note']}: {self.doc.note}")
        self.pdf.ln(6)

    def _lines(self) -> None:
        label, doc = self.label, self.doc
        self.pdf.set_font("helvetica", "", 8.5)
        heading = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
        with self.pdf.table(col_widths=(8, 60, 20, 34, 12, 20, 20), text_align=("R", "L", "L", "L", "R", "R", "R"),
                            headings_style=heading, line_height=4.6, padding=1, first_row_as_headings=True,
                            borders_layout="HORIZONTAL_LINES") as table:
            table.row([_latin_1(label[key]) for key in
                       ("position", "description", "case", "period", "quantity", "unit_price", "amount")])
            for line in doc.lines:
                table.row([
                    str(line.position), _latin_1(line.description), _latin_1(line.case_reference or ""),
                    _latin_1(format_period(line.period_start, line.period_end, self.locale)),
                    format_quantity(line.quantity, self.locale), format_price(line.unit_price, self.locale),
                    format_money(line.amount, self.locale),
                ])
        self.pdf.ln(4)

    def _totals(self) -> None:
        """Totals, VAT note and payment details stay together: a new page if they would be split."""
        doc, label = self.doc, self.label
        if self.pdf.get_y() > self.pdf.h - KEEP_TOGETHER_MM:
            self.pdf.add_page()
        vat = f"{label['vat']} {format_percent(doc.vat_rate, self.locale)}" if doc.vat_category == "S" \
            else label["vat"]
        rows = [(label["net_total"], doc.line_total, False), (vat, doc.vat_amount, False),
                (label["credited"] if doc.is_credit_note else label["payable"], doc.payable_total, True)]
        for name, amount, bold in rows:
            self.pdf.set_x(LEFT + 94)
            self.pdf.set_font("helvetica", "B" if bold else "", 10 if bold else 9)
            self.pdf.cell(40, 6, _latin_1(name))
            self.pdf.cell(40, 6, _latin_1(self._money(amount)), align="R", new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(6)

    def _vat_and_payment(self) -> None:
        doc, label = self.doc, self.label
        if doc.exemption_reason:
            self._text(label["vat_note"], size=8, bold=True)
            self._text(doc.exemption_reason)
            self.pdf.ln(3)
        if doc.is_credit_note:  # no payment request: nothing to pay, to no account, by no date
            self._text(label["crediting"], size=8, bold=True)
            self._text(label["credited_note"].format(number=doc.credited_number))
            return
        self._text(label["payment"], size=8, bold=True)
        details = []
        if doc.bank_account:
            details.append(f"{label['account']}: {doc.bank_account}")
        details.append(f"{label[reference_kind(doc.payment_reference, doc.seller.country)]}: {doc.reference_to_pay}")
        details.append(f"{label['due_date']}: {self._date(doc.due_date)}")
        details.append(f"{label['terms']}: {payment_terms_text(doc.payment_terms_days, self.locale)}")
        self._text("\n".join(details))
