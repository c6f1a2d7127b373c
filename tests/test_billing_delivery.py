"""Delivering invoices by e-mail against a real SMTP server on loopback (aiosmtpd): the PDF
attached, every attempt recorded, temporary failures retried, refusals failed with the error,
and never the same invoice sent twice."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.billing_towns import NAV, billing_town, by_payer, invoice, invoices, run_period
from velferd.db import db
from velferd.jobs.runner import run_job
from velferd.models import JobRun
from velferd.tenancy import tenant_scope


def nav_only(client, town):
    return billing_town(client, town, payers=(NAV,), cases_per_payer=[2])


def delivery_job(app, town) -> JobRun:
    with app.app_context(), tenant_scope(town.tenant):
        return db.session.scalar(sa.select(JobRun).where(JobRun.task == "billing.deliver_invoice")
                                 .order_by(JobRun.id.desc()).limit(1))


def run_delivery_again(app, town):
    """What the sweeper does once a retry is due (its backoff is not waited for here)."""
    job = delivery_job(app, town)
    with app.app_context():
        return run_job(town.tenant.id, job.id)


def test_invoice_is_e_mailed_with_its_pdf_attached(app, client, bergen, smtp_server):
    app.config.update(smtp_server.config)
    setup = nav_only(client, bergen)
    run_period(client, setup)

    (message,) = smtp_server.wait_for_messages(1)
    (sent,) = invoices(client, setup)
    assert message.rcpt_tos == (NAV["invoice_email"],)
    assert message.message["Message-ID"] == f"<invoice-{bergen.tenant.id}-1@velferd>"
    ((filename, content_type, pdf),) = message.attachments()
    assert (filename, content_type) == ("faktura-1.pdf", "application/pdf")
    assert pdf.startswith(b"%PDF") and pdf == client.get(setup.url(f"/invoices/{sent['id']}/pdf"),
                                                         headers=setup.finance).data
    detail = invoice(client, setup, sent["id"])
    assert detail["status"] == "sent" and detail["sent_at"]
    assert [(a["attempt"], a["channel"], a["outcome"]) for a in detail["delivery_attempts"]] == [(1, "email", "sent")]


def test_delivery_never_sends_the_same_invoice_twice(app, client, bergen, smtp_server):
    app.config.update(smtp_server.config)
    setup = nav_only(client, bergen)
    run_period(client, setup)
    smtp_server.wait_for_messages(1)

    job = delivery_job(app, bergen)
    with app.app_context(), tenant_scope(bergen.tenant):
        from velferd.jobs.outbox import enqueue

        enqueue("billing.deliver_invoice", tenant=bergen.tenant, kwargs=job.kwargs)
        db.session.commit()  # runs in-process: finds the invoice sent
    assert len(smtp_server.messages) == 1
    latest = delivery_job(app, bergen)
    assert latest.id != job.id and latest.state == "succeeded" and "already sent" in latest.result["reason"]
    assert len(invoice(client, setup, invoices(client, setup)[0]["id"])["delivery_attempts"]) == 1


def test_smtp_refusing_fails_the_invoice_with_the_error(app, client, bergen, smtp_server):
    app.config.update(smtp_server.config)
    smtp_server.refuse("550 5.1.1 Mailbox unknown")
    setup = nav_only(client, bergen)
    run_period(client, setup)

    (failed,) = invoices(client, setup)
    detail = invoice(client, setup, failed["id"])
    assert detail["status"] == "failed"
    assert "550" in detail["hold_reason"] and "Mailbox unknown" in detail["hold_reason"]
    assert [(a["outcome"], "550" in a["error"]) for a in detail["delivery_attempts"]] == [("permanent_failure", True)]
    job = delivery_job(app, bergen)
    assert job.state == "failed" and "550" in job.error
    assert smtp_server.messages == []

    # finance fixes the address and releases it: delivered once
    smtp_server.accept()
    r = client.post(setup.url(f"/invoices/{failed['id']}/release"), headers=setup.finance)
    assert r.status_code == 200, r.json
    assert invoice(client, setup, failed["id"])["status"] == "sent"
    assert len(smtp_server.messages) == 1


def test_a_failed_delivery_retried_successfully_no_longer_says_it_failed(app, client, bergen, unreachable_smtp,
                                                                          smtp_server):
    app.config.update(unreachable_smtp.config)
    setup = nav_only(client, bergen)
    run_period(client, setup)
    while delivery_job(app, bergen).state == "retrying":
        run_delivery_again(app, bergen)
    (failed,) = invoices(client, setup)
    assert invoice(client, setup, failed["id"])["hold_reason"].startswith("Delivery failed")

    app.config.update(smtp_server.config)  # the mail server is back
    assert client.post(setup.url(f"/invoices/{failed['id']}/release"), headers=setup.finance).status_code == 200
    detail = invoice(client, setup, failed["id"])
    assert (detail["status"], detail["hold_reason"]) == ("sent", None)
    (listed,) = invoices(client, setup)
    assert (listed["status"], listed["hold_reason"]) == ("sent", None)
    assert [a["outcome"] for a in detail["delivery_attempts"]][-1] == "sent"


def test_smtp_unreachable_is_retried_then_failed_with_every_attempt_recorded(app, client, bergen, unreachable_smtp):
    app.config.update(unreachable_smtp.config)
    setup = nav_only(client, bergen)
    run_period(client, setup)

    job = delivery_job(app, bergen)
    assert (job.state, job.attempts) == ("retrying", 1)
    assert job.next_attempt_at is not None
    while job.state == "retrying":
        run_delivery_again(app, bergen)
        job = delivery_job(app, bergen)
    assert (job.state, job.attempts) == ("failed", job.max_attempts)

    (failed,) = invoices(client, setup)
    detail = invoice(client, setup, failed["id"])
    assert detail["status"] == "failed" and "unavailable" in detail["hold_reason"]
    attempts = detail["delivery_attempts"]
    assert [a["attempt"] for a in attempts] == list(range(1, job.max_attempts + 1))
    assert {a["outcome"] for a in attempts} == {"temporary_failure"}
    assert all(a["error"] and a["finished_at"] for a in attempts)


def test_a_temporary_failure_then_success_sends_once(app, client, bergen, smtp_server):
    app.config.update(smtp_server.config)
    smtp_server.defer(times=1)
    setup = nav_only(client, bergen)
    run_period(client, setup)
    assert delivery_job(app, bergen).state == "retrying"

    assert run_delivery_again(app, bergen) == "succeeded"
    assert len(smtp_server.wait_for_messages(1)) == 1
    detail = invoice(client, setup, invoices(client, setup)[0]["id"])
    assert [a["outcome"] for a in detail["delivery_attempts"]] == ["temporary_failure", "sent"]
    assert detail["status"] == "sent"
