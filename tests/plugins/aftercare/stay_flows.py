"""What Alta's aftercare staff do with a stay, through the API, for the stays' tests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tests.helpers import Municipality, add_person

X = "/x/aftercare"


def today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Europe/Oslo")).date()


def months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def flats(client, town: Municipality) -> dict[str, int]:
    """Alta's building from the plan (flats "1"–"7", "6" at Finnmarkskollektivet's disposal)."""
    r = client.post(town.url(f"{X}/buildings/alta"), headers=town.aftercare_leader.headers)
    assert r.status_code in (200, 201), r.json
    r = client.get(town.url(f"{X}/flats"), headers=town.aftercare_leader.headers)
    assert r.status_code == 200, r.json
    return {flat["label"]: flat["id"] for flat in r.json}


def new_case(client, town: Municipality) -> int:
    person = add_person(client, town, role="aftercare_staff", given_name="Kari")
    r = client.post(town.url("/cases"), json={"person_id": person["id"], "plugin": "aftercare"},
                    headers=town.aftercare_staff.headers)
    assert r.status_code == 201, r.json
    assert r.json["state"] == "applied"
    return r.json["id"]


def application(started_on: dt.date, **changes) -> dict:
    return {"institution": "Finnmarkskollektivet", "treatment_started_on": started_on.isoformat(),
            "at_partner_institution": False, **changes}


def apply(client, town, case_id, data, role="aftercare_staff"):
    return client.post(town.url("/forms/aftercare/application/submissions"), json={"case_id": case_id, "data": data},
                       headers=town.staff[role].headers)


def move(client, town, case_id, transition, data=None, role="aftercare_leader"):
    return client.post(town.url(f"/cases/{case_id}/transitions"), json={"transition": transition, "data": data or {}},
                       headers=town.staff[role].headers)


def record(client, town, case_id, what, field, on, role="aftercare_staff"):
    return client.put(town.url(f"{X}/cases/{case_id}/stay/{what}"), json={field: on.isoformat()},
                      headers=town.staff[role].headers)


def stay(client, town, case_id, role="aftercare_staff"):
    r = client.get(town.url(f"{X}/cases/{case_id}/stay"), headers=town.staff[role].headers)
    assert r.status_code == 200, r.json
    return r.json


def ready_for_intake(client, town, started_on: dt.date, ended_on: dt.date, **changes) -> int:
    """A case accepted for intake: applied, assessed, consent and rules recorded, treatment ended."""
    case_id = new_case(client, town)
    assert apply(client, town, case_id, application(started_on, **changes)).status_code == 201
    assert move(client, town, case_id, "start_assessment", role="aftercare_staff").status_code == 200
    assert record(client, town, case_id, "consent", "consent_on", ended_on).status_code == 200
    r = move(client, town, case_id, "accept", {"reasons": "Wants to keep up the changes made in treatment."})
    assert r.status_code == 200, r.json
    assert record(client, town, case_id, "rules-agreed", "rules_agreed_on", ended_on).status_code == 200
    assert record(client, town, case_id, "treatment-ended", "treatment_ended_on", ended_on).status_code == 200
    return case_id


def resident(client, town, flat_id: int, moved_in_on: dt.date) -> int:
    """A resident of `flat_id` since `moved_in_on`, after a year's treatment that ended the day before."""
    ended = moved_in_on - dt.timedelta(days=1)
    case_id = ready_for_intake(client, town, months_before(ended, 12), ended)
    r = move(client, town, case_id, "move_in", {"flat_id": flat_id, "moved_in_on": moved_in_on.isoformat()})
    assert r.status_code == 200, r.json
    return case_id
