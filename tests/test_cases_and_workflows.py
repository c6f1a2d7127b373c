"""Cases move only along the plugin's workflow (tests/plugins/example.py: referred → assessed →
accepted/declined → closed), every move is journalled, and a case only ever points at records
of its own municipality."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers import add_person, make_municipality, open_case, row_counts
from velferd.models import AuditEvent, Case, CaseEvent, Deadline, Meeting


@pytest.fixture
def case(client, bergen):
    return open_case(client, bergen, add_person(client, bergen)["id"])


def move(client, town, case_id: int, transition: str, role: str = "caseworker", **body):
    return client.post(town.url(f"/cases/{case_id}/transitions"), json={"transition": transition, **body},
                       headers=town.staff[role].headers)


def evaluate(client, town, case_id: int | None, age: int, criteria=("needs_housing",)):
    r = client.post(town.url("/rules/example/eligibility/evaluations"),
                    json={"case_id": case_id, "inputs": {"age": age, "criteria": list(criteria)}},
                    headers=town.caseworker.headers)
    assert r.status_code == 201, r.json
    return r.json


def journal(client, town, case_id: int) -> list[dict]:
    r = client.get(town.url(f"/cases/{case_id}/journal"), headers=town.caseworker.headers)
    assert r.status_code == 200, r.json
    return r.json


def read_case(client, town, case_id: int) -> dict:
    r = client.get(town.url(f"/cases/{case_id}"), headers=town.caseworker.headers)
    assert r.status_code == 200, r.json
    return r.json


# --- the workflow -----------------------------------------------------------------------------

def test_case_goes_from_referral_to_closed_along_the_workflow(client, bergen, case, example_plugin):
    assert case["state"] == "referred" and case["closed_at"] is None

    r = move(client, bergen, case["id"], "assess")
    assert r.status_code == 200, r.json
    assert r.json["state"] == "assessed"
    assert r.json["available_transitions"] == ["accept", "decline"]

    evaluate(client, bergen, case["id"], age=20)
    r = move(client, bergen, case["id"], "accept", note="meets every criterion")
    assert r.status_code == 200, r.json
    assert r.json["state"] == "accepted" and r.json["closed_at"] is None

    r = move(client, bergen, case["id"], "close", role="leader")
    assert r.status_code == 200, r.json
    assert r.json["state"] == "closed"
    assert r.json["available_transitions"] == []
    closed_at = dt.datetime.fromisoformat(r.json["closed_at"])
    assert abs(closed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert read_case(client, bergen, case["id"])["closed_at"] == r.json["closed_at"]
    assert example_plugin.calls.count(("case_transitioned", "bergen")) == 3


def test_every_transition_is_in_the_journal_with_states_and_actor(client, bergen, case):
    move(client, bergen, case["id"], "assess")
    move(client, bergen, case["id"], "decline", note="moved away")
    move(client, bergen, case["id"], "close", role="leader")
    entries = journal(client, bergen, case["id"])
    assert [(e["kind"], e["transition"], e["from_state"], e["to_state"], e["actor_id"]) for e in entries] == [
        ("opened", None, None, "referred", bergen.caseworker.user_id),
        ("transition", "assess", "referred", "assessed", bergen.caseworker.user_id),
        ("transition", "decline", "assessed", "declined", bergen.caseworker.user_id),
        ("transition", "close", "declined", "closed", bergen.leader.user_id),
    ]
    assert entries[2]["text"] == "moved away"
    assert all(dt.datetime.fromisoformat(e["at"]).utcoffset() == dt.timedelta(0) for e in entries)


def test_a_state_that_is_not_final_leaves_closed_at_empty(client, bergen, case):
    r = move(client, bergen, case["id"], "decline")
    assert r.json["state"] == "declined"
    assert r.json["closed_at"] is None


def test_transition_not_allowed_from_the_current_state_is_409_naming_the_state(app, client, bergen, case):
    before = row_counts(app, CaseEvent, AuditEvent)
    r = move(client, bergen, case["id"], "accept")
    assert r.status_code == 409
    assert r.json["message"] == "'accept' cannot be taken from state 'referred'; it starts from assessed"
    assert r.json["fields"] == {"state": "referred"}
    assert read_case(client, bergen, case["id"])["state"] == "referred"
    assert row_counts(app, CaseEvent) == {"case_event": before["case_event"]}


def test_closed_case_cannot_move_again(client, bergen, case):
    move(client, bergen, case["id"], "decline")
    move(client, bergen, case["id"], "close", role="leader")
    r = move(client, bergen, case["id"], "close", role="leader")
    assert r.status_code == 409
    assert "from state 'closed'" in r.json["message"]


def test_unknown_transition_is_404_listing_the_known_ones(client, bergen, case):
    r = move(client, bergen, case["id"], "approve")
    assert r.status_code == 404
    assert "no transition 'approve'" in r.json["message"]
    assert "assess, accept, decline, close" in r.json["message"]


def test_accept_is_refused_until_an_eligible_decision_is_recorded_for_the_case(client, bergen, case):
    move(client, bergen, case["id"], "assess")
    r = move(client, bergen, case["id"], "accept")
    assert r.status_code == 409
    assert "no eligibility decision is recorded" in r.json["message"]

    other_case = open_case(client, bergen, add_person(client, bergen)["id"])
    evaluate(client, bergen, other_case["id"], age=20)  # eligible, but for another case
    evaluate(client, bergen, None, age=20)  # eligible, but for no case
    assert move(client, bergen, case["id"], "accept").status_code == 409

    evaluate(client, bergen, case["id"], age=24)
    r = move(client, bergen, case["id"], "accept")
    assert r.status_code == 409
    assert "the latest eligibility decision is 'not_eligible'" in r.json["message"]
    assert read_case(client, bergen, case["id"])["state"] == "assessed"

    evaluate(client, bergen, case["id"], age=20)
    r = move(client, bergen, case["id"], "accept")
    assert r.status_code == 200, r.json
    assert r.json["state"] == "accepted"


def test_leaders_override_to_eligible_lets_the_case_be_accepted(client, bergen, case):
    move(client, bergen, case["id"], "assess")
    refused = evaluate(client, bergen, case["id"], age=24)
    r = client.post(bergen.url(f"/decisions/{refused['id']}/overrides"),
                    json={"outcome": "eligible", "reason": "turns 23 again on paper: birth date was registered wrong"},
                    headers=bergen.leader.headers)
    assert r.status_code == 201, r.json
    assert move(client, bergen, case["id"], "accept").status_code == 200


def test_transition_needing_a_permission_the_role_lacks_is_403(app, client, bergen, case):
    move(client, bergen, case["id"], "decline")
    before = row_counts(app, CaseEvent)
    r = move(client, bergen, case["id"], "close", role="caseworker")
    assert r.status_code == 403
    assert r.json["message"] == "you need the permission 'decisions:override' for this"
    assert read_case(client, bergen, case["id"])["state"] == "declined"
    assert row_counts(app, CaseEvent) == before


@pytest.mark.parametrize("role, permission", [("finance", "cases:write"), ("auditor", "cases:write")])
def test_roles_without_cases_write_cannot_move_a_case(client, bergen, case, role, permission):
    r = move(client, bergen, case["id"], "assess", role=role)
    assert r.status_code == 403
    assert permission in r.json["message"]


def test_case_of_another_tenant_is_not_found(client, bergen, alta, case):
    for r in (client.get(alta.url(f"/cases/{case['id']}"), headers=alta.caseworker.headers),
              move(client, alta, case["id"], "assess"),
              client.get(alta.url(f"/cases/{case['id']}/journal"), headers=alta.caseworker.headers)):
        assert r.status_code == 404
        assert r.json["message"] == f"no case {case['id']}"
    assert read_case(client, bergen, case["id"])["state"] == "referred"


def test_notes_go_into_the_journal(client, bergen, case):
    r = client.post(bergen.url(f"/cases/{case['id']}/journal"), json={"text": "Called the school."},
                    headers=bergen.caseworker.headers)
    assert r.status_code == 201, r.json
    note = journal(client, bergen, case["id"])[-1]
    assert (note["kind"], note["text"], note["actor_id"]) == ("note", "Called the school.", bergen.caseworker.user_id)
    assert note["from_state"] is None and note["to_state"] is None


# --- opening cases: references must exist in this municipality --------------------------------

def test_case_for_a_person_of_another_tenant_is_422_naming_person_id(app, client, bergen, alta):
    foreign = add_person(client, alta)
    before = row_counts(app, Case, CaseEvent, AuditEvent)
    r = client.post(bergen.url("/cases"), json={"person_id": foreign["id"], "plugin": "example"},
                    headers=bergen.caseworker.headers)
    assert r.status_code == 422
    assert r.json["fields"] == {"person_id": [f"no person {foreign['id']} in this municipality"]}
    assert row_counts(app, Case, CaseEvent, AuditEvent) == before


def test_case_with_a_non_existent_or_foreign_unit_is_422_naming_referring_unit_id(app, client, bergen, alta):
    person = add_person(client, bergen)
    r = client.post(alta.url("/units"), json={"name": "NAV Alta", "kind": "nav_office"}, headers=alta.tenant_admin.headers)
    assert r.status_code == 201, r.json
    before = row_counts(app, Case, CaseEvent)
    for unit_id in (9999, r.json["id"]):
        r = client.post(bergen.url("/cases"), json={"person_id": person["id"], "plugin": "example",
                                                    "referring_unit_id": unit_id}, headers=bergen.caseworker.headers)
        assert r.status_code == 422
        assert list(r.json["fields"]) == ["referring_unit_id"]
        assert f"no unit {unit_id}" in r.json["fields"]["referring_unit_id"][0]
    assert row_counts(app, Case, CaseEvent) == before


def test_case_with_a_referring_unit_and_assignee_of_this_municipality_is_opened(client, bergen):
    unit = client.post(bergen.url("/units"), json={"name": "NAV Bergenhus", "kind": "nav_office"},
                       headers=bergen.tenant_admin.headers).json
    person = add_person(client, bergen)
    case = open_case(client, bergen, person["id"], referring_unit_id=unit["id"], assigned_to_id=bergen.leader.user_id)
    assert case["referring_unit_id"] == unit["id"]
    assert case["assigned_to_id"] == bergen.leader.user_id


def test_case_assigned_to_staff_of_another_tenant_is_422_naming_assigned_to_id(client, bergen, alta):
    person = add_person(client, bergen)
    r = client.post(bergen.url("/cases"), json={"person_id": person["id"], "plugin": "example",
                                                "assigned_to_id": alta.caseworker.user_id},
                    headers=bergen.caseworker.headers)
    assert r.status_code == 422
    assert list(r.json["fields"]) == ["assigned_to_id"]


def test_case_for_a_plugin_the_tenant_has_not_enabled_is_404(app, client):
    odense = make_municipality(app, "odense", roles=("caseworker",), plugins=())
    person = add_person(client, odense)
    r = client.post(odense.url("/cases"), json={"person_id": person["id"], "plugin": "example"},
                    headers=odense.caseworker.headers)
    assert r.status_code == 404
    assert "no plugin 'example' is enabled" in r.json["message"]


# --- lists ------------------------------------------------------------------------------------

def test_case_list_pages_by_id(client, bergen):
    person = add_person(client, bergen)
    ids = [open_case(client, bergen, person["id"])["id"] for _ in range(5)]
    seen, after, pages = [], 0, 0
    while after is not None:
        r = client.get(bergen.url(f"/cases?limit=2&after_id={after}"), headers=bergen.caseworker.headers)
        assert r.status_code == 200, r.json
        assert len(r.json["items"]) <= 2
        seen += [c["id"] for c in r.json["items"]]
        after = r.json["next_after_id"]
        pages += 1
    assert seen == ids
    assert pages == 3


def test_case_list_filters_by_state_person_and_plugin(client, bergen):
    ola, kari = add_person(client, bergen), add_person(client, bergen, given_name="Kari")
    first = open_case(client, bergen, ola["id"])
    second = open_case(client, bergen, kari["id"])
    move(client, bergen, second["id"], "assess")

    def ids(query):
        r = client.get(bergen.url(f"/cases?{query}"), headers=bergen.caseworker.headers)
        assert r.status_code == 200, r.json
        return [c["id"] for c in r.json["items"]]

    assert ids("state=referred") == [first["id"]]
    assert ids("state=assessed") == [second["id"]]
    assert ids(f"person_id={kari['id']}") == [second["id"]]
    assert ids("plugin=example") == [first["id"], second["id"]]
    assert ids("plugin=due") == []


def test_case_list_shows_name_and_masked_national_id_only(client, bergen):
    person = add_person(client, bergen, given_name="Kari", family_name="Nordmann")
    open_case(client, bergen, person["id"])
    full = client.get(bergen.url(f"/persons/{person['id']}"), headers=bergen.caseworker.headers).json["national_id"]
    r = client.get(bergen.url("/cases"), headers=bergen.caseworker.headers)
    item = r.json["items"][0]
    assert item["person_name"] == "Kari Nordmann"
    assert item["person_national_id"] == full[:6] + "*****"
    assert full not in r.get_data(as_text=True)


def test_case_list_with_an_unknown_filter_is_422_naming_it(client, bergen):
    r = client.get(bergen.url("/cases?colour=red"), headers=bergen.caseworker.headers)
    assert r.status_code == 422
    assert "colour" in r.json["fields"]


def test_other_tenants_cases_are_not_listed(client, bergen, alta, case):
    r = client.get(alta.url("/cases"), headers=alta.caseworker.headers)
    assert r.json == {"items": [], "next_after_id": None}


def test_person_list_masks_national_ids_while_reading_one_shows_it(client, bergen):
    person = add_person(client, bergen)
    full = client.get(bergen.url(f"/persons/{person['id']}"), headers=bergen.caseworker.headers).json["national_id"]
    assert len(full) == 11 and full.isdigit()
    r = client.get(bergen.url("/persons"), headers=bergen.caseworker.headers)
    assert [p["national_id"] for p in r.json] == [full[:6] + "*****"]
    assert full not in r.get_data(as_text=True)


def test_person_list_pages_and_searches_by_name(client, bergen):
    ids = [add_person(client, bergen, given_name=name)["id"] for name in ("Ola", "Kari", "Nora")]
    r = client.get(bergen.url(f"/persons?limit=2&after_id={ids[0]}"), headers=bergen.caseworker.headers)
    assert [p["id"] for p in r.json] == ids[1:]
    r = client.get(bergen.url("/persons?q=kar"), headers=bergen.caseworker.headers)
    assert [p["given_name"] for p in r.json] == ["Kari"]


# --- meetings and deadlines -------------------------------------------------------------------

def test_meetings_are_added_and_listed_with_their_time_zone_kept(client, bergen, case):
    url = bergen.url(f"/cases/{case['id']}/meetings")
    r = client.post(url, json={"kind": "kartleggingsmøte", "starts_at": "2026-03-02T09:30:00+01:00",
                               "place": "Årstad"}, headers=bergen.caseworker.headers)
    assert r.status_code == 201, r.json
    listed = client.get(url, headers=bergen.caseworker.headers).json
    assert [(m["kind"], m["place"], m["held"]) for m in listed] == [("kartleggingsmøte", "Årstad", False)]
    assert dt.datetime.fromisoformat(listed[0]["starts_at"]) == dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.UTC)


def test_meeting_without_a_time_zone_is_422_and_not_stored(app, client, bergen, case):
    before = row_counts(app, Meeting)
    r = client.post(bergen.url(f"/cases/{case['id']}/meetings"), json={"kind": "first", "starts_at": "2026-03-02T09:30:00"},
                    headers=bergen.caseworker.headers)
    assert r.status_code == 422
    assert "starts_at" in r.json["fields"]
    assert row_counts(app, Meeting) == before


def test_deadlines_are_added_and_listed(client, bergen, case):
    url = bergen.url(f"/cases/{case['id']}/deadlines")
    for kind, due in (("tiltaksplan", "2026-04-01"), ("evaluering", "2026-06-30")):
        r = client.post(url, json={"kind": kind, "due_on": due}, headers=bergen.caseworker.headers)
        assert r.status_code == 201, r.json
    listed = client.get(url, headers=bergen.caseworker.headers).json
    assert [(d["kind"], d["due_on"], d["completed_at"]) for d in listed] == [
        ("tiltaksplan", "2026-04-01", None), ("evaluering", "2026-06-30", None),
    ]


def test_deadline_with_an_impossible_date_is_422(app, client, bergen, case):
    before = row_counts(app, Deadline)
    r = client.post(bergen.url(f"/cases/{case['id']}/deadlines"), json={"kind": "x", "due_on": "2026-02-30"},
                    headers=bergen.caseworker.headers)
    assert r.status_code == 422
    assert "due_on" in r.json["fields"]
    assert row_counts(app, Deadline) == before


def test_meetings_and_deadlines_of_another_tenants_case_are_not_found(client, alta, case):
    for child in ("meetings", "deadlines"):
        assert client.get(alta.url(f"/cases/{case['id']}/{child}"), headers=alta.caseworker.headers).status_code == 404
    r = client.post(alta.url(f"/cases/{case['id']}/deadlines"), json={"kind": "x", "due_on": "2026-04-01"},
                    headers=alta.caseworker.headers)
    assert r.status_code == 404
