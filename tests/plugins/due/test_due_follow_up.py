"""Intake rules, coordinators and substitutes, transfers, ending — and their refusals (4xx)."""

from __future__ import annotations

import datetime as dt

from .flows import (
    ASSESSED,
    SETTLED,
    X,
    eligible_case,
    enter_deflators,
    get,
    meeting,
    move,
    ok,
    post,
    start_meeting,
    through_intake,
)


def test_transition_data_is_validated_with_422_naming_the_field(client, bergen, units):
    case_id = eligible_case(client, bergen, units["barnevern"], dt.date(2006, 4, 4), "2025-01-06")
    ok(move(client, bergen, case_id, "invite"))
    r = move(client, bergen, case_id, "give_feedback")
    assert r.status_code == 409 and "assessment" in r.json["message"]
    ok(move(client, bergen, case_id, "start_assessment"))
    r = move(client, bergen, case_id, "decline", {"reasons": []})
    assert r.status_code == 422 and "reasons" in r.json["fields"]
    ok(post(client, bergen, "/forms/due/assessment/submissions", {"case_id": case_id, "data": {
        "right_measure": True, "needs": ["housing"]}}), 201)
    ok(move(client, bergen, case_id, "give_feedback"))
    for data, field in [({}, "start_on"), ({"start_on": "soon"}, "start_on"), ({"start_on": "2024-12-01"}, "start_on"),
                        ({"start_on": "2025-03-01", "colour": "red"}, "colour")]:
        r = move(client, bergen, case_id, "offer", data)
        assert r.status_code == 422 and field in r.json["fields"], (data, r.json)
    ok(client.patch(bergen.url("/plugins/due/settings"), json={"start_on_1st_or_15th": True},
                    headers=bergen.tenant_admin.headers))
    r = move(client, bergen, case_id, "offer", {"start_on": "2025-03-03"})
    assert r.status_code == 422 and "1st or the 15th" in r.json["fields"]["start_on"][0]
    ok(move(client, bergen, case_id, "offer", {"start_on": "2025-03-15"}))


def test_declined_with_reasons(client, bergen, units):
    case_id = eligible_case(client, bergen, units["barnevern"], dt.date(2006, 4, 4), "2025-01-06")
    r = move(client, bergen, case_id, "decline", {"reasons": ["The youth does not want DUE now."]})
    assert ok(r)["state"] == "declined"


def test_vedtak_needs_a_payer_set_up_for_its_kind(client, bergen, units):
    case_id = eligible_case(client, bergen, units["barnevern"], dt.date(2006, 4, 4), "2025-01-06")
    misconfigured = ok(post(client, bergen, "/units", {"name": "NAV Laksevåg", "kind": "nav_office",
                                                       "payer_kind": "internal"}, role="tenant_admin"), 201)["id"]
    through_intake(client, bergen, case_id, "2025-03-01", decided_on="2025-02-20")
    r = post(client, bergen, f"{X}/cases/{case_id}/vedtak", {"decided_on": "2025-02-21", "reference": "x",
                                                             "unit_id": misconfigured})
    assert r.status_code == 422 and "sales order" in r.json["fields"]["unit_id"][0]
    r = post(client, bergen, f"{X}/cases/{case_id}/vedtak", {"decided_on": "2099-01-01", "reference": "x"})
    assert r.status_code == 422 and "decided_on" in r.json["fields"]


def test_start_meeting_data_is_checked(client, bergen, units):
    case_id = eligible_case(client, bergen, units["barnevern"], dt.date(2006, 4, 4), "2025-01-06")
    through_intake(client, bergen, case_id, "2025-03-01", decided_on="2025-02-20")
    for data, field in [(start_meeting("2025-03-01", "2025-02-01"), "first_group_meeting_on"),
                        (start_meeting("2025-03-01", "2025-03-20", plan_type="wish_list"), "plan_type"),
                        (start_meeting("2025-03-01", "2025-03-20", tasks=[]), "tasks")]:
        r = move(client, bergen, case_id, "hold_start_meeting", data)
        assert r.status_code == 422 and field in r.json["fields"], (field, r.json)


