"""One of every dropin record in a town, made through the API as its staff would, for the
isolation tests (tests/plugins/dropin/test_dropin_isolation.py): a centre and its cooperation
agreement; an outreach service with a weekly slot, a holiday and a cancelled session (which
publish the centre's weeks); an anonymous contact and a consented citizen — the consent
registers the person and opens the dropin case, linking the code's contacts — with a contact
recorded by person; a statutory meeting at the centre on that case; a team activity with a
session and a super-user; the implementation team's member, meeting, working group, competence
item and phase; a cost; a citizen's and a staff member's survey answers.

`every_record` returns the ids keyed by the URL parameter names of the routes (``centre_id``,
``slot_id``…; ``implementation:meeting_id`` for the implementation team's meeting, which shares
its parameter name with the statutory meeting's) and by the body fields that name a record
(``person_id``, ``case_id``, ``service_id``, ``user_id``), so a test can fill any route of the
OpenAPI document with one town's ids.

Every free text carries the town's name (`mark`), so a test can see whether one town's rows
show up in what another town reads.
"""

from __future__ import annotations

import datetime as dt

from tests.helpers import Municipality
from velferd.clock import tenant_today
from velferd.testing import synthetic_id

X = "/x/dropin"
ROLE = "dropin_coordinator"  # holds every dropin permission


def ok(response, status=(200, 201)):
    statuses = (status,) if isinstance(status, int) else status
    assert response.status_code in statuses, (response.request.method, response.request.path, response.json)
    return response.json


def mark(town: Municipality) -> str:
    """The words every free text of `town`'s records contains."""
    return f"in {town.tenant.name}"


def this_monday(town: Municipality) -> dt.date:
    today = tenant_today(town.tenant)
    return today - dt.timedelta(days=today.weekday())


def _post(client, town: Municipality, path: str, body: dict | None = None, role: str = ROLE) -> dict:
    return ok(client.post(town.url(f"{X}{path}"), json=body, headers=town.staff[role].headers))


def _centre(client, town: Municipality) -> dict:
    centre = _post(client, town, "/centres", {"name": f"Café {town.tenant.name}", "ownership": "private",
                                             "address": f"Vestergade 1 {mark(town)}", "private_room": True})
    agreement = _post(client, town, f"/centres/{centre['id']}/agreements", {
        "parties": f"The municipality and the centre {mark(town)}", "starts_on": "2025-01-01",
        "municipality_provides": "A caseworker one day a week", "centre_provides": "A private room"})
    return {"centre_id": centre["id"], "centre_slug": centre["slug"], "agreement_id": agreement["id"]}


def _presence(client, town: Municipality, centre_id: int) -> dict:
    """A caseworker's Tuesday slot, a holiday in three weeks and next Tuesday cancelled; each
    change republishes the centre's weeks."""
    service = _post(client, town, "/services", {"kind": "case_processing", "administration": "jobcenter",
                                                "decides_cases": True, "note": f"Walk in {mark(town)}"})
    monday = this_monday(town)
    slot = _post(client, town, f"/centres/{centre_id}/slots", {
        "service_id": service["id"], "user_id": town.dropin_outreach.user_id, "weekday": "tuesday",
        "starts": "10:00", "ends": "14:00", "valid_from": monday.isoformat()})
    holiday = monday + dt.timedelta(days=21)
    _post(client, town, f"/centres/{centre_id}/holidays", {
        "starts_on": holiday.isoformat(), "ends_on": (holiday + dt.timedelta(days=2)).isoformat(),
        "reason": f"Summer {mark(town)}"})
    _post(client, town, f"/slots/{slot['id']}/cancellations", {
        "falls_on": (monday + dt.timedelta(days=8)).isoformat(), "reason": f"Course {mark(town)}"})
    _post(client, town, "/schedule/rebuild", {})
    return {"service_id": service["id"], "slot_id": slot["id"], "user_id": town.dropin_outreach.user_id,
            "week": monday.isoformat()}


