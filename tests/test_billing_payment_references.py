"""Issued invoices, through the API as finance uses it: the payment reference frozen at issue (KID
in Bergen, FI +71 in Odense with a creditor number), none on a credit note; bank accounts refused
by their real check digits; the VAT wording of the profile true to the category and country."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from lxml import etree
from pypdf import PdfReader

from tests.billing_towns import CHILD_WELFARE, billing_town, invoices, run_period
from tests.helpers import make_municipality
from velferd.billing.payment_reference import fik_line, fik_payment_id, kid
from velferd.db import db
from velferd.models import BillingProfile, Invoice
from velferd.tenancy import tenant_scope

NS = {"cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
      "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
DANISH_PAYER = {"name": "Børn og Unge, Odense", "kind": "child_welfare", "organisation_number": "29189919",
                "payer_kind": "internal", "delivery_channel": "finance_export"}
CREDITOR = "85117924"


def pdf_of(client, setup, invoice_id: int) -> str:
    r = client.get(setup.url(f"/invoices/{invoice_id}/pdf"), headers=setup.finance)
    assert r.status_code == 200, r.json
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(r.data)).pages)


def payment_ids(client, setup, invoice_id: int) -> list[str]:
    r = client.get(setup.url(f"/invoices/{invoice_id}/xml"), headers=setup.finance)
    assert r.status_code == 200, r.json
    return etree.fromstring(r.data).xpath("cac:PaymentMeans/cbc:PaymentID/text()", namespaces=NS)


def stored_reference(app, setup, invoice_id: int) -> str | None:
    with app.app_context(), tenant_scope(setup.town.tenant):
        return db.session.scalar(sa.select(Invoice.payment_reference).where(Invoice.id == invoice_id))


def test_a_bergen_invoice_is_issued_with_a_kid_and_its_credit_note_without(app, client, bergen):
    setup = billing_town(client, bergen, payers=(CHILD_WELFARE,))
    r = client.put(setup.url("/billing-profile"), json={"bank_account": "1503 12 34562"}, headers=setup.finance)
    assert r.status_code == 200, r.json
    assert run_period(client, setup).status_code == 202
    (row,) = invoices(client, setup)
    assert stored_reference(app, setup, row["id"]) == kid(row["number"])
    detail = client.get(setup.url(f"/invoices/{row['id']}"), headers=setup.finance).json
    assert detail["payment_reference"] == kid(row["number"])  # what finance tells a payer who asks
    content = pdf_of(client, setup, row["id"])
    assert f"KID: {kid(row['number'])}" in content and "Kontonummer: 1503 12 34562" in content
    assert payment_ids(client, setup, row["id"]) == [kid(row["number"])]

    r = client.post(setup.url(f"/invoices/{row['id']}/credit"), json={"reason": "Feil sats"}, headers=setup.finance)
    assert r.status_code == 201, r.json
    assert stored_reference(app, setup, r.json["id"]) is None
    credit = pdf_of(client, setup, r.json["id"])
    assert "KID" not in credit and "Kontonummer" not in credit and "Beløpet krediteres" in credit
    assert payment_ids(client, setup, r.json["id"]) == []


def test_an_odense_invoice_with_a_creditor_number_is_issued_with_a_71_line(app, client):
    odense = make_municipality(app, "odense")
    setup = billing_town(client, odense, payers=(DANISH_PAYER,))
    r = client.put(setup.url("/billing-profile"), json={"bank_account": "0040 0440116243",
                                                        "fi_creditor_number": CREDITOR}, headers=setup.finance)
    assert r.status_code == 200, r.json
    assert run_period(client, setup).status_code == 202
    (row,) = invoices(client, setup)
    line = fik_line(row["number"], CREDITOR)
    assert stored_reference(app, setup, row["id"]) == line
    assert f"FI-kort +71: {line}" in pdf_of(client, setup, row["id"])
    assert payment_ids(client, setup, row["id"]) == [fik_payment_id(row["number"])]


@pytest.mark.parametrize("body,field,reason", [
    ({"bank_account": "1503 12 34567"}, "bank_account", "MOD11"),
    ({"bank_account": "NO93 8601 1117 948"}, "bank_account", "IBAN"),
    ({"fi_creditor_number": CREDITOR}, "fi_creditor_number", "Danish"),
    ({"fi_creditor_number": "123"}, "fi_creditor_number", "8 digits"),
    ({"fi_creditor_number": "12345678"}, "fi_creditor_number", "the first an 8"),
])
def test_a_norwegian_profile_refuses_what_cannot_be_paid_to(client, bergen, body, field, reason):
    url, finance = bergen.url("/billing-profile"), bergen.finance.headers
    r = client.put(url, json=body, headers=finance)
    assert r.status_code == 422 and reason in r.json["fields"][field][0], r.json
    assert client.get(url, headers=finance).json["bank_account"] is None  # nothing half-written


def test_the_profiles_vat_wording_follows_the_category_and_the_country(app, client, bergen):
    odense = make_municipality(app, "odense")
    danish = client.get(odense.url("/billing-profile"), headers=odense.finance.headers).json
    assert danish["vat_exemption_reason"] == "Uden for momsområdet – kommunal opgave"  # category O
    r = client.put(odense.url("/billing-profile"), json={"vat_category": "E"}, headers=odense.finance.headers)
    assert r.status_code == 200 and r.json["vat_exemption_reason"] == "Momsfritaget", r.json
    r = client.put(bergen.url("/billing-profile"), json={"vat_category": "E"}, headers=bergen.finance.headers)
    assert r.status_code == 200 and r.json["vat_exemption_reason"] == "Fritatt for merverdiavgift", r.json
    r = client.put(bergen.url("/billing-profile"), json={"vat_category": "O", "vat_exemption_reason": "Eget"},
                   headers=bergen.finance.headers)
    assert r.json["vat_exemption_reason"] == "Eget"  # the tenant's own wording is kept


def test_a_danish_profile_saved_with_the_old_exempt_wording_issues_outside_the_vat_system(app, client):
    odense = make_municipality(app, "odense")
    setup = billing_town(client, odense, payers=(DANISH_PAYER,))
    assert client.put(setup.url("/billing-profile"), json={"bank_account": "0040 0440116243"},
                      headers=setup.finance).status_code == 200
    with app.app_context(), tenant_scope(odense.tenant):  # as the old default left it in the database
        db.session.execute(sa.update(BillingProfile).values(vat_exemption_reason="Momsfritaget – kommunal opgave"))
        db.session.commit()
    assert run_period(client, setup).status_code == 202
    (row,) = invoices(client, setup)
    detail = client.get(setup.url(f"/invoices/{row['id']}"), headers=setup.finance).json
    assert (detail["vat_category"], detail["vat_exemption_reason"]) == ("O", "Uden for momsområdet – kommunal opgave")
    assert "Momsfritaget" not in pdf_of(client, setup, row["id"])


def test_a_vat_registered_profile_billing_category_o_issues_with_mva(app, client, bergen):
    setup = billing_town(client, bergen, payers=(CHILD_WELFARE,))
    r = client.put(setup.url("/billing-profile"), json={"vat_registered": True}, headers=setup.finance)
    assert r.status_code == 200 and (r.json["vat_registered"], r.json["vat_category"]) == (True, "O"), r.json
    assert run_period(client, setup).status_code == 202
    (row,) = invoices(client, setup)
    client.put(setup.url("/billing-profile"), json={"vat_registered": False}, headers=setup.finance)
    assert "Org.nr. 964 338 531 MVA" in pdf_of(client, setup, row["id"])  # frozen at issue
