"""Invoices by e-mail: the message (a short text in the tenant's language, the PDF attached) and
sending it over SMTP.

Sending raises one of two exceptions, so the delivery job knows what to do next:

* ``DeliveryUnavailable`` — try again later: the server could not be reached, timed out, hung up,
  or answered with a temporary 4xx.
* ``DeliveryRefused`` — do not retry: the server answered with a permanent 5xx (recipient
  unknown, message rejected, authentication refused) or cannot do what the settings ask
  (STARTTLS). A person has to fix the address or the settings.

The Message-ID is the same on every attempt for the same invoice (``message_id_for``), so a
receiving system that already has the message can drop a duplicate left by a retry after a
connection broke between the server's "250 OK" and our record of it.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Any, Mapping

from velferd.billing.document import InvoiceDocument
from velferd.billing.payment_reference import reference_kind
from velferd.billing.wording import format_amount, format_date, format_period, locale_for

SUBJECTS = {
    "nb": {"invoice": "Faktura {number} fra {seller}", "credit_note": "Kreditnota {number} fra {seller}"},
    "da": {"invoice": "Faktura {number} fra {seller}", "credit_note": "Kreditnota {number} fra {seller}"},
}
BODIES = {
    "nb": {
        "invoice": ("Hei,\n\nVedlagt følger faktura {number} fra {seller} for perioden {period}.\n\n"
                    "Beløp: {total}\nForfallsdato: {due}\n{payment}Deres referanse: {reference}\n\n"
                    "Spørsmål om fakturaen kan sendes til {contact}.\n\nMed vennlig hilsen\n{seller}\n"),
        "credit_note": ("Hei,\n\nVedlagt følger kreditnota {number} fra {seller}, som krediterer faktura "
                        "{credited}.\n\nKreditert beløp: {total}\nBeløpet krediteres; kreditnotaen skal ikke "
                        "betales.\nDeres referanse: {reference}\n\n"
                        "Spørsmål kan sendes til {contact}.\n\nMed vennlig hilsen\n{seller}\n"),
    },
    "da": {
        "invoice": ("Hej,\n\nVedhæftet er faktura {number} fra {seller} for perioden {period}.\n\n"
                    "Beløb: {total}\nForfaldsdato: {due}\n{payment}Jeres reference: {reference}\n\n"
                    "Spørgsmål til fakturaen kan sendes til {contact}.\n\nMed venlig hilsen\n{seller}\n"),
        "credit_note": ("Hej,\n\nVedhæftet er kreditnota {number} fra {seller}, som krediterer faktura "
                        "{credited}.\n\nKrediteret beløb: {total}\nBeløbet krediteres; kreditnotaen skal ikke "
                        "betales.\nJeres reference: {reference}\n\n"
                        "Spørgsmål kan sendes til {contact}.\n\nMed venlig hilsen\n{seller}\n"),
    },
}


# How to pay, for an invoice: the account and the reference to quote (a credit note has neither).
PAYMENT_LINES = {
    "nb": {"account": "Kontonummer: {account}\n", "kid": "KID: {reference}\n", "fik": "FI-kort +71: {reference}\n",
           "reference": "Betalingsreferanse: {reference}\n"},
    "da": {"account": "Kontonummer: {account}\n", "kid": "KID: {reference}\n", "fik": "FI-kort +71: {reference}\n",
           "reference": "Betalingsreference: {reference}\n"},
}


def payment_text(doc: InvoiceDocument, locale: str) -> str:
    """The lines saying where to pay and what to quote; empty for a credit note."""
    if doc.is_credit_note:
        return ""
    lines = PAYMENT_LINES[locale]
    text = lines["account"].format(account=doc.bank_account) if doc.bank_account else ""
    kind = reference_kind(doc.payment_reference, doc.seller.country)
    return text + lines[kind].format(reference=doc.reference_to_pay)


class DeliveryError(Exception):
    """Sending failed. ``code`` is the SMTP reply code when the server gave one."""

    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code


class DeliveryRefused(DeliveryError):
    """Permanent: retrying will not help until someone fixes the address or the settings.
    (``permanent`` tells the jobs runner to make this attempt the last.)"""

    permanent = True


class DeliveryUnavailable(DeliveryError):
    """Temporary: the server is unreachable, slow or asked us to come back later."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "localhost"
    port: int = 25
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 30

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "SmtpSettings":
        """From the app's ``SMTP_*`` settings (``VELFERD_SMTP_HOST`` … in the environment)."""
        defaults = cls()
        return cls(
            host=config.get("SMTP_HOST") or defaults.host,
            port=int(config.get("SMTP_PORT") or defaults.port),
            user=config.get("SMTP_USER") or None,
            password=config.get("SMTP_PASSWORD") or None,
            starttls=bool(config.get("SMTP_STARTTLS", defaults.starttls)),
            timeout=float(config.get("SMTP_TIMEOUT") or defaults.timeout),
        )

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def message_id_for(tenant_id: int, number: int) -> str:
    """The Message-ID of an invoice's e-mail: the same on every attempt (numbers are unique per
    tenant across invoices and credit notes)."""
    return f"<invoice-{tenant_id}-{number}@velferd>"


