"""Eligibility is a recommendation with reasons; the waiting list is ordered by explained points."""

from __future__ import annotations

import datetime as dt

from .flows import X, add_unit, eligible_case, evaluate, get, move, ok, open_case, refer, referral, youth


def test_youth_of_24_is_not_eligible_and_says_why(client, bergen):
    r = evaluate(client, bergen, None, {"referred_on": "2025-03-01", "date_of_birth": "2000-06-01",
                                        "criteria": ["needs_treatment_start"]})
    decision = ok(r, 201)
    assert decision["outcome"] == "not_eligible"
    assert decision["reasons"][0] == "Not eligible: 24 is above the upper age limit 23"


def test_the_youths_own_motivation_is_an_input_the_recommendation_shows_and_weighs(client, bergen):
    """Guideline 3.4: «Ungdommens egen motivasjon … skal vektlegges»."""
    inputs = {"referred_on": "2025-03-01", "date_of_birth": "2006-06-01", "criteria": ["needs_treatment_start"]}
    decision = ok(evaluate(client, bergen, None, {**inputs, "motivation": "not_motivated"}), 201)
    assert decision["outcome"] == "not_eligible"
    assert "the youth does not want DUE" in decision["reasons"][-2]
    decision = ok(evaluate(client, bergen, None, {**inputs, "motivation": "motivated"}), 201)
    assert decision["outcome"] == "eligible" and "The youth wants DUE" in decision["reasons"][-2]
    decision = ok(evaluate(client, bergen, None, inputs), 201)
    assert decision["outcome"] == "eligible" and "not yet assessed" in decision["reasons"][-2]
    r = evaluate(client, bergen, None, {**inputs, "motivation": "keen"})
    assert r.status_code == 422 and "motivation" in str(r.json), r.json


def test_the_older_guidelines_range_is_one_settings_change_away(client, bergen):
    inputs = {"referred_on": "2025-03-01", "date_of_birth": "2000-06-01", "criteria": ["needs_treatment_start"]}
    ok(client.patch(bergen.url("/plugins/due/settings"), json={"max_age": 25}, headers=bergen.tenant_admin.headers))
    decision = ok(evaluate(client, bergen, None, inputs), 201)
    assert decision["outcome"] == "eligible"
    assert decision["reasons"][0] == "Eligible: 24 at referral on 2025-03-01 is within the age range 16–25"


def test_age_comes_from_the_national_id_and_no_criterion_means_not_eligible(client, bergen):
    unit = add_unit(client, bergen, "barnevern")
    person = youth(client, bergen, dt.date(2008, 5, 2))
    case_id = ok(open_case(client, bergen, person["id"], unit), 201)["id"]
    decision = ok(evaluate(client, bergen, case_id, {"referred_on": "2025-03-01", "criteria": []}), 201)
    assert decision["outcome"] == "not_eligible"
    assert decision["reasons"][0] == "Not eligible: none of the five target-group criteria is met"
    decision = ok(evaluate(client, bergen, case_id, {"referred_on": "2024-05-01", "criteria": ["lacks_daytime_activity"]}), 201)
    assert decision["reasons"][0] == "Not eligible: 15 is below the lower age limit 16"


def test_staff_override_with_a_reason_and_only_to_a_known_outcome(client, bergen):
    decision = ok(evaluate(client, bergen, None, {"referred_on": "2025-03-01", "date_of_birth": "2001-01-10",
                                                  "criteria": ["lacks_daytime_activity"]}), 201)
    headers = bergen.leader.headers
    r = client.post(bergen.url(f"/decisions/{decision['id']}/overrides"), json={"outcome": "maybe", "reason": "x y z"},
                    headers=headers)
    assert r.status_code == 422 and "outcome" in r.json["fields"]
    r = client.post(bergen.url(f"/decisions/{decision['id']}/overrides"),
                    json={"outcome": "eligible", "reason": "Turns 25 soon but leaves prison next week."},
                    headers=headers)
    assert ok(r, 201)["outcome"] == "eligible"


