"""The report for the grant givers (Husbanken and Fylkesmannen i Finnmark) and the partners, for
one year: the budget against the financing by source, the occupancy of the flats (how many, the
residents who lived there, occupied and empty flat-months) and the empty flats' rent against its
budget line.

The plan applies for the grant ("søker med dette om prosjektmidler fra Husbanken og Fylkesmannen i
Finnmark, pålydende kr. 1 600 000,-") on a budget that assumes "1 leilighet til enhver tid står
ledig"; the report shows how far the year kept to both. The figures are `budget.summary` and
`budget.occupancy_by_month` — nothing is computed twice — and the residents are counted from the
"living" occupancy periods that overlap the year (each case once; a period with no case counts
as one resident). The CSV holds the same figures, one per row, amounts with a point for the
decimals, so a spreadsheet in any language reads them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import db, safe_row

from . import budget
from .stay_models import LIVING, Occupancy


def residents(year: int) -> int:
    """The residents who lived in one of the flats some day of `year`."""
    first, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    periods = db.session.execute(sa.select(Occupancy.id, Occupancy.case_id).where(
        Occupancy.kind == LIVING, Occupancy.starts_on < end,
        sa.or_(Occupancy.ends_on.is_(None), Occupancy.ends_on > first))).all()
    return len({case_id for _, case_id in periods if case_id is not None}) + sum(1 for _, case_id in periods
                                                                                if case_id is None)


def report(year: int, today: dt.date) -> dict[str, Any]:
    """The year's report (404 when there is no budget for it)."""
    found = budget.year_of(year)
    totals = budget.summary(found)
    occupancy = budget.occupancy_by_month(year, today, found)
    rent_line = next((line.amount for line in totals["lines"] if line.kind == budget.EMPTY_FLAT_RENT), None)
    return {
        "year": year, "budget": totals, "occupancy": occupancy, "residents": residents(year),
        "empty_flat_rent": {"budget_line": rent_line, "actual": occupancy["empty_flat_rent"],
                            "difference": (occupancy["empty_flat_rent"] - rent_line)
                            if rent_line is not None and occupancy["empty_flat_rent"] is not None else None},
        "provisional": any(month["provisional"] for month in occupancy["months"]),
    }


def _amount(value) -> str:
    return "" if value is None else f"{value:.2f}"


class _SafeWriter:
    """A csv writer whose rows are written spreadsheet-safe (a source named like a formula stays text)."""

    def __init__(self, writer):
        self.writer = writer

    def writerow(self, row) -> None:
        self.writer.writerow(safe_row(row))


def csv_text(figures: dict[str, Any]) -> str:
    """The report as CSV: section, item, figure (the same figures as the page)."""
    out = io.StringIO()
    writer = _SafeWriter(csv.writer(out, lineterminator="\r\n"))
    writer.writerow(["section", "item", "value"])
    totals, occupancy = figures["budget"], figures["occupancy"]
    for line in totals["lines"]:
        writer.writerow(["costs", line.kind, _amount(line.amount)])
    writer.writerow(["costs", "total", _amount(totals["cost_total"])])
    for line in totals["financing"]:
        writer.writerow(["financing", line.source, _amount(line.amount)])
    writer.writerow(["financing", "total", _amount(totals["financing_total"])])
    writer.writerow(["balance", "financing minus costs", _amount(totals["difference"])])
    writer.writerow(["occupancy", "flats", occupancy["flats"]])
    writer.writerow(["occupancy", "residents", figures["residents"]])
    for name in ("occupied_flat_months", "empty_flat_months", "budgeted_empty_flat_months", "difference_flat_months"):
        writer.writerow(["occupancy", name, _amount(occupancy[name])])
    for month in occupancy["months"]:
        writer.writerow(["empty flat-months by month", f"{figures['year']}-{month['month']:02d}",
                         _amount(month["empty_flat_months"])])
    rent = figures["empty_flat_rent"]
    writer.writerow(["empty flat rent", "budget line", _amount(rent["budget_line"])])
    writer.writerow(["empty flat rent", "actual", _amount(rent["actual"])])
    writer.writerow(["empty flat rent", "actual minus budget", _amount(rent["difference"])])
    writer.writerow(["note", "provisional", "yes" if figures["provisional"] else "no"])
    return out.getvalue()
