"""What a payer unit must have before an invoice can be issued to it, per delivery channel.

An invoice to a payer that lacks something is *held*: written with its lines, given no number,
and shown to finance with the reason in plain words, e.g. "Held: NAV Bergenhus has no e-mail
address for invoices (channel e-mail)". Nothing is sent and nothing is lost; `release` issues
it once the unit is fixed.
"""

from __future__ import annotations

from velferd.models import Unit
from velferd.models.tenants import DELIVERY_CHANNELS

CHANNEL_WORDS = {"email": "e-mail", "ehf": "EHF", "finance_export": "finance export"}


def missing_details(unit: Unit) -> list[str]:
    """What `unit` lacks for its channel, each as the end of a sentence starting with its name."""
    channel = unit.delivery_channel
    if channel not in DELIVERY_CHANNELS:
        return ["has no delivery channel for invoices (e-mail, EHF or finance export)"]
    missing = []
    if not unit.organisation_number:
        missing.append("has no organisation number")
    if channel == "email" and not unit.invoice_email:
        missing.append("has no e-mail address for invoices")
    if channel == "ehf" and not unit.buyer_reference:
        missing.append("has no buyer reference, which EHF invoices must carry")
    return missing


def hold_reason(unit: Unit) -> str | None:
    """The sentence finance reads, or None when the unit can be invoiced."""
    missing = missing_details(unit)
    if not missing:
        return None
    channel = CHANNEL_WORDS.get(unit.delivery_channel or "", "none")
    return f"Held: {unit.name} {' and '.join(missing)} (channel {channel})"
