"""Invoices by e-mail, sent to a real SMTP server (aiosmtpd) on loopback — see tests/smtp.py.

What a payer receives, and what the delivery job is told when the mail server says no (550:
don't retry), not now (4xx: retry), or nothing at all (down, or hung: retry).
"""

from __future__ import annotations

import smtplib

import pytest

from tests.billing_samples import bergen_credit_note, bergen_invoice, odense_invoice
from velferd.billing.mail import (
    DeliveryRefused, DeliveryUnavailable, SmtpSettings, build_invoice_email, message_id_for, send_email,
)
from velferd.billing.pdf import invoice_pdf

SENDER = "faktura@bergen.kommune.no"
RECIPIENT = "okonomi@nav-alta.example.no"


def invoice_email(doc=None, locale="nb"):
    doc = doc or bergen_invoice()
    pdf = invoice_pdf(doc, locale)
    return build_invoice_email(doc, pdf, SENDER, RECIPIENT, message_id_for(7, doc.number)), pdf


def test_the_invoice_arrives_with_the_pdf_attached_byte_for_byte(smtp_server):
    message, pdf = invoice_email()
    send_email(message, smtp_server.config)
    [received] = smtp_server.wait_for_messages(1)
    assert received.mail_from == SENDER
    assert received.rcpt_tos == (RECIPIENT,)
    assert received.attachments() == [("faktura-17.pdf", "application/pdf", pdf)]
    arrived = received.message
    assert arrived["Message-ID"] == "<invoice-7-17@velferd>"
    assert arrived["Subject"] == "Faktura 17 fra Bergen kommune"
    assert arrived["To"] == RECIPIENT
    assert arrived["From"].addresses[0].display_name == "Bergen kommune"
    body = arrived.get_body(("plain",)).get_content()
    assert "Vedlagt følger faktura 17 fra Bergen kommune for perioden 01.03.2025–31.03.2025" in body
    assert "Beløp: 17 500,53 NOK" in body
    assert "Forfallsdato: 01.05.2025" in body
    assert "Deres referanse: NAV-4711" in body


def test_a_danish_municipality_writes_in_danish(smtp_server):
    message, pdf = invoice_email(odense_invoice(), "da")
    send_email(message, smtp_server.config)
    [received] = smtp_server.wait_for_messages(1)
    arrived = received.message
    assert arrived["Subject"] == "Faktura 3 fra Odense Kommune"
    assert arrived["Content-Language"] == "da"
    body = arrived.get_body(("plain",)).get_content()
    assert "Vedhæftet er faktura 3 fra Odense Kommune" in body
    assert "Beløb: 17.500,53 DKK" in body
    assert received.attachments() == [("faktura-3.pdf", "application/pdf", pdf)]


def test_a_credit_note_says_so_and_names_the_credited_invoice(smtp_server):
    message, pdf = invoice_email(bergen_credit_note())
    send_email(message, smtp_server.config)
    [received] = smtp_server.wait_for_messages(1)
    assert received.message["Subject"] == "Kreditnota 18 fra Bergen kommune"
    assert "krediterer faktura 17" in received.message.get_body(("plain",)).get_content()
    assert received.attachments() == [("kreditnota-18.pdf", "application/pdf", pdf)]


def test_the_message_id_is_the_same_on_every_attempt():
    assert message_id_for(7, 17) == "<invoice-7-17@velferd>"
    first, _ = invoice_email()
    again, _ = invoice_email()
    assert first["Message-ID"] == again["Message-ID"] == "<invoice-7-17@velferd>"


def test_a_permanent_refusal_raises_delivery_refused_and_nothing_is_delivered(smtp_server):
    smtp_server.refuse("550 5.7.1 Message rejected by policy")
    message, _ = invoice_email()
    with pytest.raises(DeliveryRefused) as refused:
        send_email(message, smtp_server.config)
    assert refused.value.code == 550
    assert "550 5.7.1 Message rejected by policy" in str(refused.value)
    assert f"127.0.0.1:{smtp_server.port}" in str(refused.value)
    assert smtp_server.messages == []


def test_an_unknown_recipient_raises_delivery_refused(smtp_server):
    smtp_server.refuse("550 5.1.1 No such mailbox", stage="rcpt")
    message, _ = invoice_email()
    with pytest.raises(DeliveryRefused, match="No such mailbox") as refused:
        send_email(message, smtp_server.config)
    assert refused.value.code == 550
    assert smtp_server.messages == []


@pytest.mark.parametrize("stage", ["rcpt", "data"])
def test_a_temporary_refusal_raises_delivery_unavailable(smtp_server, stage):
    smtp_server.defer("451 4.3.0 Mailbox temporarily unavailable", stage=stage)
    message, _ = invoice_email()
    with pytest.raises(DeliveryUnavailable, match="451") as deferred:
        send_email(message, smtp_server.config)
    assert deferred.value.code == 451
    assert smtp_server.messages == []


def test_a_retry_after_a_deferral_delivers_the_invoice_once(smtp_server):
    smtp_server.defer(times=1)
    message, pdf = invoice_email()
    with pytest.raises(DeliveryUnavailable):
        send_email(message, smtp_server.config)
    send_email(message, smtp_server.config)
    [received] = smtp_server.wait_for_messages(1)
    assert received.message["Message-ID"] == "<invoice-7-17@velferd>"
    assert received.attachments()[0][2] == pdf
    assert len(smtp_server.refusals) == 1


def test_a_server_that_is_down_raises_delivery_unavailable(unreachable_smtp):
    message, _ = invoice_email()
    with pytest.raises(DeliveryUnavailable, match="unavailable") as unavailable:
        send_email(message, unreachable_smtp.config)
    assert unavailable.value.code is None
    assert isinstance(unavailable.value.__cause__, ConnectionRefusedError)


def test_a_server_that_never_answers_raises_delivery_unavailable_after_the_timeout(silent_smtp):
    message, _ = invoice_email()
    with pytest.raises(DeliveryUnavailable, match="timed out"):
        send_email(message, silent_smtp.config)


def test_starttls_on_a_server_without_it_is_refused_as_a_settings_problem(smtp_server):
    message, _ = invoice_email()
    with pytest.raises(DeliveryRefused, match="STARTTLS") as refused:
        send_email(message, {**smtp_server.config, "SMTP_STARTTLS": True})
    assert isinstance(refused.value.__cause__, smtplib.SMTPNotSupportedError)


def test_the_settings_come_from_the_apps_smtp_configuration(smtp_server, app):
    assert SmtpSettings.from_config(app.config) == SmtpSettings(host="localhost", port=25, timeout=30)
    app.config.update(smtp_server.config)
    message, _ = invoice_email()
    send_email(message, app.config)
    assert len(smtp_server.wait_for_messages(1)) == 1


def test_the_settings_can_come_from_the_environment(smtp_server, monkeypatch, tmp_path):
    """The worker process gets its settings as VELFERD_SMTP_* variables (JSON values)."""
    from velferd import create_app

    for name, value in smtp_server.environ.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("VELFERD_INSTANCE_PATH", str(tmp_path))
    app = create_app({"LOAD_PLUGIN_ENTRY_POINTS": False})
    settings = SmtpSettings.from_config(app.config)
    assert settings == SmtpSettings(host="127.0.0.1", port=smtp_server.port, timeout=5)
    message, _ = invoice_email()
    send_email(message, settings)
    assert len(smtp_server.wait_for_messages(1)) == 1
