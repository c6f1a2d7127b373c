"""An issued invoice that nobody is going to deliver — its run was killed after issuing it and
before asking for the delivery — is found by the sweeper and delivered exactly once, with no
manual step: counted at a real SMTP server and in the EHF outbox."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from tests.billing_towns import HEALTH, NAV, billing_town, invoices, run_period
from velferd.billing import run as billing_run
from velferd.db import db
from velferd.jobs.sweeper import sweep
from velferd.models import InvoiceRun, JobRun
from velferd.tenancy import tenant_scope


def issued_without_delivery(app, client, town, monkeypatch):
    """A NAV (e-mail) and a Helse Bergen (EHF) invoice issued by a completed run that never asked
    for their delivery (as when the worker died between the two)."""
    monkeypatch.setattr(billing_run, "request_delivery", lambda *args, **kwargs: None)
    setup = billing_town(client, town, payers=(NAV, HEALTH), cases_per_payer=[1, 2])
    assert run_period(client, setup).status_code == 202
    monkeypatch.undo()
    assert {row["status"] for row in invoices(client, setup)} == {"issued"}
    return setup


def ehf_files(app, town) -> list[str]:
    outbox = Path(app.instance_path, "tenants", str(town.tenant.id), "ehf-outbox")
    return sorted(path.name for path in outbox.glob("*.xml")) if outbox.exists() else []


def test_the_sweep_delivers_issued_invoices_nobody_asked_to_deliver_exactly_once(
        app, client, bergen, smtp_server, monkeypatch):
    app.config.update(smtp_server.config)
    setup = issued_without_delivery(app, client, bergen, monkeypatch)

    with app.app_context():
        assert sweep() == 2
        assert sweep() == 0  # asked for once
    assert {row["payer_name"]: row["status"] for row in invoices(client, setup)} == {
        NAV["name"]: "sent", HEALTH["name"]: "sent"}
    (message,) = smtp_server.messages
    assert message.rcpt_tos == (NAV["invoice_email"],)
    ehf = next(row for row in invoices(client, setup) if row["payer_name"] == HEALTH["name"])
    assert ehf_files(app, bergen) == [f"invoice-{ehf['number']}.xml"]
    with app.app_context(), tenant_scope(bergen.tenant):
        keys = db.session.scalars(sa.select(JobRun.idempotency_key).where(JobRun.task == "billing.deliver_invoice")
                                  .order_by(JobRun.id)).all()
    assert keys == [f"billing.deliver_invoice:{row['id']}" for row in sorted(invoices(client, setup), key=lambda r: r["id"])]


def test_invoices_of_a_run_still_in_progress_are_left_to_the_run(app, client, bergen, smtp_server, monkeypatch):
    app.config.update(smtp_server.config)
    issued_without_delivery(app, client, bergen, monkeypatch)
    with app.app_context(), tenant_scope(bergen.tenant):
        db.session.execute(sa.update(InvoiceRun).values(state="running"))
        db.session.commit()
    with app.app_context():
        assert sweep() == 0
    assert smtp_server.messages == [] and ehf_files(app, bergen) == []


def test_a_failed_delivery_is_left_for_a_person(app, client, bergen, smtp_server):
    """A refusal fails the invoice with the error (finance fixes the address and releases it):
    the sweep does not send it again."""
    app.config.update(smtp_server.config)
    smtp_server.refuse("550 5.1.1 Mailbox unknown")
    setup = billing_town(client, bergen, payers=(NAV,), cases_per_payer=[1])
    run_period(client, setup)
    assert [row["status"] for row in invoices(client, setup)] == ["failed"]
    smtp_server.accept()
    with app.app_context():
        assert sweep() == 0
    assert smtp_server.messages == []
