"""Need to know (tjenstlig behov): two caseworkers of Bergen in different units never reach each
other's cases — through any route — unless one breaks the glass, which is audited and reported.

Like the tenant-isolation suite, the cases are generated from the OpenAPI document, so a route
added tomorrow (a plugin's too) is covered the day it is added:

* every operation that takes a person-linked record's id (a case, a person, a meeting, a decision,
  a plugin's record …) is sent by the member of the *other* unit (404, nothing changed) and then,
  the very same request, by the member of the unit that holds the case (2xx);
* every list is read by the other unit's member and holds nothing of the first unit's records.

The two members hold every role that is limited to its units (the core's caseworker, coordinator
and leader, and every plugin role), so no permission is what stops them: only their units.
"""

from __future__ import annotations

import collections

import pytest
import sqlalchemy as sa

import tests.test_tenant_isolation as generated
from tests.databases import restore_snapshot, seeded_once
from tests.helpers import Municipality, add_person, add_staff, populated_municipality, reloaded
from tests.plugins.example import ExamplePlugin
from velferd.db import db
from velferd.models import AuditEvent, Membership
from velferd.need_to_know import scoped_models
from velferd.permissions import CASE_SCOPES
from velferd.tenancy import tenant_scope

#: the table a path parameter's record is in (a parameter naming no person-linked record is not
#: a need-to-know matter: units, members, invoices, jobs …)
PARAM_TABLES = {"case_id": "case_file", "person_id": "person", "meeting_id": "meeting", "deadline_id": "deadline",
                "note_id": "case_event", "submission_id": "form_submission", "decision_id": "decision",
                "override_id": "decision"}
UNIT_ROLES_KEY = "unit_north", "unit_south"


def person_linked_tables() -> set[str]:
    return {model.__tablename__ for model in scoped_models()}


def unit_limited_roles(app) -> list[str]:
    """Every role whose scope stops at the member's units (no role that sees the municipality)."""
    return sorted(role for role in app.extensions["velferd.plugins"].roles if CASE_SCOPES.get(role) != "all")


def set_work(client, town: Municipality, app, key: str, unit_id: int) -> None:
    with app.app_context(), tenant_scope(town.tenant):
        membership_id = db.session.scalar(sa.select(Membership.id).where(Membership.user_id == town.staff[key].user_id))
    r = client.put(town.url(f"/members/{membership_id}/work"), json={"unit_ids": [unit_id]},
                   headers=town.tenant_admin.headers)
    assert r.status_code == 200, r.json


def two_units(app, client):
    """Bergen populated by `populated_municipality`, its case and everything on it held by unit
    North; a member of North and a member of South, each with every unit-limited role; South
    has a case of its own."""
    town, ids = populated_municipality(app, client, "bergen")
    roles = unit_limited_roles(app)
    units = {}
    for key, name in zip(UNIT_ROLES_KEY, ("Team Nord", "Team Sør")):
        r = client.post(town.url("/units"), json={"name": name, "kind": "outreach"}, headers=town.tenant_admin.headers)
        assert r.status_code == 201, r.json
        units[key] = r.json["id"]
        add_staff(app, town, key, roles)
        set_work(client, town, app, key, units[key])
    r = client.put(town.url(f"/cases/{ids['case_id']}/unit"), json={"unit_id": units["unit_north"]},
                   headers=town.every_role.headers)
    assert r.status_code == 200, r.json
    south_person = add_person(client, town, role="unit_south", given_name="Sør-Siri", family_name="Sørensen")
    r = client.post(town.url("/cases"), json={"person_id": south_person["id"], "plugin": "example"},
                    headers=town.unit_south.headers)
    assert r.status_code == 201 and r.json["unit_id"] == units["unit_south"], r.json
    ids.update(units=units, south_case_id=r.json["id"], south_person_id=south_person["id"])
    return town, ids


seeded_units = seeded_once(two_units, ExamplePlugin)


