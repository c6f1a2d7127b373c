"""Who sells and who pays, frozen into the invoice when it is issued.

The snapshots are plain JSON: the `Party` fields of billing.document plus what delivery and the
finance export need (payer kind, channel, buyer reference). Changing a unit afterwards changes
the next invoice, never an issued one.
"""

from __future__ import annotations

from typing import Any

from velferd.models import BillingProfile, Tenant, Unit


def payer_snapshot(unit: Unit, tenant: Tenant) -> dict[str, Any]:
    return {
        "unit_id": unit.id,
        "name": unit.name,
        "organisation_number": unit.organisation_number,
        "country": unit.country or tenant.country,
        "address": unit.address,
        "postal_code": unit.postal_code,
        "city": unit.city,
        "email": unit.invoice_email,
        "ehf_endpoint": unit.ehf_endpoint or unit.organisation_number,
        "payer_kind": unit.payer_kind,
        "delivery_channel": unit.delivery_channel,
        "buyer_reference": unit.buyer_reference or unit.name,
    }


def seller_snapshot(tenant: Tenant, profile: BillingProfile) -> dict[str, Any]:
    return {
        "name": tenant.name,
        "organisation_number": tenant.organisation_number,
        "country": tenant.country,
        "address": profile.address,
        "postal_code": profile.postal_code,
        "city": profile.city,
        "email": profile.sender_email,
        "ehf_endpoint": tenant.organisation_number,
    }
