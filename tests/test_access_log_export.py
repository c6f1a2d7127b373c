"""The citizen's access log (Normen factsheet 15, Denmark's Min Log, C-579/21): who read or changed
what of one person, and when — staff by role and unit (by name only where the municipality's
policy says so), list views and break-the-glass reasons included, in the municipality's language,
as JSON and PDF, the export itself audited."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from tests.helpers import add_person, make_municipality, open_case
from tests.owner import owner_execute
from velferd import audit
from velferd.db import db
from velferd.models import AuditEvent, Case, Membership, Unit
from velferd.tenancy import tenant_scope


def unit_named(name: str) -> Unit:
    unit = db.session.scalar(sa.select(Unit).where(Unit.name == name))
    if unit is None:
        unit = Unit(name=name, kind="child_welfare")
        db.session.add(unit)
        db.session.flush()
    return unit


def place_in_units(app, town, staff_key: str, *unit_names: str) -> None:
    """A tenant admin's placing a member in units (set here as the scene, on the row)."""
    with app.app_context(), tenant_scope(town.tenant):
        membership = db.session.get(Membership, town.staff[staff_key].membership_id)
        membership.unit_ids = [unit_named(name).id for name in unit_names]
        db.session.commit()


def hand_to_unit(app, town, case_id: int, unit_name: str) -> None:
    with app.app_context(), tenant_scope(town.tenant):
        db.session.get(Case, case_id).unit_id = unit_named(unit_name).id
        db.session.commit()


