"""The case page's records: the programme's forms drawn from their schemas and submitted through
the API's service, the submissions listed, a rule run from the page with its reasons shown,
and a decision overridden with a reason — each refusal shown on the page with its message."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests.helpers import add_person, open_case
from tests.web.pages import log_in
from velferd.db import db
from velferd.models import Decision, FormSubmission
from velferd.tenancy import tenant_scope


def a_case(client, town):
    return open_case(client, town, add_person(client, town)["id"])


def stored(app, town, model, case_id):
    with app.app_context(), tenant_scope(town.tenant):
        return db.session.scalars(sa.select(model).where(model.case_id == case_id).order_by(model.id)).all()


def test_the_programme_form_is_drawn_on_the_case_page_and_saved(app, client, bergen):
    case = a_case(client, bergen)
    log_in(client, bergen.caseworker.email)
    page = client.get(f"/t/bergen/cases/{case['id']}").get_data(as_text=True)
    assert '<h3 id="form-referral-title">Referral</h3>' in page
    assert 'name="motivation"' in page and 'name="age"' in page and 'type="checkbox"' in page
    r = client.post(f"/t/bergen/cases/{case['id']}/forms/referral",
                    data={"motivation": "wants a job", "age": "19", "criteria": ["needs_housing"]})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/t/bergen/cases/{case['id']}#confirmation")
    [submission] = stored(app, bergen, FormSubmission, case["id"])
    assert (submission.form, submission.form_version, submission.data) == (
        "referral", 2, {"motivation": "wants a job", "age": 19, "criteria": ["needs_housing"]})
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Skjemaet er lagret: Referral." in page
    assert "wants a job" in page and "(versjon 2)" in page


def test_a_bad_form_comes_back_with_its_errors_and_nothing_saved(app, client, bergen):
    case = a_case(client, bergen)
    log_in(client, bergen.caseworker.email)
    r = client.post(f"/t/bergen/cases/{case['id']}/forms/referral", data={"motivation": "ok", "age": "19a"})
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    summary = page[page.index('id="errors"'):page.index("</ul>", page.index('id="errors"'))]
    assert 'href="#form-referral-field-age"' in summary and 'href="#form-referral-field-motivation"' in summary
    assert 'value="19a"' in page  # kept as typed
    assert stored(app, bergen, FormSubmission, case["id"]) == []


def test_a_rule_run_from_the_page_shows_its_outcome_and_reasons(app, client, bergen):
    case = a_case(client, bergen)
    log_in(client, bergen.caseworker.email)
    r = client.post(f"/t/bergen/cases/{case['id']}/rules/eligibility", data={"age": "40", "criteria": ["needs_housing"]})
    assert r.status_code == 302
    [decision] = stored(app, bergen, Decision, case["id"])
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert f"Regelen avgjorde: {decision.outcome}." in page
    assert re.search(rf'id="decision-{decision.id}".*?<strong>Eligibility</strong>: {decision.outcome}', page, re.S)
    assert "40 is above the upper age limit" in page


def test_a_leader_overrides_a_decision_with_a_reason_and_the_original_stays(app, client, bergen):
    case = a_case(client, bergen)
    log_in(client, bergen.caseworker.email)
    client.post(f"/t/bergen/cases/{case['id']}/rules/eligibility", data={"age": "40", "criteria": ["needs_housing"]})
    [original] = stored(app, bergen, Decision, case["id"])
    page = client.get(f"/t/bergen/cases/{case['id']}").get_data(as_text=True)
    assert f'id="override-{original.id}"' not in page  # the caseworker has no decisions:override
    client.post("/logout")
    log_in(client, bergen.leader.email)
    page = client.get(f"/t/bergen/cases/{case['id']}").get_data(as_text=True)
    assert f'id="override-{original.id}"' in page
    r = client.post(f"/t/bergen/cases/{case['id']}/decisions/{original.id}/override", data={"outcome": "eligible", "reason": ""})
    assert r.status_code == 422 and f'href="#override-{original.id}-field-reason"' in r.get_data(as_text=True)
    r = client.post(f"/t/bergen/cases/{case['id']}/decisions/{original.id}/override",
                    data={"outcome": "eligible", "reason": "Documented need from school"})
    assert r.status_code == 302
    first, override = stored(app, bergen, Decision, case["id"])
    assert (first.id, first.outcome) == (original.id, original.outcome)
    assert (override.outcome, override.supersedes_id, override.override_reason) == (
        "eligible", original.id, "Documented need from school")
    page = client.get(f"/t/bergen/cases/{case['id']}").get_data(as_text=True)
    assert "Overstyrt" in page and "Documented need from school" in page
    assert f'id="override-{original.id}"' not in page  # an overridden decision is not overridden again


def test_another_cases_decision_cannot_be_overridden_through_this_case(app, client, bergen):
    mine, other = a_case(client, bergen), a_case(client, bergen)
    log_in(client, bergen.leader.email)
    client.post(f"/t/bergen/cases/{other['id']}/rules/eligibility", data={"age": "40", "criteria": ["needs_housing"]})
    [decision] = stored(app, bergen, Decision, other["id"])
    r = client.post(f"/t/bergen/cases/{mine['id']}/decisions/{decision.id}/override", data={"outcome": "x", "reason": "y"})
    assert r.status_code == 422
    assert len(stored(app, bergen, Decision, other["id"])) == 1


def test_a_coordinator_without_decisions_evaluate_sees_no_rule_form(client, bergen):
    case = a_case(client, bergen)
    log_in(client, bergen.coordinator.email)
    page = client.get(f"/t/bergen/cases/{case['id']}").get_data(as_text=True)
    assert 'id="rule-eligibility"' not in page and 'id="form-referral"' in page
    r = client.post(f"/t/bergen/cases/{case['id']}/rules/eligibility", data={"age": "19", "criteria": ["needs_housing"]})
    assert r.status_code == 403


def test_another_municipalitys_case_forms_answer_404(client, bergen, alta):
    theirs = a_case(client, alta)
    log_in(client, bergen.caseworker.email)
    r = client.post(f"/t/alta/cases/{theirs['id']}/forms/referral", data={"motivation": "xyz", "age": "19"})
    assert r.status_code == 404
