"""The citizen's documents from the auditor's access-log page (velferd.web.person_exports_pages):
the auditor follows the page's links with the session and gets the access log as a PDF (read
back with pypdf) and as JSON, and everything held about the person as a zip — each download
audited as the API's is. The page is read in English (`browser_for`'s default); the documents
are in the municipality's language (Bergen: Norwegian)."""

from __future__ import annotations

import io
import json
import re
import zipfile

import sqlalchemy as sa
from pypdf import PdfReader

from tests.helpers import add_person, open_case
from tests.web.pages import browser_for
from velferd.db import db
from velferd.models import AuditEvent
from velferd.tenancy import tenant_scope


def links_of(page: str) -> dict[str, str]:
    """The page's download links: their text → their address."""
    return {re.sub(r"\s+", " ", text).strip(): href
            for href, text in re.findall(r'<a href="([^"]+)" download>(.*?)</a>', page, re.S)}


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def exports_audited(app, town, person_id: int) -> list[tuple[str, int | None]]:
    with app.app_context(), tenant_scope(town.tenant):
        return db.session.execute(sa.select(AuditEvent.action, AuditEvent.actor_id).where(
            AuditEvent.person_id == person_id, AuditEvent.action.in_(("person.access_log_exported", "person.exported")))
            .order_by(AuditEvent.id)).tuples().all()


def test_the_auditors_page_links_download_the_log_as_pdf_and_json_and_the_export_as_zip(app, client, bergen):
    kari = add_person(client, bergen, given_name="Kari", family_name="Innsynsen")
    case = open_case(client, bergen, kari["id"])
    browser = browser_for(app)
    assert browser(bergen, "caseworker").get(f"/t/bergen/people/{kari['id']}").status_code == 200  # a read to log
    auditor = browser(bergen, "auditor")

    page = auditor.get(f"/t/bergen/people/{kari['id']}/access-log")
    assert page.status_code == 200
    links = links_of(page.text)
    assert links == {"Access log (PDF)": f"/t/bergen/persons/{kari['id']}/access-log.pdf",
                     "Access log (JSON)": f"/t/bergen/persons/{kari['id']}/access-log.json",
                     "Everything held about the person (zip)": f"/t/bergen/persons/{kari['id']}/export.zip"}

    r = auditor.get(links["Access log (PDF)"])
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Content-Disposition"] == f'attachment; filename="access-log-{kari["id"]}.pdf"'
    assert r.headers["Cache-Control"] == "no-store"
    text = pdf_text(r.data)
    assert text.startswith("Innsynslogg") and "Kari Innsynsen" in text  # in Bergen's language
    assert "saksbehandler (ingen enhet) leste personopplysninger" in text  # the caseworker by their role

    r = auditor.get(links["Access log (JSON)"])
    assert r.status_code == 200 and r.mimetype == "application/json"
    log = json.loads(r.data)
    assert (log["person_id"], log["given_name"], log["language"]) == (kari["id"], "Kari", "nb")
    assert "person.read" in {entry["action"] for entry in log["entries"]}

    r = auditor.get(links["Everything held about the person (zip)"])
    assert r.status_code == 200 and r.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(r.data))
    assert {"manifest.json", "person.json", "case_file.json", "export.pdf"} <= set(archive.namelist())
    (person,) = json.loads(archive.read("person.json"))
    assert (person["id"], person["family_name"]) == (kari["id"], "Innsynsen")
    assert [c["id"] for c in json.loads(archive.read("case_file.json"))] == [case["id"]]
    assert "Innsynsen" in pdf_text(archive.read("export.pdf"))

    auditor_id = bergen.auditor.user_id
    assert exports_audited(app, bergen, kari["id"]) == [("person.access_log_exported", auditor_id),
                                                        ("person.access_log_exported", auditor_id),
                                                        ("person.exported", auditor_id)]
    shown = auditor.get(f"/t/bergen/people/{kari['id']}/access-log").text
    assert "person.access_log_exported" in shown and "person.exported" in shown  # in the log itself


def test_only_a_holder_of_audit_read_downloads_them(app, client, bergen, alta):
    kari = add_person(client, bergen)
    caseworker = browser_for(app)(bergen, "caseworker")
    for suffix in ("access-log.pdf", "access-log.json", "export.zip"):
        assert caseworker.get(f"/t/bergen/persons/{kari['id']}/{suffix}").status_code == 403
    auditor = browser_for(app)(bergen, "auditor")
    theirs = add_person(client, alta)
    assert auditor.get(f"/t/bergen/persons/{theirs['id']}/export.zip").status_code == 404
    assert auditor.get(f"/t/bergen/persons/{theirs['id']}/access-log.pdf").status_code == 404
    assert exports_audited(app, bergen, kari["id"]) == []
