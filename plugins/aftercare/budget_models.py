"""The budget's tables: a year, its cost lines and its financing lines.

The plan (7.0 Budsjett) budgets four operating years in fixed 2009 prices ("Faste 2009-priser"),
each with the same cost lines and the same three financing sources; a year here is one of them
(`budget.budget_2009` writes the plan's figures). Amounts are `Money` (NUMERIC(14, 2), Decimal).
A year whose costs and financing differ is kept as it is and shown as such: the leader may be
half-way through entering it, and a grant may come in below what was applied for.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.toolkit import Base, Money, TenantOwned, utcnow

SALARIES = "salaries"
SUPERVISION = "supervision"
OFFICE = "office_travel_activities"
CAR_LEASE = "car_lease"
EMPTY_FLAT_RENT = "empty_flat_rent"
OTHER = "other"
#: the plan's cost lines, in its order, and room for one more
LINE_KINDS = (SALARIES, SUPERVISION, OFFICE, CAR_LEASE, EMPTY_FLAT_RENT, OTHER)

GRANT = "grant"
OWN_FUNDS = "own_funds"
PARTNER = "partner"
#: who finances: a grant (Husbanken/Fylkesmannen), the municipality's own funds, a partner
FINANCING_KINDS = (GRANT, OWN_FUNDS, PARTNER, OTHER)


class BudgetYear(Base, TenantOwned):
    __tablename__ = "aftercare_budget_year"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    note: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "year"),)


class BudgetLine(Base, TenantOwned):
    """One cost line of a year: one per kind (setting a kind again changes its amount)."""

    __tablename__ = "aftercare_budget_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    budget_year_id: Mapped[int] = mapped_column(sa.ForeignKey("aftercare_budget_year.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    amount: Mapped[Decimal] = mapped_column(Money)
    note: Mapped[str | None] = mapped_column(sa.String(300))

    __table_args__ = (sa.UniqueConstraint("tenant_id", "budget_year_id", "kind"),)


class FinancingLine(Base, TenantOwned):
    """One source of financing of a year, by its name (``Tilskudd Husbanken/fylkesmannen``)."""

    __tablename__ = "aftercare_financing_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    budget_year_id: Mapped[int] = mapped_column(sa.ForeignKey("aftercare_budget_year.id"), index=True)
    source: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(20))
    amount: Mapped[Decimal] = mapped_column(Money)
    note: Mapped[str | None] = mapped_column(sa.String(300))

    __table_args__ = (sa.UniqueConstraint("tenant_id", "budget_year_id", "source"),)
