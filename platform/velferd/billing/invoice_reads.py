"""Finance's reads of invoices and invoice runs, audited where they name cases: a page of
invoices, one invoice, one of its files, a run's export file.

The API's routes (velferd.api.invoices_api) and the finance pages (velferd.web.finance_pages)
both call these, so a read leaves the same audit trail whichever way it was made. The caller
commits (the audit event with whatever else the request did).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa

from velferd import audit
from velferd.billing.periods import parse_period
from velferd.db import db
from velferd.models import Invoice, InvoiceRun, Tenant
from velferd.tenancy import require_owned

#: The columns a list of invoices can be narrowed by (each compared for equality).
FILTER_COLUMNS = ("status", "kind", "plugin", "payer_unit_id", "run_id", "credits_invoice_id")

Render = Callable[[Tenant, Invoice], tuple[bytes, str, str]]


def find_invoice(invoice_id: int) -> Invoice:
    return require_owned(Invoice, invoice_id, "invoice")


def find_run(run_id: int) -> InvoiceRun:
    return require_owned(InvoiceRun, run_id, "invoice run")


def list_invoices(filters: Mapping[str, Any], limit: int, after_id: int = 0) -> list[Invoice]:
    """A page of invoices and credit notes in id order, after `after_id`; `filters` by
    `FILTER_COLUMNS` and ``period`` (YYYY-MM). Audited: ``invoice.listed`` with the ids shown."""
    stmt = sa.select(Invoice).where(Invoice.id > after_id).order_by(Invoice.id).limit(limit)
    if filters.get("period") is not None:
        period = parse_period(filters["period"])
        stmt = stmt.where(Invoice.period_start == period.start, Invoice.period_end == period.end)
    for column in FILTER_COLUMNS:
        if filters.get(column) is not None:
            stmt = stmt.where(getattr(Invoice, column) == filters[column])
    page = db.session.scalars(stmt).all()
    if page:
        audit.record("invoice.listed", "invoice", None, details={"ids": [i.id for i in page]})
    return page


def read_invoice(invoice_id: int) -> Invoice:
    """The invoice (its lines and delivery attempts load with it); audited: ``invoice.read``."""
    invoice = find_invoice(invoice_id)
    audit.record("invoice.read", "invoice", invoice.id)
    return invoice


def invoice_file(tenant: Tenant, invoice_id: int, render: Render) -> tuple[bytes, str, str]:
    """(content, mimetype, filename) of the invoice rendered by `render` (billing.downloads'
    `pdf_file` or `xml_file`; 409 while it is not issued); audited: ``invoice.downloaded``."""
    invoice = find_invoice(invoice_id)
    content, mimetype, filename = render(tenant, invoice)
    audit.record("invoice.downloaded", "invoice", invoice.id, details={"file": filename})
    return content, mimetype, filename


def export_downloaded(run_id: int, filename: str) -> None:
    audit.record("invoice_run.export_downloaded", "invoice_run", run_id, details={"file": filename})


def runs_newest_first() -> list[InvoiceRun]:
    return db.session.scalars(sa.select(InvoiceRun).order_by(InvoiceRun.period_start.desc())).all()
