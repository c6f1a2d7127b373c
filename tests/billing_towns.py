"""A municipality set up to bill: payer units on each delivery channel, open cases referred by
them (the example plugin bills one month per open case it can attribute to a paying unit), and
shortcuts to run periods and read invoices through the API, as finance would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from tests.helpers import Municipality, add_person, open_case
from tests.plugins.example import MONTHLY_PRICE
from velferd.db import db
from velferd.models import Invoice
from velferd.tenancy import tenant_scope

CHILD_WELFARE = {"name": "Barneverntjenesten Årstad", "kind": "child_welfare", "organisation_number": "964338531",
                 "payer_kind": "internal", "delivery_channel": "finance_export", "address": "Postboks 7700",
                 "postal_code": "5020", "city": "Bergen"}
NAV = {"name": "NAV Bergenhus", "kind": "nav_office", "organisation_number": "889640782", "payer_kind": "external",
       "delivery_channel": "email", "invoice_email": "faktura@nav-bergenhus.example.no", "address": "Postboks 1",
       "postal_code": "5804", "city": "Bergen", "buyer_reference": "NAV-4711"}
HEALTH = {"name": "Helse Bergen", "kind": "health_and_care", "organisation_number": "983887457",
          "payer_kind": "external", "delivery_channel": "ehf", "buyer_reference": "HB-2026-17",
          "address": "Haukelandsveien 22", "postal_code": "5021", "city": "Bergen"}


def last_month(today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    return f"{today.replace(day=1) - dt.timedelta(days=1):%Y-%m}"


@dataclass
class BillingTown:
    town: Municipality
    units: dict[str, int] = field(default_factory=dict)  # unit name → id
    cases: dict[str, list[int]] = field(default_factory=dict)  # unit name → its open cases

    @property
    def finance(self):
        return self.town.finance.headers

    def url(self, path: str) -> str:
        return self.town.url(path)


def add_payer(client, town: Municipality, unit: dict) -> int:
    r = client.post(town.url("/units"), json=unit, headers=town.finance.headers)
    assert r.status_code == 201, r.json
    return r.json["id"]


def billing_town(client, town: Municipality, cases_per_payer=None, payers=(CHILD_WELFARE, NAV, HEALTH)) -> BillingTown:
    """`town` with the given payers and (default) 2, 1, 3 … open cases referred by each."""
    setup = BillingTown(town)
    counts = cases_per_payer or [2, 1, 3, 1, 1][: len(payers)]
    for unit, count in zip(payers, counts):
        unit_id = add_payer(client, town, unit)
        setup.units[unit["name"]] = unit_id
        person = add_person(client, town)
        setup.cases[unit["name"]] = [open_case(client, town, person["id"], referring_unit_id=unit_id)["id"]
                                     for _ in range(count)]
    return setup


def run_period(client, setup: BillingTown, period: str | None = None):
    return client.post(setup.url("/invoice-runs"), json={"period": period or last_month()}, headers=setup.finance)


def invoices(client, setup: BillingTown, **query) -> list[dict]:
    r = client.get(setup.url("/invoices"), query_string={"limit": 200, **query}, headers=setup.finance)
    assert r.status_code == 200, r.json
    return r.json["items"]


def invoice(client, setup: BillingTown, invoice_id: int) -> dict:
    r = client.get(setup.url(f"/invoices/{invoice_id}"), headers=setup.finance)
    assert r.status_code == 200, r.json
    return r.json


def by_payer(rows: list[dict]) -> dict[str, dict]:
    return {row["payer_name"]: row for row in rows if row["kind"] == "invoice"}


def expected_total(cases: int) -> str:
    return f"{MONTHLY_PRICE * cases:.2f}"


def stored_invoices(app, town: Municipality) -> list[Invoice]:
    with app.app_context(), tenant_scope(town.tenant):
        return db.session.scalars(sa.select(Invoice).order_by(Invoice.id)).all()
