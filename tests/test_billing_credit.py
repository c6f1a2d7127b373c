"""Credit notes: the only correction of an issued invoice — their own number in the same series,
a reference to the original, the original left as issued, never more than was billed."""

from __future__ import annotations

import pytest

from tests.billing_towns import CHILD_WELFARE, HEALTH, NAV, billing_town, by_payer, invoice, invoices, run_period


@pytest.fixture
def setup(app, client, bergen, smtp_server):
    app.config.update(smtp_server.config)
    setup = billing_town(client, bergen)
    assert run_period(client, setup).status_code == 202
    return setup


def credit(client, setup, invoice_id, **body):
    return client.post(setup.url(f"/invoices/{invoice_id}/credit"), json={"reason": "Wrong month billed", **body},
                       headers=setup.finance)


def test_credit_note_references_the_original_which_stays_as_issued(client, setup, smtp_server):
    original = by_payer(invoices(client, setup))[NAV["name"]]
    before = invoice(client, setup, original["id"])

    r = credit(client, setup, original["id"])
    assert r.status_code == 201, r.json
    note = r.json
    assert (note["kind"], note["number"], note["credits_invoice_id"]) == ("credit_note", 4, original["id"])
    assert (note["total"], note["credit_reason"]) == (before["total"], "Wrong month billed")
    assert [l["amount"] for l in note["lines"]] == [l["amount"] for l in before["lines"]]

    after = invoice(client, setup, original["id"])
    assert (after["number"], after["total"], after["lines"], after["issue_date"]) == (
        before["number"], before["total"], before["lines"], before["issue_date"])
    assert (after["status"], after["credited_total"]) == ("credited", before["total"])
    # delivered like the invoice: by e-mail, as a credit note
    assert invoice(client, setup, note["id"])["status"] == "sent"
    assert smtp_server.messages[-1].attachments()[0][0] == "kreditnota-4.pdf"
    xml = client.get(setup.url(f"/invoices/{note['id']}/xml"), headers=setup.finance)
    assert b"<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>" in xml.data
    assert b"<cbc:ID>" + str(original["number"]).encode() + b"</cbc:ID>" in xml.data


def test_partial_credits_cannot_exceed_what_was_billed(client, setup):
    original = by_payer(invoices(client, setup))[HEALTH["name"]]  # three lines of 12500
    assert credit(client, setup, original["id"], lines=[{"position": 1}]).status_code == 201
    half = credit(client, setup, original["id"], lines=[{"position": 2, "quantity": "0.5"}])
    assert half.status_code == 201 and half.json["total"] == "6250.00"
    assert invoice(client, setup, original["id"])["status"] == "sent"

    too_much = credit(client, setup, original["id"])  # the whole invoice again
    assert too_much.status_code == 409 and "exceed" in too_much.json["message"]
    assert credit(client, setup, original["id"], lines=[{"position": 3}, {"position": 2, "quantity": "0.5"}]
                  ).status_code == 201
    assert invoice(client, setup, original["id"])["status"] == "credited"
    assert credit(client, setup, original["id"]).status_code == 409
    numbers = sorted(row["number"] for row in invoices(client, setup))
    assert numbers == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("body,field", [
    ({"lines": [{"position": 9}]}, "lines.0.position"),
    ({"lines": [{"position": 1, "quantity": "2"}]}, "lines.0.quantity"),
])
def test_credit_lines_must_match_the_invoice(client, setup, body, field):
    original = by_payer(invoices(client, setup))[CHILD_WELFARE["name"]]
    r = credit(client, setup, original["id"], **body)
    assert r.status_code == 422 and field in r.json["fields"], r.json


def test_credit_needs_a_reason_and_known_fields(client, setup):
    original = by_payer(invoices(client, setup))[CHILD_WELFARE["name"]]
    r = client.post(setup.url(f"/invoices/{original['id']}/credit"), json={}, headers=setup.finance)
    assert r.status_code == 422 and "reason" in r.json["fields"]
    r = credit(client, setup, original["id"], amount="100")
    assert r.status_code == 422 and "amount" in r.json["fields"]


def test_a_credit_note_cannot_be_credited(client, setup):
    original = by_payer(invoices(client, setup))[CHILD_WELFARE["name"]]
    note = credit(client, setup, original["id"]).json
    r = credit(client, setup, note["id"])
    assert r.status_code == 409


def test_a_held_invoice_cannot_be_credited(app, client, alta, smtp_server):
    app.config.update(smtp_server.config)
    setup = billing_town(client, alta, payers=({**NAV, "invoice_email": None},))
    run_period(client, setup)
    (held,) = invoices(client, setup)
    r = credit(client, setup, held["id"])
    assert r.status_code == 409 and "held" in r.json["message"]


def test_crediting_in_full_lets_the_next_run_bill_a_corrected_invoice(client, setup):
    original = by_payer(invoices(client, setup))[CHILD_WELFARE["name"]]
    credit(client, setup, original["id"])
    (run,) = client.get(setup.url("/invoice-runs"), headers=setup.finance).json
    assert run["state"] == "reopened"

    assert run_period(client, setup).status_code == 202
    replacement = by_payer([row for row in invoices(client, setup) if row["status"] != "credited"])[CHILD_WELFARE["name"]]
    assert replacement["id"] != original["id"] and replacement["number"] == 5
    assert len(invoices(client, setup, kind="invoice")) == 4
    (run,) = client.get(setup.url("/invoice-runs"), headers=setup.finance).json
    # the run's file, the credit note's (it belongs to the run), the replacement's
    assert (run["state"], run["export_count"]) == ("completed", 3)
