"""The budget: a year's cost lines and financing, Alta's plan as figures, and the actual occupancy
of the flats against the plan's assumption that one flat is always empty.

The plan (7.0 Budsjett, "Faste 2009-priser", the same for each of the four operating years):
"Lønn 3,5 årsverk inkl. sos.utg. 1 650 000; Veiledning, fagutvikling 100 000; Kontor, reiser,
aktiviteter mm 70 000; Leasing av bil 80 000; Husleie tomme leiligheter 100 000; SUM 2 000 000"
and "Finansiering: Tilskudd Husbanken/fylkesmannen 1 600 000; Egne midler (Alta kommune) 200 000;
Finnmarkskollektivet 200 000; SUM 2 000 000". And (8.0): "For å oppnå nødvendig fleksibilitet på
tjenesten må det budsjetteres med husleie for tomme leiligheter tilsvarende at 1 leilighet til
enhver tid står ledig."

**The assumption against the actual occupancy.** For each month, the empty-flat months are
Σ over the active flats of (days with nobody living there / days in the month) — a flat empty
half of April is 0.5 — read from the occupancy periods (`occupancy.occupied_days`: "living"
periods only; a reserved flat is empty, its rent is still owed). The budget assumes 1 a month, 12
a year; the rent of the empty flats is the empty-flat months × the monthly rent per flat the
budget line implies (100 000 / 12 flat-months = 8 333.33…). Rounding: every figure is computed
exactly (fractions) and rounded once where it is shown, half up, to 2 decimals (øre for kroner);
a year's figure is rounded from its exact sum, so the months' rounded figures may differ from it
by an øre. A month that has not ended yet is provisional: an open period counts as lasting.

**No billing here — why.** The plan finances the project with fixed yearly contributions, not a
price per resident: Finnmarkskollektivet pays 200 000 a year towards the whole, and in return has
a flat at its disposal ("Finnmarkskollektivet skal disponere en leilighet"); Alta pays its 200 000
as "egne midler"; the grant is applied for from Husbanken and the county governor ("søker med
dette om prosjektmidler fra Husbanken og Fylkesmannen i Finnmark, pålydende kr. 1 600 000,-").
A bill per resident per month through the core's invoice run (as DUE bills its places) would
charge Finnmarkskollektivet a second time for what its 200 000 already pays, and the plan names
no price per place or per month for anyone. A home municipality of a resident from elsewhere is
a partner on the case ("Ev. hjemstedskommune for personer som ikke tilhører Alta kommune"), but
the plan sets no charge for it either; if Alta agrees one with a home municipality, that is an
agreement the plan does not contain, and a provider can be added then. So the plugin has no
invoice line provider; the partners' contributions are financing lines of the budget, and the
grant givers' report (`grant_report`) accounts for them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import Conflict, NotFound, ValidationFailed, db, require_owned

from . import occupancy
from .budget_models import (
    CAR_LEASE,
    EMPTY_FLAT_RENT,
    FINANCING_KINDS,
    GRANT,
    LINE_KINDS,
    OFFICE,
    OWN_FUNDS,
    PARTNER,
    SALARIES,
    SUPERVISION,
    BudgetLine,
    BudgetYear,
    FinancingLine,
)
from .models import Flat

#: the plan's cost lines (7.0 Budsjett), in its words
PLAN_LINES: tuple[tuple[str, Decimal, str], ...] = (
    (SALARIES, Decimal("1650000"), "Lønn 3,5 årsverk inkl. sos.utg."),
    (SUPERVISION, Decimal("100000"), "Veiledning, fagutvikling"),
    (OFFICE, Decimal("70000"), "Kontor, reiser, aktiviteter mm"),
    (CAR_LEASE, Decimal("80000"), "Leasing av bil"),
    (EMPTY_FLAT_RENT, Decimal("100000"), "Husleie tomme leiligheter (1 leilighet til enhver tid ledig)"),
)
#: the plan's financing (7.0 Budsjett, "Finansiering")
PLAN_FINANCING: tuple[tuple[str, str, Decimal], ...] = (
    ("Tilskudd Husbanken/fylkesmannen", GRANT, Decimal("1600000")),
    ("Egne midler (Alta kommune)", OWN_FUNDS, Decimal("200000")),
    ("Finnmarkskollektivet", PARTNER, Decimal("200000")),
)
#: "tilsvarende at 1 leilighet til enhver tid står ledig": one flat-month a month
BUDGETED_EMPTY_FLATS = 1
CENT = Decimal("0.01")
#: the years a budget or an occupancy table may be asked for
FIRST_YEAR, LAST_YEAR = 2000, 2100


def rounded(value: Fraction | Decimal | int) -> Decimal:
    """Half up to 2 decimals (øre), the one rounding of every figure shown."""
    if isinstance(value, Fraction):
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, rounding=ROUND_HALF_UP)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- years and lines ---------------------------------------------------------------------------------

def check_year(year: int) -> None:
    """422 naming `year` outside FIRST_YEAR..LAST_YEAR (a date of year 0 does not exist)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationFailed(f"the year {year} is out of range: year",
                               {"year": [f"must be between {FIRST_YEAR} and {LAST_YEAR}"]})


