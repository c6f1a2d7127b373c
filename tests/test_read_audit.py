"""Reads are audited by structure (velferd.read_audit), not by each view remembering to.

Generated from the OpenAPI document: every GET under /api/t/{tenant}, called with one record of
every kind present, must leave an audit row for each person its response shows; and a GET of
another tenant's id (404) or without the permission (403) leaves an ``access.refused`` row in
the tenant of the URL. The plugins' routes are checked the same way in their own test folders
(tests/plugins/*/test_*_read_audit.py)."""

from __future__ import annotations

import re

import pytest

from tests.databases import restore_snapshot, seeded_once
from tests.helpers import add_person, open_case, populated_municipality, reloaded
from tests.plugins.example import ExamplePlugin
from tests.read_audit_checks import (
    audit_since,
    check_every_get_is_audited,
    check_refusal_is_audited,
    fill,
    get_operations,
    last_audit_id,
)
from velferd.models import AuditEvent
from velferd.read_audit import person_link

#: The GETs that show some person's records with the sample data of populated_municipality.
PERSON_LINKED = {"/persons", "/persons/{person_id}", "/persons/{person_id}/access-log", "/cases",
                 "/cases/{case_id}", "/cases/{case_id}/journal", "/cases/{case_id}/meetings",
                 "/cases/{case_id}/deadlines", "/forms/submissions/{submission_id}", "/decisions/{decision_id}",
                 "/x/example/cases/{case_id}/summary"}


def populated_bergen(app, client):
    return populated_municipality(app, client, "bergen")


seeded_bergen = seeded_once(populated_bergen, ExamplePlugin)  # seeded once for the module


@pytest.fixture
def populated(app, seeded_bergen):
    """Bergen with one record of every kind, in this test's own database; (town, ids)."""
    snapshot, (bergen, ids) = seeded_bergen
    restore_snapshot(snapshot, app)
    return reloaded(app, bergen), dict(ids)


def test_every_get_that_shows_a_person_is_audited(app, client, populated):
    bergen, ids = populated
    showing = check_every_get_is_audited(app, client, bergen, bergen.every_role, get_operations(app), ids)
    assert PERSON_LINKED <= showing, sorted(PERSON_LINKED - showing)  # the check did see the persons


def test_a_read_names_the_view_and_the_records_shown(app, client, populated):
    bergen, ids = populated
    before = last_audit_id(app, bergen)
    client.get(bergen.url(f"/decisions/{ids['decision_id']}"), headers=bergen.caseworker.headers)
    (row,) = audit_since(app, bergen, before)
    assert (row.action, row.record_type, row.record_id, row.person_id) == (
        "decision.read", "decision", str(ids["decision_id"]), ids["person_id"])
    assert row.details["view"] == "GET /decisions/<int:decision_id>"
    assert ids["decision_id"] in row.details["records"]["decision"]


def test_a_list_writes_one_row_per_person_with_what_it_showed_of_them(app, client, bergen):
    kari, ola = add_person(client, bergen, given_name="Kari"), add_person(client, bergen, given_name="Ola")
    karis = [open_case(client, bergen, kari["id"])["id"] for _ in range(2)]
    olas = open_case(client, bergen, ola["id"])["id"]
    before = last_audit_id(app, bergen)
    assert client.get(bergen.url("/cases"), headers=bergen.caseworker.headers).status_code == 200
    rows = {row.person_id: row for row in audit_since(app, bergen, before)}
    assert set(rows) == {kari["id"], ola["id"]}
    assert rows[kari["id"]].action == "case.listed" and rows[kari["id"]].record_id is None
    assert rows[kari["id"]].details["records"]["case"] == karis
    assert rows[ola["id"]].details["records"]["case"] == [olas]


def test_the_access_log_lists_the_list_views_that_showed_the_person(app, client, bergen):
    kari = add_person(client, bergen, given_name="Kari")
    other = add_person(client, bergen, given_name="Per")
    open_case(client, bergen, kari["id"])
    client.get(bergen.url("/persons?q=Kari"), headers=bergen.leader.headers)
    client.get(bergen.url("/cases"), headers=bergen.coordinator.headers)
    log = client.get(bergen.url(f"/persons/{kari['id']}/access-log"), headers=bergen.auditor.headers).json
    assert [(e["action"], e["actor_id"]) for e in log[:2]] == [
        ("case.listed", bergen.coordinator.user_id), ("person.listed", bergen.leader.user_id)]
    others = client.get(bergen.url(f"/persons/{other['id']}/access-log"), headers=bergen.auditor.headers).json
    assert "person.listed" not in [e["action"] for e in others]  # the search for Kari did not show Per


