"""``velferd invoices …``: the invoice run, listing, reading, downloading, crediting and
releasing from the command line, each inside the tenant's scope like a request.

An interface like the API, not a part of billing: ``show`` prints an invoice as the API does
(its schema), and billing never imports the API (the layers contract in pyproject.toml)."""

from __future__ import annotations

import json
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from velferd import audit
from velferd.api.billing_schemas import InvoiceDetailSchema
from velferd.billing import downloads
from velferd.billing.credit import credit_invoice
from velferd.billing.periods import billable_period, parse_period
from velferd.billing.release import release_invoice
from velferd.billing.run import run_period
from velferd.command_helpers import fail_clearly, tenant_by_slug, tenant_option
from velferd.db import db
from velferd.models import Invoice
from velferd.tenancy import require_owned, tenant_scope


@click.group("invoices")
def invoices_group():
    """Invoices, credit notes and the monthly invoice run."""


def _invoice(invoice_id: int) -> Invoice:
    return require_owned(Invoice, invoice_id, "invoice")


def _line(invoice: Invoice) -> str:
    number = invoice.number if invoice.number is not None else "-"
    return "\t".join(str(v) for v in (
        invoice.id, number, invoice.kind, invoice.status, f"{invoice.period_start:%Y-%m}", invoice.plugin,
        invoice.payer_name or invoice.payer_unit_id, f"{invoice.total} {invoice.currency}", invoice.hold_reason or ""))


@invoices_group.command("run")
@tenant_option
@click.option("--period", required=True, help="the month to bill, YYYY-MM")
@with_appcontext
@fail_clearly
def invoices_run(slug, period):
    """Bill a period now, in this process (a completed period is not billed again)."""
    tenant = tenant_by_slug(slug)
    with tenant_scope(tenant):
        outcome = run_period(tenant, billable_period(tenant, period))
    click.echo(json.dumps(outcome.as_json()))


@invoices_group.command("list")
@tenant_option
@click.option("--period", help="YYYY-MM")
@click.option("--status", help="only invoices in this state, e.g. held, issued, sent")
@with_appcontext
@fail_clearly
def invoices_list(slug, period, status):
    """id, number, kind, status, period, plugin, payer, total, hold reason — tab-separated."""
    tenant = tenant_by_slug(slug)
    with tenant_scope(tenant):
        stmt = sa.select(Invoice).order_by(Invoice.id)
        if period:
            stmt = stmt.where(Invoice.period_start == parse_period(period).start)
        if status:
            stmt = stmt.where(Invoice.status == status)
        invoices = db.session.scalars(stmt).all()
        if invoices:
            audit.record("invoice.listed", "invoice", None, details={"ids": [i.id for i in invoices]})
            db.session.commit()
        for invoice in invoices:
            click.echo(_line(invoice))


@invoices_group.command("show")
@click.argument("invoice_id", type=int)
@tenant_option
@with_appcontext
@fail_clearly
def invoices_show(invoice_id, slug):
    """The invoice, its lines and delivery attempts, as JSON."""
    tenant = tenant_by_slug(slug)
    with tenant_scope(tenant):
        invoice = _invoice(invoice_id)
        audit.record("invoice.read", "invoice", invoice.id)
        db.session.commit()
        click.echo(json.dumps(InvoiceDetailSchema().dump(invoice), ensure_ascii=False, indent=2))


@invoices_group.command("download")
@click.argument("invoice_id", type=int)
@tenant_option
@click.option("--format", "kind", type=click.Choice(["pdf", "xml"]), required=True,
              help="pdf: the printable invoice; xml: the EHF (PEPPOL BIS 3.0) document")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), required=True,
              help="the file to write")
@with_appcontext
@fail_clearly
def invoices_download(invoice_id, slug, kind, out):
    """Write the invoice's PDF or EHF XML to a file."""
    tenant = tenant_by_slug(slug)
    with tenant_scope(tenant):
        invoice = _invoice(invoice_id)
        render = downloads.pdf_file if kind == "pdf" else downloads.xml_file
        content, _, filename = render(tenant, invoice)
        audit.record("invoice.downloaded", "invoice", invoice.id, details={"file": filename})
        db.session.commit()
    Path(out).write_bytes(content)
    click.echo(f"wrote {filename} to {out} ({len(content)} bytes)")


@invoices_group.command("credit")
@click.argument("invoice_id", type=int)
@tenant_option
@click.option("--reason", required=True, help="why the invoice is credited (printed on the credit note)")
@click.option("--line", "positions", multiple=True, type=int, help="credit only this line (repeatable)")
@with_appcontext
@fail_clearly
def invoices_credit(invoice_id, slug, reason, positions):
    """Credit an invoice in full (or the given lines) with a credit note, delivered like the invoice."""
    tenant = tenant_by_slug(slug)
    with tenant_scope(tenant):
        lines = [{"position": p} for p in positions] or None
        note = credit_invoice(tenant, _invoice(invoice_id), reason, lines)
        db.session.commit()
        click.echo(f"credit note {note.number} ({note.total} {note.currency}) credits invoice {invoice_id}")


@invoices_group.command("release")
@click.argument("invoice_id", type=int)
@tenant_option
@with_appcontext
@fail_clearly
def invoices_release(invoice_id, slug):
    """Issue and deliver a held invoice after fixing its payer, or deliver a failed one again."""
    tenant = tenant_by_slug(slug)
    with tenant_scope(tenant):
        invoice = release_invoice(tenant, _invoice(invoice_id))
        db.session.commit()
        click.echo(_line(invoice))
