"""The finance export: the CSV files of an invoice run, for the municipality's finance system.

Every issued document — invoice or credit note, whatever its delivery channel — is in exactly one
file (billing.exports), so the ``amount`` column of a tenant's files adds up to its ledger:
issued invoices minus credit notes.

The format is what Norwegian and Danish finance systems import without a mapping wizard:

* UTF-8 without a byte-order mark, one header row, ``;`` between fields (a comma is the decimal
  separator in both countries, so it cannot separate fields), CRLF line ends, fields quoted with
  ``"`` only when they contain ``;``, ``"`` or a line break (RFC 4180 quoting).
* Decimals with ``.`` and no thousands separator (``12500.00``) — unambiguous for a machine, and
  every import tool takes it; amounts with two decimals, quantities, prices and rates without
  trailing zeros.
* Dates as ISO 8601 (``2025-03-31``).
* One row per invoice line. Credit-note rows are negative (quantity and amount; the unit price
  stays positive), so the amount column adds up to what was billed net of credits.
* Per document (repeated on each of its rows, negative for a credit note like the amounts): its
  VAT amount and gross total (``document_vat_amount``, ``document_gross_total``), so a ledger can
  post the receivable and the VAT without adding lines up; the payer's own reference
  (``customer_reference``, the buyer reference of the EHF invoice) to match it to the payer.
* The accounting dimensions the tenant configures (billing profile, per plugin if it says so),
  frozen on the document when it was issued: ``ledger_account``, ``cost_centre``,
  ``service_code``, so each row carries its whole posting. They follow the dimension sets the
  municipal ledgers post on — in Norway the KOSTRA-based string of Visma Enterprise Økonomi and
  Unit4 ERP (Agresso): *konto* (KOSTRA *art*), *ansvar* and *tjeneste* (KOSTRA *funksjon*); in
  Denmark KMD Opus and Fujitsu Prisme: the *art* and *funktion* of the Autoriseret Kontoplan and
  the municipality's *omkostningssted*. The file is not any vendor's own import layout (those are
  proprietary and not reproduced here): the ledger's generic CSV import is set up once for these
  columns. A project dimension (*prosjekt*) is not carried: no plugin bills per project.

The columns, in this order, are stable: a new column is only ever added at the end.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from velferd.billing.document import CREDIT_NOTE, InvoiceDocument, plain_decimal, round_money


class FinanceExportRow(NamedTuple):
    """One exported invoice line. The field order is the column order. (A tuple, not a
    dataclass: a run exports one per billed placement, and the CSV writer takes tuples as they are.)"""

    invoice_number: int
    kind: str  # invoice / credit_note
    credited_invoice_number: int | None
    issue_date: str
    due_date: str
    period_start: str
    period_end: str
    payer_name: str
    payer_organisation_number: str
    payer_kind: str  # internal / external
    delivery_channel: str  # email / ehf / finance_export
    plugin: str
    line_position: int
    case_reference: str
    description: str
    quantity: str
    unit_price: str
    amount: str
    currency: str
    vat_category: str
    vat_rate: str
    document_vat_amount: str
    document_gross_total: str
    customer_reference: str
    ledger_account: str
    cost_centre: str
    service_code: str


COLUMNS = FinanceExportRow._fields


class ExportedInvoice(NamedTuple):
    """What the export says about an issued invoice or credit note as a whole: from its
    `InvoiceDocument` (`rows_for`) or straight from its stored columns (the invoice run)."""

    number: int
    kind: str
    credited_number: int | None
    issue_date: dt.date
    due_date: dt.date
    payer_name: str
    payer_organisation_number: str
    payer_kind: str
    delivery_channel: str
    plugin: str
    currency: str
    vat_category: str
    vat_rate: Decimal
    vat_amount: Decimal  # of the whole document, as billing.document computes it (`DocumentTotals`)
    gross_total: Decimal
    customer_reference: str
    accounting: Mapping[str, str | None]  # Invoice.accounting: ledger_account, cost_centre, service_code


ACCOUNTING_DIMENSIONS = ("ledger_account", "cost_centre", "service_code")


@dataclass(frozen=True)
class DocumentTotals:
    """A document's totals from its lines and VAT treatment alone, for the run's export, which has
    no `InvoiceDocument`: the properties *are* `InvoiceDocument`'s, so VAT is computed one way."""

    lines: Sequence
    vat_category: str
    vat_rate: Decimal

    line_total = InvoiceDocument.line_total
    vat_amount = InvoiceDocument.vat_amount
    payable_total = InvoiceDocument.payable_total


# A run repeats a few dates, quantities and prices over thousands of lines: each is formatted
# once. Equal decimals have the same text (1.0000 and 1 are both "1"; a zero is never "-0").
_iso = lru_cache(maxsize=1024)(dt.date.isoformat)
_plain = lru_cache(maxsize=4096)(plain_decimal)


@lru_cache(maxsize=4096)
def _money(amount: Decimal) -> str:
    text = f"{round_money(amount):.2f}"
    return "0.00" if text == "-0.00" else text


def export_rows(invoice: ExportedInvoice, lines: Iterable) -> list[FinanceExportRow]:
    """The export rows of one issued invoice or credit note — the only place the columns are
    filled. `lines` are anything with `DocumentLine`'s attributes (position, description,
    quantity, unit_price, amount, period_start, period_end, case_reference): the document's lines,
    the lines a run just wrote, or rows read from the database."""
    credit = invoice.kind == CREDIT_NOTE
    before = (invoice.number, invoice.kind, invoice.credited_number, _iso(invoice.issue_date),
              _iso(invoice.due_date))
    payer = (invoice.payer_name, invoice.payer_organisation_number, invoice.payer_kind, invoice.delivery_channel,
             invoice.plugin)
    sign = -1 if credit else 1
    dimensions = invoice.accounting or {}
    after = (invoice.currency, invoice.vat_category, _plain(invoice.vat_rate),
             _money(sign * invoice.vat_amount), _money(sign * invoice.gross_total), invoice.customer_reference or "",
             *(dimensions.get(name) or "" for name in ACCOUNTING_DIMENSIONS))
    make = tuple.__new__  # FinanceExportRow's fields, positionally: a run makes one row per placement
    return [
        make(FinanceExportRow, (
            *before, _iso(line.period_start), _iso(line.period_end), *payer,
            line.position, line.case_reference or "", line.description,
            _plain(-line.quantity if credit else line.quantity), _plain(line.unit_price),
            _money(-line.amount if credit else line.amount), *after))
        for line in lines
    ]


def rows_for(doc: InvoiceDocument, *, payer_kind: str, delivery_channel: str, plugin: str,
             accounting: Mapping[str, str | None] | None = None) -> list[FinanceExportRow]:
    """The export rows of one issued invoice or credit note, from its document."""
    invoice = ExportedInvoice(
        number=doc.number, kind=doc.kind, credited_number=doc.credited_number, issue_date=doc.issue_date,
        due_date=doc.due_date, payer_name=doc.buyer.name, payer_organisation_number=doc.buyer.organisation_number,
        payer_kind=payer_kind, delivery_channel=delivery_channel, plugin=plugin, currency=doc.currency,
        vat_category=doc.vat_category, vat_rate=doc.vat_rate, vat_amount=doc.vat_amount,
        gross_total=doc.payable_total, customer_reference=doc.buyer_reference, accounting=accounting or {},
    )
    return export_rows(invoice, doc.lines)


def export_csv(rows: Iterable[FinanceExportRow]) -> bytes:
    """The rows as the CSV file described above (header included, even when there are no rows;
    None is written as an empty field)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
