"""A municipality's billing profile: VAT treatment, bank account, payment terms, sender.

Until finance saves one, the defaults apply: municipal services invoiced to other public units
are outside the scope of VAT (category O) with the country's standard wording as the reason.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

import sqlalchemy as sa

from velferd import audit
from velferd.billing.accounting import dimension_errors
from velferd.billing.bank_accounts import InvalidAccount, check_bank_account
from velferd.billing.document import VAT_EXEMPTION_WORDING, default_exemption_reason
from velferd.db import db
from velferd.errors import ValidationFailed
from velferd.models import BillingProfile, Tenant

# the stock wordings, and the Danish one that used to be the default for category O by mistake:
# a profile holding one of them gets the stock wording of the category it is saved with
_STOCK_REASONS = frozenset(VAT_EXEMPTION_WORDING.values()) | {"Momsfritaget – kommunal opgave"}


def _defaults(tenant: Tenant) -> dict[str, Any]:
    return {"vat_category": "O", "vat_rate": Decimal("0"), "payment_terms_days": 30,
            "vat_exemption_reason": default_exemption_reason(tenant.country), "catch_up_issue_date": "run_day",
            "dimensions_by_plugin": {}, "vat_registered": False}


def profile_for(tenant: Tenant) -> BillingProfile:
    """The stored profile, or an unsaved one with the defaults (never added to the session)."""
    profile = db.session.scalar(sa.select(BillingProfile))
    return profile if profile is not None else BillingProfile(tenant_id=tenant.id, **_defaults(tenant))


def _check(values: Mapping[str, Any], country: str) -> None:
    """What the schema cannot say field by field: the VAT fields must agree (EN 16931 BR-O/BR-E),
    and the bank account must pass its check digits (billing.bank_accounts), which also makes it
    one the country's PEPPOL rules can carry (DK-R-006)."""
    errors: dict[str, list[str]] = {}
    try:
        check_bank_account(values.get("bank_account"), country)
    except InvalidAccount as refused:
        errors["bank_account"] = [str(refused)]
    if values.get("fi_creditor_number") and country != "DK":
        errors["fi_creditor_number"] = ["An FI creditor number makes Danish +71 payment lines: Danish tenants only."]
    category, rate = values["vat_category"], Decimal(values["vat_rate"])
    if category in ("O", "E") and rate != 0:
        errors["vat_rate"] = [f"VAT category {category} has no VAT: the rate must be 0."]
    if category in ("O", "E") and not (values.get("vat_exemption_reason") or "").strip():
        errors["vat_exemption_reason"] = [f"VAT category {category} needs the reason printed on the invoice."]
    if category == "S" and rate <= 0:
        errors["vat_rate"] = ["Standard-rated VAT needs a rate above 0."]
    if errors:
        raise ValidationFailed("the billing profile's fields do not agree", errors)


def _true_to_category(reason: str | None, category: str, country: str) -> str:
    """The tenant's own wording, or the stock wording of `category` where the profile holds a stock
    one (a category changed since, or the old Danish default that called category O exempt)."""
    if not reason or reason in _STOCK_REASONS:
        return default_exemption_reason(country, category)
    return reason


def exemption_reason_for(profile: BillingProfile, country: str) -> str | None:
    """What the profile's invoices print as the reason there is no VAT; none for category S."""
    if profile.vat_category == "S":
        return None
    return _true_to_category(profile.vat_exemption_reason, profile.vat_category, country)


def save_profile(tenant: Tenant, data: Mapping[str, Any]) -> BillingProfile:
    profile = db.session.scalar(sa.select(BillingProfile))
    values = {**_defaults(tenant), **({} if profile is None else _stored(profile)), **data}
    if "vat_exemption_reason" not in data and values["vat_category"] != "S":
        values["vat_exemption_reason"] = _true_to_category(values.get("vat_exemption_reason"),
                                                           values["vat_category"], tenant.country)
    _check(values, tenant.country)
    _check_dimensions(tenant, data)
    if profile is None:
        profile = BillingProfile()
        db.session.add(profile)
    for key, value in values.items():
        setattr(profile, key, value)
    db.session.flush()
    audit.record("billing_profile.saved", "billing_profile", profile.id, details={"changed": sorted(data)})
    return profile


EDITABLE = ("vat_category", "vat_exemption_reason", "vat_rate", "bank_account", "payment_terms_days",
            "sender_email", "address", "postal_code", "city", "catch_up_issue_date",
            "ledger_account", "cost_centre", "service_code", "dimensions_by_plugin", "fi_creditor_number",
            "vat_registered")


def _check_dimensions(tenant: Tenant, data: Mapping[str, Any]) -> None:
    """Per-plugin dimensions only for plugins the tenant has enabled (checked when they are
    changed, so disabling a plugin later does not block saving the rest of the profile)."""
    from velferd.plugins.enablement import enabled_plugin_ids

    if "dimensions_by_plugin" in data:
        errors = dimension_errors(data["dimensions_by_plugin"], enabled_plugin_ids(tenant))
        if errors:
            raise ValidationFailed("accounting dimensions are only set for the municipality's enabled plugins", errors)


def _stored(profile: BillingProfile) -> dict[str, Any]:
    return {key: getattr(profile, key) for key in EDITABLE}
