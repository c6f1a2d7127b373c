"""The audit trail: who read or changed which record, when (UTC) and from where; append-only."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import ProgrammingError

from tests.helpers import add_person, make_municipality, open_case, row_counts
from velferd.audit import AuditTrailIsAppendOnly
from velferd.db import db
from velferd.models import AuditEvent
from velferd.tenancy import tenant_scope

FROM = {"REMOTE_ADDR": "10.20.30.40"}



def audit_rows(app, town, **where) -> list[AuditEvent]:
    with app.app_context(), tenant_scope(town.tenant):
        stmt = sa.select(AuditEvent).filter_by(**where).order_by(AuditEvent.id)
        return db.session.scalars(stmt).all()


def test_reading_a_person_and_a_case_is_audited_with_who_what_when_and_where(app, client, bergen):
    person = add_person(client, bergen)
    case = open_case(client, bergen, person["id"])
    started = dt.datetime.now(dt.UTC)
    headers = {**bergen.caseworker.headers, "User-Agent": "Fagsystem/1.0"}
    assert client.get(bergen.url(f"/persons/{person['id']}"), headers=headers, environ_base=FROM).status_code == 200
    assert client.get(bergen.url(f"/cases/{case['id']}"), headers=headers, environ_base=FROM).status_code == 200

    (person_read,) = audit_rows(app, bergen, action="person.read")
    (case_read,) = audit_rows(app, bergen, action="case.read")
    assert (person_read.record_type, person_read.record_id, person_read.person_id) == ("person", str(person["id"]),
                                                                                      person["id"])
    assert (case_read.record_type, case_read.record_id, case_read.person_id) == ("case", str(case["id"]), person["id"])
    for row in (person_read, case_read):
        assert row.actor_id == bergen.caseworker.user_id
        assert row.remote_addr == "10.20.30.40"
        assert row.user_agent == "Fagsystem/1.0"
        assert row.at.utcoffset() == dt.timedelta(0)
        assert started - dt.timedelta(seconds=5) <= row.at <= dt.datetime.now(dt.UTC)


def test_writing_to_a_case_records_the_write_once_not_also_a_read(app, client, bergen):
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    before = len(audit_rows(app, bergen, record_type="case"))
    url = bergen.url(f"/cases/{case['id']}")
    assert client.post(f"{url}/journal", json={"text": "Ringte ungdommen."}, headers=bergen.caseworker.headers).status_code == 201
    assert client.post(f"{url}/transitions", json={"transition": "assess"}, headers=bergen.caseworker.headers).status_code == 200
    added = [row.action for row in audit_rows(app, bergen, record_type="case")][before:]
    assert sorted(added) == ["case.noted", "case.transitioned"]


def test_listing_persons_writes_one_row_per_person_shown(app, client, bergen):
    ids = [add_person(client, bergen)["id"] for _ in range(3)]
    r = client.get(bergen.url("/persons?limit=2"), headers=bergen.caseworker.headers)
    assert r.status_code == 200
    listed = audit_rows(app, bergen, action="person.listed")
    assert [row.person_id for row in listed] == ids[:2]  # the third was not shown
    for row in listed:
        assert row.details == {"view": "GET /persons", "records": {"person": [row.person_id]}}
        assert row.actor_id == bergen.caseworker.user_id
    assert audit_rows(app, bergen, action="person.read") == []


def test_listing_no_persons_writes_no_row(app, client, bergen):
    assert client.get(bergen.url("/persons"), headers=bergen.caseworker.headers).json == []
    assert audit_rows(app, bergen, action="person.listed") == []


def test_auditor_sees_a_persons_access_log_newest_first(client, bergen):
    person = add_person(client, bergen)
    other = add_person(client, bergen)
    for role in ("caseworker", "leader"):
        client.get(bergen.url(f"/persons/{person['id']}"), headers=bergen.staff[role].headers)
    client.get(bergen.url(f"/persons/{other['id']}"), headers=bergen.caseworker.headers)

    r = client.get(bergen.url(f"/persons/{person['id']}/access-log"), headers=bergen.auditor.headers)
    assert r.status_code == 200
    assert [(e["action"], e["actor_id"]) for e in r.json] == [
        ("person.read", bergen.leader.user_id),
        ("person.read", bergen.caseworker.user_id),
        ("person.created", bergen.caseworker.user_id),
    ]
    assert [e["id"] for e in r.json] == sorted((e["id"] for e in r.json), reverse=True)
    assert all(e["person_id"] == person["id"] for e in r.json)


def test_access_log_includes_reads_of_the_persons_cases(client, bergen):
    person = add_person(client, bergen)
    case = open_case(client, bergen, person["id"])
    client.get(bergen.url(f"/cases/{case['id']}"), headers=bergen.coordinator.headers)
    r = client.get(bergen.url(f"/persons/{person['id']}/access-log"), headers=bergen.auditor.headers)
    assert r.json[0]["action"] == "case.read"
    assert r.json[0]["actor_id"] == bergen.coordinator.user_id


def test_access_log_of_another_tenants_person_is_not_found(app, client, bergen):
    alta = make_municipality(app, "alta", roles=("auditor",))
    person = add_person(client, bergen)
    r = client.get(alta.url(f"/persons/{person['id']}/access-log"), headers=alta.auditor.headers)
    assert r.status_code == 404
    alta_trail = client.get(alta.url("/audit"), headers=alta.auditor.headers).json
    assert alta_trail and all(e["person_id"] is None for e in alta_trail)  # Bergen's citizens are not in it


def test_auditor_reads_the_audit_log_filtered_by_action(client, bergen):
    person = add_person(client, bergen)
    client.get(bergen.url(f"/persons/{person['id']}"), headers=bergen.caseworker.headers)
    r = client.get(bergen.url("/audit?action=person.read"), headers=bergen.auditor.headers)
    assert r.status_code == 200
    assert [(e["action"], e["record_id"]) for e in r.json] == [("person.read", str(person["id"]))]


def test_audit_rows_cannot_be_changed_through_the_orm(app, client, bergen):
    add_person(client, bergen)
    with app.app_context(), tenant_scope(bergen.tenant):
        row = db.session.scalars(sa.select(AuditEvent)).first()
        row.action = "person.forgotten"
        with pytest.raises(AuditTrailIsAppendOnly):
            db.session.commit()
        db.session.rollback()
    assert audit_rows(app, bergen, action="person.forgotten") == []


def test_audit_rows_cannot_be_deleted_through_the_orm(app, client, bergen):
    add_person(client, bergen)
    before = row_counts(app, AuditEvent)
    with app.app_context(), tenant_scope(bergen.tenant):
        db.session.delete(db.session.scalars(sa.select(AuditEvent)).first())
        with pytest.raises(AuditTrailIsAppendOnly):
            db.session.commit()
        db.session.rollback()
    assert row_counts(app, AuditEvent) == before


@pytest.mark.parametrize("statement", [
    sa.update(AuditEvent).values(action="person.forgotten"),
    sa.delete(AuditEvent),
], ids=["bulk-update", "bulk-delete"])
def test_audit_rows_cannot_be_changed_with_orm_bulk_statements(app, client, bergen, statement):
    add_person(client, bergen)
    before = row_counts(app, AuditEvent)
    with app.app_context(), tenant_scope(bergen.tenant):
        with pytest.raises(AuditTrailIsAppendOnly):
            db.session.execute(statement)
        db.session.rollback()
    assert row_counts(app, AuditEvent) == before
    assert audit_rows(app, bergen, action="person.forgotten") == []


@pytest.mark.postgres
@pytest.mark.parametrize("sql", [
    "UPDATE audit_event SET action = 'person.forgotten'",
    "DELETE FROM audit_event",
    "TRUNCATE audit_event",
])
def test_database_refuses_the_app_role_changing_audit_rows(app, client, bergen, sql):
    add_person(client, bergen)
    before = row_counts(app, AuditEvent)
    with app.app_context(), tenant_scope(bergen.tenant):
        with pytest.raises(ProgrammingError, match="permission denied"):
            db.session.execute(sa.text(sql))
        db.session.rollback()
    assert row_counts(app, AuditEvent) == before
