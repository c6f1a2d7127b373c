"""The monthly invoice run: one invoice per payer and period, billed exactly once, numbered
without gaps, held when a payer lacks details, and exported for the finance system."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tests.billing_towns import (
    CHILD_WELFARE,
    HEALTH,
    NAV,
    billing_town,
    by_payer,
    expected_total,
    invoice,
    invoices,
    last_month,
    run_period,
    stored_invoices,
)
from velferd.billing import run as billing_run
from velferd.billing.periods import parse_period
from velferd.db import db
from velferd.models import Invoice, InvoiceLine, InvoiceRun, JobRun
from velferd.tenancy import tenant_scope


@pytest.fixture
def setup(app, client, bergen, smtp_server):
    app.config.update(smtp_server.config)
    return billing_town(client, bergen)


def test_invoice_run_bills_each_payer_once_with_gapless_numbers(app, client, setup, smtp_server):
    r = run_period(client, setup)
    assert r.status_code == 202, r.json
    assert r.json["period"] == last_month()

    rows = by_payer(invoices(client, setup))
    assert sorted(rows) == sorted([CHILD_WELFARE["name"], NAV["name"], HEALTH["name"]])
    assert sorted(row["number"] for row in rows.values()) == [1, 2, 3]
    for name, row in rows.items():
        assert row["total"] == expected_total(len(setup.cases[name]))
        assert row["currency"] == "NOK" and row["period"] == last_month()
    # each payer got it over its own channel
    assert rows[CHILD_WELFARE["name"]]["status"] == "sent"  # in the run's finance export
    assert rows[HEALTH["name"]]["status"] == "sent"  # written to the EHF outbox
    assert rows[NAV["name"]]["status"] == "sent"  # e-mailed
    assert len(smtp_server.messages) == 1


def test_invoice_lines_name_the_case_never_the_person(client, setup):
    run_period(client, setup)
    nav = by_payer(invoices(client, setup))[NAV["name"]]
    detail = invoice(client, setup, nav["id"])
    (line,) = detail["lines"]
    assert line["case_id"] == setup.cases[NAV["name"]][0]
    assert line["case_reference"] == f"example/{line['case_id']}"
    assert (line["quantity"], line["unit_price"], line["amount"]) == ("1.0000", "12500.00", "12500.00")
    assert "Nordmann" not in str(detail)
    assert detail["payer"]["buyer_reference"] == "NAV-4711"
    assert detail["vat_category"] == "O" and "Utenfor merverdiavgiftsloven" in detail["vat_exemption_reason"]


def test_invoice_run_twice_bills_once(app, client, setup, smtp_server):
    first = run_period(client, setup)
    second = run_period(client, setup)
    assert (first.status_code, second.status_code) == (202, 202)
    assert len(invoices(client, setup)) == 3
    assert len(smtp_server.messages) == 1
    runs = client.get(setup.url("/invoice-runs"), headers=setup.finance).json
    assert [(run["period"], run["state"], run["invoice_count"]) for run in runs] == [(last_month(), "completed", 3)]
    with app.app_context(), tenant_scope(setup.town.tenant):
        results = [job.result for job in db.session.scalars(
            sa.select(JobRun).where(JobRun.task == "billing.monthly_run").order_by(JobRun.id))]
    assert [(r["created"], r["already_completed"]) for r in results] == [(3, False), (0, True)]


def crash_after_batches(monkeypatch, batches: int) -> None:
    """Make the run die like a killed worker once `batches` batches are committed."""
    real_write = billing_run._write_batch
    written = []

    def write_then_crash(batch, **kwargs):
        if len(written) == batches:
            raise SystemExit("worker lost")
        result = real_write(batch, **kwargs)
        written.append(batch)
        return result

    monkeypatch.setattr(billing_run, "_write_batch", write_then_crash)


def test_a_run_that_crashed_midway_writes_only_the_missing_invoices(app, client, setup, monkeypatch):
    """The crash is injected after the second batch's commit, one invoice per batch (the
    real-worker SIGKILL version is in test_billing_kill.py). The export of the finished run has
    every invoice's lines: the two read back from the database, the third from memory."""
    app.config["BILLING_INVOICES_PER_TRANSACTION"] = 1
    crash_after_batches(monkeypatch, 2)
    period = parse_period(last_month())
    with app.app_context(), tenant_scope(setup.town.tenant):
        with pytest.raises(SystemExit):
            billing_run.run_period(setup.town.tenant, period)
    assert sorted(i.number for i in stored_invoices(app, setup.town)) == [1, 2]

    monkeypatch.undo()
    with app.app_context(), tenant_scope(setup.town.tenant):
        outcome = billing_run.run_period(setup.town.tenant, period)
        assert (outcome.created, outcome.run.state, outcome.run.invoice_count) == (1, "completed", 3)
    stored = stored_invoices(app, setup.town)
    assert sorted(i.number for i in stored) == [1, 2, 3]
    assert len({(i.plugin, i.payer_unit_id) for i in stored}) == 3
    (run,) = client.get(setup.url("/invoice-runs"), headers=setup.finance).json
    export = client.get(setup.url(f"/invoice-runs/{run['id']}/exports/1"), headers=setup.finance)
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True)), delimiter=";"))
    by_number = {i.number: i for i in stored}
    assert sorted((int(row["invoice_number"]), row["case_reference"]) for row in rows) == sorted(
        (i.number, f"example/{case_id}") for i in stored for case_id in setup.cases[i.payer_snapshot["name"]])
    assert all(row["payer_name"] == by_number[int(row["invoice_number"])].payer_snapshot["name"] for row in rows)


