"""The monthly price of DUE per year, indexed by the municipal deflator every 1 January.

The guideline (5.1, 2016): NOK 17,800 a month in 2016, "adjusted every year with effect from
1 January by the Ministry of Finance's deflator (the expected wage and price growth the Ministry
assumes when preparing the state budget)". **Our reading:** the budget prepared for year Y (the
national budget NB Y, presented in October of Y−1) assumes a deflator *for Y*; that is the figure
that applies from 1 January of Y. So

    price(base year) = base price (17,800 in 2016)
    price(Y)         = round(price(Y−1) × (1 + deflator(Y) / 100)) to whole kroner, half up

and 2016's own deflator (2.7 %) is already inside the 17,800. A missing year stops pricing with
a message naming the year, so nobody is billed from a guess.

The table is the tenant's: each year's figure with its source, who entered it and when.
`PUBLISHED` holds the figures published by the Ministry of Finance in the national budgets (NB),
each with its source; 2017, 2018 and 2026 were not found and must be entered by the tenant admin.
A source names a public document, never a file outside this repository.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from velferd.toolkit import CannotBill, User, ValidationFailed, audit, db

from .models import Deflator

KRONE = Decimal("1")
ORE = Decimal("0.01")

def national_budget(year: int, percent: str, note: str = "") -> tuple[Decimal, str]:
    """A figure as the national budget for `year` gives it, with that budget as its source."""
    return Decimal(percent), (f"Ministry of Finance, national budget for {year} (NB{year % 100:02d}): municipal "
                              f"deflator {percent} %{note}")


PUBLISHED: dict[int, tuple[Decimal, str]] = {
    2016: national_budget(2016, "2.7", " (already in the 2016 price of 17,800)"),
    2019: national_budget(2019, "2.8"),
    2020: (Decimal("3.1"), "Prop. 105 S (2019–2020) Kommuneproposisjonen 2021: the municipal deflator for 2020 "
                           "in the national budget 2020 was 3.1 % (revised to 1.4 % in RNB 2020)"),
    2021: national_budget(2021, "2.7"),
    2022: national_budget(2022, "2.5"),
    2023: national_budget(2023, "3.7"),
    2024: national_budget(2024, "4.3"),
    2025: national_budget(2025, "4.1"),
}
"""Not found for 2017, 2018 and 2026: the tenant admin enters them (the price table says so)."""


class PriceUnknown(CannotBill):
    """A year's price cannot be computed because a deflator is missing from the table. Only the
    tenant admin enters deflators, so the invoice run tells finance that the tenant admin must."""

    fixed_by = "tenant_admin"


def deflators() -> dict[int, Deflator]:
    return {row.year: row for row in db.session.scalars(sa.select(Deflator).order_by(Deflator.year))}


def price_for_year(year: int, settings: Mapping, table: Mapping[int, Decimal]) -> Decimal:
    """The monthly price in `year`, whole kroner (see the module docstring for the rule)."""
    base_year, price = settings["base_year"], Decimal(settings["base_price"])
    if year < base_year:
        raise PriceUnknown(f"DUE has no price before {base_year}, the base year of the price table")
    for y in range(base_year + 1, year + 1):
        if y not in table:
            raise PriceUnknown(f"the price for {year} needs the municipal deflator for {y}, which is not in the "
                               "price table; the tenant admin must enter it", {"year": y})
        price = (price * (1 + Decimal(table[y]) / 100)).quantize(KRONE, rounding=ROUND_HALF_UP)
    return price.quantize(ORE)  # whole kroner, written as money


def percent_table() -> dict[int, Decimal]:
    return {year: row.percent for year, row in deflators().items()}


def part_of_month(price: Decimal, days: int, days_in_month: int) -> Decimal:
    """A month only partly covered: price × days covered / days in the month, to the øre, half up."""
    return (price * days / days_in_month).quantize(ORE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PriceRow:
    year: int
    price: Decimal | None
    deflator: Decimal | None
    source: str | None
    entered_by_id: int | None
    entered_at: dt.datetime | None
    missing: str | None


def price_table(settings: Mapping, until: int) -> list[PriceRow]:
    """Each year from the base year to `until`: its price (or why it is unknown), the deflator
    applied on its 1 January, where that figure came from, who entered it and when."""
    rows, table = deflators(), percent_table()
    out = []
    for year in range(settings["base_year"], until + 1):
        row = rows.get(year)
        try:
            price, missing = price_for_year(year, settings, table), None
        except PriceUnknown as unknown:
            price, missing = None, unknown.message
        out.append(PriceRow(year, price, row.percent if row else None, row.source if row else None,
                            row.entered_by_id if row else None, row.entered_at if row else None, missing))
    return out


def enter_deflator(year: int, percent: Decimal, source: str, actor: User | None) -> Deflator:
    """Enter or correct one year's figure; the audit trail keeps what it was before."""
    if not source.strip():
        raise ValidationFailed("say where the deflator comes from", {"source": ["Name the source of the figure."]})
    row = db.session.scalar(sa.select(Deflator).where(Deflator.year == year))
    before = None if row is None else str(row.percent)
    if row is None:
        row = Deflator(year=year)
        db.session.add(row)
    row.percent, row.source = percent, source.strip()
    row.entered_by_id = actor.id if actor else None
    row.entered_at = dt.datetime.now(dt.UTC)
    db.session.flush()
    audit.record("due.deflator_entered", "due_deflator", row.id,
                 details={"year": year, "percent": str(percent), "before": before, "source": row.source})
    return row


def load_published(actor: User | None) -> list[Deflator]:
    """Put the published figures (`PUBLISHED`) into the table, leaving years already entered alone."""
    known = deflators()
    return [enter_deflator(year, percent, source, actor)
            for year, (percent, source) in sorted(PUBLISHED.items()) if year not in known]
