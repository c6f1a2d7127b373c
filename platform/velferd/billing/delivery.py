"""Delivering an issued invoice or credit note over its payer's channel — a background job.

Each try is recorded as a `DeliveryAttempt` (committed even when the try fails, so the record
survives the job's rollback). An invoice is never sent twice: the job locks the invoice row and
does nothing once ``sent_at`` is set, so a redelivered message, a retry from the API or a second
release finds it sent. (Should a worker die between the SMTP server's acceptance and the commit,
the retry sends the same Message-ID again, which lets the receiver drop the duplicate.)

Channels:

* ``email`` — the PDF attached, over SMTP (`billing.mail`). A temporary failure (connection
  refused, timeout, 4xx) is retried with backoff; after the last attempt, or at once on a
  permanent refusal (5xx), the invoice is marked ``failed`` with the error for finance to see.
* ``ehf`` — PEPPOL BIS Billing 3.0 XML written to the tenant's outbox folder
  ``instance/tenants/<id>/ehf-outbox/``. **This folder stands in for the PEPPOL access point**,
  which cannot run here: an access-point client picks the files up from it.
* ``finance_export`` — the document's run writes its next finance export file, which lists it
  (billing.exports): that file is the delivery, so a document is never in two files.
"""

from __future__ import annotations

from typing import Any, Callable

import sqlalchemy as sa
from flask import current_app

from velferd.billing.document import InvoiceDocument
from velferd.billing.documents_for import document_for
from velferd.billing.ehf import ubl_xml
from velferd.billing.exports import export_documents
from velferd.billing.files import EHF_OUTBOX, relative_to_instance, tenant_folder, write_atomically
from velferd.billing.mail import (
    DeliveryError,
    DeliveryRefused,
    SmtpSettings,
    build_invoice_email,
    message_id_for,
    send_email,
)
from velferd.billing.pdf import invoice_pdf
from velferd.billing.profiles import profile_for
from velferd.db import db, utcnow
from velferd.jobs.runner import is_permanent
from velferd.models import DeliveryAttempt, Invoice, Tenant, Unit
from velferd.plugins.specs import TaskContext
from velferd.tenancy import get_owned


def send_by_email(tenant: Tenant, invoice: Invoice, doc: InvoiceDocument) -> dict[str, Any]:
    """The payer unit's current invoice address if it has one (finance may have corrected it
    after a refusal), else the one frozen at issue."""
    unit = get_owned(Unit, invoice.payer_unit_id)
    recipient = (unit.invoice_email if unit is not None else None) or (invoice.payer_snapshot or {}).get("email")
    if not recipient:
        raise DeliveryRefused(f"{doc.buyer.name} has no e-mail address for invoices")
    sender = profile_for(tenant).sender_email or current_app.config["INVOICE_SENDER"]
    message_id = message_id_for(tenant.id, invoice.number)
    message = build_invoice_email(doc, invoice_pdf(doc, tenant.locale), sender, recipient, message_id, tenant.locale)
    send_email(message, SmtpSettings.from_config(current_app.config))
    return {"recipient": recipient, "message_id": message_id}


def write_to_ehf_outbox(tenant: Tenant, invoice: Invoice, doc: InvoiceDocument) -> dict[str, Any]:
    path = tenant_folder(tenant.id, EHF_OUTBOX) / f"{invoice.kind.replace('_', '-')}-{invoice.number}.xml"
    write_atomically(path, ubl_xml(doc))
    return {"file": relative_to_instance(path)}


CHANNELS: dict[str, Callable[[Tenant, Invoice, InvoiceDocument], dict[str, Any]]] = {
    "email": send_by_email, "ehf": write_to_ehf_outbox,
}


def _locked_invoice(invoice_id: int) -> Invoice | None:
    return db.session.scalar(sa.select(Invoice).where(Invoice.id == invoice_id).with_for_update()
                             .execution_options(populate_existing=True))


def _next_attempt(invoice: Invoice) -> int:
    made = db.session.scalar(sa.select(sa.func.count()).select_from(DeliveryAttempt)
                             .where(DeliveryAttempt.invoice_id == invoice.id))
    return (made or 0) + 1


def deliver_invoice(ctx: TaskContext, invoice_id: int) -> dict[str, Any]:
    """The ``billing.deliver_invoice`` task."""
    unlocked = db.session.scalar(sa.select(Invoice).where(Invoice.id == invoice_id))
    if unlocked is not None and unlocked.channel == "finance_export" and unlocked.run_id is not None:
        # delivered by its run's next file; that export locks the run before the documents, so
        # this job must not lock the invoice first
        return export_documents(ctx, unlocked.run_id)
    invoice = _locked_invoice(invoice_id)
    if invoice is None:
        return {"outcome": "skipped", "reason": f"no invoice {invoice_id}"}
    if invoice.sent_at is not None:
        return {"outcome": "skipped", "reason": f"already sent at {invoice.sent_at.isoformat()}"}
    if invoice.number is None:
        return {"outcome": "skipped", "reason": f"invoice is {invoice.status}, not issued"}
    channel = invoice.channel
    attempt = DeliveryAttempt(invoice_id=invoice.id, channel=channel or "none", attempt=_next_attempt(invoice))
    db.session.add(attempt)
    try:
        if channel not in CHANNELS:
            raise DeliveryRefused(f"unknown delivery channel {channel!r}")
        details = CHANNELS[channel](ctx.tenant, invoice, document_for(invoice))
    except DeliveryError as error:
        _record_failure(ctx, invoice, attempt, error)
        raise
    now = utcnow()
    attempt.outcome, attempt.finished_at, attempt.details = "sent", now, details
    invoice.sent_at = now
    if invoice.status in ("issued", "failed"):
        invoice.status = "sent"
    invoice.hold_reason = None  # "Delivery failed: …" of an earlier try is no longer true
    return {"outcome": "sent", "channel": channel, "number": invoice.number, "attempt": attempt.attempt, **details}


def _record_failure(ctx: TaskContext, invoice: Invoice, attempt: DeliveryAttempt, error: DeliveryError) -> None:
    """Keep the attempt and, when no attempt follows, fail the invoice with the error. Committed
    here, because the job's own transaction is rolled back when the error propagates."""
    permanent = is_permanent(error)
    attempt.outcome = "permanent_failure" if permanent else "temporary_failure"
    attempt.error, attempt.finished_at = str(error)[:2000], utcnow()
    if permanent or ctx.job.attempts >= ctx.job.max_attempts:
        if invoice.status == "issued":
            invoice.status = "failed"
        invoice.hold_reason = f"Delivery failed: {error}"[:2000]
    db.session.commit()
