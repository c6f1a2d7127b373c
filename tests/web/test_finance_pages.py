"""Finance's pages, through Flask's test client on the suite's database: a month run through the
form (its result: invoices created, held ones with the reason and who can fix it, the export
files), the invoice list and page, the PDF and EHF downloads, a credit of one line, the release
of a held invoice — and what a caseworker or another municipality's finance officer gets."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import sqlalchemy as sa

from tests.billing_towns import CHILD_WELFARE, NAV, billing_town, last_month
from tests.web.pages import log_in
from velferd.db import db
from velferd.models import AuditEvent, Invoice, InvoiceRun
from velferd.tenancy import tenant_scope

UBL_INVOICE = "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"


@pytest.fixture
def setup(app, client, bergen, smtp_server):
    """Bergen billing two payers, one of them (NAV) lacking the e-mail address its channel needs."""
    app.config.update(smtp_server.config)
    return billing_town(client, bergen, payers=(CHILD_WELFARE, {**NAV, "invoice_email": None}))


def stored(app, town, model, **where):
    with app.app_context(), tenant_scope(town.tenant):
        return db.session.scalars(sa.select(model).filter_by(**where).order_by(model.id)).all()


def run_month(client, town):
    log_in(client, town.finance.email)
    return client.post(f"/t/{town.slug}/finance/runs", data={"period": last_month()})


def test_finance_runs_a_month_and_sees_created_and_held_invoices_with_the_reason(app, client, setup, bergen):
    r = run_month(client, bergen)
    (run,) = stored(app, bergen, InvoiceRun)
    assert r.status_code == 302 and r.headers["Location"] == f"/t/bergen/finance/runs/{run.id}#confirmation"
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert f"<h1>Fakturakjøring {last_month()}</h1>" in page
    assert "fullført" in page  # completed (nb)
    assert "Faktura 1" in page and CHILD_WELFARE["name"] in page  # created
    assert "Held: NAV Bergenhus has no e-mail address for invoices (channel e-mail)" in page  # the service's reason
    assert "Kommuneadministrator" in page and "Økonomi" in page  # who can fix a payer (units:manage)
    assert f'href="/t/bergen/finance/runs/{run.id}/exports/1"' in page
    csv = client.get(f"/t/bergen/finance/runs/{run.id}/exports/1")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert csv.headers["Content-Disposition"].startswith("attachment; filename=")

    listing = client.get("/t/bergen/finance").get_data(as_text=True)
    assert f'href="/t/bergen/finance/runs/{run.id}"' in listing and last_month() in listing
    assert "<h1>Økonomi</h1>" in listing and 'href="/t/bergen/finance"' in listing  # the menu entry


def test_a_bad_month_is_refused_with_the_field_and_the_reason(app, client, setup, bergen):
    log_in(client, bergen.finance.email)
    r = client.post("/t/bergen/finance/runs", data={"period": "2026-13"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Det er et problem" in page and 'href="#run-field-period"' in page
    assert "The month must be 01-12 of a year from 2000." in page
    assert 'value="2026-13"' in page
    assert stored(app, bergen, InvoiceRun) == []
    r = client.post("/t/bergen/finance/runs", data={"period": ""})
    assert r.status_code == 422 and "Månad" not in r.get_data(as_text=True)


def test_running_a_billed_month_again_bills_nothing_twice(app, client, setup, bergen):
    run_month(client, bergen)
    r = client.post("/t/bergen/finance/runs", data={"period": last_month()})
    assert r.status_code == 302
    assert len(stored(app, bergen, Invoice)) == 2 and len(stored(app, bergen, InvoiceRun)) == 1


def test_the_invoice_list_filters_by_status_and_run(app, client, setup, bergen):
    run_month(client, bergen)
    (run,) = stored(app, bergen, InvoiceRun)
    held = client.get("/t/bergen/finance/invoices", query_string={"status": "held"}).get_data(as_text=True)
    assert "Holdt faktura" in held and "Faktura 1" not in held
    every = client.get("/t/bergen/finance/invoices", query_string={"run": run.id}).get_data(as_text=True)
    assert "Faktura 1" in every and "Holdt faktura" in every
    assert "2 dokumenter" in every


def test_the_invoice_page_shows_lines_totals_and_serves_pdf_and_ehf(app, client, setup, bergen):
    run_month(client, bergen)
    issued = next(i for i in stored(app, bergen, Invoice) if i.number == 1)
    page = client.get(f"/t/bergen/finance/invoices/{issued.id}").get_data(as_text=True)
    assert "<h1>Faktura 1</h1>" in page
    total = f"{issued.total:,.2f}".replace(",", "\u00a0").replace(".", ",") + "\u00a0kr"
    assert total in page  # nb: 1 234,50 kr with non-breaking spaces
    assert "MVA (0 %)" in page
    pdf = client.get(f"/t/bergen/finance/invoices/{issued.id}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"] == 'attachment; filename="faktura-1.pdf"'
    xml = client.get(f"/t/bergen/finance/invoices/{issued.id}/xml")
    assert xml.mimetype == "application/xml"
    root = ET.fromstring(xml.data)
    assert root.tag == UBL_INVOICE and root.find(f"{CBC}ID").text == "1"
    with app.app_context(), tenant_scope(bergen.tenant):
        actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.record_id == str(issued.id))).all()
    assert "invoice.read" in actions and actions.count("invoice.downloaded") == 2


def test_crediting_one_line_lists_a_credit_note(app, client, bergen, smtp_server):
    app.config.update(smtp_server.config)
    setup = billing_town(client, bergen, cases_per_payer=[2], payers=(CHILD_WELFARE,))
    run_month(client, bergen)
    (issued,) = stored(app, bergen, Invoice)
    assert len(issued.lines) == 2
    r = client.post(f"/t/bergen/finance/invoices/{issued.id}/credit", data={"scope": "lines", "lines": ["2"],
                                                                           "reason": "Placement ended early"})
    assert r.status_code == 302, r.get_data(as_text=True)
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Kreditnota 2" in page and "Placement ended early" in page
    note = next(i for i in stored(app, bergen, Invoice) if i.kind == "credit_note")
    assert note.credits_invoice_id == issued.id and [line.position for line in note.lines] == [1]
    assert note.total == issued.lines[1].amount
    assert "Kreditnota 2" in client.get("/t/bergen/finance/invoices").get_data(as_text=True)
    assert setup.units


def test_a_credit_without_a_reason_or_line_is_refused_and_writes_nothing(app, client, bergen, smtp_server):
    app.config.update(smtp_server.config)
    billing_town(client, bergen, cases_per_payer=[1], payers=(CHILD_WELFARE,))
    run_month(client, bergen)
    (issued,) = stored(app, bergen, Invoice)
    r = client.post(f"/t/bergen/finance/invoices/{issued.id}/credit", data={"scope": "lines", "reason": "x"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and "Det er et problem" in page
    assert 'href="#credit-field-reason"' in page and 'href="#credit-field-lines"' in page
    assert len(stored(app, bergen, Invoice)) == 1
    # a credit note cannot be credited: 409 with the reason
    client.post(f"/t/bergen/finance/invoices/{issued.id}/credit", data={"scope": "whole", "reason": "Wrong month"})
    note = next(i for i in stored(app, bergen, Invoice) if i.kind == "credit_note")
    r = client.get(f"/t/bergen/finance/invoices/{note.id}")
    assert "Issue the credit note" not in r.get_data(as_text=True) and "Utsted kreditnotaen" not in r.get_data(as_text=True)
    r = client.post(f"/t/bergen/finance/invoices/{issued.id}/credit", data={"scope": "whole", "reason": "Again"})
    assert r.status_code == 409 and "only an issued invoice can be credited" in r.get_data(as_text=True)


def test_a_held_invoice_stays_held_until_its_payer_is_fixed_then_is_released(app, client, setup, bergen):
    run_month(client, bergen)
    held = next(i for i in stored(app, bergen, Invoice) if i.status == "held")
    page = client.get(f"/t/bergen/finance/invoices/{held.id}").get_data(as_text=True)
    assert "has no e-mail address for invoices" in page and "Frigi fakturaen" in page
    assert client.get(f"/t/bergen/finance/invoices/{held.id}/pdf").status_code == 409
    r = client.post(f"/t/bergen/finance/invoices/{held.id}/release")
    assert r.status_code == 409 and "has no e-mail address for invoices" in r.get_data(as_text=True)
    r = client.put(setup.url(f"/units/{setup.units[NAV['name']]}"), json=NAV, headers=setup.finance)
    assert r.status_code == 200, r.json
    r = client.post(f"/t/bergen/finance/invoices/{held.id}/release")
    assert r.status_code == 302
    assert "Faktura 2 er frigitt" in client.get(r.headers["Location"]).get_data(as_text=True)
    (released,) = stored(app, bergen, Invoice, id=held.id)
    assert (released.status, released.number) == ("sent", 2)


def test_a_caseworker_may_not_see_finance_and_another_town_gets_404(app, client, setup, bergen, alta):
    run_month(client, bergen)
    issued = next(i for i in stored(app, bergen, Invoice) if i.number == 1)
    client.post("/logout")
    log_in(client, bergen.caseworker.email)
    assert client.get("/t/bergen/finance").status_code == 403
    assert client.post("/t/bergen/finance/runs", data={"period": last_month()}).status_code == 403
    assert client.get(f"/t/bergen/finance/invoices/{issued.id}/pdf").status_code == 403
    assert 'href="/t/bergen/finance"' not in client.get("/t/bergen/cases").get_data(as_text=True)
    client.post("/logout")
    log_in(client, alta.finance.email)
    assert client.get("/t/bergen/finance").status_code == 404
    assert client.get(f"/t/alta/finance/invoices/{issued.id}").status_code == 404
    assert client.get(f"/t/alta/finance/invoices/{issued.id}/pdf").status_code == 404
    assert client.post(f"/t/alta/finance/invoices/{issued.id}/credit", data={"reason": "nope"}).status_code == 404
