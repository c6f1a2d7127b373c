"""What a credit note or a release changes on an invoice run that has already ended: its
counts, and whether its period is billed.

Apart from `velferd.billing.run` because crediting (`velferd.billing.credit`) and releasing
(`velferd.billing.release`) change a run's record without running one, and the run itself,
through its catch-up, credits what is no longer owed: with these in the run's module, credit
and run would import each other.
"""

from __future__ import annotations

import sqlalchemy as sa

from velferd.db import db
from velferd.models import Invoice, InvoiceRun

# invoices only: a run's credit notes belong to it (for its export) but are not what it billed
COUNTS_BY_STATUS = (sa.select(Invoice.status, sa.func.count())
                    .where(Invoice.run_id == sa.bindparam("run_id"), Invoice.kind == "invoice")
                    .group_by(Invoice.status))


def recount_run(run: InvoiceRun) -> None:
    """Set the run's counts from its invoices as they are now: ``held_count`` the held ones,
    ``invoice_count`` the rest. Called when the run completes and whenever one of its invoices
    leaves the held state (`release_invoice`), so the counts never report a hold that is gone."""
    counts = dict(db.session.execute(COUNTS_BY_STATUS, {"run_id": run.id}).all())
    run.held_count = counts.pop("held", 0)
    run.invoice_count = sum(counts.values())


def reopen_period(invoice: Invoice) -> None:
    """An invoice of a completed run was credited in full: the next run of its period bills its
    replacement (the credit note alone would leave the period unbilled)."""
    if invoice.run_id is None:
        return
    run = db.session.get(InvoiceRun, invoice.run_id)
    if run is not None and run.state == "completed":
        run.state = "reopened"
