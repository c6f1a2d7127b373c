"""Issuing: the step after which an invoice is a legal document and is never edited again.

Issuing takes the next gapless number and freezes what the invoice says — the payer and seller
as they are now, the VAT treatment, bank account and terms — in the same transaction. A payer
that lacks what its channel needs gets the invoice *held* instead, with the reason, and no
number is used. Delivery is asked for in the same transaction and sent once it commits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from velferd.billing.documents_for import due_date
from velferd.billing.holds import hold_reason
from velferd.billing.numbering import take_number
from velferd.billing.parties import payer_snapshot, seller_snapshot
from velferd.db import utcnow
from velferd.models import BillingProfile, Invoice, Tenant, Unit, User

DELIVER_TASK = "billing.deliver_invoice"


def issued_fields(tenant: Tenant, payer: Unit, profile: BillingProfile, today: dt.date) -> dict[str, Any]:
    """Everything issuing sets on an invoice, its number included (taken now, in this transaction)."""
    return {
        "status": "issued",
        "hold_reason": None,
        "number": take_number(),
        "issue_date": today,
        "due_date": due_date(today, profile.payment_terms_days),
        "issued_at": utcnow(),
        "payer_snapshot": payer_snapshot(payer, tenant),
        "seller_snapshot": seller_snapshot(tenant, profile),
        "vat_category": profile.vat_category,
        "vat_rate": profile.vat_rate,
        "vat_exemption_reason": profile.vat_exemption_reason if profile.vat_category != "S" else None,
        "bank_account": profile.bank_account,
        "payment_terms_days": profile.payment_terms_days,
    }


def issue_or_hold(invoice: Invoice, tenant: Tenant, payer: Unit, profile: BillingProfile, today: dt.date) -> bool:
    """Issue `invoice` (True) or hold it with the reason (False)."""
    reason = hold_reason(payer)
    if reason is not None:  # the snapshot is refreshed when the invoice is released and issued
        invoice.status, invoice.hold_reason = "held", reason
        invoice.payer_snapshot = payer_snapshot(payer, tenant)
        return False
    for key, value in issued_fields(tenant, payer, profile, today).items():
        setattr(invoice, key, value)
    return True


def request_delivery(invoice: Invoice, tenant: Tenant, actor: User | None = None, *, once: bool = False) -> None:
    """Enqueue the delivery job; it is sent when the current transaction commits. With `once`,
    a second request for the same invoice (a resumed run) finds the first job and adds none."""
    from velferd.jobs.outbox import enqueue

    key = f"{DELIVER_TASK}:{invoice.id}" if once else None
    enqueue(DELIVER_TASK, tenant=tenant, kwargs={"invoice_id": invoice.id}, actor=actor, idempotency_key=key)
