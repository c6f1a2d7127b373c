"""The staircase through the API, as Alta's staff use it: a resident begins on step 2 (the training
flat, special contract) at the move-in; moves up are proposed by the rule with reasons and applied
with the new step's contract; a breach is recorded, the rule proposes one step down (more when it is
serious or repeated), the leader overrides to two and applies it; refusals name the field; the
trial periods raise deadlines once; Bergen, without the plugin, gets 404."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from velferd_aftercare import staircase

from tests.plugins.aftercare import stay_flows as flow
from velferd.db import db
from velferd.models import Deadline
from velferd.tenancy import tenant_scope

X = "/x/aftercare"


def days_ago(days: int) -> dt.date:
    return flow.today() - dt.timedelta(days=days)


def resident(client, town, days_in: int, flat: str = "1") -> int:
    """A resident since `days_in` days ago (the move-in through part A's workflow)."""
    return flow.resident(client, town, flow.flats(client, town)[flat], days_ago(days_in))


def staircase_of(client, town, case_id, role="aftercare_staff"):
    r = client.get(town.url(f"{X}/cases/{case_id}/staircase"), headers=town.staff[role].headers)
    assert r.status_code == 200, r.json
    return r.json


def propose(client, town, case_id, role="aftercare_leader", **inputs):
    return client.post(town.url("/rules/aftercare/step_change/evaluations"),
                       json={"case_id": case_id, "inputs": inputs}, headers=town.staff[role].headers)


def override(client, town, decision_id, outcome, reason="The leader's judgement after the meeting."):
    return client.post(town.url(f"/decisions/{decision_id}/overrides"), json={"outcome": outcome, "reason": reason},
                       headers=town.aftercare_leader.headers)


def apply(client, town, case_id, decision_id, on, kind="special", signed_on=None, role="aftercare_leader", **extra):
    body = {"decision_id": decision_id, "on": on.isoformat(),
            "lease": {"kind": kind, "signed_on": (signed_on or on).isoformat()}, **extra}
    return client.post(town.url(f"{X}/cases/{case_id}/steps"), json=body, headers=town.staff[role].headers)


def breach(client, town, case_id, on, kind="rule", description="Had guests staying overnight against the rules."):
    return client.post(town.url(f"{X}/cases/{case_id}/breaches"),
                       json={"occurred_on": on.isoformat(), "kind": kind, "description": description},
                       headers=town.aftercare_staff.headers)


def up(client, town, case_id, on, reason="Keeps the agreements and the flat; ready for more rights.", kind="special"):
    r = propose(client, town, case_id, direction="up", reasons=[reason])
    assert r.status_code == 201, r.json
    r2 = apply(client, town, case_id, r.json["id"], on, kind=kind)
    assert r2.status_code == 201, r2.json
    return r.json


# --- the steps and the start -----------------------------------------------------------------------

def test_the_steps_are_the_plans_ladder_without_its_hostel_step(client, alta):
    r = client.get(alta.url(f"{X}/steps"), headers=alta.aftercare_staff.headers)
    assert r.status_code == 200, r.json
    assert [s["number"] for s in r.json] == [2, 3, 4, 5]
    assert [s["contract_kind"] for s in r.json] == ["special", "special", "special", "ordinary"]
    assert r.json[0]["name"] == "Training flat" and r.json[0]["trial_months"] == 3
    assert r.json[3]["trial_months"] is None
    assert [s["help_level"] for s in r.json] == ["high", "medium", "low", "minimal"]


def test_a_step_edit_keeps_help_and_control_decreasing(client, alta):
    leader = alta.aftercare_leader.headers
    r = client.patch(alta.url(f"{X}/steps/3"), json={"trial_months": 6, "help_level": "high"}, headers=leader)
    assert r.status_code == 200, r.json
    assert r.json["trial_months"] == 6 and r.json["help_level"] == "high"
    r = client.patch(alta.url(f"{X}/steps/4"), json={"control_level": "high"}, headers=leader)
    assert r.status_code == 422 and "control_level" in r.json["fields"]
    r = client.patch(alta.url(f"{X}/steps/5"), json={"contract_kind": "special"}, headers=leader)
    assert r.status_code == 422 and "contract_kind" in r.json["fields"]
    r = client.patch(alta.url(f"{X}/steps/3"), json={"trial_months": "soon"}, headers=leader)
    assert r.status_code == 422 and "trial_months" in r.json["fields"]
    r = client.patch(alta.url(f"{X}/steps/3"), json={"rights": "More"}, headers=alta.aftercare_staff.headers)
    assert r.status_code == 403


def test_the_move_in_begins_on_step_2_with_the_special_contract(client, alta):
    case_id = resident(client, alta, 40)
    shown = staircase_of(client, alta, case_id)
    assert shown["current"]["step"] == 2 and shown["step"]["name"] == "Training flat"
    assert shown["current"]["starts_on"] == days_ago(40).isoformat()
    assert shown["current"]["in_trial"] is True
    lease = shown["current"]["lease"]
    assert lease["kind"] == "special" and lease["owner"] == "Stiftelsen Utleieboliger"
    assert lease["signed_on"] == days_ago(41).isoformat()  # the binding agreement signed before intake
    with client.application.app_context(), tenant_scope(alta.tenant):
        assert staircase.current_step(case_id) == 2
        assert staircase.current_step(case_id, days_ago(41)) is None


# --- moves up --------------------------------------------------------------------------------------

def test_up_from_2_to_3_to_4_with_reasons_and_contracts(client, alta):
    case_id = resident(client, alta, 400)
    first = up(client, alta, case_id, days_ago(300), reason="Has kept every agreement for three months.")
    assert first["outcome"] == "step_3"
    assert "Reason given: Has kept every agreement for three months." in first["reasons"]
    assert any("Proposed: up one step, to step 3" in reason for reason in first["reasons"])
    second = up(client, alta, case_id, days_ago(150), reason="Works in a training place every weekday.")
    assert second["outcome"] == "step_4"

    shown = staircase_of(client, alta, case_id)
    assert [entry["step"] for entry in shown["history"]] == [4, 3, 2]
    assert shown["current"]["starts_on"] == days_ago(150).isoformat()
    assert shown["history"][1]["ends_on"] == days_ago(150).isoformat()
    assert shown["history"][0]["decision"]["id"] == second["id"]
    assert "Reason given: Works in a training place every weekday." in shown["history"][0]["decision"]["reasons"]
    assert shown["history"][0]["lease"]["kind"] == "special"
    assert shown["history"][2]["decision"] is None  # the move-in
    assert shown["proposal"] is None

    # up to 5 takes the ordinary lease; on 5 the rule refuses to go higher, naming the direction
    r = propose(client, alta, case_id, direction="up", reasons=["Ready for an ordinary lease."])
    assert r.json["outcome"] == "step_5"
    r2 = apply(client, alta, case_id, r.json["id"], days_ago(20), kind="special")
    assert r2.status_code == 422 and "kind" in r2.json["fields"]["lease"]
    assert apply(client, alta, case_id, r.json["id"], days_ago(20), kind="ordinary").status_code == 201
    r = propose(client, alta, case_id, direction="up", reasons=["More."])
    assert r.status_code == 422 and "direction" in r.json["fields"]


def test_during_the_trial_the_rule_proposes_staying_and_an_override_moves_up(client, alta):
    case_id = resident(client, alta, 30)
    r = propose(client, alta, case_id, direction="up", reasons=["Doing well."])
    assert r.status_code == 201, r.json
    assert r.json["outcome"] == "step_2"
    assert any("trial period of step 2 runs until" in reason for reason in r.json["reasons"])
    r2 = apply(client, alta, case_id, r.json["id"], days_ago(1))
    assert r2.status_code == 409 and "keeps the resident on step 2" in r2.json["message"]

    overridden = override(client, alta, r.json["id"], "step_3")
    assert overridden.status_code == 201, overridden.json
    # the original no longer governs: the override does
    r3 = apply(client, alta, case_id, r.json["id"], days_ago(1))
    assert r3.status_code == 409 and f"decision {overridden.json['id']} is the latest" in r3.json["message"]
    assert apply(client, alta, case_id, overridden.json["id"], days_ago(1)).status_code == 201
    assert staircase_of(client, alta, case_id)["current"]["step"] == 3
    # once applied, the decision cannot be applied again
    r4 = apply(client, alta, case_id, overridden.json["id"], flow.today())
    assert r4.status_code == 409 and "was applied" in r4.json["message"]


# --- breaches and moves down ------------------------------------------------------------------------

def test_a_breach_proposes_one_step_down_the_leader_overrides_to_two_and_applies(client, alta):
    case_id = resident(client, alta, 400)
    up(client, alta, case_id, days_ago(300))
    up(client, alta, case_id, days_ago(150))
    r = breach(client, alta, case_id, days_ago(10))
    assert r.status_code == 201, r.json
    breach_id = r.json["id"]

    proposed = propose(client, alta, case_id, direction="down", breach_ids=[breach_id], severity="ordinary",
                       reasons=["Broke the house rule on overnight guests."])
    assert proposed.status_code == 201, proposed.json
    assert proposed.json["outcome"] == "step_3"
    reasons = proposed.json["reasons"]
    assert any(f"Breach {breach_id} on {days_ago(10).isoformat()}, of a rule" in reason for reason in reasons)
    assert any("Proposed: down 1 step, to step 3" in reason for reason in reasons)
    assert staircase_of(client, alta, case_id)["proposal"]["id"] == proposed.json["id"]

    overridden = override(client, alta, proposed.json["id"], "step_2", "Second time guests stayed; back to the training flat.")
    assert overridden.status_code == 201, overridden.json
    assert overridden.json["supersedes_id"] == proposed.json["id"]
    # step 2 is under a special contract: an ordinary lease is refused, naming lease.kind
    r = apply(client, alta, case_id, overridden.json["id"], days_ago(5), kind="ordinary")
    assert r.status_code == 422 and "kind" in r.json["fields"]["lease"]
    r = apply(client, alta, case_id, overridden.json["id"], days_ago(5))
    assert r.status_code == 201, r.json
    assert r.json["step"] == 2 and r.json["decision"]["supersedes_id"] == proposed.json["id"]

    shown = staircase_of(client, alta, case_id)
    assert shown["current"]["step"] == 2 and shown["current"]["trial_ends_on"] is not None
    assert shown["breaches"][0]["decision_id"] == overridden.json["id"]
    # the breach has done its work: it cannot move the resident down again
    r = propose(client, alta, case_id, direction="down", breach_ids=[breach_id], severity="ordinary", reasons=["x"])
    assert r.status_code == 422 and "already moved the resident down" in r.json["fields"]["breach_ids"][0]
    r = client.get(alta.url(f"/cases/{case_id}/journal"), headers=alta.aftercare_staff.headers)
    assert any("Moved down from step 4 to step 2" in (entry["text"] or "") for entry in r.json)


def test_a_serious_and_repeated_breach_proposes_more_steps_never_below_2(client, alta):
    case_id = resident(client, alta, 400)
    up(client, alta, case_id, days_ago(300))
    up(client, alta, case_id, days_ago(150))
    earlier = breach(client, alta, case_id, days_ago(60), kind="agreement", description="Missed the agreed meetings.")
    latest = breach(client, alta, case_id, days_ago(3), description="Used drugs in the flat.")
    r = propose(client, alta, case_id, direction="down", breach_ids=[latest.json["id"]], severity="ordinary",
                reasons=["Relapse."])
    assert r.json["outcome"] == "step_2"  # one for the breach, one more because it is repeated
    assert any("2 breaches in the 12 months" in reason for reason in r.json["reasons"])
    r = propose(client, alta, case_id, direction="down", breach_ids=[latest.json["id"], earlier.json["id"]],
                severity="serious", reasons=["Relapse and missed meetings."])
    assert r.json["outcome"] == "step_2"  # three steps down from 4 would be below 2
    assert any("the lowest step here" in reason for reason in r.json["reasons"])


def test_refusals_name_the_field(client, alta, app):
    case_id = resident(client, alta, 40)
    other = resident(client, alta, 40, flat="2")
    for inputs, field in (
        ({"direction": "up", "reasons": []}, "reasons"),
        ({"direction": "up"}, "reasons"),
        ({"direction": "up", "reasons": ["   "]}, "reasons"),
        ({"direction": "sideways", "reasons": ["x"]}, "direction"),
        ({"direction": "down", "reasons": ["x"], "severity": "ordinary"}, "breach_ids"),
        ({"direction": "down", "reasons": ["x"], "breach_ids": [1]}, "severity"),
        ({"direction": "up", "reasons": ["x"], "breach_ids": [1]}, "breach_ids"),
    ):
        r = propose(client, alta, case_id, **inputs)
        assert r.status_code == 422, (inputs, r.json)
        assert field in r.json["fields"], (inputs, r.json)

    theirs = breach(client, alta, other, days_ago(2)).json["id"]
    r = propose(client, alta, case_id, direction="down", breach_ids=[theirs], severity="ordinary", reasons=["x"])
    assert r.status_code == 422 and "breach_ids" in r.json["fields"]
    mine = breach(client, alta, case_id, days_ago(2)).json["id"]
    # below 2: the staircase here begins on the training flat
    r = propose(client, alta, case_id, direction="down", breach_ids=[mine], severity="serious", reasons=["x"])
    assert r.status_code == 422 and "direction" in r.json["fields"]
    proposal = propose(client, alta, case_id, direction="up", reasons=["x"]).json
    r = override(client, alta, proposal["id"], "step_1")
    assert r.status_code == 422 and "outcome" in r.json["fields"]
    r = override(client, alta, proposal["id"], "step_3")
    assert r.status_code == 201

    # applying: the body is checked first, then the day and the contract
    for body, field in (({"on": days_ago(1).isoformat(), "decision_id": r.json["id"]}, "lease"),
                        ({"on": "tomorrow", "decision_id": r.json["id"],
                          "lease": {"kind": "special", "signed_on": days_ago(1).isoformat()}}, "on"),
                        ({"on": days_ago(1).isoformat(), "lease": {"kind": "special",
                                                                   "signed_on": days_ago(1).isoformat()}},
                         "decision_id")):
        r2 = client.post(alta.url(f"{X}/cases/{case_id}/steps"), json=body, headers=alta.aftercare_leader.headers)
        assert r2.status_code == 422 and field in r2.json["fields"], (body, r2.json)
    r2 = apply(client, alta, case_id, r.json["id"], flow.today() + dt.timedelta(days=1))
    assert r2.status_code == 422 and "on" in r2.json["fields"]
    r2 = apply(client, alta, case_id, r.json["id"], days_ago(45))
    assert r2.status_code == 422 and "on" in r2.json["fields"]
    r2 = apply(client, alta, case_id, r.json["id"], days_ago(1), signed_on=flow.today())
    assert r2.status_code == 422 and "signed_on" in r2.json["fields"]["lease"]
    r2 = apply(client, alta, case_id, proposal["id"] + 1000, days_ago(1))
    assert r2.status_code == 422 and "decision_id" in r2.json["fields"]
    r2 = apply(client, alta, case_id, r.json["id"], days_ago(1), role="aftercare_staff")
    assert r2.status_code == 403
    r2 = propose(client, alta, case_id, role="aftercare_staff", direction="up", reasons=["x"])
    assert r2.status_code == 403

    # a breach: every field checked
    headers = alta.aftercare_staff.headers
    for body, field in (({"kind": "rule", "description": "x"}, "occurred_on"),
                        ({"occurred_on": days_ago(1).isoformat(), "kind": "mood", "description": "x"}, "kind"),
                        ({"occurred_on": days_ago(1).isoformat(), "kind": "rule", "description": " "}, "description"),
                        ({"occurred_on": (flow.today() + dt.timedelta(days=2)).isoformat(), "kind": "rule",
                          "description": "x"}, "occurred_on"),
                        ({"occurred_on": days_ago(400).isoformat(), "kind": "rule", "description": "x"}, "occurred_on"),
                        ({"occurred_on": days_ago(1).isoformat(), "kind": "rule", "description": "x", "extra": 1},
                         "extra")):
        r2 = client.post(alta.url(f"{X}/cases/{case_id}/breaches"), json=body, headers=headers)
        assert r2.status_code == 422 and field in r2.json["fields"], (body, r2.json)


def test_the_move_out_ends_the_staircase(client, alta):
    case_id = resident(client, alta, 100)
    r = flow.move(client, alta, case_id, "move_out", {"moved_out_on": days_ago(2).isoformat(),
                                                      "destination": "own_home_alta"})
    assert r.status_code == 200, r.json
    shown = staircase_of(client, alta, case_id)
    assert shown["current"] is None
    assert shown["history"][0]["ends_on"] == days_ago(2).isoformat()
    r = propose(client, alta, case_id, direction="up", reasons=["x"])
    assert r.status_code == 409
    assert breach(client, alta, case_id, days_ago(5)).status_code == 409


def test_trial_periods_ending_raise_a_deadline_once(client, alta, app):
    soon = resident(client, alta, 80)                # step 2's three months end within 14 days
    later = resident(client, alta, 10, flat="2")     # not yet
    with app.app_context(), tenant_scope(alta.tenant):
        assert staircase.raise_trial_period_warnings(alta.tenant, {}, flow.today()) == 1
        assert staircase.raise_trial_period_warnings(alta.tenant, {}, flow.today()) == 0
        db.session.commit()
        deadlines = db.session.scalars(sa.select(Deadline).where(Deadline.kind == staircase.TRIAL_KIND)).all()
        assert [(d.case_id, d.completed_at) for d in deadlines] == [(soon, None)]
        placement = staircase.current_placement(soon)
        assert deadlines[0].due_on == placement.trial_ends_on
        assert staircase.current_placement(later).trial_ends_on > flow.today() + dt.timedelta(days=14)


def test_bergen_without_aftercare_gets_404(client, bergen):
    headers = bergen.caseworker.headers
    assert client.get(bergen.url(f"{X}/steps"), headers=headers).status_code == 404
    assert client.get(bergen.url(f"{X}/cases/1/staircase"), headers=headers).status_code == 404
    assert client.post(bergen.url(f"{X}/cases/1/breaches"), json={}, headers=headers).status_code == 404
    assert client.post(bergen.url(f"{X}/cases/1/steps"), json={}, headers=headers).status_code == 404
