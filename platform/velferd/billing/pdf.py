"""The invoice as an A4 PDF, in the tenant's language (``nb`` or ``da``), made with fpdf2.

It shows what a finance department checks before paying: who bills whom (names, addresses,
organisation numbers), number, dates and period, their reference, the lines, why there is no VAT,
the totals and where to pay. A credit note is titled as one and names the invoice it credits.

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

from velferd.billing.document import InvoiceDocument, Party, plain_decimal, round_money

LABELS = {
    "nb": {
        "invoice": "FAKTURA", "credit_note": "KREDITNOTA",
        "number": "Fakturanummer", "credit_number": "Kreditnotanummer",
        "issue_date": "Fakturadato", "credit_issue_date": "Dato", "due_date": "Forfallsdato",
        "period": "Periode", "buyer_reference": "Deres referanse",
        "credits": "Krediterer faktura", "of": "av", "reason": "Årsak",
        "buyer": "Fakturamottaker", "seller": "Avsender",
        "orgnr": {"NO": "Org.nr.", "DK": "CVR-nr."},
        "position": "Nr.", "description": "Beskrivelse", "case": "Saksref.",
        "quantity": "Antall", "unit_price": "Enhetspris", "amount": "Beløp",
        "net_total": "Sum eks. mva.", "vat": "Mva.", "payable": "Å betale", "credited": "Kreditert beløp",
        "vat_note": "Merverdiavgift",
        "payment": "Betaling", "account": "Kontonummer", "payment_reference": "Betalingsreferanse",
        "terms": "Betalingsbetingelser", "terms_value": "Netto {days} dager",
        "note": "Merknad",
    },
    "da": {
        "invoice": "FAKTURA", "credit_note": "KREDITNOTA",
        "number": "Fakturanummer", "credit_number": "Kreditnotanummer",
        "issue_date": "Fakturadato", "credit_issue_date": "Dato", "due_date": "Forfaldsdato",
        "period": "Periode", "buyer_reference": "Jeres reference",
        "credits": "Krediterer faktura", "of": "af", "reason": "Årsag",
        "buyer": "Fakturamodtager", "seller": "Afsender",
        "orgnr": {"NO": "Org.nr.", "DK": "CVR-nr."},
        "position": "Nr.", "description": "Beskrivelse", "case": "Sagsref.",
        "quantity": "Antal", "unit_price": "Enhedspris", "amount": "Beløb",
        "net_total": "Beløb ekskl. moms", "vat": "Moms", "payable": "At betale", "credited": "Krediteret beløb",
        "vat_note": "Moms",
        "payment": "Betaling", "account": "Kontonummer", "payment_reference": "Betalingsreference",
        "terms": "Betalingsbetingelser", "terms_value": "Netto {days} dage",
        "note": "Bemærkning",
    },
}
LOCALES = tuple(LABELS)
_THOUSANDS = {"nb": " ", "da": "."}
_NOT_LATIN_1 = str.maketrans({"–": "-", "—": "-", "‑": "-", "‘": "'", "’": "'", "“": '"', "”": '"',
                              "„": '"', "…": "...", "\u00a0": " ", "€": "EUR"})
LEFT = 18  # mm margins; A4 is 210 mm wide
KEEP_TOGETHER_MM = 95  # the height of totals, VAT note and payment details, with the bottom margin


def locale_for(country: str) -> str:
    """The language of a tenant in ``country``: Danish in Denmark, Norwegian bokmål otherwise."""
    return "da" if country == "DK" else "nb"


def invoice_pdf(doc: InvoiceDocument, locale: str) -> bytes:
    if locale not in LABELS:
        raise ValueError(f"locale must be one of {LOCALES}, not {locale!r}")
    return _InvoicePdf(doc, locale).render()


def format_money(amount: Decimal, locale: str) -> str:
    """``12 500,00`` in Norwegian, ``12.500,00`` in Danish."""
    return _localised(f"{round_money(amount):,.2f}", locale)


def format_price(price: Decimal, locale: str) -> str:
    """A unit price as billed: two decimals, or more when the price has them (``333,335``)."""
    places = max(2, -Decimal(price).normalize().as_tuple().exponent)
    return _localised(f"{Decimal(price):,.{places}f}", locale)


def _localised(text: str, locale: str) -> str:
    """From Python's ``12,500.00`` to the locale's separators."""
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", _THOUSANDS[locale])


def format_quantity(quantity: Decimal, locale: str) -> str:
    return plain_decimal(quantity).replace(".", ",")


def format_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


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
        return f"{format_money(amount, self.locale)} {self.doc.currency}"

    def _party_lines(self, party: Party) -> list[str]:
        place = " ".join(part for part in (party.postal_code, party.city) if part)
        orgnr = f"{self.label['orgnr'].get(party.country, 'Org.nr.')} {party.organisation_number}"
        return [line for line in (party.name, party.address, place, orgnr, party.email) if line]

    # ---- sections ----------------------------------------------------------------------------------
    def _heading(self) -> None:
        doc, label = self.doc, self.label
        top = self.pdf.get_y()
        self._text("\n".join(self._party_lines(doc.seller)), width=95)
        seller_bottom = self.pdf.get_y()
        self.pdf.set_xy(LEFT + 100, top)
        self.pdf.set_font("helvetica", "B", 18)
        self.pdf.cell(74, 9, label[doc.kind], align="R", new_x="LEFT", new_y="NEXT")
        facts = [
            (label["credit_number"] if doc.is_credit_note else label["number"], str(doc.number)),
            (label["credit_issue_date"] if doc.is_credit_note else label["issue_date"], format_date(doc.issue_date)),
        ]
        if not doc.is_credit_note:
            facts.append((label["due_date"], format_date(doc.due_date)))
        facts.append((label["period"], f"{format_date(doc.period_start)} - {format_date(doc.period_end)}"))
        if doc.buyer_reference:
            facts.append((label["buyer_reference"], doc.buyer_reference))
        if doc.is_credit_note:
            credited = f"{doc.credited_number}"
            if doc.credited_issue_date:
                credited += f" {label['of']} {format_date(doc.credited_issue_date)}"
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
        self._text("\n".join(self._party_lines(self.doc.buyer)), size=10, height=5)
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
                    f"{format_date(line.period_start)}-{format_date(line.period_end)}",
                    format_quantity(line.quantity, self.locale), format_price(line.unit_price, self.locale),
                    format_money(line.amount, self.locale),
                ])
        self.pdf.ln(4)

    def _totals(self) -> None:
        """Totals, VAT note and payment details stay together: a new page if they would be split."""
        doc, label = self.doc, self.label
        if self.pdf.get_y() > self.pdf.h - KEEP_TOGETHER_MM:
            self.pdf.add_page()
        rows = [(label["net_total"], doc.line_total, False), (label["vat"], doc.vat_amount, False),
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
        self._text(label["payment"], size=8, bold=True)
        details = []
        if doc.bank_account:
            details.append(f"{label['account']}: {doc.bank_account}")
        details.append(f"{label['payment_reference']}: {doc.number}")
        if not doc.is_credit_note:
            details.append(f"{label['due_date']}: {format_date(doc.due_date)}")
            details.append(f"{label['terms']}: {label['terms_value'].format(days=doc.payment_terms_days)}")
        self._text("\n".join(details))
