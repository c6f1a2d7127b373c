"""One of every aftercare record in a town, made through the API as its staff would, for the
isolation tests: the building and its flats, a resident (the move-in) who went a step up the
staircase and back down for a breach, the resident's individual plan with a goal, a partner and
the resident's participation, a qualification programme, the G table, a reservation for a second
case, a rota assignment, a budget year with its lines and financing, and the daily job's warnings.

`every_record` returns the ids keyed by the URL parameter names of the routes (``case_id``,
``flat_id``…; ``lines:line_id`` and ``financing:line_id`` for the two kinds of budget line) and
by the body fields that name a record (``contact_person_id``, ``user_id``, ``decision_id``…), so
a test can fill any route of the OpenAPI document with one town's ids.
"""

from __future__ import annotations

import datetime as dt

from tests.helpers import Municipality
from tests.plugins.aftercare import stay_flows as flow

X = "/x/aftercare"


def ok(response, status=(200, 201)):
    statuses = (status,) if isinstance(status, int) else status
    assert response.status_code in statuses, (response.request.method, response.request.path, response.json)
    return response.json


def _post(client, town: Municipality, path: str, body: dict | None = None, role: str = "aftercare_leader"):
    return ok(client.post(town.url(f"{X}{path}"), json=body, headers=town.staff[role].headers))


def _staircase_down_after_a_breach(client, town: Municipality, case_id: int, moved_in_on: dt.date) -> dict:
    """Up to step 3 after the training flat, then a breach and back down to step 2 (the rule's
    proposal, applied with step 2's special contract)."""
    leader = town.aftercare_leader.headers
    up = ok(client.post(town.url("/rules/aftercare/step_change/evaluations"), headers=leader, json={
        "case_id": case_id, "inputs": {"direction": "up", "reasons": ["Keeps the agreements and the flat."]}}))
    went_up = moved_in_on + dt.timedelta(days=100)
    _post(client, town, f"/cases/{case_id}/steps", {
        "decision_id": up["id"], "on": went_up.isoformat(),
        "lease": {"kind": "special", "signed_on": went_up.isoformat()}})
    breach = _post(client, town, f"/cases/{case_id}/breaches", {
        "occurred_on": (flow.today() - dt.timedelta(days=10)).isoformat(), "kind": "rule",
        "description": f"Had guests staying overnight in {town.tenant.name} against the rules."},
        role="aftercare_staff")
    down = ok(client.post(town.url("/rules/aftercare/step_change/evaluations"), headers=leader, json={
        "case_id": case_id, "inputs": {"direction": "down", "breach_ids": [breach["id"]], "severity": "ordinary",
                                       "reasons": ["Broke the house rule on overnight guests."]}}))
    went_down = flow.today() - dt.timedelta(days=5)
    _post(client, town, f"/cases/{case_id}/steps", {
        "decision_id": down["id"], "on": went_down.isoformat(),
        "lease": {"kind": "special", "signed_on": went_down.isoformat()}})
    return {"decision_id": down["id"], "breach_id": breach["id"]}


def _plan(client, town: Municipality, case_id: int) -> dict:
    staff = "aftercare_staff"
    ok(client.put(town.url(f"{X}/cases/{case_id}/plan"), headers=town.aftercare_staff.headers,
                  json={"contact_person_id": town.aftercare_staff.user_id, "started_on": "2026-03-01"}))
    goal = _post(client, town, f"/cases/{case_id}/plan/goals",
                 {"text": f"A flat of my own in {town.tenant.name}", "target_on": "2026-09-01"}, role=staff)
    _post(client, town, f"/cases/{case_id}/plan/partners", {"partner": "nav", "role": "The qualification programme"},
          role=staff)
    _post(client, town, f"/cases/{case_id}/plan/participation", {
        "consulted_on": "2026-03-02", "method": "conversation", "resident_said": "Wants work training, not a course"},
        role=staff)
    return {"goal_id": goal["id"]}


def _rota(client, town: Municipality) -> dict:
    """The leader on the Monday day shift of a week to come (the pattern made the first time)."""
    shifts = ok(client.get(town.url(f"{X}/rota/pattern"), headers=town.aftercare_staff.headers))["shifts"]
    monday = next(s for s in shifts if s["weekday"] == 0 and s["active"])
    works_on = flow.today() + dt.timedelta(days=7 - flow.today().weekday())
    assignment = _post(client, town, "/rota/assignments", {
        "works_on": works_on.isoformat(), "shift_id": monday["id"], "user_id": town.aftercare_leader.user_id})
    return {"shift_id": monday["id"], "assignment_id": assignment["id"], "works_on": works_on.isoformat()}


def _budget(client, town: Municipality, year: int) -> dict:
    body = _post(client, town, "/budget/plan", {"year": year})
    _post(client, town, f"/budget/{year}/lines", {"kind": "other", "amount": "5000.50", "note": "Kurs"})
    return {"year": year, "lines:line_id": body["lines"][0]["id"], "financing:line_id": body["financing"][0]["id"]}


def every_record(client, town: Municipality, budget_year: int) -> dict:
    """One aftercare record of every kind in `town` (see the module); the ids by parameter name."""
    flats = flow.flats(client, town)
    building_id = ok(client.get(town.url(f"{X}/buildings"), headers=town.aftercare_staff.headers))[0]["id"]
    moved_in_on = flow.today() - dt.timedelta(days=200)
    case_id = flow.resident(client, town, flats["1"], moved_in_on)
    ids = {"building_id": building_id, "flat_id": flats["1"], "free_flat_id": flats["3"], "case_id": case_id,
           "number": 3, "user_id": town.aftercare_leader.user_id, "contact_person_id": town.aftercare_staff.user_id}
    ids.update(_staircase_down_after_a_breach(client, town, case_id, moved_in_on))
    ids.update(_plan(client, town, case_id))
    _post(client, town, "/g-table/published")
    _post(client, town, "/g-table", {"effective_from": "2026-05-01", "amount": "135000",
                                     "source": f"Entered by hand in {town.tenant.name}"})
    ok(client.put(town.url(f"{X}/cases/{case_id}/programme"), headers=town.aftercare_staff.headers,
                  json={"granted_on": "2008-03-15", "starts_on": "2008-04-01", "ends_on": "2008-06-30"}))
    waiting = flow.new_case(client, town)
    reservation = _post(client, town, "/reservations", {"flat_id": flats["2"], "case_id": waiting,
                                                        "starts_on": flow.today().isoformat(), "note": "Next in"})
    ids.update({"waiting_case_id": waiting, "occupancy_id": reservation["id"]})
    ids.update(_rota(client, town))
    ids.update(_budget(client, town, budget_year))
    _post(client, town, "/daily/run", {})  # the stay-limit deadlines, trial periods ending, uncovered shifts
    return ids