def test_coordinator_defaults_and_absence_without_substitute_is_flagged(client, bergen, running):
    flags = ok(get(client, bergen, f"{X}/coordination-flags", role="coordinator", on="2025-03-05"))
    assert flags == [{"case_id": running, "coordinator_user_id": None,
                      "reason": "no coordinator is assigned on 2025-03-05"}]
    assignment = ok(client.put(bergen.url(f"{X}/cases/{running}/coordinator"), json={
        "user_id": bergen.coordinator.user_id, "assigned_on": "2025-03-01"}, headers=bergen.coordinator.headers))
    assert (assignment["weekly_hours"], assignment["reachable_from"], assignment["reachable_to"],
            assignment["reachable_days"]) == ("8.00", "08:00", "20:00", ["mon", "tue", "wed", "thu", "fri"])
    ok(post(client, bergen, f"{X}/absences", {"user_id": bergen.coordinator.user_id, "starts_on": "2025-04-01",
                                               "ends_on": "2025-04-14", "reason": "sickness"}, role="coordinator"), 201)
    flags = ok(get(client, bergen, f"{X}/coordination-flags", role="coordinator", on="2025-04-02"))
    assert [f["case_id"] for f in flags] == [running] and "no substitute" in flags[0]["reason"]
    ok(post(client, bergen, f"{X}/absences", {"user_id": bergen.coordinator.user_id, "starts_on": "2025-07-01",
                                               "ends_on": "2025-07-21", "reason": "holiday",
                                               "substitute_user_id": bergen.leader.user_id}, role="coordinator"), 201)
    assert ok(get(client, bergen, f"{X}/coordination-flags", role="coordinator", on="2025-07-02")) == []


def test_coordinator_and_absence_input_is_checked(client, bergen, alta, running):
    put = lambda body: client.put(bergen.url(f"{X}/cases/{running}/coordinator"), json=body,  # noqa: E731
                                  headers=bergen.coordinator.headers)
    for body, field in [({"user_id": alta.coordinator.user_id, "assigned_on": "2025-03-01"}, "user_id"),
                        ({"user_id": bergen.coordinator.user_id, "assigned_on": "2025-03-01",
                          "reachable_from": "20:00", "reachable_to": "08:00"}, "reachable_to"),
                        ({"user_id": bergen.coordinator.user_id, "assigned_on": "2025-03-01",
                          "reachable_from": "8 o'clock"}, "reachable_from"),
                        ({"user_id": bergen.coordinator.user_id, "assigned_on": "2025-03-01",
                          "weekly_hours": "0"}, "weekly_hours")]:
        r = put(body)
        assert r.status_code == 422 and field in r.json["fields"], (field, r.json)
    r = post(client, bergen, f"{X}/absences", {"user_id": bergen.coordinator.user_id, "starts_on": "2025-04-10",
                                                "ends_on": "2025-04-01", "reason": "sickness",
                                                "substitute_user_id": bergen.coordinator.user_id}, role="coordinator")
    assert r.status_code == 422 and "ends_on" in r.json["fields"]


def test_transfer_only_after_a_transfer_meeting(client, bergen, units, running):
    body = {"to_unit_id": units["nav_arna"], "effective_on": "2025-05-01", "units_agree": True, **ASSESSED}
    r = post(client, bergen, f"{X}/cases/{running}/transfers", body)
    assert r.status_code == 409 and "transfer meeting must take place" in r.json["message"]
    meeting(client, bergen, running, "transfer_meeting", "2025-04-20", held=False)
    assert post(client, bergen, f"{X}/cases/{running}/transfers", body).status_code == 409
    meeting(client, bergen, running, "transfer_meeting", "2025-04-22")
    transfer = ok(post(client, bergen, f"{X}/cases/{running}/transfers", body), 201)
    assert transfer["status"] == "completed"
    payers = ok(get(client, bergen, f"{X}/cases/{running}/placement"))["payers"]
    assert [(p["unit_id"], p["starts_on"], p["ends_on"]) for p in payers] == [
        (units["barnevern"], "2025-03-01", "2025-04-30"), (units["nav_arna"], "2025-05-01", None)]