def _contacts(client, town: Municipality, centre_id: int) -> dict:
    """An anonymous contact; a coded one whose citizen then consents (a person and a dropin case,
    the code's contact linked); a contact recorded by the person afterwards."""
    day = (tenant_today(town.tenant) - dt.timedelta(days=3)).isoformat()
    contact = {"centre_id": centre_id, "contact_on": day, "help": ["forms_paperwork"], "service": "centre",
               "worker_role": "centre_staff"}
    anonymous = _post(client, town, "/contacts", {**contact, "note": f"A letter {mark(town)}"})
    _post(client, town, "/contacts", {**contact, "citizen_code": "RAVN"})
    consent = _post(client, town, "/consents", {
        "citizen_code": "ravn", "given_on": day, "scope": ["jobcentre", "centre_staff"],
        "national_id": synthetic_id(town.tenant.country, dt.date(1980, 5, 17)),
        "given_name": "Test", "family_name": "Borger"})
    known = _post(client, town, "/contacts", {**contact, "person_id": consent["person_id"]})
    return {"contact_id": anonymous["id"], "known_contact_id": known["id"], "consent_id": consent["id"],
            "person_id": consent["person_id"], "case_id": consent["case_id"]}


def _meeting(client, town: Municipality, centre_id: int, case_id: int) -> dict:
    meeting = _post(client, town, "/meetings", {
        "service": "case_processing", "administration": "jobcenter", "subject": f"Follow-up {mark(town)}",
        "meets_on": "2025-03-04", "meets_at": "10:30", "place": "centre", "centre_id": centre_id,
        "chosen_by_citizen": True, "case_id": case_id})
    return {"meeting_id": meeting["id"]}


def _activity(client, town: Municipality, centre_id: int) -> dict:
    activity = _post(client, town, f"/centres/{centre_id}/activities", {
        "title": f"IT course {mark(town)}", "kind": "it_course", "topics": ["MitID"],
        "starts_on": "2025-09-01", "ends_on": "2025-11-30"})
    _post(client, town, f"/activities/{activity['id']}/sessions", {"held_on": "2025-09-02", "anonymous_count": 6})
    _post(client, town, f"/activities/{activity['id']}/super-users", {"alias": "Anne-Marie", "trained_on": "2025-08-15"})
    return {"activity_id": activity["id"]}


def _implementation(client, town: Municipality, centre_id: int) -> dict:
    team = "/implementation"
    member = _post(client, town, f"{team}/members", {"name": "Mette Hansen", "organisation_kind": "centre",
                                                     "centre_id": centre_id, "role": f"Leader {mark(town)}"})
    meeting = _post(client, town, f"{team}/meetings", {"held_on": "2025-02-03", "agenda": f"Start {mark(town)}"})
    group = _post(client, town, f"{team}/working-groups", {"name": "Visitation", "purpose": f"Referrals {mark(town)}",
                                                          "started_on": "2025-02-01"})
    item = _post(client, town, f"{team}/plan", {"topic": f"Dialogue {mark(town)}", "audience": "both",
                                                "planned_on": "2025-04-01"})
    phase = _post(client, town, f"{team}/phases", {"kind": "preparation", "starts_on": "2025-01-01",
                                                   "ends_on": "2025-03-31", "note": f"Agreements {mark(town)}"})
    return {"member_id": member["id"], "implementation:meeting_id": meeting["id"], "group_id": group["id"],
            "item_id": item["id"], "phase_id": phase["id"]}


def _evaluation(client, town: Municipality, centre_id: int) -> dict:
    cost = _post(client, town, "/costs", {"year": 2025, "service": "case_processing", "amount": "182000.10",
                                          "label": f"Caseworker {mark(town)}"})
    _post(client, town, "/surveys/citizen", {"centre_id": centre_id, "answered_on": "2025-06-01", "satisfied": 5,
                                             "comment": f"More coffee {mark(town)}"})
    _post(client, town, "/surveys/staff", {"centre_id": centre_id, "answered_on": "2025-06-01", "cooperation": 4})
    return {"cost_id": cost["id"], "year": 2025}


def every_record(client, town: Municipality) -> dict:
    """One dropin record of every kind in `town` (see the module); the ids by parameter name."""
    ids = _centre(client, town)
    centre_id = ids["centre_id"]
    ids.update(_presence(client, town, centre_id))
    ids.update(_contacts(client, town, centre_id))
    ids.update(_meeting(client, town, centre_id, ids["case_id"]))
    ids.update(_activity(client, town, centre_id))
    ids.update(_implementation(client, town, centre_id))
    ids.update(_evaluation(client, town, centre_id))
    return ids
