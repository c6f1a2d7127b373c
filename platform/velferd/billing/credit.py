"""Crediting: the only way to correct an issued invoice.

A credit note is a document of its own — kind ``credit_note``, the next number of the same
gapless series, the original's payer and seller as they were frozen, and a reference to the
invoice it credits — delivered over the same channel. The original keeps its number, lines and
total; only how much of it is credited (and, once all of it is, its status ``credited``) is
recorded on it. Crediting in full reopens the period, so the next run bills a corrected invoice.
The credit note belongs to the original's invoice run and carries its accounting dimensions, so it
goes into that run's next finance export file and reverses the same posting (billing.exports).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable, Mapping

import sqlalchemy as sa

from velferd import audit
from velferd.billing.document import round_money
from velferd.billing.exports import request_export
from velferd.billing.issue import request_delivery
from velferd.billing.lines import QUANTITY_PLACES
from velferd.billing.numbering import take_number
from velferd.billing.run_counts import reopen_period
from velferd.clock import tenant_today
from velferd.db import db, utcnow
from velferd.errors import Conflict, ValidationFailed
from velferd.models import Invoice, InvoiceLine, Tenant, User
from velferd.models.billing import CREDIT_ORIGINS

CREDITABLE = ("issued", "sent", "failed")


def _locked(invoice: Invoice) -> Invoice:
    """Re-read the invoice with its row locked, so two credits of it cannot both pass the checks."""
    return db.session.scalar(
        sa.select(Invoice).where(Invoice.id == invoice.id).with_for_update().execution_options(populate_existing=True))


def _credit_lines(invoice: Invoice, requested: Iterable[Mapping[str, Any]] | None) -> list[tuple[InvoiceLine, Decimal]]:
    """(original line, quantity to credit); every line in full when nothing is requested."""
    if not requested:
        return [(line, line.quantity) for line in invoice.lines]
    by_position = {line.position: line for line in invoice.lines}
    chosen, errors = [], {}
    for index, item in enumerate(requested):
        line = by_position.get(item["position"])
        if line is None:
            errors[f"lines.{index}.position"] = [f"Invoice {invoice.number} has no line {item['position']}."]
            continue
        quantity = Decimal(item.get("quantity") or line.quantity).quantize(QUANTITY_PLACES)
        if not 0 < quantity <= line.quantity:
            errors[f"lines.{index}.quantity"] = [f"Credit between 0 and the billed {line.quantity}."]
            continue
        chosen.append((line, quantity))
    if errors:
        raise ValidationFailed("the lines to credit do not match the invoice", errors)
    return chosen


def credit_invoice(tenant: Tenant, invoice: Invoice, reason: str,
                   lines: Iterable[Mapping[str, Any]] | None = None, actor: User | None = None,
                   origin: str = "finance") -> Invoice:
    """Issue a credit note for all of `invoice` (or the given lines) and request its delivery.
    `origin`: who credits (`CREDIT_ORIGINS`) — finance by hand, or a run's catch-up."""
    if origin not in CREDIT_ORIGINS:
        raise ValueError(f"origin must be one of {CREDIT_ORIGINS}, not {origin!r}")
    invoice = _locked(invoice)
    if invoice.kind != "invoice":
        raise Conflict(f"{invoice.number} is a credit note; only invoices can be credited", {"kind": ["Not an invoice."]})
    if invoice.status not in CREDITABLE:
        raise Conflict(f"invoice {invoice.id} is {invoice.status}: only an issued invoice can be credited",
                       {"status": [invoice.hold_reason or f"The invoice is {invoice.status}."]})
    chosen = _credit_lines(invoice, lines)
    amounts = [round_money(quantity * line.unit_price) for line, quantity in chosen]
    total = sum(amounts, Decimal("0.00"))
    if total > invoice.creditable_amount:
        raise Conflict(f"crediting {total} would exceed what is left of invoice {invoice.number} "
                       f"({invoice.creditable_amount} {invoice.currency})", {"lines": ["More than is left to credit."]})
    today = tenant_today(tenant)
    note = Invoice(
        kind="credit_note", plugin=invoice.plugin, payer_unit_id=invoice.payer_unit_id,
        period_start=invoice.period_start, period_end=invoice.period_end, currency=invoice.currency,
        status="issued", number=take_number(), issue_date=today, due_date=today, issued_at=utcnow(),
        credits_invoice_id=invoice.id, credit_reason=reason, credit_origin=origin, total=total,
        payer_snapshot=invoice.payer_snapshot, seller_snapshot=invoice.seller_snapshot,
        vat_category=invoice.vat_category, vat_rate=invoice.vat_rate,
        vat_exemption_reason=invoice.vat_exemption_reason, bank_account=invoice.bank_account,
        payment_terms_days=0, run_id=invoice.run_id, accounting=invoice.accounting,
    )
    note.lines = [
        InvoiceLine(position=position, description=line.description, quantity=quantity, unit_price=line.unit_price,
                    amount=amount, period_start=line.period_start, period_end=line.period_end,
                    case_id=line.case_id, case_reference=line.case_reference, line_key=line.line_key)
        for position, ((line, quantity), amount) in enumerate(zip(chosen, amounts), start=1)
    ]
    db.session.add(note)
    invoice.credited_total = invoice.credited_total + total
    if invoice.credited_total == invoice.total:
        invoice.status = "credited"
        reopen_period(invoice)
    db.session.flush()
    audit.record("invoice.credited", "invoice", invoice.id,
                 details={"credit_note_id": note.id, "number": note.number, "amount": str(total), "reason": reason,
                          "origin": origin})
    request_delivery(note.id, tenant, actor)
    request_export(note.run_id, tenant, actor)
    return note
