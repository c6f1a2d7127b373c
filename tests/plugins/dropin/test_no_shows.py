"""No-show rates at the centre against at the office, per period and service, and per centre —
the seed's headline effect: "Der er væsentligt færre udeblivelser fra møder med sagsbehandleren,
når de foregår på værestedet frem for på kommunen." Held = attended + no-shows (cancelled and
planned are not counted); the rate a per-cent figure half-up to one decimal; none held, no rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from velferd_dropin import centres, meetings, no_shows

from tests.plugins.dropin.pages import X
from velferd.db import db
from velferd.tenancy import tenant_scope


def record(app, town, rows, centre_names=("Broen", "Vest")) -> dict[str, int]:
    """`rows`: (day, place, centre name or None, attendance, service, how many)."""
    with app.app_context(), tenant_scope(town.tenant):
        ids = {name: centres.create_centre({"name": name, "ownership": "private"}).id for name in centre_names}
        for day, place, centre, attendance, service, many in rows:
            for _ in range(many):
                meetings.plan_meeting({
                    "service": service, "administration": "jobcenter" if service == "case_processing" else None,
                    "subject": "Samtale", "meets_on": dt.date.fromisoformat(day), "meets_at": dt.time(10),
                    "place": place, "centre_id": ids.get(centre), "chosen_by_citizen": place == "centre",
                    "attendance": attendance})
        db.session.commit()
    return ids


CP, SA = "case_processing", "substance_abuse"
SPRING = [
    # at the centre: 8 held, 1 no-show (Broen 5 held 1 no-show, Vest 3 held none); 2 cancelled, 1 planned
    ("2025-03-03", "centre", "Broen", "attended", CP, 4),
    ("2025-03-04", "centre", "Broen", "no_show", CP, 1),
    ("2025-03-05", "centre", "Vest", "attended", SA, 3),
    ("2025-03-06", "centre", "Vest", "cancelled", CP, 2),
    ("2025-03-07", "centre", "Broen", "planned", CP, 1),
    # at the office: 6 held, 3 no-shows; 1 cancelled
    ("2025-03-03", "office", None, "attended", CP, 3),
    ("2025-03-10", "office", None, "no_show", CP, 2),
    ("2025-03-31", "office", None, "no_show", SA, 1),
    ("2025-03-11", "office", None, "cancelled", CP, 1),
    # outside the period
    ("2025-02-28", "office", None, "no_show", CP, 5),
    ("2025-04-01", "centre", "Broen", "no_show", CP, 5),
]


def report(client, town, **query):
    r = client.get(town.url(f"{X}/no-shows"), headers=town.dropin_coordinator.headers, query_string=query)
    assert r.status_code == 200, r.json
    return r.json


def test_the_rates_at_the_centre_and_at_the_office(app, client, odense):
    record(app, odense, SPRING)
    march = report(client, odense, start="2025-03-01", end="2025-03-31")
    assert march["centre"] == {"held": 8, "attended": 7, "no_shows": 1, "rate": "12.5"}
    assert march["office"] == {"held": 6, "attended": 3, "no_shows": 3, "rate": "50.0"}
    assert [(one["name"], one["held"], one["no_shows"], one["rate"]) for one in march["centres"]] == \
        [("Broen", 5, 1, "20.0"), ("Vest", 3, 0, "0.0")]


def test_a_service_and_a_shorter_period(app, client, odense):
    record(app, odense, SPRING)
    cases = report(client, odense, start="2025-03-01", end="2025-03-31", service=CP)
    assert (cases["centre"]["held"], cases["centre"]["rate"]) == (5, "20.0")
    assert (cases["office"]["held"], cases["office"]["rate"]) == (5, "40.0")
    abuse = report(client, odense, start="2025-03-01", end="2025-03-31", service=SA)
    assert (abuse["centre"]["rate"], abuse["office"]["held"], abuse["office"]["rate"]) == ("0.0", 1, "100.0")
    first_week = report(client, odense, start="2025-03-03", end="2025-03-07")
    assert (first_week["office"]["held"], first_week["office"]["rate"]) == (3, "0.0")


def test_none_held_is_no_rate(app, client, odense):
    record(app, odense, SPRING)
    empty = report(client, odense, start="2024-01-01", end="2024-12-31")
    assert empty["centre"] == empty["office"] == {"held": 0, "attended": 0, "no_shows": 0, "rate": None}
    assert [one["rate"] for one in empty["centres"]] == [None, None]


def test_rounding_is_half_up_to_one_decimal():
    assert no_shows.rate(1, 3) == Decimal("33.3")
    assert no_shows.rate(2, 3) == Decimal("66.7")
    assert no_shows.rate(1, 8) == Decimal("12.5")
    assert no_shows.rate(1, 16) == Decimal("6.3")  # 6.25 half-up
    assert no_shows.rate(0, 0) is None


def test_bad_periods_are_refused_naming_the_field(client, odense):
    headers = odense.dropin_coordinator.headers
    for query, field in (({"start": "2025-03-31", "end": "2025-03-01"}, "end"), ({"start": "March"}, "start"),
                         ({"service": "treatment"}, "service")):
        r = client.get(odense.url(f"{X}/no-shows"), headers=headers, query_string=query)
        assert r.status_code == 422 and field in r.json["fields"], (query, r.json)


def test_another_municipalitys_meetings_are_not_counted(app, client, odense, aarhus):
    record(app, odense, SPRING)
    theirs = report(client, aarhus, start="2025-03-01", end="2025-03-31")
    assert theirs["centre"]["held"] == theirs["office"]["held"] == 0 and theirs["centres"] == []
