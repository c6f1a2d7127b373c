"""The case page's moves and journal note, through the Flask client as a browser posts them:
each move a form drawn from its transition's payload schema (velferd.web.form_fields), taken
through the API's schema and `cases.transition_case`; a refusal or bad data shows the case page
again with the error summary, the inline error and the values as typed.

The example plugin's workflow has no payload, so these tests run it with one: ``assess`` takes a
review (a date, a whole number of hours, a choice, reasons one per line, a flag and a nested
contact) — the kinds of field a programme's payload has (DUE's ``decline`` takes reasons,
``offer`` a date)."""

from __future__ import annotations

import dataclasses

import pytest
from marshmallow import Schema, fields, validate

from tests.helpers import add_person, add_staff, open_case
from tests.plugins.example import WORKFLOW, ExamplePlugin
from tests.web.pages import log_in
from velferd.toolkit import hookimpl
from velferd.web.form_fields import form_fields, submitted_data


class Contact(Schema):
    name = fields.String(required=True, validate=validate.Length(min=2, max=100))
    phone = fields.String(load_default=None, validate=validate.Length(max=20))


class AssessPayload(Schema):
    review_on = fields.Date(required=True, metadata={"title": "Review date",
                                                     "description": "When the assessment is looked at again"})
    hours = fields.Integer(required=True, validate=validate.Range(min=1, max=40))
    track = fields.String(required=True, validate=validate.OneOf(("school", "work", "housing")))
    reasons = fields.List(fields.String(validate=validate.Length(min=2, max=200)), load_default=list)
    urgent = fields.Boolean(load_default=False)
    contact = fields.Nested(Contact, required=False)


ASSESS = dataclasses.replace(WORKFLOW.transition("assess"), payload=AssessPayload, title="Assess the referral")
PAYLOAD_WORKFLOW = dataclasses.replace(
    WORKFLOW, transitions=tuple(ASSESS if t.name == "assess" else t for t in WORKFLOW.transitions))


class ExampleWithPayloads(ExamplePlugin):
    """The example plugin with a payload on ``assess``."""

    @hookimpl
    def velferd_plugin(self):
        return dataclasses.replace(super().velferd_plugin(), workflow=PAYLOAD_WORKFLOW)


@pytest.fixture
def example_plugin():
    return ExampleWithPayloads()


def a_case(client, town):
    return open_case(client, town, add_person(client, town)["id"])


GOOD = {"review_on": "2026-03-02", "hours": "12", "track": "work", "reasons": "no school place\n\n  leaving care  ",
        "urgent": "on", "contact.name": "Turid Testesen", "move-note": "Talked with the youth"}


def test_the_form_is_drawn_from_the_payload_schema():
    described = {field.input_name: field for field in form_fields(AssessPayload)}
    assert [described[name].widget for name in ("review_on", "hours", "track", "reasons", "urgent", "contact")] == [
        "date", "number", "select", "lines", "checkbox", "fieldset"]
    assert described["review_on"].label == "Review date" and described["hours"].label == "Hours"
    assert described["track"].choices == ("school", "work", "housing")
    assert [child.input_name for child in described["contact"].children] == ["contact.name", "contact.phone"]
    assert submitted_data(AssessPayload, GOOD) == {
        "review_on": "2026-03-02", "hours": 12, "track": "work", "reasons": ["no school place", "leaving care"],
        "urgent": True, "contact": {"name": "Turid Testesen"}}


def test_a_move_with_a_payload_through_the_page_is_in_the_journal(app, client, bergen):
    case = a_case(client, bergen)
    log_in(client, bergen.caseworker.email)
    page = client.get(f"/t/bergen/cases/{case['id']}").get_data(as_text=True)
    assert '<h3 id="move-assess-title">Assess the referral</h3>' in page
    assert 'type="date"' in page and 'inputmode="numeric"' in page and "(påkrevd)" in page
    assert "When the assessment is looked at again" in page  # the hint
    r = client.post(f"/t/bergen/cases/{case['id']}/moves/assess", data=GOOD)
    assert r.status_code == 302 and r.headers["Location"] == f"/t/bergen/cases/{case['id']}#confirmation"
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Saken er flyttet: Assess the referral." in page
    assert "<dt>Status</dt><dd>assessed</dd>" in page
    assert "Talked with the youth" in page and "no school place, leaving care" in page
    journal = client.get(bergen.url(f"/cases/{case['id']}/journal"), headers=bergen.caseworker.headers).json
    assert journal[-1]["transition"] == "assess" and journal[-1]["data"]["hours"] == 12
    assert journal[-1]["data"]["contact"] == {"name": "Turid Testesen"}
    assert "Saken er flyttet" not in client.get(f"/t/bergen/cases/{case['id']}").get_data(as_text=True)  # shown once


