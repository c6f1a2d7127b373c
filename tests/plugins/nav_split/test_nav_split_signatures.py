"""Rusfaglig Forum decisions: who drafts (Spesialteamet for NAV cases, Rusteamet for Livsmestring
cases), the second signature (the Forum's coordinator or deputy, never the drafter), and the two
signatures a complaint to the county governor needs."""

from __future__ import annotations

import pytest

from tests.helpers import add_staff

from .flows import X, allocated_case, assess, draft, kartlegging


def approve(client, town, forum_decision_id, role="forum_coordinator"):
    return client.post(town.url(f"{X}/forum-decisions/{forum_decision_id}/approval"), headers=town.staff[role].headers)


def complaint(client, town, forum_decision_id, role="forum_coordinator"):
    return client.post(town.url(f"{X}/forum-decisions/{forum_decision_id}/complaints"),
                       json={"grounds": "The user's lawyer disputes the refusal."}, headers=town.staff[role].headers)


def sign(client, town, complaint_id, capacity, role):
    return client.post(town.url(f"{X}/complaints/{complaint_id}/signatures"), json={"capacity": capacity},
                       headers=town.staff[role].headers)


def send(client, town, complaint_id, role="forum_coordinator"):
    return client.post(town.url(f"{X}/complaints/{complaint_id}/sending"), headers=town.staff[role].headers)


@pytest.mark.parametrize("unit, team, wrong_team, permission, rule", [
    ("nav", "spesialteam", "rusteam", "nav_split:forum:draft_nav",
     "a NAV case's Forum agreement is drafted by Spesialteamet"),
    ("livsmestring", "rusteam", "spesialteam", "nav_split:forum:draft_livsmestring",
     "a Livsmestring case's Forum agreement is drafted by Rusteamet"),
])
def test_the_coordinating_units_team_drafts_and_the_other_team_gets_403(client, kristiansand, unit, team, wrong_team,
                                                                          permission, rule):
    case = allocated_case(client, kristiansand, unit)
    r = draft(client, kristiansand, case["id"], role=wrong_team)
    assert r.status_code == 403 and permission in r.json["message"]
    assert r.json["message"].startswith(rule), r.json
    r = draft(client, kristiansand, case["id"], role=team)
    assert r.status_code == 201, r.json
    assert (r.json["responsible_unit"], r.json["drafting_team"], r.json["status"]) == (unit, team, "draft")


def test_a_case_with_no_coordinating_unit_yet_cannot_be_drafted_for(client, kristiansand):
    case, _ = assess(client, kristiansand, kartlegging(work_line_realistic="unclear"))
    r = draft(client, kristiansand, case["id"])
    assert r.status_code == 409 and "neither NAV nor Livsmestring" in r.json["message"]


def test_the_drafter_cannot_approve_but_the_coordinator_or_deputy_can(app, client, kristiansand):
    add_staff(app, kristiansand, "drafting_coordinator", ["spesialteam", "forum_coordinator"])
    case = allocated_case(client, kristiansand, "nav")
    own = draft(client, kristiansand, case["id"], role="drafting_coordinator").json
    r = approve(client, kristiansand, own["id"], role="drafting_coordinator")
    assert r.status_code == 409 and "the drafter cannot give the second signature" in r.json["message"]
    r = approve(client, kristiansand, own["id"], role="forum_deputy")
    assert r.status_code == 200, r.json
    assert (r.json["status"], r.json["approved_by_id"]) == ("approved", kristiansand.forum_deputy.user_id)
    assert approve(client, kristiansand, own["id"]).status_code == 409  # once

    other = draft(client, kristiansand, case["id"]).json
    r = approve(client, kristiansand, other["id"], role="forum_coordinator")
    assert r.status_code == 200 and r.json["approved_by_id"] == kristiansand.forum_coordinator.user_id


@pytest.mark.parametrize("role", ["caseworker", "forvaltning", "spesialteam", "forum_leader"])
def test_a_user_without_the_role_cannot_approve(client, kristiansand, role):
    case = allocated_case(client, kristiansand, "nav")
    drafted = draft(client, kristiansand, case["id"]).json
    r = approve(client, kristiansand, drafted["id"], role=role)
    assert r.status_code == 403 and "nav_split:forum:approve" in r.json["message"]
    assert client.get(kristiansand.url(f"{X}/forum-decisions/{drafted['id']}"),
                      headers=kristiansand.forvaltning.headers).json["status"] == "draft"


def approved_decision(client, town) -> dict:
    case = allocated_case(client, town, "nav")
    drafted = draft(client, town, case["id"], verdict="refusal").json
    assert approve(client, town, drafted["id"]).status_code == 200
    return drafted


def test_a_complaint_needs_the_forum_leader_and_the_head_of_forvaltning(client, kristiansand):
    decision = approved_decision(client, kristiansand)
    made = complaint(client, kristiansand, decision["id"])
    assert made.status_code == 201, made.json
    cid = made.json["id"]
    r = send(client, kristiansand, cid)
    assert r.status_code == 409 and r.json["fields"]["missing_signatures"] == ["forum_leader", "forvaltning_head"]
    assert sign(client, kristiansand, cid, "forum_leader", "forum_leader").status_code == 201
    r = send(client, kristiansand, cid)  # one signature is not enough
    assert r.status_code == 409 and "forvaltning_head" in r.json["message"]
    assert client.get(kristiansand.url(f"{X}/complaints/{cid}"),
                      headers=kristiansand.forum_leader.headers).json["status"] == "draft"
    assert sign(client, kristiansand, cid, "forvaltning_head", "forvaltning_head").status_code == 201
    r = send(client, kristiansand, cid)
    assert r.status_code == 200, r.json
    assert r.json["status"] == "sent" and r.json["sent_at"]
    assert sorted((s["capacity"], s["user_id"]) for s in r.json["signatures"]) == [
        ("forum_leader", kristiansand.forum_leader.user_id), ("forvaltning_head", kristiansand.forvaltning_head.user_id)]
    assert send(client, kristiansand, cid).status_code == 409  # sent once


