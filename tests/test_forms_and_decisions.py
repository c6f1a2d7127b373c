"""Plugin forms (JSON Schema out, validated and versioned submissions in) and reasoned decisions
that a leader may override with a reason of their own."""

from __future__ import annotations

import pytest

from tests.helpers import add_person, make_municipality, open_case, row_counts
from velferd.models import AuditEvent, Decision, FormSubmission

REFERRAL = {"motivation": "Needs a place to live after leaving the institution.",
            "criteria": ["needs_housing", "leaving_institution"], "age": 19}



def submit(client, town, data, case_id=None, role="caseworker"):
    return client.post(town.url("/forms/example/referral/submissions"), json={"data": data, "case_id": case_id},
                       headers=town.staff[role].headers)


def evaluate(client, town, inputs, case_id=None, role="caseworker"):
    return client.post(town.url("/rules/example/eligibility/evaluations"), json={"inputs": inputs, "case_id": case_id},
                       headers=town.staff[role].headers)


def override(client, town, decision_id, role="leader", **body):
    return client.post(town.url(f"/decisions/{decision_id}/overrides"), json=body, headers=town.staff[role].headers)


# --- forms ------------------------------------------------------------------------------------

def test_forms_list_shows_the_example_referral_form(client, bergen):
    r = client.get(bergen.url("/forms"), headers=bergen.caseworker.headers)
    assert r.status_code == 200
    assert r.json == [{"plugin": "example", "name": "referral", "version": 2, "title": "Referral"}]


def test_forms_of_a_plugin_the_tenant_has_not_enabled_do_not_exist_there(app, client):
    odense = make_municipality(app, "odense", roles=("caseworker",), plugins=())
    assert client.get(odense.url("/forms"), headers=odense.caseworker.headers).json == []
    r = client.get(odense.url("/forms/example/referral"), headers=odense.caseworker.headers)
    assert r.status_code == 404
    assert submit(client, odense, REFERRAL).status_code == 404


def test_form_is_served_as_json_schema_with_its_version(client, bergen):
    r = client.get(bergen.url("/forms/example/referral"), headers=bergen.caseworker.headers)
    assert r.status_code == 200
    schema = r.json
    assert schema["type"] == "object"
    assert schema["title"] == "Referral"
    assert schema["x-form-version"] == 2
    assert sorted(schema["required"]) == ["age", "criteria", "motivation"]
    assert set(schema["properties"]) == {"age", "criteria", "motivation"}
    assert schema["properties"]["criteria"]["items"]["enum"] == ["needs_housing", "leaving_institution",
                                                                 "no_daytime_activity"]
    assert schema["properties"]["age"] == {"type": "integer", "minimum": 0, "maximum": 120}
    assert schema["additionalProperties"] is False


def test_unknown_form_is_404(client, bergen):
    r = client.get(bergen.url("/forms/example/discharge"), headers=bergen.caseworker.headers)
    assert r.status_code == 404
    assert r.json["message"] == "plugin 'example' has no form 'discharge'"


def test_valid_submission_is_stored_with_the_form_version(client, bergen):
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    r = submit(client, bergen, REFERRAL, case_id=case["id"])
    assert r.status_code == 201, r.json
    assert r.json["form_version"] == 2
    assert r.json["data"] == REFERRAL
    assert r.json["case_id"] == case["id"]
    assert r.json["submitted_by_id"] == bergen.caseworker.user_id
    stored = client.get(bergen.url(f"/forms/submissions/{r.json['id']}"), headers=bergen.caseworker.headers)
    assert stored.status_code == 200
    assert stored.json == r.json