def test_bad_rule_inputs_are_422_naming_the_field(client, bergen):
    for inputs, field in [({"referred_on": "2099-01-01", "date_of_birth": "2005-01-01", "criteria": []}, "referred_on"),
                          ({"referred_on": "2025-01-01", "criteria": ["rich_parents"]}, "criteria"),
                          ({"referred_on": "2025-01-01", "criteria": []}, "date_of_birth"),
                          ({"criteria": []}, "referred_on")]:
        r = evaluate(client, bergen, None, inputs)
        assert r.status_code == 422 and field in str(r.json["fields"]), (inputs, r.json)


def test_a_due_case_needs_a_referring_unit_that_may_refer(client, bergen):
    person = youth(client, bergen, dt.date(2006, 1, 1))
    r = open_case(client, bergen, person["id"], None)
    assert r.status_code == 422 and "referring_unit_id" in r.json["fields"]
    outreach = add_unit(client, bergen, "utekontakten")
    r = open_case(client, bergen, person["id"], outreach)
    assert r.status_code == 422 and "not a referring unit" in str(r.json["fields"])


def test_the_referral_form_rejects_bad_input(client, bergen):
    unit = add_unit(client, bergen, "barnevern")
    person = youth(client, bergen, dt.date(2006, 1, 1))
    case_id = ok(open_case(client, bergen, person["id"], unit), 201)["id"]
    for data, field in [(referral("2025-01-01", legal_basis="health_and_care_services_act"), "legal_basis"),
                        (referral("2025-01-01", needs=[]), "needs"),
                        (referral("2025-01-01", transition_on="2025-02-01"), "transition"),
                        (referral("2025-01-01", criteria=["needs_treatment_start", "needs_treatment_start"]),
                         "criteria")]:
        r = refer(client, bergen, case_id, data)
        assert r.status_code == 422 and field in r.json["fields"], (field, r.json)


def test_waiting_list_is_ordered_by_explained_points_and_full_places_make_referrals_wait(client, bergen):
    unit = add_unit(client, bergen, "barnevern")
    ok(client.patch(bergen.url("/plugins/due/settings"), json={"places": 1}, headers=bergen.tenant_admin.headers))
    calm = eligible_case(client, bergen, unit, dt.date(2008, 1, 1), "2025-01-10")
    prison = eligible_case(client, bergen, unit, dt.date(2006, 1, 1), "2025-01-20", transition="leaving_prison",
                           criteria=["follow_up_after_institution_or_prison", "needs_treatment_start"])
    waiting = ok(get(client, bergen, f"{X}/waiting-list"))
    assert [e["case_id"] for e in waiting["entries"]] == [prison, calm]
    assert waiting["entries"][0]["explanation"] == [
        "problems: 2 criteria met (needs follow-up after a stay in an institution or prison; needs to start "
        "treatment) × weight 2 = 4",
        "age: 19 at referral, 3 years above 16 × weight 1 = 3",
        "transition: leaving prison, date not yet known: urgency 3 × weight 3 = 9",
        "total 16 points"]

    r = move(client, bergen, calm, "invite")
    assert r.status_code == 409 and f"case {prison} is ahead" in r.json["message"]
    ok(move(client, bergen, prison, "invite"))
    r = move(client, bergen, calm, "invite", {"priority_exception_reason": "Sibling already in DUE."})
    assert r.status_code == 409 and "no free place: all 1 places are taken" in r.json["message"]
    assert ok(get(client, bergen, f"{X}/waiting-list"))["free"] == 0

    ok(client.patch(bergen.url("/plugins/due/settings"), json={"weight_transition": 0, "weight_problems": 0},
                    headers=bergen.tenant_admin.headers))
    entries = ok(get(client, bergen, f"{X}/waiting-list"))["entries"]
    assert [(e["case_id"], e["points"]) for e in entries] == [(calm, 1)]