@pytest.mark.parametrize("capacity, role, permission", [
    ("forum_leader", "forum_coordinator", "nav_split:complaint:sign_forum_leader"),
    ("forum_leader", "forvaltning_head", "nav_split:complaint:sign_forum_leader"),
    ("forvaltning_head", "forum_leader", "nav_split:complaint:sign_forvaltning_head"),
    ("forvaltning_head", "forvaltning", "nav_split:complaint:sign_forvaltning_head"),
    ("forvaltning_head", "caseworker", "nav_split:complaint:sign_forvaltning_head"),
])
def test_signing_a_complaint_in_a_capacity_one_does_not_hold_is_403(client, kristiansand, capacity, role, permission):
    decision = approved_decision(client, kristiansand)
    cid = complaint(client, kristiansand, decision["id"]).json["id"]
    r = sign(client, kristiansand, cid, capacity, role)
    assert r.status_code == 403 and permission in r.json["message"]


def test_one_person_cannot_give_both_signatures(app, client, kristiansand):
    add_staff(app, kristiansand, "both_hats", ["forum_leader", "forvaltning_head"])
    decision = approved_decision(client, kristiansand)
    cid = complaint(client, kristiansand, decision["id"]).json["id"]
    assert sign(client, kristiansand, cid, "forum_leader", "both_hats").status_code == 201
    r = sign(client, kristiansand, cid, "forvaltning_head", "both_hats")
    assert r.status_code == 409 and "two different people" in r.json["message"]
    assert sign(client, kristiansand, cid, "forum_leader", "forum_leader").status_code == 409  # already signed as
    assert send(client, kristiansand, cid).status_code == 409


def test_only_an_approved_decision_can_be_complained_about(client, kristiansand):
    case = allocated_case(client, kristiansand, "nav")
    drafted = draft(client, kristiansand, case["id"]).json
    r = complaint(client, kristiansand, drafted["id"])
    assert r.status_code == 409 and "not approved" in r.json["message"]
    assert complaint(client, kristiansand, drafted["id"], role="spesialteam").status_code == 403


@pytest.mark.parametrize("path, body, field", [
    ("draft", {"measure": "hotel"}, "measure"),
    ("draft", {"verdict": "maybe"}, "verdict"),
    ("draft", {"institution": ""}, "institution"),
    ("draft", {"colour": "red"}, "colour"),
    ("sign", {"as": "mayor"}, "as"),
    ("sign", {"capacity": "mayor"}, "capacity"),
    ("sign", {}, "capacity"),
    ("sign", {"capacity": "forum_leader", "as": "forum_leader"}, "as"),
    ("complaint", {"grounds": ""}, "grounds"),
])
def test_bad_input_is_422_naming_the_field(client, kristiansand, path, body, field):
    case = allocated_case(client, kristiansand, "nav")
    if path == "draft":
        r = draft(client, kristiansand, case["id"], **body)
    else:
        decision = approved_decision(client, kristiansand)
        if path == "complaint":
            r = client.post(kristiansand.url(f"{X}/forum-decisions/{decision['id']}/complaints"), json=body,
                            headers=kristiansand.forum_coordinator.headers)
        else:
            cid = complaint(client, kristiansand, decision["id"]).json["id"]
            r = client.post(kristiansand.url(f"{X}/complaints/{cid}/signatures"), json=body,
                            headers=kristiansand.forum_leader.headers)
    assert r.status_code == 422, r.json
    assert field in r.json["fields"] and field in r.json["message"]


def test_the_signature_request_names_the_capacity_as_the_answer_does_and_the_old_name_still_works(
        client, kristiansand):
    cid = complaint(client, kristiansand, approved_decision(client, kristiansand)["id"]).json["id"]
    url = kristiansand.url(f"{X}/complaints/{cid}/signatures")
    r = client.post(url, json={"capacity": "forum_leader"}, headers=kristiansand.forum_leader.headers)
    assert r.status_code == 201 and r.json["capacity"] == "forum_leader", r.json
    r = client.post(url, json={"as": "forvaltning_head"}, headers=kristiansand.forvaltning_head.headers)
    assert r.status_code == 201 and r.json["capacity"] == "forvaltning_head", r.json
    signed = client.get(kristiansand.url(f"{X}/complaints/{cid}"), headers=kristiansand.forum_leader.headers).json
    assert sorted(s["capacity"] for s in signed["signatures"]) == ["forum_leader", "forvaltning_head"]


def test_a_403_on_signing_or_approving_says_the_rule(client, kristiansand):
    decision = approved_decision(client, kristiansand)
    cid = complaint(client, kristiansand, decision["id"]).json["id"]
    r = sign(client, kristiansand, cid, "forvaltning_head", "forum_leader")
    assert r.status_code == 403
    assert r.json["message"].startswith("a complaint to the county governor is signed as forvaltning_head by the "
                                        "head of Forvaltning"), r.json
    case = allocated_case(client, kristiansand, "nav")
    drafted = draft(client, kristiansand, case["id"]).json
    r = client.post(kristiansand.url(f"{X}/forum-decisions/{drafted['id']}/approval"),
                    headers=kristiansand.forvaltning.headers)
    assert r.status_code == 403 and "coordinator or deputy" in r.json["message"], r.json