@pytest.fixture
def bergen_units(app, seeded_units):
    snapshot, (town, ids) = seeded_units
    restore_snapshot(snapshot, app)
    return reloaded(app, town), dict(ids)


def north_rows(app, town: Municipality) -> dict[str, set[int]]:
    """The ids of every person-linked row North holds (the case, its person and all on them)."""
    with app.app_context(), tenant_scope(town.tenant):
        rows = collections.defaultdict(set)
        for model in scoped_models():
            if model.__tablename__ in sa.inspect(db.engine).get_table_names():
                rows[model.__tablename__] = set(db.session.scalars(sa.select(model.id)))
        return rows


def linked_params(operation) -> list[str]:
    found = []
    for param in generated.record_params(operation):
        if param not in PARAM_TABLES and param.endswith("_id"):
            pytest.fail(f"path parameter '{param}': say in PARAM_TABLES which table it names")
        if PARAM_TABLES.get(param) in person_linked_tables():
            found.append(param)
    return found


#: the one route meant to reach past the scope, with a reason (tested on its own below)
BY_DESIGN_OUTSIDE_SCOPE = {("POST", "/cases/{case_id}/break-glass")}
LINKED_OPERATIONS = [op for op in generated.RECORD_OPERATIONS
                     if op not in BY_DESIGN_OUTSIDE_SCOPE and any(PARAM_TABLES.get(p) in {"case_file", "person", "meeting", "deadline", "case_event",
                                                    "form_submission", "decision"}
                            for p in generated.record_params(op))]


def test_every_person_linked_table_is_under_need_to_know(app):
    tables = person_linked_tables()
    assert {"case_file", "person", "meeting", "deadline", "case_event", "form_submission", "decision",
            "access_grant"} <= tables
    assert not tables & {"unit", "membership", "invoice", "audit_event", "job_run"}


@pytest.mark.parametrize("operation", LINKED_OPERATIONS, ids=generated.label)
def test_the_other_units_member_cannot_reach_a_case_through_any_route(app, client, bergen_units, operation):
    town, ids = bergen_units
    linked_params(operation)
    before = generated.tenant_rows(app, town)

    r = generated.request(client, operation, town, town.unit_south, ids)
    assert r.status_code in (403, 404), f"South's member got {r.status_code}: {r.json}"
    assert generated.tenant_rows(app, town) == before
    south_status = r.status_code

    r = generated.request(client, operation, town, town.unit_north, ids)
    if south_status == 403:
        # a route for the municipality-wide roles only (the audit trail): refused to both for the
        # permission, which no unit-limited role has — not a need-to-know matter
        assert r.status_code == 403, r.json
        return
    # The very same request by North's member succeeds: it was the unit that stopped South.
    assert 200 <= r.status_code < 300, r.json


@pytest.mark.parametrize("operation", generated.LIST_OPERATIONS, ids=generated.label)
def test_the_other_units_member_lists_nothing_of_the_case(app, client, bergen_units, operation):
    town, ids = bergen_units
    hidden = north_rows(app, town)
    hidden["case_file"].discard(ids["south_case_id"])
    hidden["person"] = {ids["person_id"]}  # the one North follows (others have no case, or South's)
    hidden = collections.defaultdict(set, {table: hidden[table] for table in person_linked_tables()})
    r = generated.request(client, operation, town, town.unit_south, ids)
    if r.status_code == 403:
        return  # a list this role may not read at all (the audit trail, invoices …)
    assert r.status_code == 200, r.json
    text = r.get_data(as_text=True)
    assert ids["national_id"] not in text  # (a namesake with no case may be listed: see populated_municipality)
    assert generated.references_to(r.json, hidden) == []
    table = generated.list_items_table(operation)
    if table in hidden:
        assert not {item["id"] for item in generated.items_of(r.json)} & hidden[table]