@pytest.mark.parametrize("data, field, says", [
    ({k: v for k, v in REFERRAL.items() if k != "motivation"}, "motivation", "Missing data for required field."),
    ({**REFERRAL, "criteria": ["likes_football"]}, "criteria", "Must be one of"),
    ({**REFERRAL, "shoe_size": 44}, "shoe_size", "Unknown field."),
    ({**REFERRAL, "age": "nineteen"}, "age", "Not a valid integer."),
    ({**REFERRAL, "motivation": "no"}, "motivation", "Shorter than minimum length 3."),
], ids=["missing-motivation", "unknown-criterion", "unknown-field", "age-not-a-number", "motivation-too-short"])
def test_invalid_submission_is_422_naming_the_field_and_nothing_is_stored(app, client, bergen, data, field, says):
    before = row_counts(app, FormSubmission, AuditEvent)
    r = submit(client, bergen, data)
    assert r.status_code == 422
    assert set(r.json["fields"]) == {field}
    assert says in str(r.json["fields"][field])
    assert field in r.json["message"]
    assert row_counts(app, FormSubmission, AuditEvent) == before


def test_submission_naming_another_tenants_case_is_422_naming_case_id(app, client, bergen):
    alta = make_municipality(app, "alta", roles=("caseworker",))
    foreign_case = open_case(client, alta, add_person(client, alta)["id"])
    before = row_counts(app, FormSubmission)
    r = submit(client, bergen, REFERRAL, case_id=foreign_case["id"])
    assert r.status_code == 422
    assert list(r.json["fields"]) == ["case_id"]
    assert row_counts(app, FormSubmission) == before


def test_roles_without_forms_submit_cannot_submit(app, client, bergen):
    before = row_counts(app, FormSubmission)
    r = submit(client, bergen, REFERRAL, role="auditor")
    assert r.status_code == 403
    assert "forms:submit" in r.json["message"]
    assert row_counts(app, FormSubmission) == before


# --- decisions --------------------------------------------------------------------------------

def test_evaluation_stores_a_decision_with_inputs_version_and_reasons(client, bergen):
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    r = evaluate(client, bergen, {"age": 24, "criteria": ["needs_housing"]}, case_id=case["id"])
    assert r.status_code == 201, r.json
    decision = r.json
    assert decision["outcome"] == "not_eligible"
    assert decision["reasons"] == ["24 is above the upper age limit 23"]
    assert decision["rule_version"] == 3
    assert decision["inputs"] == {"age": 24, "criteria": ["needs_housing"]}
    assert (decision["plugin"], decision["rule"], decision["case_id"]) == ("example", "eligibility", case["id"])
    assert decision["supersedes_id"] is None
    assert decision["decided_by_id"] == bergen.caseworker.user_id  # who ran the rule
    assert client.get(bergen.url(f"/decisions/{decision['id']}"), headers=bergen.caseworker.headers).json == decision


def test_eligible_decision_gives_its_reasons_too(client, bergen):
    r = evaluate(client, bergen, {"age": 18, "criteria": ["no_daytime_activity"]})
    assert r.json["outcome"] == "eligible"
    assert r.json["reasons"] == ["age 18 is within 16–23", "meets: no_daytime_activity"]


def test_every_failed_criterion_is_a_reason(client, bergen):
    r = evaluate(client, bergen, {"age": 12, "criteria": []})
    assert r.json["outcome"] == "not_eligible"
    assert r.json["reasons"] == ["12 is below the lower age limit 16", "no target-group criterion is met"]


def test_raising_max_age_in_the_settings_makes_the_same_inputs_eligible(client, bergen):
    inputs = {"age": 24, "criteria": ["needs_housing"]}
    assert evaluate(client, bergen, inputs).json["outcome"] == "not_eligible"
    r = client.patch(bergen.url("/plugins/example/settings"), json={"max_age": 25}, headers=bergen.tenant_admin.headers)
    assert r.status_code == 200, r.json
    assert r.json["settings"] == {"min_age": 16, "max_age": 25, "places": 10}  # one setting away
    r = evaluate(client, bergen, inputs)
    assert r.json["outcome"] == "eligible"
    assert r.json["reasons"][0] == "age 24 is within 16–25"