def pdf_text(content: bytes) -> str:
    """The PDF's text with its line breaks as spaces (a table cell wraps)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def scenario(app, client, town) -> dict:
    """Register a person, open their case, two staff read it, a list view shows them, a note is written."""
    place_in_units(app, town, "caseworker", "Barnevern Nord")
    place_in_units(app, town, "leader", "Barnevern Sør", "Barnevern Nord")
    person = add_person(client, town, given_name="Kari", family_name="Innsynsdottir")
    case = open_case(client, town, person["id"])
    hand_to_unit(app, town, case["id"], "Barnevern Nord")
    headers = {key: town.staff[key].headers for key in ("caseworker", "leader", "auditor")}
    assert client.get(town.url(f"/cases/{case['id']}"), headers=headers["caseworker"]).status_code == 200
    assert client.get(town.url(f"/cases/{case['id']}"), headers=headers["leader"]).status_code == 200
    assert client.get(town.url(f"/persons/{person['id']}"), headers=headers["leader"]).status_code == 200
    assert client.get(town.url("/cases"), headers=headers["leader"]).status_code == 200
    r = client.post(town.url(f"/cases/{case['id']}/journal"), json={"text": "Met at school."},
                    headers=headers["caseworker"])
    assert r.status_code == 201, r.json
    return {"person": person, "case": case}


def test_the_json_log_shows_every_read_with_role_and_unit_and_no_staff_names(app, client, bergen):
    seen = scenario(app, client, bergen)
    person_id, case_id = seen["person"]["id"], seen["case"]["id"]
    r = client.get(bergen.url(f"/persons/{person_id}/access-log.json"), headers=bergen.auditor.headers)
    assert r.status_code == 200, r.json
    log = r.json
    assert (log["language"], log["staff_names"], log["person_id"]) == ("nb", False, person_id)
    entries = log["entries"]
    with app.app_context(), tenant_scope(bergen.tenant):
        audited = db.session.scalars(sa.select(AuditEvent.id).where(AuditEvent.person_id == person_id)).all()
    exported_now = 1  # this request's own row, written after the log was made
    assert sorted(e["id"] for e in entries) == sorted(audited)[:len(audited) - exported_now]

    reads = [e for e in entries if e["kind"] == "read" and e["record_type"] == "case"]
    assert [(e["who"]["roles"], e["who"]["units"]) for e in reads] == [
        (["caseworker"], ["Barnevern Nord"]), (["leader"], ["Barnevern Sør", "Barnevern Nord"])]
    assert all(e["record_id"] == str(case_id) for e in reads)
    assert [e["who"]["role_names"] for e in reads] == [["saksbehandler"], ["leder"]]
    listed = [e for e in entries if e["kind"] == "listed"]
    assert [e["view"] for e in listed] == ["GET /cases"]
    assert listed[0]["records"]["case"] == [case_id]
    changes = [e["action"] for e in entries if e["kind"] == "changed"]
    assert len(changes) >= 3, changes  # registered, case opened, journal note
    assert "caseworker bergen" not in r.get_data(as_text=True)  # no staff name by default
    assert all("name" not in e["who"] for e in entries)


def test_break_the_glass_reasons_are_shown(app, client, bergen):
    seen = scenario(app, client, bergen)
    person_id, case_id = seen["person"]["id"], seen["case"]["id"]
    with app.app_context(), tenant_scope(bergen.tenant):  # the row velferd.need_to_know writes
        audit.record("case.break_glass", "case", case_id, person_id=person_id,
                     details={"reason": "Akutt henvendelse fra skolen"})
        db.session.commit()
    log = client.get(bergen.url(f"/persons/{person_id}/access-log.json"), headers=bergen.auditor.headers).json
    (glass,) = [e for e in log["entries"] if e["kind"] == "break_glass"]
    assert glass["reason"] == "Akutt henvendelse fra skolen"
    pdf = client.get(bergen.url(f"/persons/{person_id}/access-log.pdf"), headers=bergen.auditor.headers)
    assert "Akutt henvendelse fra skolen" in pdf_text(pdf.data)


def test_the_pdf_is_in_bokmal_for_bergen_and_shows_the_reads(app, client, bergen):
    person_id = scenario(app, client, bergen)["person"]["id"]
    r = client.get(bergen.url(f"/persons/{person_id}/access-log.pdf"), headers=bergen.auditor.headers)
    assert r.status_code == 200
    assert r.mimetype == "application/pdf"
    text = pdf_text(r.data)
    assert "Innsynslogg" in text and "Kari Innsynsdottir" in text
    assert "saksbehandler (Barnevern Nord)" in text and "leder (Barnevern Sør, Barnevern Nord)" in text
    assert "leste" in text and "så i en liste" in text and "GET /cases" in text
    assert "caseworker bergen" not in text


def test_the_log_is_in_danish_for_a_danish_municipality(app, client):
    odense = make_municipality(app, "odense")
    person = add_person(client, odense, given_name="Mette", family_name="Indsigtsen")
    assert client.get(odense.url(f"/persons/{person['id']}"), headers=odense.caseworker.headers).status_code == 200
    assert client.get(odense.url("/persons"), headers=odense.leader.headers).status_code == 200
    log = client.get(odense.url(f"/persons/{person['id']}/access-log.json"), headers=odense.auditor.headers).json
    assert log["language"] == "da"
    assert {e["kind_text"] for e in log["entries"]} >= {"læste", "så på en liste"}
    text = pdf_text(client.get(odense.url(f"/persons/{person['id']}/access-log.pdf"),
                               headers=odense.auditor.headers).data)
    assert "Min log" in text and "Mette Indsigtsen" in text
    assert "sagsbehandler" in text and "læste" in text and "så på en liste" in text


def test_staff_are_named_where_the_municipality_decided_so(app, client, bergen):
    person_id = scenario(app, client, bergen)["person"]["id"]
    owner_execute(app, "update tenant set access_log_staff_names = true where id = :id", id=bergen.tenant.id)
    log = client.get(bergen.url(f"/persons/{person_id}/access-log.json"), headers=bergen.auditor.headers).json
    assert log["staff_names"] is True
    assert "caseworker bergen" in {e["who"].get("name") for e in log["entries"]}
    text = pdf_text(client.get(bergen.url(f"/persons/{person_id}/access-log.pdf"), headers=bergen.auditor.headers).data)
    assert "caseworker bergen" in text


def test_exporting_the_log_is_audited_and_needs_audit_read(app, client, bergen, alta):
    person_id = add_person(client, bergen)["id"]
    for fmt in ("json", "pdf"):
        assert client.get(bergen.url(f"/persons/{person_id}/access-log.{fmt}"),
                          headers=bergen.caseworker.headers).status_code == 403
        assert client.get(alta.url(f"/persons/{person_id}/access-log.{fmt}"),
                          headers=alta.auditor.headers).status_code == 404
        assert client.get(bergen.url(f"/persons/{person_id}/access-log.{fmt}"),
                          headers=bergen.auditor.headers).status_code == 200
    with app.app_context(), tenant_scope(bergen.tenant):
        rows = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "person.access_log_exported")
                                  .order_by(AuditEvent.id)).all()
        assert [(r.person_id, r.actor_id, r.details["format"]) for r in rows] == [
            (person_id, bergen.auditor.user_id, "json"), (person_id, bergen.auditor.user_id, "pdf")]
    log = client.get(bergen.url(f"/persons/{person_id}/access-log.json"), headers=bergen.auditor.headers).json
    assert [e["kind"] for e in log["entries"]].count("exported") == 2


@pytest.mark.parametrize("fmt", ["json", "pdf"])
def test_a_person_of_no_record_is_not_found(client, bergen, fmt):
    r = client.get(bergen.url(f"/persons/999999/access-log.{fmt}"), headers=bergen.auditor.headers)
    assert r.status_code == 404