def test_a_crash_rolls_back_the_whole_batch_with_its_numbers(app, setup, monkeypatch):
    """Two invoices per batch: the first batch commits, the second (one invoice) dies before its
    commit and leaves nothing — no invoice, no line, no number taken."""
    app.config["BILLING_INVOICES_PER_TRANSACTION"] = 2
    real_insert_lines = billing_run.insert_lines
    calls = []

    def die_in_the_second_batch(columns):
        calls.append(columns)
        real_insert_lines(columns)
        if len(calls) == 2:
            raise SystemExit("worker lost after writing the lines, before the commit")

    monkeypatch.setattr(billing_run, "insert_lines", die_in_the_second_batch)
    period = parse_period(last_month())
    with app.app_context(), tenant_scope(setup.town.tenant):
        with pytest.raises(SystemExit):
            billing_run.run_period(setup.town.tenant, period)
    stored = stored_invoices(app, setup.town)
    assert sorted(i.number for i in stored) == [1, 2]
    with app.app_context(), tenant_scope(setup.town.tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(InvoiceLine)) == sum(
            len(setup.cases[i.payer_snapshot["name"]]) for i in stored)

    monkeypatch.undo()
    with app.app_context(), tenant_scope(setup.town.tenant):
        assert billing_run.run_period(setup.town.tenant, period).created == 1
    assert sorted(i.number for i in stored_invoices(app, setup.town)) == [1, 2, 3]


def test_a_batch_that_meets_another_runs_invoice_is_written_one_by_one(app, setup, monkeypatch):
    """Another run wrote two of the period's invoices after this run looked (its check of what
    is billed saw nothing): the unique index refuses this run's batch, which is rolled back and
    written invoice by invoice, skipping the two — one invoice each, numbers without a gap."""
    period = parse_period(last_month())
    crash_after_batches(monkeypatch, 2)
    app.config["BILLING_INVOICES_PER_TRANSACTION"] = 1
    with app.app_context(), tenant_scope(setup.town.tenant):
        with pytest.raises(SystemExit):
            billing_run.run_period(setup.town.tenant, period)  # "the other run": two invoices
    monkeypatch.undo()
    app.config["BILLING_INVOICES_PER_TRANSACTION"] = 200
    monkeypatch.setattr(billing_run, "_billed_keys", lambda period: set())
    with app.app_context(), tenant_scope(setup.town.tenant):
        outcome = billing_run.run_period(setup.town.tenant, period)
        assert (outcome.created, outcome.run.state, outcome.run.invoice_count) == (1, "completed", 3)
    stored = stored_invoices(app, setup.town)
    assert sorted(i.number for i in stored) == [1, 2, 3]
    assert len({(i.plugin, i.payer_unit_id) for i in stored}) == 3