def years() -> list[BudgetYear]:
    return list(db.session.scalars(sa.select(BudgetYear).order_by(BudgetYear.year)))


def year_of(year: int) -> BudgetYear:
    """The budget of `year`, or 404."""
    check_year(year)
    found = db.session.scalar(sa.select(BudgetYear).where(BudgetYear.year == year))
    if found is None:
        raise NotFound(f"no budget for {year}")
    return found


def create_year(year: int, note: str | None = None) -> BudgetYear:
    """An empty budget for `year` (409 if there is one)."""
    if db.session.scalar(sa.select(BudgetYear.id).where(BudgetYear.year == year)) is not None:
        raise Conflict(f"there is already a budget for {year}")
    created = BudgetYear(year=year, note=note)
    db.session.add(created)
    db.session.flush()
    return created


def budget_2009(tenant=None, year: int = 2009) -> BudgetYear:
    """Alta's plan as a budget for `year` (2009, the first operating year; the plan's other three
    years have the same figures in 2009 prices). Idempotent: the year, and each of the plan's lines
    and sources it lacks, are added; a line already there is left as it is (a leader may have
    changed it)."""
    found = db.session.scalar(sa.select(BudgetYear).where(BudgetYear.year == year))
    if found is None:
        found = create_year(year, "Alta's project plan (31.12.08), fixed 2009 prices")
    kinds = set(db.session.scalars(sa.select(BudgetLine.kind).where(BudgetLine.budget_year_id == found.id)))
    for kind, amount, note in PLAN_LINES:
        if kind not in kinds:
            db.session.add(BudgetLine(budget_year_id=found.id, kind=kind, amount=amount, note=note))
    sources = set(db.session.scalars(sa.select(FinancingLine.source).where(FinancingLine.budget_year_id == found.id)))
    for source, kind, amount in PLAN_FINANCING:
        if source not in sources:
            db.session.add(FinancingLine(budget_year_id=found.id, source=source, kind=kind, amount=amount))
    db.session.flush()
    return found


def set_line(budget: BudgetYear, data: Mapping[str, Any]) -> BudgetLine:
    """Set the cost line of `data["kind"]` (`BudgetLineSchema` loaded): added, or its amount and
    note changed."""
    if data["kind"] not in LINE_KINDS:
        raise ValidationFailed("no such kind of budget line: kind", {"kind": [f"one of: {', '.join(LINE_KINDS)}"]})
    line = db.session.scalar(sa.select(BudgetLine).where(BudgetLine.budget_year_id == budget.id,
                                                         BudgetLine.kind == data["kind"]))
    if line is None:
        line = BudgetLine(budget_year_id=budget.id, kind=data["kind"])
        db.session.add(line)
    line.amount, line.note = data["amount"], data.get("note")
    db.session.flush()
    return line


def set_financing(budget: BudgetYear, data: Mapping[str, Any]) -> FinancingLine:
    """Set the financing from `data["source"]` (`FinancingLineSchema` loaded): added, or changed."""
    if data["kind"] not in FINANCING_KINDS:
        raise ValidationFailed("no such kind of financing: kind", {"kind": [f"one of: {', '.join(FINANCING_KINDS)}"]})
    line = db.session.scalar(sa.select(FinancingLine).where(FinancingLine.budget_year_id == budget.id,
                                                            FinancingLine.source == data["source"]))
    if line is None:
        line = FinancingLine(budget_year_id=budget.id, source=data["source"])
        db.session.add(line)
    line.kind, line.amount, line.note = data["kind"], data["amount"], data.get("note")
    db.session.flush()
    return line


def remove_line(line_id: int) -> None:
    db.session.delete(require_owned(BudgetLine, line_id, "budget line"))
    db.session.flush()


def remove_financing(line_id: int) -> None:
    db.session.delete(require_owned(FinancingLine, line_id, "financing line"))
    db.session.flush()


def lines_of(budget: BudgetYear) -> list[BudgetLine]:
    order = {kind: index for index, kind in enumerate(LINE_KINDS)}
    rows = db.session.scalars(sa.select(BudgetLine).where(BudgetLine.budget_year_id == budget.id)).all()
    return sorted(rows, key=lambda line: order.get(line.kind, len(order)))


