"""Finance's pages: the invoice runs (and the form that starts one), a run's result, the
invoices and credit notes, an invoice with its files, its credit and its release.

Every rule is the API's (velferd.api.invoices_api): the same permissions, the same schemas
(`RunRequestSchema`, `CreditSchema`) and the same services — the run request
(billing.run_requests), the audited reads and downloads (billing.invoice_reads,
billing.downloads), `credit_invoice` and `release_invoice`. Amounts are Decimals shown with
billing.wording's `format_money` in the page's language.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from marshmallow import ValidationError

from velferd.api.billing_schemas import CreditSchema, RunRequestSchema
from velferd.api.context import tenant
from velferd.api.errors import error_response
from velferd.auth import current_user, has_permission, require_permission
from velferd.billing import downloads, invoice_reads
from velferd.billing.credit import credit_invoice
from velferd.billing.documents_for import document_for
from velferd.billing.release import release_invoice
from velferd.billing.run_requests import request_run
from velferd.billing.wording import format_money
from velferd.db import db
from velferd.errors import Conflict, ValidationFailed, VelferdError
from velferd.models import Invoice
from velferd.models.billing import INVOICE_STATUSES
from velferd.plugins.manager import registry
from velferd.web import navigation
from velferd.web.blueprint import blp, wants_html
from velferd.web.case_pages import FailedForm
from velferd.web.form_fields import FormField, error_summary, errors_by_input, form_fields
from velferd.web.i18n import page_language
from velferd.web.role_titles import role_title

#: How many invoices the list shows (the API's largest page).
INVOICE_LIMIT = 200
#: What a held invoice's payer needs fixing with: its unit's details.
FIXES_A_PAYER = "units:manage"
NBSP = "\u00a0"

navigation.core_entry("web.finance", lazy_gettext("Finance"), "invoices:read")

@blp.app_template_filter("money")
def money(amount: Decimal | None) -> str:
    """``1 234,50 kr`` (nb), ``1.234,50 kr`` (da): the amount in the page's language, with a
    non-breaking space before the currency so the two never part at a line break."""
    if amount is None:
        return "–"
    plain = format_money(Decimal(amount), page_language())  # its group separator is a plain space
    return f"{plain.replace(' ', NBSP)}{NBSP}kr"


def roles_that_fix_payers() -> list[str]:
    """The roles whose members can fix a payer unit (so release its held invoices)."""
    return [role_title(role) for role, granted in sorted(registry().roles.items()) if FIXES_A_PAYER in granted]


# --- the runs ---------------------------------------------------------------------------------------

def _run_fields() -> list[FormField]:
    return [dataclasses.replace(field, widget="text", hint=_("A month, written YYYY-MM, e.g. 2026-03."))
            for field in form_fields(RunRequestSchema, {"period": _("Month")})]


@blp.get("/t/<tenant>/finance")
def finance():
    """The invoice runs, newest period first, and the form that runs a period."""
    return _runs_page()


def _runs_page(status: int = 200, failed: FailedForm | None = None) -> Response:
    require_permission("invoices:read")
    runs = invoice_reads.runs_newest_first()
    db.session.commit()
    page = render_template("web/finance_runs.html", title=_("Finance"), runs=runs,
                           run_fields=_run_fields() if has_permission("invoices:run") else [], failed=failed)
    return Response(page, status=status)


@blp.post("/t/<tenant>/finance/runs")
def start_run():
    """Run a period (`RunRequestSchema`, the API's `request_run`); to the run's page (PRG)."""
    require_permission("invoices:run")
    described = _run_fields()
    try:
        data = RunRequestSchema().load({"period": request.form.get("period", "").strip()})
        requested = request_run(tenant(), data["period"], current_user())
    except ValidationError as error:
        return _refused_run(ValidationFailed("the period is invalid", error.normalized_messages()), described)
    except (ValidationFailed, Conflict) as error:
        return _refused_run(error, described)
    run = requested["run"]
    if run is None:  # a worker has not started it yet
        flash(_("The run of %(period)s has started. Reload this page to see how it goes.", period=requested["period"]))
        return redirect(url_for("web.finance", tenant=tenant().slug, _anchor="confirmation"))
    flash(_("The run of %(period)s: %(state)s.", period=requested["period"], state=run_state(run.state)))
    return redirect(url_for("web.finance_run", tenant=tenant().slug, run_id=run.id, _anchor="confirmation"))


def _refused_run(error: VelferdError, described: list[FormField]) -> Response:
    db.session.rollback()
    if not wants_html():
        return error_response(error.status, error.message, error.fields or None)
    errors = errors_by_input(described, error.fields) if error.status == 422 else {"": [error.message]}
    return _runs_page(error.status, FailedForm("run", request.form, errors, error_summary(described, errors, "run")))


@blp.app_template_global("run_state")
def run_state(state: str) -> str:
    return {"running": _("running"), "completed": _("completed"), "failed": _("failed"),
            "reopened": _("reopened")}.get(state, state)


@blp.app_template_global("status_name")
def status_name(status: str) -> str:
    return {"held": _("held"), "issued": _("issued"), "sent": _("sent"), "failed": _("delivery failed"),
            "credited": _("credited")}.get(status, status)


@blp.get("/t/<tenant>/finance/runs/<int:run_id>")
def finance_run(run_id: int):
    """A run's result: its state (and, when blocked, what is missing and who fixes it), the
    invoices it created, those it held with the reason, and its finance export files."""
    require_permission("invoices:read")
    run = invoice_reads.find_run(run_id)
    billed = invoice_reads.list_invoices({"run_id": run.id}, INVOICE_LIMIT)
    files = downloads.export_files(run)
    db.session.commit()
    invoices = [i for i in billed if i.kind == "invoice"]
    return render_template("web/finance_run.html", title=_("Invoice run %(period)s", period=f"{run.period_start:%Y-%m}"),
                           run=run, created=[i for i in invoices if i.status != "held"],
                           held=[i for i in invoices if i.status == "held"],
                           credit_notes=[i for i in billed if i.kind == "credit_note"], files=files,
                           fixers=roles_that_fix_payers(), may_release=has_permission("invoices:manage"))


@blp.get("/t/<tenant>/finance/runs/<int:run_id>/exports/<int:sequence>")
def download_export_file(run_id: int, sequence: int):
    """One finance export file of the run (CSV), as the API serves it."""
    require_permission("invoices:read")
    content, filename = downloads.export_file(invoice_reads.find_run(run_id), sequence)
    invoice_reads.export_downloaded(run_id, filename)
    db.session.commit()
    return _attachment(content, "text/csv", filename)


def _attachment(content: bytes, mimetype: str, filename: str) -> Response:
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# --- invoices and credit notes ------------------------------------------------------------------------

@blp.get("/t/<tenant>/finance/invoices")
def finance_invoices():
    """Invoices and credit notes, filtered by run and status."""
    require_permission("invoices:read")
    chosen = {"run": request.args.get("run", "").strip(), "status": request.args.get("status", "").strip()}
    filters = {"run_id": int(chosen["run"]) if chosen["run"].isdigit() else None,
               "status": chosen["status"] if chosen["status"] in INVOICE_STATUSES else None}
    shown = invoice_reads.list_invoices(filters, INVOICE_LIMIT)
    runs = invoice_reads.runs_newest_first()
    db.session.commit()
    return render_template("web/finance_invoices.html", title=_("Invoices and credit notes"), invoices=shown,
                           runs=runs, statuses=INVOICE_STATUSES, chosen=chosen, limit=INVOICE_LIMIT)


def _credit_lines_field(invoice: Invoice) -> FormField:
    """The credit form's boxes, one per line (their labels are drawn by the template); a
    FormField so that the 422's messages for ``lines`` find their input and summary entry."""
    return FormField(key="lines", input_name="lines", label=_("Lines to credit"), hint=None, required=False,
                     widget="checkboxes", choices=tuple(str(line.position) for line in invoice.lines))


def _credit_fields(invoice: Invoice) -> list[FormField]:
    reason = form_fields(CreditSchema, {"reason": _("Reason for the credit")})
    return [field for field in reason if field.key == "reason"] + [_credit_lines_field(invoice)]


@blp.get("/t/<tenant>/finance/invoices/<int:invoice_id>")
def finance_invoice(invoice_id: int):
    return _invoice_page(invoice_id)


def _invoice_page(invoice_id: int, status: int = 200, failed: FailedForm | None = None) -> Response:
    """The invoice (audited read): payer, lines, totals with VAT, its files, its credit notes,
    and — for whoever may — the credit and release forms."""
    require_permission("invoices:read")
    invoice = invoice_reads.read_invoice(invoice_id)
    notes = invoice_reads.list_invoices({"credits_invoice_id": invoice.id}, INVOICE_LIMIT)
    document = document_for(invoice) if invoice.status != "held" else None
    db.session.commit()
    creditable = invoice.kind == "invoice" and invoice.status in ("issued", "sent", "failed")
    page = render_template(
        "web/finance_invoice.html", title=_invoice_title(invoice), invoice=invoice, document=document,
        credit_notes=notes, failed=failed,
        credit_fields=_credit_fields(invoice) if creditable and has_permission("invoices:credit") else [],
        may_release=invoice.status in ("held", "failed") and has_permission("invoices:manage"),
        fixers=roles_that_fix_payers())
    return Response(page, status=status)


def _invoice_title(invoice: Invoice) -> str:
    if invoice.kind == "credit_note":
        return _("Credit note %(number)s", number=invoice.number)
    if invoice.number is None:
        return _("Held invoice to %(payer)s", payer=(invoice.payer_snapshot or {}).get("name", invoice.payer_unit_id))
    return _("Invoice %(number)s", number=invoice.number)


@blp.get("/t/<tenant>/finance/invoices/<int:invoice_id>/pdf")
def invoice_pdf(invoice_id: int):
    """The invoice as PDF, from the same service as the API (409 while it is held)."""
    return _invoice_download(invoice_id, downloads.pdf_file)


@blp.get("/t/<tenant>/finance/invoices/<int:invoice_id>/xml")
def invoice_xml(invoice_id: int):
    """The invoice as EHF (PEPPOL BIS Billing 3.0) XML, from the same service as the API."""
    return _invoice_download(invoice_id, downloads.xml_file)


def _invoice_download(invoice_id: int, render) -> Response:
    require_permission("invoices:read")
    try:
        content, mimetype, filename = invoice_reads.invoice_file(tenant(), invoice_id, render)
    except Conflict as error:
        return _refused_invoice(invoice_id, error, "files", [])
    db.session.commit()
    return _attachment(content, mimetype, filename)


def _credit_data(form: Mapping[str, str]) -> dict:
    """The form in `CreditSchema`'s shape: the whole invoice, or the ticked lines (each in full)."""
    data: dict = {}
    if form.get("reason", "").strip():
        data["reason"] = form["reason"].strip()
    if form.get("scope") != "whole":
        ticked = form.getlist("lines") if hasattr(form, "getlist") else []
        data["lines"] = [{"position": int(p) if p.isdigit() else p} for p in ticked]
    return data


@blp.post("/t/<tenant>/finance/invoices/<int:invoice_id>/credit")
def credit(invoice_id: int):
    """A credit note for the whole invoice or the ticked lines (`CreditSchema`, `credit_invoice`)."""
    require_permission("invoices:credit")
    invoice = invoice_reads.find_invoice(invoice_id)
    described = _credit_fields(invoice)
    try:
        data = CreditSchema().load(_credit_data(request.form))
        note = credit_invoice(tenant(), invoice, data["reason"], data["lines"], current_user())
    except ValidationError as error:
        return _refused_invoice(invoice_id, ValidationFailed("the credit is invalid", error.normalized_messages()),
                                "credit", described)
    except (ValidationFailed, Conflict) as error:
        return _refused_invoice(invoice_id, error, "credit", described)
    db.session.commit()
    flash(_("Credit note %(number)s is issued for %(amount)s.", number=note.number, amount=money(note.total)))
    return redirect(url_for("web.finance_invoice", tenant=tenant().slug, invoice_id=invoice_id, _anchor="confirmation"))


@blp.post("/t/<tenant>/finance/invoices/<int:invoice_id>/release")
def release(invoice_id: int):
    """Issue a held invoice once its payer is fixed, or deliver a failed one again (`release_invoice`)."""
    require_permission("invoices:manage")
    try:
        invoice = release_invoice(tenant(), invoice_reads.find_invoice(invoice_id), current_user())
    except Conflict as error:
        return _refused_invoice(invoice_id, error, "release", [])
    db.session.commit()
    flash(_("Invoice %(number)s is released: %(status)s.", number=invoice.number, status=status_name(invoice.status)))
    return redirect(url_for("web.finance_invoice", tenant=tenant().slug, invoice_id=invoice_id, _anchor="confirmation"))


def _refused_invoice(invoice_id: int, error: VelferdError, form_id: str, described: list[FormField]) -> Response:
    """A 409 (the service's reason, e.g. why the invoice stays held) or a 422 (the fields'
    messages): the invoice page again with the error summary; the API's error body for a script."""
    db.session.rollback()
    if not wants_html():
        return error_response(error.status, error.message, error.fields or None)
    if error.status == 422:
        errors = errors_by_input(described, error.fields)
    else:  # the reason in the service's fields (a hold's sentence) says most; its message otherwise
        reasons = [text for texts in (error.fields or {}).values() for text in texts]
        errors = {"": [error.message, *reasons]}
    return _invoice_page(invoice_id, error.status,
                         FailedForm(form_id, request.form, errors, error_summary(described, errors, form_id)))

