"""The individual plan (IP) of an aftercare case: one contact person who is staff here, goals with a
target date and status, the services and partners (NAV, Aksis, Red Cross, AN, RIO, Mental helse,
the home municipality, another), and the resident's participation (sosialtjenesteloven § 8-4) —
through the API and the case panel; bad input a 4xx naming the field; Bergen gets 404."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers import add_person, synthetic_id
from tests.web.conftest import BROWSER_ACCEPT
from tests.web.pages import log_in

X = "/x/aftercare"


def _case(client, town, birth: dt.date = dt.date(1985, 4, 2)) -> int:
    person = add_person(client, town, national_id=synthetic_id("NO", birth), role="aftercare_staff")
    r = client.post(town.url("/cases"), json={"person_id": person["id"], "plugin": "aftercare"},
                    headers=town.aftercare_staff.headers)
    assert r.status_code == 201, r.json
    return r.json["id"]


def _plan(client, town, case_id: int, **body):
    return client.put(town.url(f"{X}/cases/{case_id}/plan"), headers=town.aftercare_staff.headers,
                      json={"contact_person_id": town.aftercare_staff.user_id, **body})


def _post(client, town, case_id: int, what: str, body: dict, role: str = "aftercare_staff"):
    return client.post(town.url(f"{X}/cases/{case_id}/plan/{what}"), headers=town.staff[role].headers, json=body)


def _browser(app, town, role: str):
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    assert log_in(browser, town.staff[role].email).status_code == 302
    return browser


def test_a_plan_has_one_contact_person_goals_partners_and_the_residents_participation(client, alta):
    case_id = _case(client, alta)
    r = _plan(client, alta, case_id, started_on="2026-03-01")
    assert r.status_code == 200, r.json
    assert r.json["contact_person"] == {"id": alta.aftercare_staff.user_id, "name": "aftercare_staff alta"}
    assert "sosialtjenesteloven § 4-3a" in r.json["laws"]

    goal = _post(client, alta, case_id, "goals", {"text": "Keep the flat clean and pay the rent on time",
                                                 "target_on": "2026-09-01"})
    assert goal.status_code == 201, goal.json
    assert goal.json["status"] == "open"
    assert _post(client, alta, case_id, "partners", {"partner": "nav", "role": "The qualification programme"}
                 ).status_code == 201
    assert _post(client, alta, case_id, "partners", {"partner": "other", "name": "Alta IL",
                                                    "role": "Football on Tuesdays"}).status_code == 201
    r = _post(client, alta, case_id, "participation", {
        "consulted_on": "2026-03-02", "method": "conversation", "resident_said": "Wants work training, not a course",
        "changed": "Aksis asked for a work-training place instead of the course"})
    assert r.status_code == 201, r.json
    assert r.json["recorded_by_id"] == alta.aftercare_staff.user_id

    r = client.patch(alta.url(f"{X}/cases/{case_id}/plan/goals/{goal.json['id']}"),
                     headers=alta.aftercare_staff.headers, json={"status": "reached"})
    assert r.status_code == 200 and r.json["status"] == "reached"

    plan = client.get(alta.url(f"{X}/cases/{case_id}/plan"), headers=alta.aftercare_partner.headers).json
    assert plan["started_on"] == "2026-03-01"
    assert [(g["text"], g["status"]) for g in plan["goals"]] == [
        ("Keep the flat clean and pay the rent on time", "reached")]
    assert [(p["partner"], p["name"]) for p in plan["partners"]] == [("nav", None), ("other", "Alta IL")]
    assert plan["participation"][0]["resident_said"] == "Wants work training, not a course"


def test_the_contact_person_can_be_changed_but_must_be_staff_here(client, alta, bergen):
    case_id = _case(client, alta)
    assert _plan(client, alta, case_id).status_code == 200
    r = client.put(alta.url(f"{X}/cases/{case_id}/plan"), headers=alta.aftercare_staff.headers,
                   json={"contact_person_id": alta.aftercare_leader.user_id})
    assert r.status_code == 200 and r.json["contact_person"]["id"] == alta.aftercare_leader.user_id
    r = client.put(alta.url(f"{X}/cases/{case_id}/plan"), headers=alta.aftercare_staff.headers,
                   json={"contact_person_id": bergen.aftercare_staff.user_id})
    assert r.status_code == 422
    assert "contact_person_id" in r.json["fields"]


def test_goals_partners_and_consultations_need_a_plan_first(client, alta):
    case_id = _case(client, alta)
    r = _post(client, alta, case_id, "goals", {"text": "A job"})
    assert r.status_code == 409
    assert "no individual plan" in r.json["message"]
    assert client.get(alta.url(f"{X}/cases/{case_id}/plan"), headers=alta.aftercare_staff.headers).status_code == 404


@pytest.mark.parametrize(("what", "body", "field"), [
    ("goals", {"text": ""}, "text"),
    ("goals", {"text": "A job", "status": "almost"}, "status"),
    ("goals", {"text": "A job", "target_on": "soon"}, "target_on"),
    ("goals", {"text": "x" * 1001}, "text"),
    ("partners", {"partner": "the church", "role": "Sunday coffee"}, "partner"),
    ("partners", {"partner": "other", "role": "Sunday coffee"}, "name"),
    ("partners", {"partner": "nav"}, "role"),
    ("participation", {"consulted_on": "2999-01-01", "method": "conversation", "resident_said": "Yes"},
     "consulted_on"),
    ("participation", {"consulted_on": "2026-03-02", "method": "telepathy", "resident_said": "Yes"}, "method"),
    ("participation", {"consulted_on": "2026-03-02", "method": "conversation"}, "resident_said"),
    ("participation", {"consulted_on": "2026-03-02", "method": "conversation", "resident_said": "Yes",
                       "mood": "fine"}, "mood"),
])
def test_bad_input_is_a_422_naming_the_field(client, alta, what, body, field):
    case_id = _case(client, alta)
    assert _plan(client, alta, case_id).status_code == 200
    r = _post(client, alta, case_id, what, body)
    assert r.status_code == 422, r.json
    assert field in r.json["fields"]


@pytest.mark.parametrize(("body", "field"), [
    ({}, "contact_person_id"),
    ({"contact_person_id": "the leader"}, "contact_person_id"),
    ({"contact_person_id": 1, "started_on": "2026-13-01"}, "started_on"),
])
def test_a_bad_plan_is_a_422_naming_the_field(client, alta, body, field):
    case_id = _case(client, alta)
    r = client.put(alta.url(f"{X}/cases/{case_id}/plan"), headers=alta.aftercare_staff.headers, json=body)
    assert r.status_code == 422
    assert field in r.json["fields"]


def test_a_goal_of_another_plan_is_not_found_here(client, alta):
    first, second = _case(client, alta), _case(client, alta)
    for case_id in (first, second):
        assert _plan(client, alta, case_id).status_code == 200
    goal = _post(client, alta, first, "goals", {"text": "A job"}).json
    r = client.patch(alta.url(f"{X}/cases/{second}/plan/goals/{goal['id']}"), headers=alta.aftercare_staff.headers,
                     json={"status": "reached"})
    assert r.status_code == 422 and "goal_id" in r.json["fields"]


def test_reading_needs_read_and_writing_needs_the_plan_permission(client, alta):
    case_id = _case(client, alta)
    r = client.put(alta.url(f"{X}/cases/{case_id}/plan"), headers=alta.aftercare_partner.headers,
                   json={"contact_person_id": alta.aftercare_partner.user_id})
    assert r.status_code == 403
    assert client.get(alta.url(f"{X}/cases/{case_id}/plan"), headers=alta.finance.headers).status_code == 403


def test_a_case_that_is_not_there_is_404(client, alta):
    assert _plan(client, alta, 999999).status_code == 404


def test_bergen_without_aftercare_gets_404(app, client, alta, bergen):
    case_id = _case(client, alta)
    assert client.get(bergen.url(f"{X}/cases/{case_id}/plan"),
                      headers=bergen.aftercare_staff.headers).status_code == 404
    browser = _browser(app, bergen, "aftercare_staff")
    assert browser.get(f"/t/bergen{X}/cases/{case_id}/plan").status_code == 404
    assert browser.post(f"/t/bergen{X}/cases/{case_id}/plan", data={}).status_code == 404


def test_the_case_panel_creates_the_plan_and_shows_a_refused_form_with_its_errors(app, client, alta):
    case_id = _case(client, alta)
    browser = _browser(app, alta, "aftercare_staff")
    page = browser.get(f"/t/alta/cases/{case_id}")
    assert page.status_code == 200
    assert 'id="plan"' in page.text and 'name="contact_person_id"' in page.text
    assert 'id="programme"' in page.text   # the staff hold STIPEND

    r = browser.post(f"/t/alta{X}/cases/{case_id}/plan", data={"contact_person_id": ""})
    assert r.status_code == 422
    assert 'class="error-summary"' in r.text and 'href="#plan-field-contact-person-id"' in r.text

    r = browser.post(f"/t/alta{X}/cases/{case_id}/plan", data={"contact_person_id": str(alta.aftercare_staff.user_id)})
    assert r.status_code == 302
    assert "aftercare_staff alta" in browser.get(f"/t/alta/cases/{case_id}").text

    r = browser.post(f"/t/alta{X}/cases/{case_id}/plan/goals", data={"text": "", "status": "open"})
    assert r.status_code == 422 and 'href="#goal-field-text"' in r.text
    r = browser.post(f"/t/alta{X}/cases/{case_id}/plan/goals", data={"text": "A place of my own in Alta",
                                                                      "target_on": "2027-06-01"})
    assert r.status_code == 302
    r = browser.post(f"/t/alta{X}/cases/{case_id}/plan/partners", data={"partner": "other", "role": "Coffee"})
    assert r.status_code == 422 and 'href="#partner-field-name"' in r.text
    r = browser.post(f"/t/alta{X}/cases/{case_id}/plan/partners", data={"partner": "rio", "role": "A mentor"})
    assert r.status_code == 302
    r = browser.post(f"/t/alta{X}/cases/{case_id}/plan/participation",
                     data={"consulted_on": "2026-03-02", "method": "plan_meeting",
                           "resident_said": "Wants to see the mentor weekly", "changed": "Weekly meetings"})
    assert r.status_code == 302

    plan = client.get(alta.url(f"{X}/cases/{case_id}/plan"), headers=alta.aftercare_staff.headers).json
    assert [g["text"] for g in plan["goals"]] == ["A place of my own in Alta"]
    assert [p["partner"] for p in plan["partners"]] == ["rio"]
    assert plan["participation"][0]["changed"] == "Weekly meetings"

    goal_id = plan["goals"][0]["id"]
    r = browser.post(f"/t/alta{X}/cases/{case_id}/plan/goals/{goal_id}", data={"status": "nearly"})
    assert r.status_code == 422 and f'href="#goal-{goal_id}-field-status"' in r.text
    assert browser.post(f"/t/alta{X}/cases/{case_id}/plan/goals/{goal_id}",
                        data={"status": "in_progress"}).status_code == 302
    page = browser.get(f"/t/alta{X}/cases/{case_id}/plan")
    assert page.status_code == 200 and "A place of my own in Alta" in page.text and "A mentor" in page.text


def test_the_programme_on_the_case_panel(app, client, alta):
    client.post(alta.url(f"{X}/g-table/published"), headers=alta.aftercare_leader.headers)
    case_id = _case(client, alta, dt.date(1980, 6, 1))
    browser = _browser(app, alta, "aftercare_staff")
    r = browser.post(f"/t/alta{X}/cases/{case_id}/programme",
                     data={"granted_on": "2008-03-15", "starts_on": "2008-04-01", "ends_on": "2008-03-01"})
    assert r.status_code == 422 and 'href="#programme-field-ends-on"' in r.text
    r = browser.post(f"/t/alta{X}/cases/{case_id}/programme",
                     data={"granted_on": "2008-03-15", "starts_on": "2008-04-01", "ends_on": "2008-06-30",
                           "children": "1"})
    assert r.status_code == 302
    page = browser.get(f"/t/alta/cases/{case_id}")
    assert page.status_code == 200
    assert '<time datetime="2008-05">' in page.text
    assert "11\u00a0709,00" in page.text          # May and June: 140,512 / 12 (nb: comma decimals)
    assert "2026" in page.text                    # today's G (1 May 2026) is not in the table: named
    programme = client.get(alta.url(f"{X}/cases/{case_id}/programme"), headers=alta.aftercare_partner.headers).json
    assert programme["total"] == "36335.00"       # 34,553 + 3 × 594


def test_a_member_who_may_only_read_sees_the_plan_without_forms(app, client, alta):
    case_id = _case(client, alta)
    assert _plan(client, alta, case_id).status_code == 200
    browser = _browser(app, alta, "aftercare_partner")
    page = browser.get(f"/t/alta{X}/cases/{case_id}/plan")
    assert page.status_code == 200
    assert "aftercare_staff alta" in page.text
    assert 'id="plan"' not in page.text and 'id="programme"' not in page.text
    assert browser.post(f"/t/alta{X}/cases/{case_id}/plan/goals", data={"text": "x"}).status_code == 403


def test_the_plan_and_stipend_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json["paths"]
    prefix = "/api/t/{tenant}/x/aftercare"
    for path in ("/cases/{case_id}/plan", "/cases/{case_id}/plan/goals", "/cases/{case_id}/plan/participation",
                 "/cases/{case_id}/programme", "/g-table", "/stipend"):
        assert any(key.endswith(path) and key.startswith(prefix.split("{")[0]) for key in paths), path
