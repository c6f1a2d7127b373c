"""Finance's view of billing through the API and the CLI: payers, the billing profile,
listing and reading invoices (audited), downloads, and clear 4xx answers to bad input."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
import sqlalchemy as sa

from tests.billing_towns import CHILD_WELFARE, NAV, billing_town, by_payer, invoices, last_month, run_period
from velferd.billing.numbering import take_number
from velferd.db import db
from velferd.models import Tenant
from velferd.tenancy import tenant_scope


@pytest.fixture
def setup(app, client, bergen, smtp_server):
    app.config.update(smtp_server.config)
    return billing_town(client, bergen)


# --- payers and the billing profile ----------------------------------------------------------

@pytest.mark.parametrize("change,field", [
    ({"organisation_number": "964338532"}, "organisation_number"),
    ({"ehf_endpoint": "12345"}, "ehf_endpoint"),
    ({"invoice_email": "not-an-address"}, "invoice_email"),
    ({"delivery_channel": "fax"}, "delivery_channel"),
    ({"payer_kind": "private"}, "payer_kind"),
    ({"postal_code": "50"}, "postal_code"),
    ({"country": "SE"}, "country"),
    ({"iban": "NO93"}, "iban"),
])
def test_payer_details_are_validated_naming_the_field(client, bergen, change, field):
    r = client.post(bergen.url("/units"), json={**NAV, **change}, headers=bergen.finance.headers)
    assert r.status_code == 422 and field in r.json["fields"], r.json


def test_a_payers_details_are_saved_and_shown(client, bergen):
    r = client.post(bergen.url("/units"), json={**NAV, "ehf_endpoint": "889 640 782", "country": "NO"},
                    headers=bergen.finance.headers)
    assert r.status_code == 201, r.json
    assert (r.json["ehf_endpoint"], r.json["buyer_reference"], r.json["postal_code"]) == ("889640782", "NAV-4711", "5804")


def test_the_billing_profile_has_defaults_and_refuses_disagreeing_vat(client, bergen):
    url, finance = bergen.url("/billing-profile"), bergen.finance.headers
    profile = client.get(url, headers=finance).json
    assert (profile["vat_category"], profile["vat_rate"], profile["payment_terms_days"]) == ("O", "0.00", 30)
    assert profile["vat_exemption_reason"].startswith("Utenfor merverdiavgiftsloven")

    r = client.put(url, json={"vat_category": "E", "vat_rate": "25"}, headers=finance)
    assert r.status_code == 422 and "vat_rate" in r.json["fields"]
    r = client.put(url, json={"bank_account": "1503 12 34562", "payment_terms_days": 14}, headers=finance)
    assert r.status_code == 200 and (r.json["bank_account"], r.json["payment_terms_days"]) == ("1503 12 34562", 14)
    r = client.put(url, json={"payment_terms_days": -1, "colour": "red"}, headers=finance)
    assert r.status_code == 422 and {"payment_terms_days", "colour"} <= set(r.json["fields"])
    assert client.put(url, json={"payment_terms_days": 20}, headers=bergen.caseworker.headers).status_code == 403


def test_a_danish_profile_refuses_an_account_peppol_cannot_carry(app, client):
    from tests.helpers import make_municipality

    odense = make_municipality(app, "odense")
    url, finance = odense.url("/billing-profile"), odense.finance.headers
    r = client.put(url, json={"bank_account": "12345678901234567"}, headers=finance)
    assert r.status_code == 422 and "reg.nr" in r.json["fields"]["bank_account"][0], r.json
    assert client.get(url, headers=finance).json["bank_account"] is None  # nothing half-written
    r = client.put(url, json={"bank_account": "0040 0440116243"}, headers=finance)
    assert r.status_code == 200, r.json


def test_issued_invoices_keep_the_profile_they_were_issued_with(client, setup):
    client.put(setup.url("/billing-profile"), json={"payment_terms_days": 14}, headers=setup.finance)
    run_period(client, setup)
    client.put(setup.url("/billing-profile"), json={"payment_terms_days": 60}, headers=setup.finance)
    row = by_payer(invoices(client, setup))[NAV["name"]]
    issue, due = dt.date.fromisoformat(row["issue_date"]), dt.date.fromisoformat(row["due_date"])
    assert (due - issue).days == 14


# --- runs: bad input ---------------------------------------------------------------------------

@pytest.mark.parametrize("body,message", [
    ({"period": "2026-13"}, "not a month"),
    ({"period": "October"}, "not a period"),
    ({"period": "2999-01"}, "before its last day"),
])
def test_a_run_for_a_bad_or_unfinished_period_is_refused(client, setup, body, message):
    r = client.post(setup.url("/invoice-runs"), json=body, headers=setup.finance)
    assert r.status_code == 422 and "period" in r.json["fields"] and message in r.json["message"], r.json


def test_a_run_request_with_unknown_fields_is_refused(client, setup):
    r = client.post(setup.url("/invoice-runs"), json={"period": last_month(), "force": True}, headers=setup.finance)
    assert r.status_code == 422 and "force" in r.json["fields"]
    assert client.get(setup.url("/invoice-runs"), headers=setup.finance).json == []


def test_only_finance_may_run_and_credit(client, setup):
    assert run_period(client, setup).status_code == 202
    (row, *_) = invoices(client, setup)
    for role in ("caseworker", "auditor", "tenant_admin"):
        headers = setup.town.staff[role].headers
        assert client.post(setup.url("/invoice-runs"), json={"period": last_month()}, headers=headers).status_code == 403
        assert client.post(setup.url(f"/invoices/{row['id']}/credit"), json={"reason": "x y z"},
                           headers=headers).status_code == 403
    assert client.get(setup.url("/invoices"), headers=setup.town.auditor.headers).status_code == 200
    assert client.get(setup.url("/invoices"), headers=setup.town.caseworker.headers).status_code == 403


# --- reading -----------------------------------------------------------------------------------

def test_invoice_reads_are_audited(client, setup):
    run_period(client, setup)
    row = invoices(client, setup)[0]
    client.get(setup.url(f"/invoices/{row['id']}"), headers=setup.finance)
    client.get(setup.url(f"/invoices/{row['id']}/xml"), headers=setup.finance)
    events = client.get(setup.url("/audit"), headers=setup.town.auditor.headers).json
    actions = [(e["action"], e["record_id"]) for e in events if e["record_type"] == "invoice"]
    assert ("invoice.read", str(row["id"])) in actions and ("invoice.downloaded", str(row["id"])) in actions
    assert ("invoice.listed", None) in actions


def test_invoice_list_filters(client, setup):
    run_period(client, setup)
    nav_id = setup.units[NAV["name"]]
    assert [r["payer_unit_id"] for r in invoices(client, setup, payer_unit_id=nav_id)] == [nav_id]
    assert len(invoices(client, setup, period=last_month())) == 3
    assert invoices(client, setup, period="2001-01") == []
    assert invoices(client, setup, status="held") == []
    r = client.get(setup.url("/invoices"), query_string={"status": "lost"}, headers=setup.finance)
    assert r.status_code == 422 and "status" in r.json["fields"]
    r = client.get(setup.url("/invoices"), query_string={"period": "2026-99"}, headers=setup.finance)
    assert r.status_code == 422 and "period" in r.json["fields"]
    page = client.get(setup.url("/invoices"), query_string={"limit": 2}, headers=setup.finance).json
    rest = client.get(setup.url("/invoices"), query_string={"after_id": page["next_after_id"]},
                      headers=setup.finance).json
    assert len(page["items"]) + len(rest["items"]) == 3 and rest["next_after_id"] is None


def test_downloads_have_the_right_content_types(client, setup):
    run_period(client, setup)
    row = by_payer(invoices(client, setup))[CHILD_WELFARE["name"]]
    pdf = client.get(setup.url(f"/invoices/{row['id']}/pdf"), headers=setup.finance)
    xml = client.get(setup.url(f"/invoices/{row['id']}/xml"), headers=setup.finance)
    assert (pdf.status_code, pdf.mimetype, pdf.data[:4]) == (200, "application/pdf", b"%PDF")
    assert (xml.status_code, xml.mimetype) == (200, "application/xml")
    assert f'filename="faktura-{row["number"]}.xml"' in xml.headers["Content-Disposition"]
    assert client.get(setup.url("/invoices/999999/pdf"), headers=setup.finance).status_code == 404


# --- the CLI -----------------------------------------------------------------------------------

def test_the_cli_runs_lists_shows_downloads_and_credits(app, runner, setup, tmp_path):
    period = last_month()
    result = runner.invoke(args=["invoices", "run", "--tenant", "bergen", "--period", period])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["created"] == 3
    again = runner.invoke(args=["invoices", "run", "--tenant", "bergen", "--period", period])
    assert json.loads(again.output)["already_completed"] is True

    listing = runner.invoke(args=["invoices", "list", "--tenant", "bergen", "--period", period]).output.splitlines()
    assert len(listing) == 3 and "NAV Bergenhus" in "".join(listing)
    first_id = listing[0].split("\t")[0]
    shown = json.loads(runner.invoke(args=["invoices", "show", first_id, "--tenant", "bergen"]).output)
    assert shown["number"] == 1 and shown["lines"]

    out = tmp_path / "f.xml"
    result = runner.invoke(args=["invoices", "download", first_id, "--tenant", "bergen", "--format", "xml",
                                 "--out", str(out)])
    assert result.exit_code == 0 and out.read_bytes().startswith(b"<?xml")
    result = runner.invoke(args=["invoices", "credit", first_id, "--tenant", "bergen", "--reason", "Billed twice"])
    assert result.exit_code == 0 and "credit note 4" in result.output
    result = runner.invoke(args=["invoices", "credit", first_id, "--tenant", "bergen", "--reason", "Again"])
    assert result.exit_code == 1 and "credited" in result.output
    result = runner.invoke(args=["invoices", "run", "--tenant", "bergen", "--period", "2026-13"])
    assert result.exit_code == 1 and "not a month" in result.output


# --- numbering ---------------------------------------------------------------------------------

@pytest.mark.postgres
def test_numbers_stay_gapless_when_two_issuers_race(app, bergen):
    """Two threads (two connections) take numbers at once; some of their transactions roll back."""
    taken: list[int] = []
    errors: list[BaseException] = []

    def issuer(rollback_every: int):
        try:
            with app.app_context():
                tenant = db.session.get(Tenant, bergen.tenant.id)
                with tenant_scope(tenant):
                    for i in range(25):
                        number = take_number()
                        if i % rollback_every == 0:
                            db.session.rollback()  # an invoice that failed: its number is reused
                        else:
                            db.session.commit()
                            taken.append(number)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=issuer, args=(n,)) for n in (3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(taken) == list(range(1, len(taken) + 1))
    with app.app_context(), tenant_scope(bergen.tenant):
        from velferd.models import InvoiceNumberSequence

        assert db.session.scalar(sa.select(InvoiceNumberSequence.next_number)) == len(taken) + 1


def test_the_demo_gives_bergen_payers_and_a_billing_profile(app, runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    from velferd.billing.holds import hold_reason
    from velferd.models import BillingProfile, Unit

    with app.app_context():
        bergen = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "bergen"))
        with tenant_scope(bergen):
            payers = db.session.scalars(sa.select(Unit).where(Unit.payer_kind.is_not(None))).all()
            assert {u.name: hold_reason(u) for u in payers} == {"Barneverntjenesten Årstad": None, "NAV Bergenhus": None}
            assert db.session.scalar(sa.select(BillingProfile.bank_account)) == "5205 12 34561"