def test_the_database_refuses_a_second_invoice_for_the_same_payer_and_period(app, client, setup):
    run_period(client, setup)
    original = stored_invoices(app, setup.town)[0]
    with app.app_context(), tenant_scope(setup.town.tenant):
        db.session.add(Invoice(kind="invoice", plugin=original.plugin, payer_unit_id=original.payer_unit_id,
                               period_start=original.period_start, period_end=original.period_end,
                               currency="NOK", status="draft"))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_payer_missing_details_is_held_with_a_reason_and_released_after_the_fix(app, client, bergen, smtp_server):
    app.config.update(smtp_server.config)
    no_email = {**NAV, "invoice_email": None}
    setup = billing_town(client, bergen, payers=(CHILD_WELFARE, no_email))
    run_period(client, setup)

    rows = by_payer(invoices(client, setup))
    held = rows[NAV["name"]]
    assert (held["status"], held["number"]) == ("held", None)
    assert held["hold_reason"] == "Held: NAV Bergenhus has no e-mail address for invoices (channel e-mail)"
    assert rows[CHILD_WELFARE["name"]]["number"] == 1
    assert smtp_server.messages == []
    assert client.get(setup.url(f"/invoices/{held['id']}/pdf"), headers=setup.finance).status_code == 409
    r = client.post(setup.url(f"/invoices/{held['id']}/release"), headers=setup.finance)
    assert r.status_code == 409 and "no e-mail address" in str(r.json)

    unit_id = setup.units[NAV["name"]]
    r = client.put(setup.url(f"/units/{unit_id}"), json=NAV, headers=setup.finance)
    assert r.status_code == 200, r.json
    r = client.post(setup.url(f"/invoices/{held['id']}/release"), headers=setup.finance)
    assert r.status_code == 200, r.json
    released = invoice(client, setup, held["id"])
    assert (released["status"], released["number"], released["hold_reason"]) == ("sent", 2, None)
    (message,) = smtp_server.messages
    assert message.rcpt_tos == (NAV["invoice_email"],)
    again = client.post(setup.url(f"/invoices/{held['id']}/release"), headers=setup.finance)
    assert again.status_code == 200 and len(smtp_server.messages) == 1


def test_a_runs_counts_follow_a_held_invoice_that_is_released(app, client, bergen, smtp_server):
    app.config.update(smtp_server.config)
    setup = billing_town(client, bergen, payers=(CHILD_WELFARE, {**NAV, "invoice_email": None}))
    run_period(client, setup)
    (run,) = client.get(setup.url("/invoice-runs"), headers=setup.finance).json
    assert (run["invoice_count"], run["held_count"]) == (1, 1)

    client.put(setup.url(f"/units/{setup.units[NAV['name']]}"), json=NAV, headers=setup.finance)
    held = by_payer(invoices(client, setup))[NAV["name"]]
    assert client.post(setup.url(f"/invoices/{held['id']}/release"), headers=setup.finance).status_code == 200
    after = client.get(setup.url(f"/invoice-runs/{run['id']}"), headers=setup.finance).json
    assert (after["invoice_count"], after["held_count"]) == (2, 0)
    (listed,) = client.get(setup.url("/invoice-runs"), headers=setup.finance).json
    assert (listed["invoice_count"], listed["held_count"]) == (2, 0)


