"""Issuing: the step after which an invoice is a legal document and is never edited again.

Issuing takes the next gapless number and freezes what the invoice says — the payer and seller
as they are now, the VAT treatment, bank account and terms, the accounting dimensions
(billing.accounting) — in the same transaction. A payer
that lacks what its channel needs gets the invoice *held* instead, with the reason, and no
number is used. Delivery is asked for in the same transaction and sent once it commits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from velferd.billing.accounting import accounting_for
from velferd.billing.document import is_vat_registered
from velferd.billing.documents_for import due_date
from velferd.billing.holds import hold_reason
from velferd.billing.numbering import take_number
from velferd.billing.payment_reference import payment_reference
from velferd.billing.profiles import exemption_reason_for
from velferd.billing.parties import payer_snapshot, seller_snapshot
from velferd.db import utcnow
from velferd.models import BillingProfile, Invoice, Tenant, Unit, User

DELIVER_TASK = "billing.deliver_invoice"


def issue_terms(tenant: Tenant, profile: BillingProfile, today: dt.date,
                issue_date: dt.date | None = None) -> dict[str, Any]:
    """What every invoice the tenant issues today says besides its number and payer: dates,
    seller, VAT treatment, bank account and terms (the same for a whole invoice run). The issue
    date is today unless a catch-up run dates it otherwise (billing.issue_dates); the due date
    always counts from today."""
    return {
        "issue_date": issue_date or today,
        "due_date": due_date(today, profile.payment_terms_days),
        # the FI creditor number rides on the seller (issued_fields makes the +71 line of it), and
        # whether it is VAT-registered (its organisation number printed with "MVA")
        "seller_snapshot": {**seller_snapshot(tenant, profile), "fi_creditor_number": profile.fi_creditor_number,
                            "vat_registered": is_vat_registered(profile.vat_category, profile.vat_registered)},
        "vat_category": profile.vat_category,
        "vat_rate": profile.vat_rate,
        "vat_exemption_reason": exemption_reason_for(profile, tenant.country),
        "bank_account": profile.bank_account,
        "payment_terms_days": profile.payment_terms_days,
    }


def issued_fields(number: int, payer: dict[str, Any], terms: dict[str, Any]) -> dict[str, Any]:
    """Everything issuing sets on an invoice: its number (taken in this transaction), the payer's
    snapshot (`payer_snapshot`), the tenant's `issue_terms` and the payment reference the payer
    quotes (a KID, an FI +71 line: billing.payment_reference), which is made of the number."""
    seller = terms["seller_snapshot"]
    reference = payment_reference(number, seller["country"], seller.get("fi_creditor_number"))
    return {"status": "issued", "hold_reason": None, "number": number, "issued_at": utcnow(),
            "payer_snapshot": payer, **terms, "payment_reference": reference}


def held_fields(reason: str, payer: dict[str, Any]) -> dict[str, Any]:
    """What holding sets: the reason, no number (the snapshot is refreshed when it is released)."""
    return {"status": "held", "hold_reason": reason, "payer_snapshot": payer}


def issue_or_hold(invoice: Invoice, tenant: Tenant, payer: Unit, profile: BillingProfile, today: dt.date) -> bool:
    """Issue `invoice` (True) or hold it with the reason (False)."""
    reason = hold_reason(payer)
    snapshot = payer_snapshot(payer, tenant)
    if reason is not None:
        fields = held_fields(reason, snapshot)
    else:
        fields = issued_fields(take_number(), snapshot, issue_terms(tenant, profile, today))
        fields["accounting"] = accounting_for(profile, invoice.plugin)
    for key, value in fields.items():
        setattr(invoice, key, value)
    return reason is None


def request_delivery(invoice_id: int, tenant: Tenant, actor: User | None = None, *, once: bool = False) -> None:
    """Enqueue the delivery job; it is sent when the current transaction commits. With `once`,
    a second request for the same invoice (a resumed run) finds the first job and adds none."""
    from velferd.jobs.outbox import enqueue

    key = f"{DELIVER_TASK}:{invoice_id}" if once else None
    enqueue(DELIVER_TASK, tenant=tenant, kwargs={"invoice_id": invoice_id}, actor=actor, idempotency_key=key)