def test_reading_the_access_log_is_itself_audited(app, client, bergen):
    kari = add_person(client, bergen)
    client.get(bergen.url(f"/persons/{kari['id']}/access-log"), headers=bergen.auditor.headers)
    log = client.get(bergen.url(f"/persons/{kari['id']}/access-log"), headers=bergen.auditor.headers).json
    assert log[0]["action"] == "person.read" and log[0]["actor_id"] == bergen.auditor.user_id
    assert log[0]["details"]["view"] == "GET /persons/<int:person_id>/access-log"


def test_a_write_is_not_also_audited_as_a_read(app, client, bergen):
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    before = last_audit_id(app, bergen)
    r = client.post(bergen.url(f"/cases/{case['id']}/meetings"), json={
        "kind": "network meeting", "starts_at": "2026-05-04T09:00:00+02:00"}, headers=bergen.caseworker.headers)
    assert r.status_code == 201
    assert [row.action for row in audit_since(app, bergen, before)] == ["meeting.created"]


def test_a_read_that_fails_is_not_audited_as_shown(app, client, bergen):
    person = add_person(client, bergen)
    before = last_audit_id(app, bergen)
    r = client.get(bergen.url("/cases?limit=0"), headers=bergen.caseworker.headers)
    assert r.status_code == 422
    assert audit_since(app, bergen, before) == []
    assert person  # the person exists; nothing was shown


# --- refused access ----------------------------------------------------------------------------



def record_gets(app) -> list[str]:
    """GETs whose URL names one tenant's record (a plugin's id names no tenant's row)."""
    return [path for path in get_operations(app) if set(re.findall(r"\{(\w+_id)\}", path)) - {"plugin_id"}]


def test_another_tenants_id_is_refused_and_audited_where_it_was_asked(app, client, populated):
    bergen, bergen_ids = populated
    alta, alta_ids = populated_municipality(app, client, "alta")
    bergen_before = last_audit_id(app, bergen)
    for path in record_gets(app):
        ids = {**alta_ids, **{k: v for k, v in bergen_ids.items() if k.endswith("_id")}}
        check_refusal_is_audited(app, client, alta, alta.every_role, fill(path, ids), 404, person_id=None)
    assert audit_since(app, bergen, bergen_before) == []  # nothing was written in Bergen


def test_a_missing_permission_is_refused_and_audited_on_the_persons_log(app, client, populated):
    bergen, ids = populated
    row = check_refusal_is_audited(app, client, bergen, bergen.finance, f"/cases/{ids['case_id']}", 403,
                                   person_id=ids["person_id"])
    assert row.actor_id == bergen.finance.user_id
    check_refusal_is_audited(app, client, bergen, bergen.finance, f"/persons/{ids['person_id']}", 403,
                             person_id=ids["person_id"])
    log = client.get(bergen.url(f"/persons/{ids['person_id']}/access-log"), headers=bergen.auditor.headers).json
    assert [(e["action"], e["actor_id"]) for e in log[:2]] == [("access.refused", bergen.finance.user_id)] * 2


def test_a_token_of_another_tenant_is_refused_and_audited_without_reading_its_tenant(app, client, populated):
    bergen, ids = populated
    alta, _ = populated_municipality(app, client, "alta")
    alta_before = last_audit_id(app, alta)
    check_refusal_is_audited(app, client, bergen, alta.caseworker, f"/cases/{ids['case_id']}", 403,
                             person_id=ids["person_id"])
    assert audit_since(app, alta, alta_before) == []


def test_person_links_are_read_from_the_foreign_keys():
    from velferd.models import Case, Deadline, Decision, Invoice, InvoiceLine, JobRun, Person, Unit

    assert person_link(Person).target is None
    assert (person_link(Case).column, person_link(Case).target) == ("person_id", Person)
    assert person_link(Deadline).target is Case and person_link(Decision).target is Case
    assert person_link(InvoiceLine).target is Case
    for unrelated in (AuditEvent, Invoice, JobRun, Unit):
        assert person_link(unrelated) is None, unrelated