def test_each_member_sees_their_own_units_cases_and_not_the_others(client, bergen_units):
    town, ids = bergen_units
    north = client.get(town.url("/cases"), headers=town.unit_north.headers).json["items"]
    south = client.get(town.url("/cases"), headers=town.unit_south.headers).json["items"]
    assert ids["case_id"] in {c["id"] for c in north} and ids["south_case_id"] not in {c["id"] for c in north}
    assert {c["id"] for c in south} == {ids["south_case_id"]}
    # a person search finds no one of the other unit, by name or by national id
    r = client.get(town.url("/persons?q=Kari"), headers=town.unit_south.headers)
    assert r.status_code == 200 and ids["person_id"] not in {p["id"] for p in r.json}
    # the municipality-wide roles still see both
    every = client.get(town.url("/cases"), headers=town.every_role.headers).json["items"]
    assert {ids["case_id"], ids["south_case_id"]} <= {c["id"] for c in every}


def test_breaking_the_glass_opens_the_case_is_audited_and_reported_to_the_units_leader(app, client, bergen_units):
    town, ids = bergen_units
    case_url = town.url(f"/cases/{ids['case_id']}")
    assert client.get(case_url, headers=town.unit_south.headers).status_code == 404

    r = client.post(f"{case_url}/break-glass", json={"reason": "short"}, headers=town.unit_south.headers)
    assert r.status_code == 422 and "reason" in r.json["fields"], r.json
    reason = "Covering for North's coordinator, who is ill; the youth called in crisis."
    r = client.post(f"{case_url}/break-glass", json={"reason": reason}, headers=town.unit_south.headers)
    assert r.status_code == 201, r.json
    grant_id = r.json["id"]

    r = client.get(case_url, headers=town.unit_south.headers)
    assert r.status_code == 200 and r.json["id"] == ids["case_id"]
    assert client.get(f"{case_url}/journal", headers=town.unit_south.headers).status_code == 200

    # in the person's access log: the refused attempt, the reason, then the read
    log = client.get(town.url(f"/persons/{ids['person_id']}/access-log"), headers=town.auditor.headers).json
    by_south = list(reversed([e for e in log if e["actor_id"] == town.unit_south.user_id]))
    assert [e["action"] for e in by_south][:3] == ["access.refused", "case.break_glass", "case.read"], by_south
    assert by_south[0]["details"]["status"] == 404 and by_south[1]["details"]["reason"] == reason

    # reported to North's leader (North's member holds the leader role), not to South's
    reports = client.get(town.url("/access-reports"), headers=town.unit_north.headers).json
    assert [(g["id"], g["user_id"], g["reason"]) for g in reports] == [(grant_id, town.unit_south.user_id, reason)]
    assert client.get(town.url("/access-reports"), headers=town.unit_south.headers).json == []
    r = client.post(town.url(f"/access-reports/{grant_id}/review"), headers=town.unit_south.headers)
    assert r.status_code == 404
    r = client.post(town.url(f"/access-reports/{grant_id}/review"), headers=town.unit_north.headers)
    assert r.status_code == 200 and r.json["reviewed_by_id"] == town.unit_north.user_id
    assert client.get(town.url("/access-reports"), headers=town.unit_north.headers).json == []

    with app.app_context(), tenant_scope(town.tenant):
        audited = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.actor_id == town.unit_north.user_id,
                                                                        AuditEvent.action == "access_grant.reviewed"))
        assert list(audited) == ["access_grant.reviewed"]


def test_breaking_the_glass_on_a_case_the_municipality_does_not_have_is_not_found(client, bergen_units):
    town, ids = bergen_units
    r = client.post(town.url("/cases/999999/break-glass"), json={"reason": "A long enough reason to ask."},
                    headers=town.unit_south.headers)
    assert r.status_code == 404


