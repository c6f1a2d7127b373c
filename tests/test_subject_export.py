"""The data subject's access export (GDPR art. 15): everything held about one person — the core's
records and each enabled plugin's (the ``velferd_person_data`` hook) — as one zip of JSON files
with a manifest and a readable PDF, audited, and nothing in it about anyone else.

The scenario is Odense with the drop-in plugin's real flow (contacts at a centre, anonymous under
a citizen code, a consent that makes the citizen a person with a case) and the example plugin's
case with a journal note, a meeting, a form and a decision — and a second citizen beside them."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
import sqlalchemy as sa
import velferd_aftercare
import velferd_dropin
import velferd_due
import velferd_nav_split
from pypdf import PdfReader

from tests.databases import clean_database_url, migrated_database, running_app
from tests.helpers import make_municipality, open_case
from tests.plugins.dropin.contact_flows import add_centre, add_contact, give_consent
from tests.plugins.example import ExamplePlugin
from velferd.db import db
from velferd.models import AuditEvent
from velferd.plugins.enablement import set_enabled
from velferd.plugins.manager import build_registry
from velferd.tenancy import tenant_scope
from velferd.testing import synthetic_id

X = "/x/dropin"
ROLES = ("tenant_admin", "caseworker", "leader", "auditor", "coordinator", "finance",
         *velferd_dropin.MANIFEST.roles)


@pytest.fixture(scope="module")
def dropin_database(tmp_path_factory):
    with migrated_database(tmp_path_factory.mktemp("export_db"), "velferd_export", plugins=[velferd_dropin]) as database:
        yield database


@pytest.fixture
def app(dropin_database, tmp_path):
    url = clean_database_url(dropin_database, tmp_path)
    with running_app(dropin_database, url, [ExamplePlugin(), velferd_dropin], tmp_path / "instance") as app:
        yield app


@pytest.fixture
def odense(app):
    return make_municipality(app, "odense", roles=ROLES, plugins=("example", "dropin"))


def consented(client, town, code: str, given_name: str, family_name: str, birth: dt.date) -> dict:
    r = give_consent(client, town, citizen_code=code, national_id=synthetic_id("DK", birth),
                     given_name=given_name, family_name=family_name)
    assert r.status_code == 201, r.json
    return r.json


def citizens(app, client, town) -> dict:
    """Mette (the subject) and Jens (a second citizen), each with contacts, a consent and a case."""
    centre = add_centre(client, town)
    before = add_contact(client, town, centre, citizen_code="METTE7", note="Ville tale om bolig.")
    mette = consented(client, town, "METTE7", "Mette", "Indsigtsen", dt.date(1984, 3, 9))
    r = client.post(town.url(f"{X}/consents/{mette['id']}/withdrawal"), headers=town.dropin_outreach.headers,
                    json={"withdrawn_on": dt.date.today().isoformat(), "reason": "Vil klare sig selv."})
    assert r.status_code == 200, r.json
    after = add_contact(client, town, centre, citizen_code="METTE7", note="Kom forbi igen.")  # anonymous again
    jens_contact = add_contact(client, town, centre, citizen_code="JENS42", note="Jens Andersensen spurgte om job.")
    jens = consented(client, town, "JENS42", "Jens", "Andersensen", dt.date(1979, 11, 2))

    case = open_case(client, town, mette["person_id"])
    headers = town.caseworker.headers
    for path, body in (
        (f"/cases/{case['id']}/journal", {"text": "Mette fortalte om sin situation."}),
        (f"/cases/{case['id']}/meetings", {"kind": "network meeting", "starts_at": "2026-05-04T09:00:00+02:00",
                                           "participants": [{"role": "youth", "name": "Mette Indsigtsen"},
                                                            {"role": "caseworker", "name": "Sagsbehandler Sørensen"},
                                                            {"role": "other", "name": "Jens Andersensen"}]}),
    ):
        r = client.post(town.url(path), json=body, headers=headers)
        assert r.status_code == 201, r.json
    jens_case = open_case(client, town, jens["person_id"])
    r = client.post(town.url(f"/cases/{jens_case['id']}/journal"), json={"text": "Jens' eget notat."}, headers=headers)
    assert r.status_code == 201, r.json
    return {"mette": mette, "jens": jens, "case": case, "contacts": (before["id"], after["id"]),
            "jens_contact": jens_contact["id"]}


def exported(client, town, person_id: int) -> zipfile.ZipFile:
    r = client.get(town.url(f"/persons/{person_id}/export"), headers=town.auditor.headers)
    assert r.status_code == 200, r.json
    assert r.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(r.data))


def test_hook_velferd_person_data(app, client, odense):
    """The export asks every enabled plugin for its rows about the person: dropin's contacts and
    consent — the contact made anonymously under the citizen's code after the withdrawal too —
    and nothing of the second citizen's."""
    seen = citizens(app, client, odense)
    archive = exported(client, odense, seen["mette"]["person_id"])
    manifest = json.loads(archive.read("manifest.json"))
    sources = {f["table"]: f["source"] for f in manifest["files"]}
    assert sources["dropin_contact"] == sources["dropin_consent"] == "dropin"
    contacts = json.loads(archive.read("dropin/dropin_contact.json"))
    assert sorted(c["id"] for c in contacts) == sorted(seen["contacts"])
    assert seen["jens_contact"] not in {c["id"] for c in contacts}
    (consent,) = json.loads(archive.read("dropin/dropin_consent.json"))
    assert (consent["id"], consent["withdrawal_reason"]) == (seen["mette"]["id"], "Vil klare sig selv.")
    assert {"citizen_code", "note"} <= set(next(f for f in manifest["files"] if f["table"] == "dropin_contact")
                                           ["personal_columns"] + next(f for f in manifest["files"]
                                                                       if f["table"] == "dropin_contact")
                                           ["special_category_columns"])