def financing_of(budget: BudgetYear) -> list[FinancingLine]:
    return list(db.session.scalars(sa.select(FinancingLine).where(FinancingLine.budget_year_id == budget.id)
                                   .order_by(FinancingLine.amount.desc(), FinancingLine.source)))


def summary(budget: BudgetYear) -> dict[str, Any]:
    """The year's lines, financing and totals; `difference` = financing − costs (0: balanced;
    negative: the costs are not all financed). A budget that does not add up is shown, not refused."""
    lines, financing = lines_of(budget), financing_of(budget)
    costs = sum((line.amount for line in lines), Decimal("0.00"))
    financed = sum((line.amount for line in financing), Decimal("0.00"))
    return {"year": budget.year, "note": budget.note, "lines": lines, "financing": financing,
            "cost_total": costs, "financing_total": financed, "difference": financed - costs,
            "balanced": financed == costs}


def monthly_rent_per_flat(budget: BudgetYear | None) -> Fraction | None:
    """The rent of one flat for a month implied by the empty-flat rent line: its amount over the
    12 flat-months it budgets (1 flat always empty). None when the year has no such line."""
    if budget is None:
        return None
    line = db.session.scalar(sa.select(BudgetLine).where(BudgetLine.budget_year_id == budget.id,
                                                         BudgetLine.kind == EMPTY_FLAT_RENT))
    if line is None:
        return None
    return Fraction(line.amount) / (12 * BUDGETED_EMPTY_FLATS)


# --- the occupancy against the assumption -----------------------------------------------------------

def active_flats() -> list[Flat]:
    return list(db.session.scalars(sa.select(Flat).where(Flat.active.is_(True)).order_by(Flat.id)))


def month_occupancy(year: int, month: int, flats: list[Flat],
                    periods: dict[int, list]) -> dict[str, Fraction | int]:
    """Exact flat-months of one month: occupied and empty, over `flats`, from their living
    `periods` (`occupancy.living_periods`, read once for the year)."""
    first = dt.date(year, month, 1)
    days = calendar.monthrange(year, month)[1]
    end = first + dt.timedelta(days=days)
    occupied = sum((Fraction(occupancy.nights_lived(periods[flat.id], first, end), days) for flat in flats),
                   Fraction(0))
    return {"days": days, "occupied": occupied, "empty": len(flats) - occupied}


def occupancy_by_month(year: int, today: dt.date, budget: BudgetYear | None = None) -> dict[str, Any]:
    """Each month of `year`: the active flats, occupied and empty flat-months, the empty flats' rent
    (empty-flat months × `monthly_rent_per_flat`), what the budget assumes (1 flat-month, its
    rent) and the difference; with the year's totals. Rounded as the module docstring says."""
    check_year(year)
    flats = active_flats()
    periods = occupancy.living_periods([flat.id for flat in flats], dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
    rent = monthly_rent_per_flat(budget)
    budgeted = Fraction(BUDGETED_EMPTY_FLATS)
    months, occupied_sum, empty_sum = [], Fraction(0), Fraction(0)
    for month in range(1, 13):
        counted = month_occupancy(year, month, flats, periods)
        occupied_sum += counted["occupied"]
        empty_sum += counted["empty"]
        last_day = dt.date(year, month, counted["days"])
        months.append({
            "month": month, "days": counted["days"], "flats": len(flats), "provisional": last_day >= today,
            "occupied_flat_months": rounded(counted["occupied"]), "empty_flat_months": rounded(counted["empty"]),
            "budgeted_empty_flat_months": rounded(budgeted),
            "difference_flat_months": rounded(counted["empty"] - budgeted),
            "empty_flat_rent": rounded(counted["empty"] * rent) if rent is not None else None,
            "budgeted_rent": rounded(budgeted * rent) if rent is not None else None,
            "difference_rent": rounded((counted["empty"] - budgeted) * rent) if rent is not None else None,
        })
    budgeted_year = budgeted * 12
    return {
        "year": year, "flats": len(flats), "months": months,
        "monthly_rent_per_flat": rounded(rent) if rent is not None else None,
        "occupied_flat_months": rounded(occupied_sum), "empty_flat_months": rounded(empty_sum),
        "budgeted_empty_flat_months": rounded(budgeted_year),
        "difference_flat_months": rounded(empty_sum - budgeted_year),
        "empty_flat_rent": rounded(empty_sum * rent) if rent is not None else None,
        "budgeted_rent": rounded(budgeted_year * rent) if rent is not None else None,
        "difference_rent": rounded((empty_sum - budgeted_year) * rent) if rent is not None else None,
        "rounding": "exact fractions, each figure rounded once, half up, to 2 decimals",
    }