def attachment_filename(doc: InvoiceDocument) -> str:
    """``faktura-17.pdf``; credit notes ``kreditnota-18.pdf`` (the same word in both languages)."""
    return f"{'kreditnota' if doc.is_credit_note else 'faktura'}-{doc.number}.pdf"


def build_invoice_email(doc: InvoiceDocument, pdf: bytes, sender: str, recipient: str, message_id: str,
                        locale: str | None = None) -> EmailMessage:
    """The e-mail for one invoice or credit note, the PDF attached. ``locale`` defaults to the
    seller's country's language."""
    locale = locale or locale_for(doc.seller.country)
    facts = {
        "number": doc.number, "seller": doc.seller.name,
        "period": format_period(doc.period_start, doc.period_end, locale),
        "total": format_amount(doc.payable_total, doc.currency, locale), "due": format_date(doc.due_date, locale) if doc.due_date else "",
        "payment": payment_text(doc, locale),
        "reference": doc.buyer_reference or "-", "credited": doc.credited_number,
        "contact": doc.seller.email or sender,
    }
    message = EmailMessage()
    message["Subject"] = SUBJECTS[locale][doc.kind].format(**facts)
    message["From"] = formataddr((doc.seller.name, sender))
    message["To"] = recipient
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(dt.datetime.now(dt.timezone.utc))
    if doc.seller.email and doc.seller.email != sender:
        message["Reply-To"] = doc.seller.email
    message.set_content(BODIES[locale][doc.kind].format(**facts))
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=attachment_filename(doc))
    message["Content-Language"] = locale  # after the attachment, which moves Content-* headers into the parts
    return message


def send_email(message: EmailMessage, smtp_settings: SmtpSettings | Mapping[str, Any]) -> None:
    """Hand the message to the SMTP server. Returns when the server has accepted it for every
    recipient; raises ``DeliveryRefused`` or ``DeliveryUnavailable`` otherwise."""
    settings = smtp_settings if isinstance(smtp_settings, SmtpSettings) else SmtpSettings.from_config(smtp_settings)
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            refused = smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        raise _by_code(settings, *_worst(error.recipients)) from error
    except smtplib.SMTPResponseException as error:  # sender refused, data refused, auth, helo, connect
        raise _by_code(settings, error.smtp_code, _text(error.smtp_error)) from error
    except smtplib.SMTPNotSupportedError as error:
        raise DeliveryRefused(f"SMTP server {settings.address} cannot do what the settings ask: {error}") from error
    except (smtplib.SMTPServerDisconnected, OSError) as error:  # refused, unreachable, timed out, TLS failed
        raise DeliveryUnavailable(f"SMTP server {settings.address} unavailable: {error or type(error).__name__}") \
            from error
    if refused:  # accepted for some recipients only
        raise _by_code(settings, *_worst(refused))


def _by_code(settings: SmtpSettings, code: int, reply: str) -> DeliveryError:
    if 500 <= code < 600:
        return DeliveryRefused(f"SMTP server {settings.address} refused the message: {code} {reply}", code)
    return DeliveryUnavailable(f"SMTP server {settings.address} deferred the message: {code} {reply}", code)


def _worst(recipients: Mapping[str, tuple[int, bytes]]) -> tuple[int, str]:
    """Of several refused recipients the permanent refusal wins: retrying would not help it."""
    code, reply = max(recipients.values(), key=lambda answer: answer[0])
    return code, _text(reply)


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
