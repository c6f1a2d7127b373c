"""Asking the tenant's enabled plugins for a period's invoice lines, and pricing them.

Only plugins the tenant enabled (and the operator did not block) are asked. Quantities keep four
decimals (part months), prices and amounts two; amount = quantity × unit price rounded half up,
which is also what PEPPOL's line-amount rule checks. Lines are grouped per (plugin, payer unit)
— one invoice each — and ordered so a re-run writes the same invoice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from velferd.billing.document import round_money
from velferd.billing.periods import Period
from velferd.errors import VelferdError
from velferd.models import Tenant
from velferd.plugins.enablement import enabled_plugin_ids, settings_for
from velferd.plugins.manager import registry
from velferd.plugins.specs import InvoiceLine

QUANTITY_PLACES = Decimal("0.0001")
DESCRIPTION_LIMIT = 400


class PluginLineError(VelferdError):
    """A plugin returned a line the core cannot bill (a programming error in the plugin)."""

    status = 500


@dataclass(frozen=True)
class PricedLine:
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    period_start: Any
    period_end: Any
    case_id: int | None
    case_reference: str | None


def _decimal(value: Any, what: str, plugin: str) -> Decimal:
    if isinstance(value, float):
        value = repr(value)  # the float's shortest text, never its binary expansion
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise PluginLineError(f"plugin '{plugin}' billed {value!r} as a {what}") from None


def case_reference(plugin: str, case_id: int | None) -> str | None:
    """What an invoice says about a case: the programme and case number, never a person."""
    return None if case_id is None else f"{plugin}/{case_id}"


def priced(plugin: str, line: InvoiceLine) -> PricedLine:
    quantity = _decimal(line.quantity, "quantity", plugin).quantize(QUANTITY_PLACES, rounding=ROUND_HALF_UP)
    unit_price = round_money(_decimal(line.unit_price, "unit price", plugin))
    if len(line.description) > DESCRIPTION_LIMIT or not line.description.strip():
        raise PluginLineError(f"plugin '{plugin}' billed a line with an empty or over-long description")
    if line.period_end < line.period_start:
        raise PluginLineError(f"plugin '{plugin}' billed a line whose period ends before it starts")
    return PricedLine(line.description, quantity, unit_price, round_money(quantity * unit_price),
                      line.period_start, line.period_end, line.case_id, case_reference(plugin, line.case_id))


def _order(line: PricedLine):
    return (line.case_id or 0, line.period_start, line.description, line.amount)


def lines_by_payer(tenant: Tenant, period: Period) -> dict[tuple[str, int], list[PricedLine]]:
    """{(plugin, payer unit id): priced lines in a stable order} for every enabled plugin's providers."""
    grouped: dict[tuple[str, int], list[PricedLine]] = defaultdict(list)
    enabled = enabled_plugin_ids(tenant)
    for plugin, providers in sorted(registry().invoice_line_providers.items()):
        if plugin not in enabled:
            continue
        settings = settings_for(tenant, plugin)
        for provider in providers:
            for line in provider.lines(tenant, settings, period.start, period.end):
                grouped[(plugin, line.payer_unit_id)].append(priced(plugin, line))
    return {key: sorted(lines, key=_order) for key, lines in grouped.items()}
