"""The costs of the outreach, entered per service and year — the numerator of the evaluation's
unit cost per citizen per year.

The guide (../shared/seeds/003_dbb2a96da9dea517.txt, p. 3): "Enhedsudgifterne for de samlede
indsatser varierer fra kr. til kr. pr. borger, der anvender tilbuddet. Den fremskudte
sagsbehandling har de laveste omkostninger med ca kr. pr. år pr. borger." — a unit cost is a
service's costs in a year divided by the citizens who used *that* service, so a cost is entered
for one service (`SERVICES`: the three outreach services and the centres' team activities) and
one year. The guide adds: "Den tid, som ville være blevet anvendt i den traditionelle indsats på
området, er ikke fraregnet i opgørelserne" — the costs are the project's gross costs; what the
entry covers is said in words (`covers`), so the report can say so too.

An amount is DKK, Decimal, not negative, at most 2 decimals (øre) — never a float; a cost's label
is unique within its year and service (a second is a 409: change the one entered). Who entered a
cost and when is kept. Writing needs COSTS_MANAGE, reading EVALUATION_READ.

`total_by_service(year)` is the pure query the evaluation report divides by the users per service.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import Conflict, current_user, db, require_owned, utcnow

from . import centres
from .evaluation_models import ServiceCost
from .services import ALL_SERVICES

#: the services a cost is entered for: the outreach services and the centres' own staff and activities
SERVICES = ALL_SERVICES
COST_FIELDS = ("year", "service", "label", "amount", "covers")
FIRST_YEAR, LAST_YEAR = 2000, 2100
ZERO = Decimal("0.00")


def costs(year: int | None = None) -> list[ServiceCost]:
    """The costs entered (of one year if given), by year, service (in `SERVICES` order) and label."""
    query = sa.select(ServiceCost)
    if year is not None:
        query = query.where(ServiceCost.year == year)
    rows = db.session.scalars(query).all()
    return sorted(rows, key=lambda row: (row.year, SERVICES.index(row.service) if row.service in SERVICES else 99,
                                         row.label, row.id))


def cost(cost_id: int) -> ServiceCost:
    return require_owned(ServiceCost, cost_id, "cost")


def years() -> list[int]:
    """The years that have costs entered, in order."""
    return list(db.session.scalars(sa.select(ServiceCost.year).distinct().order_by(ServiceCost.year)))


def total_by_service(year: int) -> dict[str, Decimal]:
    """Each service's costs in `year`, in DKK with 2 decimals — every service in `SERVICES`, 0.00
    where nothing is entered (so a division by the users never meets a missing key)."""
    totals = dict.fromkeys(SERVICES, ZERO)
    rows = db.session.execute(sa.select(ServiceCost.service, sa.func.sum(ServiceCost.amount))
                              .where(ServiceCost.year == year).group_by(ServiceCost.service))
    for service, amount in rows:
        totals[service] = Decimal(amount or 0).quantize(ZERO)
    return totals


def body(found: ServiceCost) -> dict[str, Any]:
    return {"id": found.id, **{name: getattr(found, name) for name in COST_FIELDS},
            "entered_by_id": found.entered_by_id, "entered_at": found.entered_at}


def _unique(values: Mapping[str, Any], except_id: int | None = None) -> None:
    taken = db.session.scalar(sa.select(ServiceCost.id).where(
        ServiceCost.year == values["year"], ServiceCost.service == values["service"],
        ServiceCost.label == values["label"], ServiceCost.id != (except_id or 0)))
    if taken is not None:
        raise Conflict(f"{values['year']} already has a cost '{values['label']}' for {values['service']}",
                       {"label": ["already entered for this service and year; change that one"]})


def _entered_by() -> int | None:
    user = current_user()
    return user.id if user is not None else None


def add_cost(data: Mapping[str, Any]) -> ServiceCost:
    """Enter a cost (the schema has checked the amount: ≥ 0, 2 decimals at most)."""
    _unique(data)
    created = ServiceCost(**{name: data.get(name) for name in COST_FIELDS}, entered_by_id=_entered_by())
    db.session.add(created)
    db.session.flush()
    return created


def update_cost(found: ServiceCost, changes: Mapping[str, Any]) -> ServiceCost:
    """Change a cost; who changed it last is who entered it now."""
    values = {**{name: getattr(found, name) for name in COST_FIELDS}, **changes}
    _unique(values, found.id)
    for name in COST_FIELDS:
        setattr(found, name, values[name])
    found.entered_by_id = _entered_by()
    found.entered_at = utcnow()
    db.session.flush()
    return found


def delete_cost(found: ServiceCost) -> None:
    db.session.delete(found)
    db.session.flush()


def today_year() -> int:
    return centres.today().year
