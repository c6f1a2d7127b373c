"""The seed's two exceptions to Forvaltning's authority: a Rusfaglig Forum referral and a NAV
takeover cannot be overridden into something else, and the Forum's outcome is the Forum's."""

from __future__ import annotations

from .flows import X, assess, build, kartlegging, move, record_outcome

FORUM_CASE = kartlegging(work_line_realistic="unclear", substance_use=True, from_other_municipality=True)
TAKEOVER = kartlegging(work_line_realistic="no", purposes=["prevent"], from_other_municipality=True,
                       taken_over_by_nav=True, previous_municipality="Arendal")


def override(client, town, decision_id, outcome, role="forvaltning"):
    return client.post(town.url(f"/decisions/{decision_id}/overrides"),
                       json={"outcome": outcome, "reason": "Forvaltning sees it differently."},
                       headers=town.staff[role].headers)


def decisions_of(client, town, case_id):
    r = client.get(town.url(f"{X}/cases/{case_id}/allocation"), headers=town.forvaltning.headers)
    return r.json["decision"]


def test_forvaltning_cannot_override_a_forum_referral_into_another_outcome(client, kristiansand):
    case, decision = assess(client, kristiansand, FORUM_CASE)
    assert decision["outcome"] == "rusfaglig_forum"
    for outcome in ("nav", "livsmestring", "cooperation_meeting"):
        r = override(client, kristiansand, decision["id"], outcome)
        assert r.status_code == 403, r.json
        assert "Rusfaglig Forum" in r.json["message"] and "exception" in r.json["message"]
    assert decisions_of(client, kristiansand, case["id"])["id"] == decision["id"]
    assert move(client, kristiansand, case["id"], "refer_forum").json["state"] == "queued_forum"


def test_forvaltning_cannot_override_a_nav_takeover_out_of_nav(client, kristiansand):
    case, decision = assess(client, kristiansand, TAKEOVER)
    assert decision["outcome"] == "nav"
    r = override(client, kristiansand, decision["id"], "livsmestring")
    assert r.status_code == 403 and "took over directly" in r.json["message"], r.json
    assert decisions_of(client, kristiansand, case["id"])["id"] == decision["id"]
    assert move(client, kristiansand, case["id"], "appoint_livsmestring").status_code == 409


def test_an_ordinary_allocation_is_still_forvaltnings_to_override(client, kristiansand):
    _, decision = assess(client, kristiansand, kartlegging(work_line_realistic="yes"))
    assert override(client, kristiansand, decision["id"], "livsmestring").status_code == 201


def scheduled_forum_item(client, town):
    case, _ = assess(client, town, FORUM_CASE)
    move(client, town, case["id"], "refer_forum")
    (agenda, *_) = build(client, town).json
    (item,) = agenda["items"]
    return case, item


def test_only_the_forums_roles_record_the_forums_outcome(client, kristiansand):
    case, item = scheduled_forum_item(client, kristiansand)
    r = record_outcome(client, kristiansand, case["id"], item["id"], "nav", role="forvaltning")
    assert r.status_code == 403, r.json
    assert r.json["message"].startswith("Rusfaglig Forum's outcome is recorded and changed only by the Forum's")
    r = record_outcome(client, kristiansand, case["id"], item["id"], "livsmestring", role="forum_deputy")
    assert r.status_code == 201, r.json
    assert override(client, kristiansand, r.json["id"], "nav").status_code == 403
    assert decisions_of(client, kristiansand, case["id"])["id"] == r.json["id"]
    assert move(client, kristiansand, case["id"], "appoint_livsmestring").json["state"] == "allocated_livsmestring"