def test_the_run_writes_a_finance_export_with_every_invoice_once(app, client, setup):
    run_period(client, setup)
    (run,) = client.get(setup.url("/invoice-runs"), headers=setup.finance).json
    r = client.get(setup.url(f"/invoice-runs/{run['id']}/export"), headers=setup.finance)
    assert r.status_code == 200 and r.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.data)) as archive:
        assert archive.namelist() == [f"invoices-{last_month()}-run{run['id']}-1.csv"]
        text = archive.read(archive.namelist()[0]).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 6  # one per billed case
    assert {row["invoice_number"] for row in rows} == {"1", "2", "3"}
    assert {row["delivery_channel"] for row in rows} == {"finance_export", "email", "ehf"}
    with app.app_context():
        folder = Path(app.instance_path, "tenants", str(setup.town.tenant.id), "finance-export")
        assert [p.name for p in folder.iterdir()] == [f"invoices-{last_month()}-run{run['id']}-1.csv"]


def test_ehf_payers_invoice_is_written_to_the_tenants_outbox(app, client, setup):
    run_period(client, setup)
    ehf = by_payer(invoices(client, setup))[HEALTH["name"]]
    path = Path(app.instance_path, "tenants", str(setup.town.tenant.id), "ehf-outbox", f"invoice-{ehf['number']}.xml")
    xml = path.read_bytes()
    assert b"urn:fdc:peppol.eu:2017:poacc:billing:01:1.0" in xml and b"HB-2026-17" in xml
    detail = invoice(client, setup, ehf["id"])
    assert [(a["channel"], a["outcome"]) for a in detail["delivery_attempts"]] == [("ehf", "sent")]


def test_a_plugin_the_tenant_disabled_bills_nothing(app, client, setup):
    r = client.delete(setup.url("/plugins/example/enabled"), headers=setup.town.tenant_admin.headers)
    assert r.status_code == 200, r.json
    assert run_period(client, setup).status_code == 202
    assert invoices(client, setup) == []
    with app.app_context(), tenant_scope(setup.town.tenant):
        run = db.session.scalar(sa.select(InvoiceRun))
        assert (run.state, run.invoice_count, run.export_path) == ("completed", 0, None)


def month_before(period: str) -> str:
    first = dt.date.fromisoformat(f"{period}-01")
    return f"{first - dt.timedelta(days=1):%Y-%m}"


@pytest.mark.parametrize("setting", ["period_end", "run_day"])
def test_a_catch_up_runs_invoices_are_dated_as_the_tenant_configured(app, client, bergen, smtp_server, setting):
    app.config.update(smtp_server.config)
    setup = billing_town(client, bergen, payers=(CHILD_WELFARE,), cases_per_payer=[1])
    r = client.put(setup.url("/billing-profile"), json={"catch_up_issue_date": setting, "payment_terms_days": 14},
                   headers=setup.finance)
    assert r.status_code == 200 and r.json["catch_up_issue_date"] == setting, r.json
    period = month_before(last_month())  # billed a month late: a catch-up run
    r = run_period(client, setup, period)
    assert r.status_code == 202 and r.json["run"]["state"] == "completed", r.json
    (row,) = invoices(client, setup)
    today = tenant_today_of(app, bergen)
    period_end = dt.date.fromisoformat(f"{last_month()}-01") - dt.timedelta(days=1)
    assert row["issue_date"] == (period_end if setting == "period_end" else today).isoformat()
    assert row["due_date"] == (today + dt.timedelta(days=14)).isoformat()  # never overdue on arrival


def test_the_catch_up_issue_date_setting_is_validated(client, bergen):
    r = client.put(bergen.url("/billing-profile"), json={"catch_up_issue_date": "tomorrow"},
                   headers=bergen.finance.headers)
    assert r.status_code == 422 and "catch_up_issue_date" in r.json["fields"]
    assert client.get(bergen.url("/billing-profile"), headers=bergen.finance.headers).json[
        "catch_up_issue_date"] == "run_day"


def tenant_today_of(app, town) -> dt.date:
    from velferd.clock import tenant_today

    with app.app_context(), tenant_scope(town.tenant):
        return tenant_today(db.session.merge(town.tenant))