def test_bad_data_shows_the_page_again_with_the_summary_the_inline_error_and_the_values_typed(client, bergen):
    case = a_case(client, bergen)
    log_in(client, bergen.caseworker.email)
    r = client.post(f"/t/bergen/cases/{case['id']}/moves/assess",
                    data={**GOOD, "hours": "12a", "contact.name": "x", "reasons": "ok reason\nx"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert '<div class="error-summary" id="errors" role="alert"' in page
    summary = page.split('id="errors"')[1].split("</div>")[0]
    assert 'href="#move-assess-field-hours"' in summary and "Hours: Må være et helt tall." in summary  # marshmallow's, in nb
    assert 'href="#move-assess-field-contact-name"' in summary and 'href="#move-assess-field-reasons"' in summary
    assert "Contact – Navn: Lengden må være mellom 2 og 100." in summary  # a nested field names its fieldset
    hours = page.split('id="move-assess-field-hours-error"')[1].split("</p>")[0]
    assert "Må være et helt tall." in hours
    assert 'value="12a"' in page and 'value="2026-03-02"' in page and "Talked with the youth" in page
    assert "ok reason\nx</textarea>" in page
    assert "<dt>Status</dt><dd>referred</dd>" in page  # nothing moved
    assert client.get(bergen.url(f"/cases/{case['id']}"), headers=bergen.caseworker.headers).json["state"] == "referred"


def test_a_guard_refusal_shows_its_reason(client, bergen):
    case = a_case(client, bergen)
    log_in(client, bergen.caseworker.email)
    assert client.post(f"/t/bergen/cases/{case['id']}/moves/assess", data=GOOD).status_code == 302
    r = client.post(f"/t/bergen/cases/{case['id']}/moves/accept", data={"move-note": "ready"})
    page = r.get_data(as_text=True)
    assert r.status_code == 409
    summary = page.split('id="errors"')[1].split("</div>")[0]
    assert "no eligibility decision is recorded for the case" in summary and 'href="#move-accept"' in summary
    assert ">ready</textarea>" in page


def test_a_move_without_its_permission_is_not_shown_and_its_post_is_refused(client, bergen):
    case = a_case(client, bergen)
    log_in(client, bergen.caseworker.email)
    assert client.post(f"/t/bergen/cases/{case['id']}/moves/decline", data={}).status_code == 302
    page = client.get(f"/t/bergen/cases/{case['id']}").get_data(as_text=True)
    assert "<dt>Status</dt><dd>declined</dd>" in page
    assert "moves/close" not in page  # close needs decisions:override, which a caseworker lacks
    assert client.post(f"/t/bergen/cases/{case['id']}/moves/close", data={}).status_code == 403
    log_in(client, bergen.staff["leader"].email)
    assert "moves/close" in client.get(f"/t/bergen/cases/{case['id']}").get_data(as_text=True)
    log_in(client, bergen.staff["auditor"].email)
    assert client.post(f"/t/bergen/cases/{case['id']}/moves/assess", data=GOOD).status_code == 403


def test_a_reader_with_the_moves_permission_but_no_case_writing_sees_no_form(app, client, bergen):
    """The example plugin's reviewer holds ``decisions:override`` (close's permission) and
    ``cases:read`` only: the API refuses its moves and notes (``cases:write``), so the page offers none."""
    case = a_case(client, bergen)
    assert client.post(bergen.url(f"/cases/{case['id']}/transitions"), json={"transition": "decline"},
                       headers=bergen.caseworker.headers).status_code == 200
    add_staff(app, bergen, "reviewer", ["example_reviewer"])
    log_in(client, bergen.staff["reviewer"].email)
    page = client.get(f"/t/bergen/cases/{case['id']}").get_data(as_text=True)
    assert "<dt>Status</dt><dd>declined</dd>" in page
    assert "moves/close" not in page and "/notes" not in page
    assert client.post(f"/t/bergen/cases/{case['id']}/moves/close", data={}).status_code == 403
    assert client.post(f"/t/bergen/cases/{case['id']}/notes", data={"text": "hello"}).status_code == 403


def test_a_note_is_added_to_the_journal_and_an_empty_one_is_refused(client, bergen):
    case = a_case(client, bergen)
    log_in(client, bergen.caseworker.email)
    r = client.post(f"/t/bergen/cases/{case['id']}/notes", data={"text": "Called the school"})
    assert r.status_code == 302
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Notatet er i journalen." in page and "Called the school" in page
    r = client.post(f"/t/bergen/cases/{case['id']}/notes", data={"text": "  "})
    assert r.status_code == 422 and 'href="#note-field-text"' in r.get_data(as_text=True)


def test_a_move_posted_from_another_site_is_refused(client, bergen):
    case = a_case(client, bergen)
    log_in(client, bergen.caseworker.email)
    r = client.post(f"/t/bergen/cases/{case['id']}/moves/decline", data={},
                    headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
    assert r.status_code == 403
    assert client.get(bergen.url(f"/cases/{case['id']}"), headers=bergen.caseworker.headers).json["state"] == "referred"


def test_another_municipalitys_case_cannot_be_moved(client, bergen, alta):
    theirs = a_case(client, alta)
    log_in(client, bergen.caseworker.email)
    assert client.post(f"/t/bergen/cases/{theirs['id']}/moves/decline", data={}).status_code == 404
    assert client.get(alta.url(f"/cases/{theirs['id']}"), headers=alta.caseworker.headers).json["state"] == "referred"


def test_a_list_of_choices_is_a_group_of_boxes_and_a_list_of_rows_has_blank_rows():
    from werkzeug.datastructures import MultiDict

    from tests.plugins.example import CRITERIA, ReferralForm
    from velferd.web.form_fields import NESTED_ROWS, errors_by_input

    class Goal(Schema):
        text = fields.String(required=True)

    class Plan(Schema):
        goals = fields.List(fields.Nested(Goal), required=True)

    criteria = {field.key: field for field in form_fields(ReferralForm)}["criteria"]
    assert criteria.widget == "checkboxes" and criteria.choices == CRITERIA
    posted = MultiDict([("motivation", "wants a flat"), ("criteria", "needs_housing"),
                        ("criteria", "leaving_institution"), ("age", "19")])
    assert submitted_data(ReferralForm, posted) == {
        "motivation": "wants a flat", "criteria": ["needs_housing", "leaving_institution"], "age": 19}
    goals = form_fields(Plan)[0]
    assert len(goals.rows) == NESTED_ROWS and goals.rows[1][0].input_name == "goals.1.text"
    assert submitted_data(Plan, {"goals.0.text": "school", "goals.2.text": "a job"}) == {
        "goals": [{"text": "school"}, {"text": "a job"}]}
    described = form_fields(Plan)
    assert errors_by_input(described, {"goals": {1: {"text": ["Missing data for required field."]}},
                                       "_schema": ["Pick one."]}) == {
        "goals.1.text": ["Missing data for required field."], "": ["Pick one."]}


def test_a_plugin_form_is_drawn_with_no_template_of_its_own(app):
    """The example plugin's referral form through the same macros: its labels as written, the
    criteria as ticked boxes under a legend, the inline error and the value as typed."""
    from werkzeug.datastructures import MultiDict

    from tests.plugins.example import ReferralForm

    posted = MultiDict([("motivation", "ok"), ("criteria", "needs_housing"), ("age", "19")])
    with app.test_request_context("/"):
        macros = app.jinja_env.get_template("web/_fields.html").module
        html = str(macros.render(form_fields(ReferralForm), "referral", posted,
                                 {"motivation": ["Shorter than minimum length 3."]}))
    assert '<legend>Criteria <span class="required">' in html
    assert 'value="needs_housing" checked' in html and 'value="leaving_institution">' in html
    assert 'id="referral-field-motivation-error"' in html and 'aria-invalid="true"' in html
    assert '>ok</textarea>' in html and 'inputmode="numeric" value="19"' in html  # no maximum: a textarea


def test_a_script_posting_a_move_gets_the_apis_error_shape(app, bergen):
    script = app.test_client()  # Accept: */*, like curl
    case = a_case(script, bergen)
    r = script.post(f"/t/bergen/cases/{case['id']}/moves/assess", data={**GOOD, "hours": "99"},
                    headers=bergen.caseworker.headers)
    assert r.status_code == 422 and list(r.json["fields"]) == ["hours"]
    r = script.post(f"/t/bergen/cases/{case['id']}/moves/accept", data={}, headers=bergen.caseworker.headers)
    assert r.status_code == 409 and "cannot be taken from state 'referred'" in r.json["message"]