def test_settings_outside_the_schema_are_refused_and_the_old_ones_kept(app, client, bergen):
    r = client.patch(bergen.url("/plugins/example/settings"), json={"max_age": 99}, headers=bergen.tenant_admin.headers)
    assert r.status_code == 422
    assert list(r.json["fields"]) == ["max_age"]
    r = client.get(bergen.url("/plugins/example"), headers=bergen.tenant_admin.headers)
    assert r.json["settings"]["max_age"] == 23
    assert evaluate(client, bergen, {"age": 24, "criteria": ["needs_housing"]}).json["outcome"] == "not_eligible"


@pytest.mark.parametrize("inputs, field", [
    ({"age": 20}, "criteria"),
    ({"age": "twenty", "criteria": []}, "age"),
    ({"age": 20, "criteria": [], "income": 1000}, "income"),
    ({"age": 20, "criteria": ["unknown"]}, "criteria"),
])
def test_invalid_rule_inputs_are_422_naming_the_field_and_no_decision_is_stored(app, client, bergen, inputs, field):
    before = row_counts(app, Decision)
    r = evaluate(client, bergen, inputs)
    assert r.status_code == 422
    assert list(r.json["fields"]) == [field]
    assert row_counts(app, Decision) == before


def test_roles_without_decisions_evaluate_cannot_evaluate(client, bergen):
    r = evaluate(client, bergen, {"age": 20, "criteria": []}, role="coordinator")
    assert r.status_code == 403
    assert "decisions:evaluate" in r.json["message"]


def test_leader_overrides_with_a_reason_and_the_original_stays_as_it_was(app, client, bergen):
    original = evaluate(client, bergen, {"age": 24, "criteria": ["needs_housing"]}).json
    r = override(client, bergen, original["id"], outcome="eligible",
                 reason="Has been in the programme since 17; the plan runs until 25.")
    assert r.status_code == 201, r.json
    new = r.json
    assert new["id"] != original["id"]
    assert new["supersedes_id"] == original["id"]
    assert new["outcome"] == "eligible"
    assert new["override_reason"] == "Has been in the programme since 17; the plan runs until 25."
    assert new["decided_by_id"] == bergen.leader.user_id
    assert new["reasons"] == ["Overridden by leader bergen: Has been in the programme since 17; the plan runs until 25."]
    assert (new["inputs"], new["rule_version"], new["rule"]) == (original["inputs"], 3, "eligibility")
    again = client.get(bergen.url(f"/decisions/{original['id']}"), headers=bergen.caseworker.headers)
    assert again.json == original
    assert row_counts(app, Decision) == {"decision": 2}


def test_caseworker_cannot_override(app, client, bergen):
    original = evaluate(client, bergen, {"age": 24, "criteria": ["needs_housing"]}).json
    r = override(client, bergen, original["id"], role="caseworker", outcome="eligible", reason="I think so")
    assert r.status_code == 403
    assert r.json["message"] == "you need the permission 'decisions:override' for this"
    assert row_counts(app, Decision) == {"decision": 1}


@pytest.mark.parametrize("body", [{"outcome": "eligible"}, {"outcome": "eligible", "reason": ""},
                                  {"outcome": "eligible", "reason": "   "}], ids=["missing", "empty", "blank"])
def test_override_without_a_reason_is_422_naming_reason(app, client, bergen, body):
    original = evaluate(client, bergen, {"age": 24, "criteria": ["needs_housing"]}).json
    r = override(client, bergen, original["id"], **body)
    assert r.status_code == 422
    assert list(r.json["fields"]) == ["reason"]
    assert row_counts(app, Decision) == {"decision": 1}


def test_decision_of_another_tenant_cannot_be_read_or_overridden(app, client, bergen):
    alta = make_municipality(app, "alta", roles=("leader",))
    original = evaluate(client, bergen, {"age": 24, "criteria": ["needs_housing"]}).json
    assert client.get(alta.url(f"/decisions/{original['id']}"), headers=alta.leader.headers).status_code == 404
    r = override(client, alta, original["id"], outcome="eligible", reason="not ours to decide")
    assert r.status_code == 404
    assert row_counts(app, Decision) == {"decision": 1}