def test_a_grant_lasts_a_working_day(app, client, bergen_units):
    from velferd.models import AccessGrant

    town, ids = bergen_units
    reason = "Covering the evening shift for North's team."
    r = client.post(town.url(f"/cases/{ids['case_id']}/break-glass"), json={"reason": reason},
                    headers=town.unit_south.headers)
    assert r.status_code == 201
    with app.app_context(), tenant_scope(town.tenant):
        grant = db.session.get(AccessGrant, r.json["id"])
        assert (grant.expires_at - grant.granted_at).total_seconds() == 8 * 3600
        grant.expires_at = grant.granted_at  # the day is over
        db.session.commit()
    assert client.get(town.url(f"/cases/{ids['case_id']}"), headers=town.unit_south.headers).status_code == 404


def test_member_work_is_validated(client, bergen_units, app):
    town, ids = bergen_units
    with app.app_context(), tenant_scope(town.tenant):
        membership_id = db.session.scalar(sa.select(Membership.id).where(
            Membership.user_id == town.unit_south.user_id))
    r = client.put(town.url(f"/members/{membership_id}/work"), json={"unit_ids": [999999], "programmes": ["nope"]},
                   headers=town.tenant_admin.headers)
    assert r.status_code == 422 and {"unit_ids", "programmes"} <= r.json["fields"].keys(), r.json


def test_a_programme_limits_a_team_member_to_its_cases(app, client, bergen_units):
    """A caseworker of North sees North's example-programme case while they work in that
    programme, and not once they work only in another (the suite's app installs one programme, so
    the other is written to the membership directly, as the admin's form would for a second one)."""
    town, ids = bergen_units
    add_staff(app, town, "north_caseworker", ["caseworker"])
    set_work(client, town, app, "north_caseworker", ids["units"]["unit_north"])
    case_url = town.url(f"/cases/{ids['case_id']}")
    assert client.get(case_url, headers=town.north_caseworker.headers).status_code == 200
    with app.app_context(), tenant_scope(town.tenant):
        membership = db.session.scalar(sa.select(Membership).where(
            Membership.user_id == town.north_caseworker.user_id))
        membership.programmes = ["another_programme"]
        db.session.commit()
    assert client.get(case_url, headers=town.north_caseworker.headers).status_code == 404


def test_a_leader_who_asked_for_email_is_told_without_a_word_about_the_case(app, client, bergen_units, smtp_server):
    """North's leader asked for e-mail: the notice names the municipality and links to the
    reports, and carries neither the case, the person nor the reason (e-mail leaves the audit)."""
    town, ids = bergen_units
    app.config.update(smtp_server.config)
    with app.app_context(), tenant_scope(town.tenant):
        membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == town.unit_north.user_id))
        membership.email_reminders = True
        db.session.commit()
    reason = "Covering for North's coordinator, who is ill today."
    r = client.post(town.url(f"/cases/{ids['case_id']}/break-glass"), json={"reason": reason},
                    headers=town.unit_south.headers)
    assert r.status_code == 201, r.json
    (received,) = smtp_server.messages
    assert received.rcpt_tos == (town.unit_north.email,)
    message = received.message
    body = message.get_content()
    assert message["Content-Language"] == "nb" and "åpnet en sak" in message["Subject"]
    assert town.url("/access-reports") in body
    for secret in (reason, "Bergen-Kari", ids["national_id"], str(ids["case_id"])):
        assert secret not in body and secret not in message["Subject"]


def test_a_unit_may_open_its_own_case_for_a_person_another_unit_follows(client, bergen_units):
    """South learns of the person by opening its own case — and still sees nothing of North's."""
    town, ids = bergen_units
    r = client.post(town.url("/cases"), json={"person_id": ids["person_id"], "plugin": "example"},
                    headers=town.unit_south.headers)
    assert r.status_code == 201, r.json
    assert client.get(town.url(f"/persons/{ids['person_id']}"), headers=town.unit_south.headers).status_code == 200
    cases = client.get(town.url(f"/cases?person_id={ids['person_id']}"), headers=town.unit_south.headers).json
    assert [c["id"] for c in cases["items"]] == [r.json["id"]]
    assert client.get(town.url(f"/cases/{ids['case_id']}"), headers=town.unit_south.headers).status_code == 404