def test_a_disputed_transfer_waits_for_a_leader_and_the_payer_stays(client, bergen, units, running):
    meeting(client, bergen, running, "transfer_meeting", "2025-04-22")
    r = post(client, bergen, f"{X}/cases/{running}/transfers", {
        "to_unit_id": units["nav_fana"], "effective_on": "2025-05-01", "units_agree": False, **ASSESSED})
    assert r.status_code == 422 and "disagreement" in r.json["fields"]
    transfer = ok(post(client, bergen, f"{X}/cases/{running}/transfers", {
        "to_unit_id": units["nav_fana"], "effective_on": "2025-05-01", "units_agree": False, **ASSESSED,
        "disagreement": "NAV Fana says the youth still lives in Bergenhus."}), 201)
    assert transfer["status"] == "on_hold"
    ok(client.post(bergen.url(f"{X}/deflators/published"), headers=bergen.tenant_admin.headers))
    enter_deflators(client, bergen, {2017: "2.5", 2018: "2.6"})
    lines = ok(get(client, bergen, f"{X}/invoice-lines", role="leader", period="2025-05"))
    assert [(line["payer_unit_id"], line["unit_price"]) for line in lines] == [(units["barnevern"], "23515.00")]
    again = post(client, bergen, f"{X}/cases/{running}/transfers", {
        "to_unit_id": units["nav_arna"], "effective_on": "2025-05-01", "units_agree": True, **ASSESSED})
    assert again.status_code == 409  # the case waits until decided
    decide = {"approve": True, "reason": "The youth moved to Fana in April.", "effective_on": "2025-06-01", **SETTLED}
    assert post(client, bergen, f"{X}/transfers/{transfer['id']}/decision", decide).status_code == 403
    decided = ok(post(client, bergen, f"{X}/transfers/{transfer['id']}/decision", decide, role="leader"))
    assert (decided["status"], decided["effective_on"]) == ("completed", "2025-06-01")
    assert post(client, bergen, f"{X}/transfers/{transfer['id']}/decision", decide, role="leader").status_code == 409
    payers = ok(get(client, bergen, f"{X}/cases/{running}/placement"))["payers"]
    assert [(p["unit_id"], p["ends_on"]) for p in payers] == [(units["barnevern"], "2025-05-31"),
                                                               (units["nav_fana"], None)]


def test_break_off_ends_at_once_and_close_needs_ending_meeting_and_final_report(client, bergen, running):
    r = move(client, bergen, running, "break_off", {"ended_on": "2025-02-01", "reason": "Moved abroad."})
    assert r.status_code == 422 and "ended_on" in r.json["fields"]
    ok(move(client, bergen, running, "break_off", {"ended_on": "2025-04-10", "reason": "Moved to Oslo."}))
    placement = ok(get(client, bergen, f"{X}/cases/{running}/placement"))
    assert (placement["end_on"], placement["ended_by"]) == ("2025-04-10", "break_off")
    assert [(d["kind"], d["due_on"]) for d in placement["deadlines"]] == [("due_final_report", "2025-05-10")]
    r = move(client, bergen, running, "close")
    assert r.status_code == 409 and "ending meeting" in r.json["message"] and "final report" in r.json["message"]


def test_notice_two_calendar_months_from_the_notice_date(client, bergen, running):
    r = move(client, bergen, running, "give_notice", {"notice_on": "2024-12-31"})
    assert r.status_code == 422 and "notice_on" in r.json["fields"]
    ok(move(client, bergen, running, "give_notice", {"notice_on": "2025-12-31"}))
    assert ok(get(client, bergen, f"{X}/cases/{running}/placement"))["end_on"] == "2026-02-28"


def test_extra_resources_are_approved_in_advance_by_a_leader(client, bergen, running):
    body = {"description": "extra hours", "monthly_amount": "2500.00", "starts_on": "2025-04-01",
            "ends_on": "2025-05-31", "approved_on": "2025-04-02"}
    assert post(client, bergen, f"{X}/cases/{running}/extra-resources", body).status_code == 403
    r = post(client, bergen, f"{X}/cases/{running}/extra-resources", body, role="leader")
    assert r.status_code == 422 and "approved_on" in r.json["fields"]
    r = post(client, bergen, f"{X}/cases/{running}/extra-resources", {**body, "monthly_amount": "-5"}, role="leader")
    assert r.status_code == 422 and "monthly_amount" in r.json["fields"]
    ok(post(client, bergen, f"{X}/cases/{running}/extra-resources", {**body, "approved_on": "2025-03-25"},
            role="leader"), 201)
