"""What Bergen's staff do, through the API, for the due tests."""

from __future__ import annotations

import datetime as dt

from tests.helpers import Municipality, add_person, synthetic_id

X = "/x/due"
ALL_CRITERIA = ["risk_of_institutional_placement", "follow_up_after_institution_or_prison", "needs_treatment_start",
                "lacks_housing_or_needs_housing_follow_up", "lacks_daytime_activity"]

UNITS = {
    "barnevern": {"name": "Barneverntjenesten Bergenhus", "kind": "child_welfare", "payer_kind": "internal",
                  "delivery_channel": "email", "organisation_number": "974626780",
                  "invoice_email": "faktura.barnevern@bergen.test"},
    "nav_arna": {"name": "NAV Arna", "kind": "nav_office", "payer_kind": "external",
                 "delivery_channel": "finance_export", "organisation_number": "974600951"},
    "nav_fana": {"name": "NAV Fana", "kind": "nav_office", "payer_kind": "external",
                 "delivery_channel": "finance_export", "organisation_number": "976819853"},
    "utekontakten": {"name": "Utekontakten", "kind": "outreach"},
}


def post(client, town: Municipality, path: str, body: dict | None = None, role: str = "caseworker"):
    return client.post(town.url(path), json=body or {}, headers=town.staff[role].headers)


def get(client, town: Municipality, path: str, role: str = "caseworker", **query):
    return client.get(town.url(path), query_string=query, headers=town.staff[role].headers)


def ok(response, status: int = 200):
    assert response.status_code == status, response.json
    return response.json


def add_unit(client, town: Municipality, key: str) -> int:
    return ok(post(client, town, "/units", UNITS[key], role="tenant_admin"), 201)["id"]


def youth(client, town: Municipality, born: dt.date) -> dict:
    """A youth registered with a synthetic national id encoding `born`."""
    return add_person(client, town, national_id=synthetic_id("NO", born), given_name="Ungdom",
                      family_name=f"Født{born.isoformat()}")


def open_case(client, town: Municipality, person_id: int, unit_id: int | None, role: str = "caseworker"):
    body = {"person_id": person_id, "plugin": "due"}
    if unit_id is not None:
        body["referring_unit_id"] = unit_id
    return post(client, town, "/cases", body, role)


def referral(referred_on: str, criteria=("lacks_housing_or_needs_housing_follow_up",), **changes) -> dict:
    return {"legal_basis": "child_welfare_act", "criteria": list(criteria),
            "motivation": "Wants a flat of his own and to finish school.",
            "needs": ["housing", "school"], "referred_on": referred_on, **changes}


def refer(client, town, case_id: int, data: dict, role: str = "caseworker"):
    return post(client, town, "/forms/due/referral/submissions", {"case_id": case_id, "data": data}, role)


def evaluate(client, town, case_id: int | None, inputs: dict, role: str = "caseworker"):
    body = {"inputs": inputs} if case_id is None else {"case_id": case_id, "inputs": inputs}
    return post(client, town, "/rules/due/eligibility/evaluations", body, role)


def move(client, town, case_id: int, transition: str, data: dict | None = None, role: str = "caseworker"):
    return post(client, town, f"/cases/{case_id}/transitions", {"transition": transition, "data": data or {}}, role)


def meeting(client, town, case_id: int, kind: str, day: str, held: bool = True, participants: list | None = None):
    body = {"kind": kind, "starts_at": f"{day}T10:00:00+01:00", "held": held}
    if participants is not None:
        body["participants"] = participants
    return ok(post(client, town, f"/cases/{case_id}/meetings", body), 201)


def eligible_case(client, town, unit_id: int, born: dt.date, referred_on: str, **referral_changes) -> int:
    """A referred case with its referral filed and an eligible recommendation."""
    person = youth(client, town, born)
    case_id = ok(open_case(client, town, person["id"], unit_id), 201)["id"]
    data = referral(referred_on, **referral_changes)
    ok(refer(client, town, case_id, data), 201)
    decision = ok(evaluate(client, town, case_id, {"referred_on": referred_on, "criteria": data["criteria"]}), 201)
    assert decision["outcome"] == "eligible", decision
    return case_id


#: The units' joint assessment a transfer request carries (guideline 4.4).
ASSESSED = {"in_youths_interest": True, "interest_assessment": "Closer to school and his flat; both units agree."}
#: What the leaders of the units involved add when they settle a disputed transfer.
SETTLED = {**ASSESSED, "from_unit_leader": "Leder Barneverntjenesten Bergenhus", "to_unit_leader": "Leder NAV Fana"}

#: Who takes part in the start meeting (guideline 4.3): the youth, DUE and the referring unit.
START_PARTICIPANTS = [{"role": "youth"}, {"role": "coordinator", "name": "Koordinator i DUE", "unit": "DUE"},
                      {"role": "referring_unit", "name": "Saksbehandler", "unit": "Barneverntjenesten Bergenhus"}]
PLAN_GOALS = ["A flat of his own", "School three days a week"]

START_MEETING = {"plan_type": "individual_plan", "additional_needs": ["daytime activity"],
                 "goals": PLAN_GOALS, "participants": START_PARTICIPANTS,
                 "responsibility_group": {"members": ["the youth", "coordinator", "child welfare caseworker"],
                                          "frequency": "every six weeks", "place": "Utekontakten, Bergen"},
                 "tasks": [{"task": "Apply for a municipal flat", "responsible": "coordinator"}],
                 "first_group_meeting_on": None}


def through_intake(client, town, case_id: int, start_on: str, vedtak_unit: int | None = None,
                   decided_on: str | None = None) -> None:
    """invite → assessment → feedback → offer → vedtak requested → vedtak recorded."""
    ok(move(client, town, case_id, "invite"))
    ok(move(client, town, case_id, "start_assessment"))
    ok(post(client, town, "/forms/due/assessment/submissions", {"case_id": case_id, "data": {
        "right_measure": True, "needs": ["housing", "school", "finances"],
        "coordinator_wishes": "Someone who knows Arna."}}), 201)
    ok(move(client, town, case_id, "give_feedback"))
    ok(move(client, town, case_id, "offer", {"start_on": start_on}))
    ok(move(client, town, case_id, "request_vedtak"))
    body = {"decided_on": decided_on or start_on, "reference": "BV-2024/117"}
    if vedtak_unit is not None:
        body["unit_id"] = vedtak_unit
    ok(post(client, town, f"{X}/cases/{case_id}/vedtak", body), 201)


def start_meeting(start_on: str, first_group_meeting_on: str, **changes) -> dict:
    return {**START_MEETING, "first_group_meeting_on": first_group_meeting_on, **changes}


def enter_deflators(client, town, figures: dict[int, str], source: str = "test figure, not a published value"):
    for year, percent in figures.items():
        r = client.put(town.url(f"{X}/deflators/{year}"), json={"percent": percent, "source": source},
                       headers=town.tenant_admin.headers)
        assert r.status_code == 200, r.json


def report(kind: str, written_on: str, *statuses: str, goals: list[str] = PLAN_GOALS) -> dict:
    """A report form's data: each goal of the plan with the status given for it, in order."""
    return {"kind": kind, "written_on": written_on,
            "goals": [{"goal": goal, "status": status, "note": f"{status.replace('_', ' ')} as of {written_on}"}
                      for goal, status in zip(goals, statuses, strict=True)]}


def file_report(client, town, case_id: int, data: dict, role: str = "coordinator"):
    return post(client, town, "/forms/due/report/submissions", {"case_id": case_id, "data": data}, role)
