"""The people pages: the caseworker's person search (by name, by a whole national id, masked in
the list), the person page (the whole id, their cases, opening a case, registering a person) and
the auditor's access log — each read audited, nothing of another municipality shown, and a
typed national id never in a URL or the app's log."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from tests.all_plugins import all_plugins_database, every_plugin_world  # noqa: F401, F811  (fixtures)
from tests.helpers import add_person, add_staff, open_case, synthetic_id
from tests.web.conftest import BROWSER_ACCEPT
from tests.web.pages import log_in
from velferd.db import db
from velferd.identity import mask_national_id
from velferd.models import AuditEvent, Case, Person
from velferd.tenancy import tenant_scope


def audit_rows(app, town, **where) -> list[AuditEvent]:
    with app.app_context(), tenant_scope(town.tenant):
        return db.session.scalars(sa.select(AuditEvent).filter_by(**where).order_by(AuditEvent.id)).all()


def persons_of(app, town) -> list[Person]:
    with app.app_context(), tenant_scope(town.tenant):
        return db.session.scalars(sa.select(Person).order_by(Person.id)).all()


def browser(app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    return client


@pytest.fixture
def kari(client, bergen):
    return add_person(client, bergen, given_name="Kari", family_name="Hansen")


def search(client, **form):
    return client.post("/t/bergen/people/search", data={"name": "", "national_id": "", **form})


def test_a_name_search_finds_this_municipalitys_persons_with_their_ids_masked(app, client, bergen, alta, kari):
    add_person(client, bergen, given_name="Ola", family_name="Nordmann")
    add_person(client, alta, given_name="Kari", family_name="Altaværing")
    log_in(client, bergen.caseworker.email)
    r = search(client, name="KAR")  # any case, part of the given name
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Kari Hansen" in page and f'href="/t/bergen/people/{kari["id"]}"' in page
    assert mask_national_id(kari["national_id"]) in page and kari["national_id"] not in page
    assert "Altaværing" not in page and "Nordmann" not in page
    assert "1 person" in page
    (listed,) = audit_rows(app, bergen, action="person.listed")
    assert (listed.person_id, listed.actor_id) == (kari["id"], bergen.caseworker.user_id)
    assert listed.details["view"] == "POST /people/search (web)"
    assert audit_rows(app, alta, action="person.listed") == []
    assert "Hansen" in search(client, name="anse").get_data(as_text=True)  # part of the family name


def test_a_national_id_finds_only_by_the_whole_number(client, bergen, kari):
    log_in(client, bergen.caseworker.email)
    number = kari["national_id"]
    page = search(client, national_id=f"{number[:6]} {number[6:]}").get_data(as_text=True)  # as typed, with a space
    assert "Kari Hansen" in page
    other = synthetic_id("NO")
    r = search(client, national_id=other if other != number else synthetic_id("NO"))
    assert r.status_code == 200 and "Ingen i kommunen passer med søket." in r.get_data(as_text=True)


def test_a_part_of_a_national_id_is_refused_with_the_error_summary(app, client, bergen, kari):
    log_in(client, bergen.caseworker.email)
    r = search(client, national_id=kari["national_id"][:6])
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Det er et problem" in page and 'href="#search-field-national-id"' in page
    assert "Fødselsnummer: Dette er ikke et gyldig fødselsnummer." in page
    assert 'aria-invalid="true"' in page
    assert audit_rows(app, bergen, action="person.listed") == []


def test_an_empty_search_says_what_to_type(client, bergen, kari):
    log_in(client, bergen.caseworker.email)
    r = search(client)
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Skriv inn et navn eller deler av et navn, eller et helt fødselsnummer, for å søke." in page
    assert "Kari" not in page


def test_the_person_page_shows_the_whole_id_and_the_cases_and_is_audited(app, client, bergen, kari):
    case = open_case(client, bergen, kari["id"])
    log_in(client, bergen.caseworker.email)
    r = client.get(f"/t/bergen/people/{kari['id']}")
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "<h1>Kari Hansen</h1>" in page and kari["national_id"] in page
    assert f'datetime="{kari["birth_date"]}"' in page
    assert f'href="/t/bergen/cases/{case["id"]}"' in page and f"Sak {case['id']}" in page
    assert case["state"] in page
    assert "/access-log" not in page  # a caseworker has no audit:read
    reads = audit_rows(app, bergen, action="person.read", actor_id=bergen.caseworker.user_id)
    assert [row.person_id for row in reads] == [kari["id"]]
    case_page = client.get(f"/t/bergen/cases/{case['id']}").get_data(as_text=True)
    assert f'<a href="/t/bergen/people/{kari["id"]}">Kari Hansen</a>' in case_page


def test_another_municipalitys_person_is_not_found(client, bergen, alta):
    theirs = add_person(client, alta, given_name="Anne", family_name="Altasen")
    log_in(client, bergen.caseworker.email)
    r = client.get(f"/t/bergen/people/{theirs['id']}")
    assert r.status_code == 404 and "Altasen" not in r.get_data(as_text=True)
    assert client.post(f"/t/bergen/people/{theirs['id']}/cases", data={"plugin": "example"}).status_code == 404
    assert client.get(f"/t/alta/people/{theirs['id']}").status_code == 404  # not a member of Alta


def test_the_auditor_finds_the_access_log_by_national_id_and_sees_the_caseworkers_read(app, client, bergen, kari):
    log_in(client, bergen.caseworker.email)
    assert client.get(f"/t/bergen/people/{kari['id']}").status_code == 200
    auditor = browser(app)
    log_in(auditor, bergen.auditor.email)
    assert auditor.get("/t/bergen/people").status_code == 403  # no persons:read
    menu = auditor.get("/t/bergen/access-log").get_data(as_text=True)
    assert "Innsynslogg" in menu and ">Personer<" not in menu
    r = auditor.post("/t/bergen/access-log", data={"national_id": kari["national_id"]})
    assert r.status_code == 303 and r.headers["Location"] == f"/t/bergen/people/{kari['id']}/access-log"
    assert kari["national_id"] not in r.headers["Location"]
    page = auditor.get(r.headers["Location"]).get_data(as_text=True)
    assert f"Innsynslogg for person {kari['id']}" in page
    assert "caseworker bergen" in page and "Lest: <code>person.read</code> (person" in page
    assert "Vist i en liste: <code>person.listed</code>" in page
    assert "GET /people/&lt;int:person_id&gt;/access-log (web)" not in page  # this GET's row is written after it
    assert "Kari" not in page and kari["national_id"] not in page  # the API's log shows no name either
    looked_up = audit_rows(app, bergen, action="person.listed", actor_id=bergen.auditor.user_id)
    assert [row.details["view"] for row in looked_up] == ["POST /access-log (web)"]
    assert page.index("person.listed") < page.index("caseworker bergen")  # newest first


def test_the_access_log_lookup_refuses_a_bad_id_and_says_when_no_one_has_it(client, bergen, kari):
    log_in(client, bergen.auditor.email)
    r = client.post("/t/bergen/access-log", data={"national_id": "12345"})
    assert r.status_code == 422 and 'href="#lookup-field-national-id"' in r.get_data(as_text=True)
    r = client.post("/t/bergen/access-log", data={"national_id": ""})
    assert r.status_code == 422 and "Fødselsnummer:" in r.get_data(as_text=True)
    other = synthetic_id("NO")
    r = client.post("/t/bergen/access-log", data={"national_id": other if other != kari["national_id"] else synthetic_id()})
    assert r.status_code == 200
    assert "Ingen med dette fødselsnummeret er registrert i kommunen." in r.get_data(as_text=True)


def test_a_caseworker_may_not_read_an_access_log(client, bergen, kari):
    log_in(client, bergen.caseworker.email)
    assert client.get(f"/t/bergen/people/{kari['id']}/access-log").status_code == 403
    assert client.get("/t/bergen/access-log").status_code == 403
    assert client.post("/t/bergen/access-log", data={"national_id": kari["national_id"]}).status_code == 403
    assert "Innsynslogg" not in client.get("/t/bergen/people").get_data(as_text=True)


def test_a_user_with_audit_read_and_persons_read_gets_the_link_to_the_log(app, client, bergen, kari):
    both = add_staff(app, bergen, "case_auditor", ["caseworker", "auditor"])
    log_in(client, both.email)
    page = client.get(f"/t/bergen/people/{kari['id']}").get_data(as_text=True)
    assert f'href="/t/bergen/people/{kari["id"]}/access-log"' in page
    log = client.get(f"/t/bergen/people/{kari['id']}/access-log").get_data(as_text=True)
    assert f'href="/t/bergen/people/{kari["id"]}"' in log


def test_a_national_id_never_reaches_the_apps_log(app, client, bergen, kari, caplog):
    caplog.set_level(logging.DEBUG)
    log_in(client, bergen.caseworker.email)
    search(client, national_id=kari["national_id"])
    search(client, national_id=kari["national_id"][:10])  # refused: the 422 message masks it
    client.get(f"/t/bergen/people/{kari['id']}")
    auditor = browser(app)
    log_in(auditor, bergen.auditor.email)
    auditor.post("/t/bergen/access-log", data={"national_id": kari["national_id"]}, follow_redirects=True)
    assert kari["national_id"] not in caplog.text and kari["national_id"][:10] not in caplog.text
    for row in audit_rows(app, bergen):
        assert kari["national_id"] not in str(row.details)


def test_registering_a_person_leads_to_their_page(app, client, bergen):
    log_in(client, bergen.caseworker.email)
    number = synthetic_id("NO")
    r = client.post("/t/bergen/people/new", data={"national_id": number, "given_name": "Per", "family_name": "Olsen"})
    (person,) = persons_of(app, bergen)
    assert r.status_code == 303 and r.headers["Location"] == f"/t/bergen/people/{person.id}#confirmation"
    assert (person.national_id, person.given_name, person.family_name) == (number, "Per", "Olsen")
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Per Olsen er registrert." in page
    again = client.post("/t/bergen/people/new", data={"national_id": number, "given_name": "P", "family_name": "O"})
    assert again.status_code == 409 and "Det er et problem" in again.get_data(as_text=True)
    assert len(persons_of(app, bergen)) == 1


def test_a_person_with_a_bad_national_id_is_refused_and_nothing_is_written(app, client, bergen):
    log_in(client, bergen.caseworker.email)
    r = client.post("/t/bergen/people/new", data={"national_id": "01010112345", "given_name": "Per",
                                                  "family_name": "Olsen"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'href="#person-field-national-id"' in page and "Fødselsnummer: fødselsnummer 010101***** has" in page
    assert 'value="Per"' in page and 'value="Olsen"' in page  # as typed
    assert "01010112345" not in page.replace('value="01010112345"', "")  # only in its input, as typed
    r = client.post("/t/bergen/people/new", data={"national_id": synthetic_id(), "given_name": "Per", "family_name": ""})
    assert r.status_code == 422 and 'href="#person-field-family-name"' in r.get_data(as_text=True)
    assert persons_of(app, bergen) == []


def test_a_coordinator_may_search_but_not_register(client, bergen, kari):
    log_in(client, bergen.coordinator.email)
    page = client.get("/t/bergen/people").get_data(as_text=True)
    assert "Registrer en person" not in page
    assert client.post("/t/bergen/people/new", data={"national_id": synthetic_id(), "given_name": "A",
                                                     "family_name": "B"}).status_code == 403


def test_opening_a_case_from_the_person_page(app, client, bergen, kari):
    r = client.post(bergen.url("/units"), json={"name": "Bergen barnevern", "kind": "child_welfare"},
                    headers=bergen.tenant_admin.headers)
    assert r.status_code == 201, r.json
    unit = r.json["id"]
    log_in(client, bergen.caseworker.email)
    page = client.get(f"/t/bergen/people/{kari['id']}").get_data(as_text=True)
    assert '<option value="example">Example programme</option>' in page
    assert f'<option value="{unit}">Bergen barnevern</option>' in page
    r = client.post(f"/t/bergen/people/{kari['id']}/cases", data={"plugin": "example", "referring_unit_id": unit})
    with app.app_context(), tenant_scope(bergen.tenant):
        (case,) = db.session.scalars(sa.select(Case)).all()
        assert (case.person_id, case.plugin, case.referring_unit_id) == (kari["id"], "example", unit)
    assert r.status_code == 303 and r.headers["Location"] == f"/t/bergen/cases/{case.id}#confirmation"
    assert "Saken er opprettet." in client.get(r.headers["Location"]).get_data(as_text=True)


def test_opening_a_case_without_a_programme_or_in_one_not_enabled_is_refused(app, client, bergen, kari):
    log_in(client, bergen.caseworker.email)
    r = client.post(f"/t/bergen/people/{kari['id']}/cases", data={"plugin": ""})
    assert r.status_code == 422 and 'href="#open-case-field-plugin"' in r.get_data(as_text=True)
    r = client.post(f"/t/bergen/people/{kari['id']}/cases", data={"plugin": "not_here"})
    assert r.status_code == 422 and "Velg et av tilbudene i listen." in r.get_data(as_text=True)
    r = client.post(f"/t/bergen/people/{kari['id']}/cases", data={"plugin": "example", "referring_unit_id": "999"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and 'href="#open-case-field-referring-unit-id"' in page
    assert 'aria-invalid="true"' in page
    with app.app_context(), tenant_scope(bergen.tenant):
        assert db.session.scalars(sa.select(Case)).all() == []


def test_the_menu_offers_people_to_a_caseworker(client, bergen):
    log_in(client, bergen.caseworker.email)
    page = client.get("/t/bergen/cases").get_data(as_text=True)
    assert '<a href="/t/bergen/people">Personer</a>' in page



def test_a_programme_that_needs_a_referring_unit_says_so_on_the_person_page(every_plugin_world):  # noqa: F811
    """DUE's case-opened hook requires the referring unit: a 422 at that select, then the case."""
    app, _client, town, ids, _document = every_plugin_world
    client = browser(app)
    log_in(client, town.every_role.email)
    person = ids["person_id"]
    page = client.get(f"/t/bergen/people/{person}").get_data(as_text=True)
    assert '<option value="due">' in page
    r = client.post(f"/t/bergen/people/{person}/cases", data={"plugin": "due"})
    assert r.status_code == 422 and 'href="#open-case-field-referring-unit-id"' in r.get_data(as_text=True)
    r = client.post(f"/t/bergen/people/{person}/cases", data={"plugin": "due", "referring_unit_id": ids["unit_id"]})
    assert r.status_code == 303 and r.headers["Location"].startswith("/t/bergen/cases/")
