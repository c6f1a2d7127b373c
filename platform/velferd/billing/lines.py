"""Asking the tenant's enabled plugins for a period's invoice lines, and pricing them.

Only plugins the tenant enabled (and the operator did not block) are asked. Quantities keep four
decimals (part months), prices and amounts two; amount = quantity × unit price rounded half up,
which is also what PEPPOL's line-amount rule checks. Lines are grouped per (plugin, payer unit)
— one invoice each — and ordered so a re-run writes the same invoice.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, NamedTuple

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


class PricedLine(NamedTuple):
    """A line as the run writes it: its position on the invoice, then the rest of the invoice
    line's columns, in `bulk.COLUMNS` order (which starts with the tenant and the invoice)."""

    position: int  # 1, 2, … in the invoice's stable order (0 until placed)
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    period_start: Any
    period_end: Any
    case_id: int | None
    case_reference: str | None
    line_key: str | None


_make = tuple.__new__  # a PricedLine from its fields in order, without the keyword-taking __new__: one per placement


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


def prices(plugin: str, quantity: Any, unit_price: Any) -> tuple[Decimal, Decimal, Decimal]:
    """(quantity, unit price, amount) of a line as billed."""
    quantity = _decimal(quantity, "quantity", plugin).quantize(QUANTITY_PLACES, rounding=ROUND_HALF_UP)
    unit_price = round_money(_decimal(unit_price, "unit price", plugin))
    return quantity, unit_price, round_money(quantity * unit_price)


def priced(plugin: str, line: InvoiceLine, known: dict | None = None) -> PricedLine:
    """The line priced, not yet placed. `known` remembers the prices of each distinct (quantity,
    unit price) across a run's lines — most lines of a run repeat a few — keyed with the values'
    types too, so a float and a Decimal that compare equal are never taken for one another."""
    if len(line.description) > DESCRIPTION_LIMIT or not line.description.strip():
        raise PluginLineError(f"plugin '{plugin}' billed a line with an empty or over-long description")
    if line.period_end < line.period_start:
        raise PluginLineError(f"plugin '{plugin}' billed a line whose period ends before it starts")
    key = (type(line.quantity), line.quantity, type(line.unit_price), line.unit_price)
    try:
        quantity, unit_price, amount = known[key]
    except (KeyError, TypeError):  # new, no cache, or an unhashable value (refused by `prices`)
        quantity, unit_price, amount = prices(plugin, line.quantity, line.unit_price)
        if known is not None:
            known[key] = quantity, unit_price, amount
    return _make(PricedLine, (0, line.description, quantity, unit_price, amount, line.period_start, line.period_end,
                              line.case_id, line.case_reference or case_reference(plugin, line.case_id),
                              line.line_key))


def _order(line: PricedLine):
    return (line.case_id or 0, line.period_start, line.description, line.amount)


def placed(lines: list[PricedLine]) -> list[PricedLine]:
    """The lines of one invoice in their stable order, numbered from 1."""
    return [_make(PricedLine, (position, *line[1:])) for position, line in enumerate(sorted(lines, key=_order), start=1)]


def lines_by_payer(tenant: Tenant, period: Period) -> dict[tuple[str, int], list[PricedLine]]:
    """{(plugin, payer unit id): placed lines} for every enabled plugin's providers."""
    grouped: dict[tuple[str, int], list[PricedLine]] = defaultdict(list)
    enabled = enabled_plugin_ids(tenant)
    known: dict = {}
    for plugin, providers in sorted(registry().invoice_line_providers.items()):
        if plugin not in enabled:
            continue
        settings = settings_for(tenant, plugin)
        for provider in providers:
            for line in provider.lines(tenant, settings, period.start, period.end):
                grouped[(plugin, line.payer_unit_id)].append(priced(plugin, line, known))
    return {key: placed(lines) for key, lines in grouped.items()}
