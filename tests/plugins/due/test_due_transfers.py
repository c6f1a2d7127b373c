"""Transfers (guideline 4.4): «et overføringsmøte skal alltid finne sted i forkant av
overføringen» — a meeting of its own for every transfer; the units' joint assessment of whether
the move is in the youth's interest; a disagreement settled by the leaders of the units involved,
who are named on the decision."""

from __future__ import annotations

from .flows import ASSESSED, SETTLED, X, get, meeting, ok, post


def _transfer(client, bergen, case_id: int, unit_id: int, effective_on: str, **changes):
    return post(client, bergen, f"{X}/cases/{case_id}/transfers",
                {"to_unit_id": unit_id, "effective_on": effective_on, "units_agree": True, **ASSESSED, **changes})


def test_every_transfer_needs_its_own_transfer_meeting(client, bergen, units, running):
    meeting(client, bergen, running, "transfer_meeting", "2025-04-22")
    ok(_transfer(client, bergen, running, units["nav_arna"], "2025-05-01"), 201)
    r = _transfer(client, bergen, running, units["nav_fana"], "2025-07-01")
    assert r.status_code == 409 and "one for each transfer" in r.json["message"], r.json
    second = meeting(client, bergen, running, "transfer_meeting", "2025-06-20")
    transfer = ok(_transfer(client, bergen, running, units["nav_fana"], "2025-07-01"), 201)
    assert transfer["meeting_id"] == second["id"]
    payers = ok(get(client, bergen, f"{X}/cases/{running}/placement"))["payers"]
    assert [p["unit_id"] for p in payers] == [units["barnevern"], units["nav_arna"], units["nav_fana"]]


def test_a_transfer_the_units_find_not_in_the_youths_interest_is_not_made(client, bergen, units, running):
    meeting(client, bergen, running, "transfer_meeting", "2025-04-22")
    r = _transfer(client, bergen, running, units["nav_arna"], "2025-05-01", interest_assessment=None)
    assert r.status_code == 422 and "interest_assessment" in r.json["fields"]
    r = _transfer(client, bergen, running, units["nav_arna"], "2025-05-01", in_youths_interest=False)
    assert r.status_code == 422 and "in_youths_interest" in r.json["fields"]
    transfer = ok(_transfer(client, bergen, running, units["nav_arna"], "2025-05-01"), 201)
    assert (transfer["in_youths_interest"], transfer["interest_assessment"]) == (True, ASSESSED["interest_assessment"])


def test_the_leaders_of_both_units_settle_a_disagreement_and_are_named(client, bergen, units, running):
    meeting(client, bergen, running, "transfer_meeting", "2025-04-22")
    transfer = ok(_transfer(client, bergen, running, units["nav_fana"], "2025-05-01", units_agree=False,
                            disagreement="NAV Fana says the youth still lives in Bergenhus."), 201)
    decision = f"{X}/transfers/{transfer['id']}/decision"
    body = {"approve": True, "reason": "The youth moved to Fana in April.", **SETTLED}
    without_leader = {k: v for k, v in body.items() if k != "to_unit_leader"}
    r = post(client, bergen, decision, without_leader, role="leader")
    assert r.status_code == 422 and "to_unit_leader" in r.json["fields"]
    r = post(client, bergen, decision, {**body, "in_youths_interest": False}, role="leader")
    assert r.status_code == 422 and "in_youths_interest" in r.json["fields"]
    ok(post(client, bergen, decision, body, role="leader"))
    settled = ok(get(client, bergen, f"{X}/transfers/{transfer['id']}"))
    assert (settled["status"], settled["from_unit_leader"], settled["to_unit_leader"], settled["decided_by_id"]) == (
        "completed", SETTLED["from_unit_leader"], SETTLED["to_unit_leader"], bergen.leader.user_id)