def test_the_export_holds_the_core_records_and_nothing_about_anyone_else(app, client, odense):
    seen = citizens(app, client, odense)
    mette_id, jens_id = seen["mette"]["person_id"], seen["jens"]["person_id"]
    archive = exported(client, odense, mette_id)
    names = set(archive.namelist())
    assert {"manifest.json", "person.json", "case_file.json", "case_event.json", "meeting.json",
            "access_log.json", "export.pdf"} <= names
    (person,) = json.loads(archive.read("person.json"))
    assert (person["id"], person["given_name"], person["family_name"]) == (mette_id, "Mette", "Indsigtsen")
    cases = json.loads(archive.read("case_file.json"))
    assert {c["person_id"] for c in cases} == {mette_id} and seen["case"]["id"] in {c["id"] for c in cases}
    notes = [e["text"] for e in json.loads(archive.read("case_event.json")) if e["kind"] == "note"]
    assert "Mette fortalte om sin situation." in notes and "Jens' eget notat." not in notes
    (meeting,) = json.loads(archive.read("meeting.json"))
    assert [p["name"] for p in meeting["participants"]] == ["Mette Indsigtsen", "Sagsbehandler Sørensen", "***"]
    log = json.loads(archive.read("access_log.json"))
    assert log["person_id"] == mette_id and log["entries"]

    everything = " ".join(archive.read(name).decode("utf-8") for name in names if name.endswith(".json"))
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(archive.read("export.pdf"))).pages).split())
    jens_national_id = synthetic_id("DK", dt.date(1979, 11, 2))
    for text in (everything, pdf):
        assert "Andersensen" not in text and "JENS42" not in text and jens_national_id not in text
    assert "Indsigt i oplysninger om dig" in pdf and "Mette Indsigtsen" in pdf and "Ville tale om bolig." in pdf

    with app.app_context(), tenant_scope(odense.tenant):
        (row,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "person.exported")).all()
        assert (row.person_id, row.actor_id) == (mette_id, odense.auditor.user_id)
        assert row.details["tables"]["dropin:dropin_contact"] == 2
        assert not db.session.scalars(sa.select(AuditEvent).where(AuditEvent.person_id == jens_id,
                                                                   AuditEvent.actor_id == odense.auditor.user_id)).all()


def test_the_export_needs_audit_read_and_the_persons_municipality(app, client, odense):
    aarhus = make_municipality(app, "aarhus", roles=ROLES, plugins=("example",))
    seen = citizens(app, client, odense)
    person_id = seen["mette"]["person_id"]
    assert client.get(odense.url(f"/persons/{person_id}/export"), headers=odense.caseworker.headers).status_code == 403
    assert client.get(aarhus.url(f"/persons/{person_id}/export"), headers=aarhus.auditor.headers).status_code == 404
    assert client.get(odense.url("/persons/999999/export"), headers=odense.auditor.headers).status_code == 404


def test_a_plugin_the_municipality_has_not_enabled_is_not_asked(app, client):
    aarhus = make_municipality(app, "aarhus", roles=ROLES, plugins=("example",))
    r = client.post(aarhus.url("/persons"), headers=aarhus.caseworker.headers, json={
        "national_id": synthetic_id("DK", dt.date(1990, 1, 2)), "given_name": "Ane", "family_name": "Aarhusen"})
    assert r.status_code == 201, r.json
    manifest = json.loads(exported(client, aarhus, r.json["id"]).read("manifest.json"))
    assert {f["source"] for f in manifest["files"]} == {"core"}


def test_every_bundled_plugin_gives_its_rows_through_the_hook():
    registry = build_registry([velferd_due, velferd_nav_split, velferd_aftercare, velferd_dropin],
                              load_entry_points=False)
    implementing = {impl.plugin_name for impl in registry.pm.hook.velferd_person_data.get_hookimpls()}
    assert implementing == {"due", "nav_split", "aftercare", "dropin"}


def test_a_programme_switched_off_still_has_its_rows_about_the_person_exported(app, client, odense):
    """Odense stops running drop-in: the rows it recorded are still held, so they are exported
    (found by the person links, as the plugin is no longer asked)."""
    seen = citizens(app, client, odense)
    with app.app_context(), tenant_scope(odense.tenant):
        set_enabled(odense.tenant, "dropin", False, None)
        db.session.commit()
    archive = exported(client, odense, seen["mette"]["person_id"])
    sources = {f["table"]: f["source"] for f in json.loads(archive.read("manifest.json"))["files"]}
    assert sources["dropin_consent"] == "dropin"
    (consent,) = json.loads(archive.read("dropin/dropin_consent.json"))
    assert consent["id"] == seen["mette"]["id"]
