"""The accounting dimensions an issued document is posted on: ledger account, cost centre
(*ansvar* / *omkostningssted*) and service code (*tjeneste*/KOSTRA *funksjon* / *funktion*).

The tenant sets them in its billing profile, with overrides per plugin (one programme is posted
on another *tjeneste* than the next). They are frozen into ``Invoice.accounting`` when a document
is issued — and copied from the invoice into its credit note, so a credit reverses the same
posting — because a later change of the profile must not move what is already in the books.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from velferd.billing.finance_export import ACCOUNTING_DIMENSIONS
from velferd.models import BillingProfile

MAX_LENGTH = 20  # the columns' width; Visma and Unit4 dimension values are shorter


def accounting_for(profile: BillingProfile, plugin: str) -> dict[str, str | None]:
    """The dimensions of a document `plugin` bills: the plugin's override where it sets one,
    else the profile's own value (None when neither does)."""
    override = (profile.dimensions_by_plugin or {}).get(plugin) or {}
    return {name: override.get(name) or getattr(profile, name) for name in ACCOUNTING_DIMENSIONS}


def dimension_errors(by_plugin: Mapping[str, Any] | None, known_plugins: Collection[str]) -> dict[str, list[str]]:
    """What is wrong with a profile's `dimensions_by_plugin`, keyed by the field's path (empty when
    nothing is). The schema checks the shape; this checks the plugin ids against the tenant's."""
    errors: dict[str, list[str]] = {}
    for plugin in by_plugin or {}:
        if plugin not in known_plugins:
            known = ", ".join(sorted(known_plugins)) or "none"
            errors[f"dimensions_by_plugin.{plugin}"] = [
                f"No plugin '{plugin}' is enabled for this municipality (enabled: {known})."]
    return errors
