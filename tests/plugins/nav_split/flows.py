"""What Forvaltning and the units do, through the API, for the nav_split tests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tests.helpers import Municipality, add_person, synthetic_id

X = "/x/nav_split"


def oslo_today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Europe/Oslo")).date()


def born(years: int, days_to_birthday: int = 0, today: dt.date | None = None) -> str:
    """A date of birth making the user `years` old today; `days_to_birthday` > 0 moves the next
    birthday that many days ahead (so the user is one year younger), < 0 that many days behind."""
    today = today or oslo_today()
    try:
        anniversary = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        anniversary = today.replace(year=today.year - years, day=28)
    return (anniversary + dt.timedelta(days=days_to_birthday)).isoformat()


BASE = {"work_line_realistic": "yes", "purposes": [], "substance_use": False, "from_other_municipality": False,
        "has_job": False, "date_of_birth": None}


def kartlegging(**changes) -> dict:
    data = {**BASE, **changes}
    if data["date_of_birth"] is None:
        data["date_of_birth"] = born(25)
    return data


def new_case(client, town: Municipality, role: str = "forvaltning", birth: str | None = None) -> dict:
    """A nav_split case for a new person, born on `birth` (ISO date) if given (the kartlegging's
    date of birth must agree with the person's national id)."""
    national_id = synthetic_id(town.tenant.country, dt.date.fromisoformat(birth)) if birth else None
    person = add_person(client, town, national_id=national_id, role=role)
    r = client.post(town.url("/cases"), json={"person_id": person["id"], "plugin": "nav_split"},
                    headers=town.staff[role].headers)
    assert r.status_code == 201, r.json
    return r.json


def submit(client, town, case_id, data, role="forvaltning"):
    return client.post(town.url("/forms/nav_split/kartlegging/submissions"), json={"case_id": case_id, "data": data},
                       headers=town.staff[role].headers)


def evaluate(client, town, case_id, data, role="forvaltning"):
    return client.post(town.url("/rules/nav_split/allocation/evaluations"), json={"case_id": case_id, "inputs": data},
                       headers=town.staff[role].headers)


def assess(client, town, data, role="forvaltning") -> tuple[dict, dict]:
    """Open a case, submit the kartlegging and evaluate the allocation; returns (case, decision)."""
    case = new_case(client, town, role, birth=data["date_of_birth"])
    r = submit(client, town, case["id"], data, role)
    assert r.status_code == 201, r.json
    r = evaluate(client, town, case["id"], data, role)
    assert r.status_code == 201, r.json
    return case, r.json


def move(client, town, case_id, transition, role="forvaltning"):
    return client.post(town.url(f"/cases/{case_id}/transitions"), json={"transition": transition},
                       headers=town.staff[role].headers)


def allocation(client, town, case_id, role="forvaltning"):
    return client.get(town.url(f"{X}/cases/{case_id}/allocation"), headers=town.staff[role].headers)


def build(client, town, week_start=None, role="forvaltning"):
    body = {} if week_start is None else {"week_start": week_start}
    return client.post(town.url(f"{X}/agendas/build"), json=body, headers=town.staff[role].headers)


def record_outcome(client, town, case_id, item_id, outcome, summary="Discussed in the meeting.", role="forum_coordinator"):
    return client.post(town.url("/rules/nav_split/meeting_outcome/evaluations"), json={
        "case_id": case_id, "inputs": {"agenda_item_id": item_id, "outcome": outcome, "summary": summary}},
        headers=town.staff[role].headers)


def allocated_case(client, town, unit="nav") -> dict:
    """A case whose coordinator is appointed in `unit` (nav or livsmestring)."""
    data = kartlegging() if unit == "nav" else kartlegging(work_line_realistic="no", purposes=["prevent"])
    case, decision = assess(client, town, data)
    assert decision["outcome"] == unit
    r = move(client, town, case["id"], f"appoint_{unit}")
    assert r.status_code == 200, r.json
    return case


DRAFT = {"measure": "private_institution", "verdict": "admission", "institution": "Blå Kors Borgestadklinikken",
         "agreement": "Stay of 12 weeks; the municipality pays the daily rate.",
         "reasons": "Outpatient treatment has been tried without effect; the user is motivated."}


def draft(client, town, case_id, role="spesialteam", **changes):
    return client.post(town.url(f"{X}/cases/{case_id}/forum-decisions"), json={**DRAFT, **changes},
                       headers=town.staff[role].headers)
