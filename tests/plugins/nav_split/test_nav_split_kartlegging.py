"""The kartlegging agrees with what the platform knows (the person's national id, the
municipality, the decision date), the form refuses what the rule refuses, and the decision
records who ran the allocation."""

from __future__ import annotations

import datetime as dt

from .flows import allocation, assess, born, evaluate, kartlegging, new_case, oslo_today, submit


def refused_on_both(client, town, case_id, data, field):
    for send in (submit, evaluate):
        r = send(client, town, case_id, data)
        assert r.status_code == 422, r.json
        assert field in r.json["fields"], r.json
    assert allocation(client, town, case_id).json["decision"] is None


def test_a_previous_municipality_equal_to_the_tenants_own_is_refused_not_sent_to_the_forum(client, kristiansand):
    data = kartlegging(work_line_realistic="unclear", substance_use=True, from_other_municipality=True,
                       previous_municipality="Kristiansand kommune")
    case = new_case(client, kristiansand, birth=data["date_of_birth"])
    refused_on_both(client, kristiansand, case["id"], data, "previous_municipality")
    _, decision = assess(client, kristiansand, {**data, "previous_municipality": "Arendal"})
    assert decision["outcome"] == "rusfaglig_forum"


def test_a_date_of_birth_that_disagrees_with_the_national_id_is_refused_not_sent_to_the_30_plus_team(
        client, kristiansand):
    case = new_case(client, kristiansand, birth=born(27))
    refused_on_both(client, kristiansand, case["id"], kartlegging(date_of_birth=born(35)), "date_of_birth")
    r = evaluate(client, kristiansand, case["id"], kartlegging(date_of_birth=born(27)))
    assert r.status_code == 201 and "(no_job_under_30)" in r.json["reasons"][1], r.json


def test_the_form_refuses_a_birth_date_after_today_as_the_rule_does(client, kristiansand):
    case = new_case(client, kristiansand)
    tomorrow = (oslo_today() + dt.timedelta(days=1)).isoformat()
    refused_on_both(client, kristiansand, case["id"], kartlegging(date_of_birth=tomorrow), "date_of_birth")


def test_the_decision_records_who_ran_the_allocation(client, kristiansand):
    _, decision = assess(client, kristiansand, kartlegging())
    assert decision["decided_by_id"] == kristiansand.forvaltning.user_id
