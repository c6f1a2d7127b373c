"""Invoices and credit notes for finance: list, read (audited, they name cases), download the
PDF and EHF XML, credit, release; invoice runs (started as a background job) and their finance
export; the billing profile."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from velferd.api.billing_schemas import (
    BillingProfileSchema,
    CreditSchema,
    FinanceExportFileSchema,
    InvoiceDetailSchema,
    InvoiceListQuery,
    InvoicePageSchema,
    InvoiceRunSchema,
    RunRequestedSchema,
    RunRequestSchema,
)
from velferd.api.context import TENANT_PREFIX, tenant
from velferd.auth import current_user, requires
from velferd.billing import downloads, invoice_reads
from velferd.billing.credit import credit_invoice
from velferd.billing.profiles import profile_for, save_profile
from velferd.billing.release import release_invoice
from velferd.billing.run_requests import request_run
from velferd.db import db

blp = Blueprint("invoices", __name__, url_prefix=TENANT_PREFIX, description="Invoices, credit notes and invoice runs")

FILE_RESPONSE = {"200": {"description": "the file", "content": {}}}


find_invoice = invoice_reads.find_invoice


@blp.get("/invoices")
@requires("invoices:read")
@blp.arguments(InvoiceListQuery, location="query", unknown=None)
@blp.response(200, InvoicePageSchema)
def list_invoices(query):
    """A page of invoices and credit notes in id order; filter by status, kind, period, plugin, payer."""
    filters = {key: query[key] for key in ("period", "status", "kind", "plugin", "payer_unit_id") if key in query}
    page = invoice_reads.list_invoices(filters, query["limit"], query["after_id"])
    db.session.commit()
    full = len(page) == query["limit"]
    return {"items": page, "next_after_id": page[-1].id if full else None}


@blp.get("/invoices/<int:invoice_id>")
@requires("invoices:read")
@blp.response(200, InvoiceDetailSchema)
def read_invoice(invoice_id):
    """The invoice with its lines and every delivery attempt."""
    invoice = invoice_reads.read_invoice(invoice_id)
    db.session.commit()
    return invoice


def _download(invoice_id: int, render) -> Response:
    content, mimetype, filename = invoice_reads.invoice_file(tenant(), invoice_id, render)
    db.session.commit()
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@blp.get("/invoices/<int:invoice_id>/pdf")
@requires("invoices:read")
@blp.doc(responses=FILE_RESPONSE)
def download_pdf(invoice_id):
    """The invoice as PDF, in the municipality's language (409 while it is not issued)."""
    return _download(invoice_id, downloads.pdf_file)


@blp.get("/invoices/<int:invoice_id>/xml")
@requires("invoices:read")
@blp.doc(responses=FILE_RESPONSE)
def download_xml(invoice_id):
    """The invoice as EHF / PEPPOL BIS Billing 3.0 UBL XML (409 while it is not issued)."""
    return _download(invoice_id, downloads.xml_file)


@blp.post("/invoices/<int:invoice_id>/credit")
@requires("invoices:credit")
@blp.arguments(CreditSchema)
@blp.response(201, InvoiceDetailSchema)
def credit(data, invoice_id):
    """Issue a credit note for the whole invoice, or for the given lines; it is delivered like the invoice."""
    note = credit_invoice(tenant(), find_invoice(invoice_id), data["reason"], data["lines"], current_user())
    db.session.commit()
    return note


@blp.post("/invoices/<int:invoice_id>/release")
@requires("invoices:manage")
@blp.response(200, InvoiceDetailSchema)
def release(invoice_id):
    """Issue and deliver a held invoice once its payer is fixed (409 with the reason if not yet),
    or deliver a failed one again. An invoice already on its way is returned unchanged."""
    invoice = release_invoice(tenant(), find_invoice(invoice_id), current_user())
    db.session.commit()
    return invoice


@blp.route("/invoice-runs")
class InvoiceRuns(MethodView):
    @requires("invoices:read")
    @blp.response(200, InvoiceRunSchema(many=True))
    def get(self):
        """Every invoice run, newest period first."""
        return invoice_reads.runs_newest_first()

    @requires("invoices:run")
    @blp.arguments(RunRequestSchema)
    @blp.response(202, RunRequestedSchema)
    def post(self, data):
        """Start the invoice run of a period as a background job. Safe to repeat: a completed
        period is not billed again. ``run`` is the period's run as it stands; a run that cannot
        bill yet (a plugin lacks a figure) is ``failed`` with the reason and the role that fixes
        it, and is started again here once that is done."""
        return request_run(tenant(), data["period"], current_user())


find_run = invoice_reads.find_run


@blp.get("/invoice-runs/<int:run_id>")
@requires("invoices:read")
@blp.response(200, InvoiceRunSchema)
def read_run(run_id):
    """One invoice run: its period, state and counts."""
    return find_run(run_id)


def _export_download(run_id: int, content: bytes, filename: str, mimetype: str) -> Response:
    invoice_reads.export_downloaded(run_id, filename)
    db.session.commit()
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@blp.get("/invoice-runs/<int:run_id>/export")
@requires("invoices:read")
@blp.doc(responses=FILE_RESPONSE)
def download_export(run_id):
    """Every finance export file of the run in one ZIP (always a ZIP, each CSV under its own
    name), 404 when the run exported nothing. Together the files list every document issued
    for the run — its invoices, their credit notes, invoices released later — each once."""
    content, filename = downloads.export_zip(find_run(run_id))
    return _export_download(run_id, content, filename, "application/zip")


@blp.get("/invoice-runs/<int:run_id>/exports")
@requires("invoices:read")
@blp.response(200, FinanceExportFileSchema(many=True))
def list_exports(run_id):
    """The run's finance export files in the order they were written, with their counts and net totals."""
    return downloads.export_files(find_run(run_id))


@blp.get("/invoice-runs/<int:run_id>/exports/<int:sequence>")
@requires("invoices:read")
@blp.doc(responses=FILE_RESPONSE)
def download_export_file(run_id, sequence):
    """One finance export file of the run (CSV, ``;``-separated UTF-8), by its sequence number."""
    content, filename = downloads.export_file(find_run(run_id), sequence)
    return _export_download(run_id, content, filename, "text/csv")


@blp.route("/billing-profile")
class BillingProfileView(MethodView):
    @requires("invoices:read")
    @blp.response(200, BillingProfileSchema)
    def get(self):
        """How the municipality bills (the defaults until it is saved)."""
        return profile_for(tenant())

    @requires("billing:manage")
    @blp.arguments(BillingProfileSchema)
    @blp.response(200, BillingProfileSchema)
    def put(self, data):
        """Change the given fields of the billing profile; VAT category, rate and reason must agree."""
        profile = save_profile(tenant(), data)
        db.session.commit()
        return profile
