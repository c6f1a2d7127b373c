"""Releasing an invoice that could not go out: a held one once its payer is fixed, a failed
delivery once the cause is fixed.

Release is idempotent: an invoice already issued or sent is returned as it is (it is on its way
or delivered), so pressing the button twice sends nothing twice.
"""

from __future__ import annotations

from velferd import audit
from velferd.billing.exports import request_export
from velferd.billing.holds import hold_reason
from velferd.billing.issue import issue_or_hold, request_delivery
from velferd.billing.profiles import profile_for
from velferd.billing.run_counts import recount_run
from velferd.clock import tenant_today
from velferd.db import db
from velferd.errors import Conflict
from velferd.models import Invoice, InvoiceRun, Tenant, Unit, User
from velferd.tenancy import get_owned


def release_invoice(tenant: Tenant, invoice: Invoice, actor: User | None = None) -> Invoice:
    if invoice.status == "held":
        payer = get_owned(Unit, invoice.payer_unit_id)
        reason = hold_reason(payer)
        if reason is not None:
            invoice.hold_reason = reason
            db.session.commit()
            raise Conflict(f"invoice {invoice.id} stays held: fix the payer unit first", {"payer_unit_id": [reason]})
        issue_or_hold(invoice, tenant, payer, profile_for(tenant), tenant_today(tenant))
    elif invoice.status == "failed":
        invoice.status = "issued"
    else:
        return invoice
    db.session.flush()
    _recount_the_run_of(invoice)
    audit.record("invoice.released", "invoice", invoice.id, details={"number": invoice.number})
    request_delivery(invoice.id, tenant, actor)
    if invoice.exported_at is None:  # a held invoice was in none of its run's files
        request_export(invoice.run_id, tenant, actor)
    return invoice


def _recount_the_run_of(invoice: Invoice) -> None:
    """A held invoice was issued: its run no longer holds it (the run's counts follow)."""
    run = db.session.get(InvoiceRun, invoice.run_id) if invoice.run_id is not None else None
    if run is not None:
        recount_run(run)
