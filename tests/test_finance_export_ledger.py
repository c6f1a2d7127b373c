"""The finance export nets to the ledger: every issued document — invoice or credit note, on any
delivery channel, issued with its run or later (a credit, a release after a hold) — is in
exactly one export file of its run, and a tenant's files add up to its issued invoices minus its
credit notes, with what a municipal ledger posts on (VAT, gross, the payer's reference, the
accounting dimensions). Read as finance reads them: through the API's downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.billing_towns import CHILD_WELFARE, HEALTH, NAV, billing_town, by_payer, invoices, last_month, run_period
from velferd.billing import credit as billing_credit
from velferd.billing.documents_for import document_for
from velferd.db import db
from velferd.jobs.sweeper import sweep
from velferd.models import AuditEvent, FinanceExportFile, Invoice, InvoiceRun
from velferd.tenancy import tenant_scope

# an EHF payer without the buyer reference EHF needs: its invoice is held until finance adds it
FANA = {"name": "NAV Fana", "kind": "nav_office", "organisation_number": "889640782", "payer_kind": "external",
        "delivery_channel": "ehf", "address": "Postboks 2", "postal_code": "5804", "city": "Bergen"}
DIMENSIONS = {"ledger_account": "16300", "cost_centre": "3100", "service_code": "2730"}
EXAMPLE_SERVICE_CODE = "2731"  # the example plugin's own tjeneste, overriding the profile's


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=";"))


def run_of(client, setup) -> dict:
    (run,) = client.get(setup.url("/invoice-runs"), headers=setup.finance).json
    return run


def zip_files(client, setup, run_id: int) -> dict[str, bytes]:
    r = client.get(setup.url(f"/invoice-runs/{run_id}/export"), headers=setup.finance)
    assert r.status_code == 200 and r.mimetype == "application/zip", r.data[:200]
    with zipfile.ZipFile(io.BytesIO(r.data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def credit(client, setup, invoice_id: int, **body) -> dict:
    r = client.post(setup.url(f"/invoices/{invoice_id}/credit"), json={"reason": "Wrong month billed", **body},
                    headers=setup.finance)
    assert r.status_code == 201, r.json
    return r.json


@pytest.fixture
def town(app, client, bergen, smtp_server):
    """Bergen billing at 25 % VAT with accounting dimensions, payers on all three channels and
    one held payer (NAV Fana), after one run of last month."""
    app.config.update(smtp_server.config)
    profile = {"vat_category": "S", "vat_rate": "25", **DIMENSIONS,
               "dimensions_by_plugin": {"example": {"service_code": EXAMPLE_SERVICE_CODE}}}
    r = client.put(bergen.url("/billing-profile"), json=profile, headers=bergen.finance.headers)
    assert r.status_code == 200, r.json
    setup = billing_town(client, bergen, payers=(CHILD_WELFARE, NAV, HEALTH, FANA), cases_per_payer=[2, 1, 3, 1])
    assert run_period(client, setup).status_code == 202
    return setup


def test_every_document_is_in_exactly_one_file_and_the_files_sum_to_the_ledger(app, client, town):
    setup = town
    first = by_payer(invoices(client, setup))
    assert first[FANA["name"]]["status"] == "held"
    credit(client, setup, first[HEALTH["name"]]["id"], lines=[{"position": 2}])  # EHF, in part
    credit(client, setup, first[NAV["name"]]["id"])  # e-mail, in full: the period reopens
    fana = setup.units[FANA["name"]]
    assert client.put(setup.url(f"/units/{fana}"), json={**FANA, "buyer_reference": "FANA-88"},
                      headers=setup.finance).status_code == 200
    r = client.post(setup.url(f"/invoices/{first[FANA['name']]['id']}/release"), headers=setup.finance)
    assert r.status_code == 200, r.json
    assert run_of(client, setup)["state"] == "reopened"
    assert run_period(client, setup).status_code == 202  # bills NAV's replacement
    run = run_of(client, setup)
    assert run["state"] == "completed"

    files = zip_files(client, setup, run["id"])
    rows = [row for data in files.values() for row in read_csv(data)]
    with app.app_context(), tenant_scope(setup.town.tenant):
        issued = db.session.scalars(sa.select(Invoice).where(Invoice.number.is_not(None))).all()
        kinds = Counter(i.kind for i in issued)
        payable = {i.number: document_for(i).payable_total for i in issued}
        ledger = (sum((i.total for i in issued if i.kind == "invoice"), Decimal("0"))
                  - sum((i.total for i in issued if i.kind == "credit_note"), Decimal("0")))
        folder = Path(app.instance_path, "tenants", str(setup.town.tenant.id), "finance-export")
        on_disk = {path.name: path.read_bytes() for path in folder.glob("*.csv")}
        recorded = db.session.scalars(sa.select(FinanceExportFile).order_by(FinanceExportFile.sequence)).all()
        assert all(i.export_file_id is not None and i.exported_at is not None for i in issued)
        assert sum((f.net_total for f in recorded), Decimal("0")) == ledger
        assert sum(f.document_count for f in recorded) == len(issued)

    assert kinds == {"invoice": 5, "credit_note": 2}  # four payers, NAV's replacement; two credits
    assert files == on_disk  # the ZIP is every file there is, nothing else was written
    assert len(files) == len(recorded) == run["export_count"] >= 2
    # (a) every issued document is in exactly one file
    files_of = {number: {name for name, data in files.items() for row in read_csv(data)
                         if row["invoice_number"] == str(number)} for number in payable}
    assert {number: len(names) for number, names in files_of.items()} == {number: 1 for number in payable}
    # (b) the amounts add up to the ledger, to the øre
    assert sum(Decimal(row["amount"]) for row in rows) == ledger
    # (c) the gross total per document is what the document asks to be paid (negative for a credit)
    gross = {(row["invoice_number"], row["kind"], row["document_gross_total"]) for row in rows}
    assert gross == {(str(i.number), i.kind, f"{-payable[i.number] if i.kind == 'credit_note' else payable[i.number]}")
                     for i in issued}
    assert all(Decimal(row["document_vat_amount"]) != 0 for row in rows)  # 25 % on every document
    # (d) the payer's reference and the dimensions (the plugin's service code) on every row
    assert {row["customer_reference"] for row in rows if row["payer_name"] == HEALTH["name"]} == {"HB-2026-17"}
    assert {row["customer_reference"] for row in rows if row["payer_name"] == FANA["name"]} == {"FANA-88"}
    assert {(row["ledger_account"], row["cost_centre"], row["service_code"]) for row in rows} == {
        ("16300", "3100", EXAMPLE_SERVICE_CODE)}
    # the finance-export payer was delivered by the run's file; its run's counts are invoices only
    assert by_payer(invoices(client, setup))[CHILD_WELFARE["name"]]["status"] == "sent"
    assert (run["invoice_count"], run["held_count"]) == (5, 0)


def test_the_export_lists_and_serves_every_file_of_the_run(app, client, town):
    setup = town
    health = by_payer(invoices(client, setup))[HEALTH["name"]]
    note = credit(client, setup, health["id"], lines=[{"position": 1}])
    run = run_of(client, setup)

    r = client.get(setup.url(f"/invoice-runs/{run['id']}/exports"), headers=setup.finance)
    assert r.status_code == 200, r.json
    period = last_month()
    assert [(f["sequence"], f["name"], f["document_count"], f["download"]) for f in r.json] == [
        (1, f"invoices-{period}-run{run['id']}-1.csv", 3, f"{run['id']}/exports/1"),
        (2, f"invoices-{period}-run{run['id']}-2.csv", 1, f"{run['id']}/exports/2")]
    assert r.json[1]["net_total"] == f"-{note['total']}"
    second = client.get(setup.url(f"/invoice-runs/{run['id']}/exports/2"), headers=setup.finance)
    assert second.status_code == 200 and second.mimetype == "text/csv"
    assert {(row["invoice_number"], row["kind"], row["credited_invoice_number"]) for row in read_csv(second.data)} \
        == {(str(note["number"]), "credit_note", str(health["number"]))}
    assert set(zip_files(client, setup, run["id"])) == {f["name"] for f in r.json}
    missing = client.get(setup.url(f"/invoice-runs/{run['id']}/exports/3"), headers=setup.finance)
    assert missing.status_code == 404 and "no export file 3" in missing.json["message"]
    with app.app_context(), tenant_scope(setup.town.tenant):
        downloads = db.session.scalars(sa.select(AuditEvent.details).where(
            AuditEvent.action == "invoice_run.export_downloaded")).all()
    assert [d["file"] for d in downloads] == [f"invoices-{period}-run{run['id']}-2.csv",
                                              f"finance-export-{period}-run{run['id']}.zip"]


def test_a_finance_export_payers_credit_note_is_delivered_by_its_runs_next_file_alone(app, client, town):
    """Its delivery job and its export job do the same thing — write the run's next file — so the
    note is in one file, delivered once, and no file of its own is written."""
    setup = town
    original = by_payer(invoices(client, setup))[CHILD_WELFARE["name"]]
    note = credit(client, setup, original["id"], lines=[{"position": 1}])
    run = run_of(client, setup)
    detail = client.get(setup.url(f"/invoices/{note['id']}"), headers=setup.finance).json
    assert detail["status"] == "sent"
    assert [(a["channel"], a["outcome"]) for a in detail["delivery_attempts"]] == [("finance_export", "sent")]
    files = zip_files(client, setup, run["id"])
    assert sorted(files) == [f"invoices-{last_month()}-run{run['id']}-{n}.csv" for n in (1, 2)]
    assert [(row["invoice_number"], row["kind"]) for row in read_csv(files[sorted(files)[1]])] == [
        (str(note["number"]), "credit_note")]
    folder = Path(app.instance_path, "tenants", str(setup.town.tenant.id), "finance-export")
    assert sorted(path.name for path in folder.iterdir()) == sorted(files)


def test_a_run_that_exported_nothing_has_no_zip(app, client, bergen, smtp_server):
    app.config.update(smtp_server.config)
    setup = billing_town(client, bergen, payers=(CHILD_WELFARE,), cases_per_payer=[1])
    assert client.delete(setup.url("/plugins/example/enabled"), headers=bergen.tenant_admin.headers).status_code == 200
    run_period(client, setup)
    run = run_of(client, setup)
    r = client.get(setup.url(f"/invoice-runs/{run['id']}/export"), headers=setup.finance)
    assert r.status_code == 404 and "has written no export file" in r.json["message"]
    assert client.get(setup.url(f"/invoice-runs/{run['id']}/exports"), headers=setup.finance).json == []


def test_the_sweep_exports_a_credit_note_whose_export_job_was_lost(app, client, town, monkeypatch):
    setup = town
    health = by_payer(invoices(client, setup))[HEALTH["name"]]
    monkeypatch.setattr(billing_credit, "request_export", lambda *args, **kwargs: None)  # the job is lost
    note = credit(client, setup, health["id"], lines=[{"position": 3}])
    monkeypatch.undo()
    run = run_of(client, setup)
    assert run["export_count"] == 1  # the credit note (sent by EHF) is in no file

    with app.app_context():
        sweep()
    assert run_of(client, setup)["export_count"] == 1  # a job may still be on its way: not yet
    with app.app_context(), tenant_scope(setup.town.tenant):
        stored = db.session.get(Invoice, note["id"])
        stored.issued_at -= dt.timedelta(minutes=10)  # longer than a job takes to run
        db.session.commit()
    with app.app_context():
        sweep()
        sweep()  # asked for once more: nothing left, no third file
    assert run_of(client, setup)["export_count"] == 2
    files = zip_files(client, setup, run["id"])
    numbers = Counter(row["invoice_number"] for data in files.values() for row in read_csv(data))
    assert numbers[str(note["number"])] == 1  # its one line, in one file
    with app.app_context(), tenant_scope(setup.town.tenant):
        stored = db.session.get(Invoice, note["id"])
        assert (stored.run_id, stored.export_file_id is not None) == (run["id"], True)
        assert db.session.execute(sa.select(InvoiceRun.invoice_count, InvoiceRun.held_count)).one() == (3, 1)


@pytest.mark.parametrize(("change", "field", "reason"), [
    ({"cost_centre": "3" * 21}, "cost_centre", "20"),
    ({"dimensions_by_plugin": {"nope": {"service_code": "2730"}}}, "dimensions_by_plugin.nope", "No plugin 'nope'"),
    ({"dimensions_by_plugin": {"example": {"colour": "red"}}}, "dimensions_by_plugin", "Unknown field"),
    ({"dimensions_by_plugin": {"example": {"service_code": "2" * 21}}}, "dimensions_by_plugin", "20"),
])
def test_the_profile_refuses_dimensions_it_cannot_post(client, bergen, change, field, reason):
    url, finance = bergen.url("/billing-profile"), bergen.finance.headers
    r = client.put(url, json=change, headers=finance)
    assert r.status_code == 422 and field in r.json["fields"] and reason in str(r.json["fields"][field]), r.json
    assert client.get(url, headers=finance).json["dimensions_by_plugin"] == {}  # nothing half-saved


def test_the_profile_keeps_the_dimensions_finance_sets(client, bergen):
    url, finance = bergen.url("/billing-profile"), bergen.finance.headers
    body = {**DIMENSIONS, "dimensions_by_plugin": {"example": {"service_code": EXAMPLE_SERVICE_CODE}}}
    assert client.put(url, json=body, headers=finance).status_code == 200
    profile = client.get(url, headers=finance).json
    assert {key: profile[key] for key in body} == body
