"""Correcting a person on their page (the API's PATCH: a reason required, the history shown) and
reviewing possible duplicates (dismiss with a note, link or merge), in the browser's words."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import sqlalchemy as sa

from tests.helpers import add_person, open_case, synthetic_id
from tests.web.pages import browser_for, text_of
from velferd.db import db
from velferd.identity import mask_national_id, synthetic_national_id
from velferd.models import Case, Person
from velferd.tenancy import tenant_scope

BIRTH = dt.date(2003, 4, 9)


@pytest.fixture
def browser(app):
    return browser_for(app)


def stored(app, town, person_id: int) -> Person:
    with app.app_context(), tenant_scope(town.tenant):
        return db.session.get(Person, person_id)


def correction_form(person: dict, **changes) -> dict:
    form = {"given_name": person["given_name"], "family_name": person["family_name"],
            "national_id": person["national_id"], "phone": "", "email": "", "address": "", "reason": ""}
    return {**form, **changes}


def twins(client, town) -> tuple[dict, dict]:
    """Kari with a D-number, and Kari again with a fødselsnummer: a flagged pair."""
    first = add_person(client, town, synthetic_national_id(BIRTH, "NO", random.Random(3), kind="dnr"),
                       given_name="Kari", family_name="Lien")
    second = add_person(client, town, synthetic_id("NO", BIRTH), given_name="Kari", family_name="Lien")
    assert second["possible_duplicates"] == [first["id"]]
    return first, second


def test_a_caseworker_corrects_a_name_and_sees_the_history(app, client, bergen, browser):
    person = add_person(client, bergen, given_name="Karri", family_name="Lien")
    caseworker = browser(bergen, "caseworker")
    page = caseworker.get(f"/t/bergen/people/{person['id']}")
    assert "Correct the person" in page.text and 'value="Karri"' in page.text  # filled with the values held

    r = caseworker.post(f"/t/bergen/people/{person['id']}/correct",
                        data=correction_form(person, given_name="Kari", phone="+47 900 00 000",
                                             reason="Misspelt at registration"))
    assert r.status_code == 303 and r.headers["Location"] == f"/t/bergen/people/{person['id']}#confirmation"
    text = text_of(caseworker.get(r.headers["Location"]))
    assert "The correction is saved." in text
    assert "Given name Karri Kari Misspelt at registration" in text
    assert "Telephone – +47 900 00 000" in text
    assert (stored(app, bergen, person["id"]).given_name, stored(app, bergen, person["id"]).phone) == (
        "Kari", "+47 900 00 000")


def test_a_correction_without_a_reason_is_refused_with_the_error_summary(app, client, bergen, browser):
    person = add_person(client, bergen, given_name="Karri")
    r = browser(bergen, "caseworker").post(f"/t/bergen/people/{person['id']}/correct",
                                           data=correction_form(person, given_name="Kari"))
    assert r.status_code == 422
    assert 'href="#correct-field-reason"' in r.text and 'value="Kari"' in r.text  # as typed
    assert stored(app, bergen, person["id"]).given_name == "Karri"


def test_a_national_id_another_person_has_is_said_beside_the_input(app, client, bergen, browser):
    first, second = add_person(client, bergen), add_person(client, bergen)
    r = browser(bergen, "caseworker").post(f"/t/bergen/people/{second['id']}/correct",
                                           data=correction_form(second, national_id=first["national_id"],
                                                                reason="New number"))
    assert r.status_code == 409
    assert "Another person of this municipality has this national id." in r.text
    assert stored(app, bergen, second["id"]).national_id == second["national_id"]


def test_a_coordinator_sees_no_correction_form_and_no_review(client, bergen, browser):
    person = add_person(client, bergen)
    coordinator = browser(bergen, "coordinator")
    assert "Correct the person" not in coordinator.get(f"/t/bergen/people/{person['id']}").text
    assert coordinator.post(f"/t/bergen/people/{person['id']}/correct",
                            data=correction_form(person, reason="x")).status_code == 403
    assert coordinator.get("/t/bergen/duplicates").status_code == 403


def test_the_review_lists_the_pair_with_masked_numbers_and_merges_it(app, client, bergen, browser):
    first, second = twins(client, bergen)
    case = open_case(client, bergen, second["id"])
    caseworker = browser(bergen, "caseworker")
    page = caseworker.get("/t/bergen/duplicates")
    assert page.status_code == 200
    assert mask_national_id(first["national_id"]) in page.text and first["national_id"] not in page.text
    assert mask_national_id(second["national_id"]) in page.text and second["national_id"] not in page.text

    (flag_id,) = [f["id"] for f in client.get(bergen.url("/duplicates"), headers=bergen.caseworker.headers).json]
    r = caseworker.post(f"/t/bergen/duplicates/{flag_id}/merge", data={"note": "Same girl, checked with NAV"})
    assert r.status_code == 303
    text = text_of(caseworker.get(r.headers["Location"]))
    assert "The records are merged into the earlier one" in text and "No possible duplicates to review." in text
    with app.app_context(), tenant_scope(bergen.tenant):
        assert db.session.get(Case, case["id"]).person_id == first["id"]
    merged = caseworker.get(f"/t/bergen/people/{second['id']}")
    assert "This record was merged into another person" in merged.text
    assert "Correct the person" not in merged.text


def test_keeping_two_people_apart_needs_a_note(app, client, bergen, browser):
    twins(client, bergen)
    (flag_id,) = [f["id"] for f in client.get(bergen.url("/duplicates"), headers=bergen.caseworker.headers).json]
    caseworker = browser(bergen, "caseworker")
    r = caseworker.post(f"/t/bergen/duplicates/{flag_id}/dismiss", data={"note": ""})
    assert r.status_code == 422 and f'href="#review-{flag_id}-field-note"' in r.text
    r = caseworker.post(f"/t/bergen/duplicates/{flag_id}/dismiss", data={"note": "Cousins"})
    assert r.status_code == 303
    assert "The two are kept apart" in text_of(caseworker.get(r.headers["Location"]))
    with app.app_context(), tenant_scope(bergen.tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 2


def test_registering_a_possible_duplicate_says_so(client, bergen, browser):
    first = add_person(client, bergen, synthetic_id("NO", BIRTH), given_name="Kari", family_name="Lien")
    caseworker = browser(bergen, "caseworker")
    other = synthetic_national_id(BIRTH, "NO", random.Random(5), kind="dnr")
    r = caseworker.post("/t/bergen/people/new", data={"national_id": other, "given_name": "Kari",
                                                      "family_name": "Lien"})
    assert r.status_code == 303, r.text
    assert "listed under Possible duplicates for review" in text_of(caseworker.get(r.headers["Location"]))
    assert first
