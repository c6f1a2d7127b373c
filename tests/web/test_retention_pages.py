"""The retention page (velferd.web.retention_pages) as the archivist and the tenant admin use it:
two different people approve a proposal and it is carried out; the same person approving twice,
or someone without the permission, is told why on the page; a period outside its legal bounds
is the input's error; a hold is placed and released. The pages are read in English (the
catalogue's source texts, `browser_for`'s default). The records are made as tests/test_retention.py
makes them: through the API, with a case's closing moved years back."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from tests.helpers import add_staff
from tests.test_retention import closed_case, journal_texts, proposal_for, run_the_nightly_job
from tests.web.pages import browser_for, text_of
from velferd.db import db
from velferd.models import AuditEvent
from velferd.retention.models import RetentionHold
from velferd.tenancy import tenant_scope


@pytest.fixture
def town(app, bergen):
    """Bergen with an archivist beside its tenant admin: the two who approve disposals."""
    add_staff(app, bergen, "archivist", ["archivist"])
    return bergen


@pytest.fixture
def browser(app):
    return browser_for(app)


def error_summary(response) -> list[str]:
    found = re.search(r'<div class="error-summary".*?</div>', response.text, re.S)
    return [html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip())
            for item in re.findall(r"<li>(.*?)</li>", found.group(0), re.S)] if found else []


def test_the_menu_offers_retention_to_the_archivist_and_the_tenant_admin_only(town, browser):
    for role in ("archivist", "tenant_admin"):
        page = browser(town, role).get("/t/bergen/retention")
        assert page.status_code == 200, role
        assert 'href="/t/bergen/retention"' in page.text
        assert "Proposals awaiting approval" in text_of(page) and "core.case" in page.text
    caseworker = browser(town, "caseworker")
    assert 'href="/t/bergen/retention"' not in caseworker.get("/t/bergen/cases").text
    assert caseworker.get("/t/bergen/retention").status_code == 403


def test_two_people_approve_and_the_proposal_is_carried_out(app, client, town, browser):
    old = closed_case(app, client, town, years_ago=11, note="Kari fortalte om flyttingen.")
    run_the_nightly_job(app, town)
    proposal = proposal_for(client, town, "core.case", old["case_id"])
    archivist, admin = browser(town, "archivist"), browser(town, "tenant_admin")

    page = text_of(archivist.get("/t/bergen/retention"))
    assert f"{len(proposal['record_ids'])} (Case)" in page and "Nobody yet" in page
    r = archivist.post(f"/t/bergen/retention/proposals/{proposal['id']}/approve")
    assert r.status_code == 303
    page = archivist.get(r.headers["Location"])
    assert f"Proposal {proposal['id']} is approved. A second person must approve it" in text_of(page)
    assert "You have approved it." in page.text and "archivist bergen" in text_of(page)
    assert old["note"] in journal_texts(client, town, old["case_id"])  # one approval changes nothing

    r = admin.post(f"/t/bergen/retention/proposals/{proposal['id']}/approve", follow_redirects=True)
    assert r.status_code == 200
    assert f"Proposal {proposal['id']} is approved a second time and carried out" in text_of(r)
    assert old["note"] not in journal_texts(client, town, old["case_id"])
    log = text_of(r)[text_of(r).index("Disposal log"):]
    assert "core.case" in log and str(old["case_id"]) in log and "archivist bergen, tenant_admin bergen" in log
    assert f'id="proposal-{proposal["id"]}"' not in r.text  # no longer awaiting approval


def test_the_same_person_approving_twice_is_told_why_on_the_page(app, client, town, browser):
    old = closed_case(app, client, town, years_ago=11)
    run_the_nightly_job(app, town)
    proposal = proposal_for(client, town, "core.case", old["case_id"])
    archivist = browser(town, "archivist")
    assert archivist.post(f"/t/bergen/retention/proposals/{proposal['id']}/approve").status_code == 303

    r = archivist.post(f"/t/bergen/retention/proposals/{proposal['id']}/approve")
    assert r.status_code == 409
    (problem,) = error_summary(r)
    assert "you have approved retention proposal" in problem and "a second member" in problem
    assert f'href="#proposal-{proposal["id"]}"' in r.text and f'id="proposal-{proposal["id"]}"' in r.text
    assert proposal_for(client, town, "core.case", old["case_id"])["status"] == "pending"


def test_a_member_without_the_permission_is_refused_on_the_page(app, client, town, browser):
    """The archivist approves but does not set periods (``retention:manage``): a period form
    posted anyway is answered on the page, not with an error page."""
    archivist = browser(town, "archivist")
    assert 'id="rule-core-case"' not in archivist.get("/t/bergen/retention").text  # no form offered
    r = archivist.post("/t/bergen/retention/rules/core.case", data={"years": "12"})
    assert r.status_code == 403
    (problem,) = error_summary(r)
    assert "Your role does not give you access to this" in problem and "retention:manage" in problem
    reader = add_staff(app, town, "reader", ["auditor"])  # audit:read, no retention:read
    assert reader and browser(town, "reader").get("/t/bergen/retention").status_code == 403


def test_a_period_outside_the_bounds_is_the_inputs_error(client, town, browser):
    admin = browser(town, "tenant_admin")
    r = admin.post("/t/bergen/retention/rules/core.case", data={"years": "2"})
    assert r.status_code == 422
    (problem,) = error_summary(r)
    assert problem == "Years: Must be between 5 and 25 years: the rule's legal bounds."
    assert 'href="#rule-core-case-field-years"' in r.text
    field = re.search(r'<input id="rule-core-case-field-years"[^>]*>', r.text).group(0)
    assert 'value="2"' in field and 'aria-invalid="true"' in field  # as typed, marked
    assert admin.post("/t/bergen/retention/rules/core.case", data={"years": "many"}).status_code == 422

    r = admin.post("/t/bergen/retention/rules/core.case", data={"years": "12"}, follow_redirects=True)
    assert r.status_code == 200 and "is now 12 years" in text_of(r)
    assert "Set by the municipality (declared: 10)" in text_of(r)
    rules = {rule["name"]: rule for rule in client.get(town.url("/retention/rules"), headers=town.archivist.headers).json}
    assert rules["core.case"]["years"] == 12


def test_a_hold_is_placed_and_released(app, client, town, browser):
    old = closed_case(app, client, town, years_ago=11)
    archivist = browser(town, "archivist")
    r = archivist.post("/t/bergen/retention/holds", data={"record_type": "case", "record_id": "999999",
                                                           "kind": "legal_hold", "reason": "Tilsynssak."})
    assert r.status_code == 422 and error_summary(r) == ["Record id: no case 999999"]
    r = archivist.post("/t/bergen/retention/holds", data={"record_type": "case", "record_id": str(old["case_id"]),
                                                           "kind": "appeal", "reason": ""})
    assert r.status_code == 422 and [p.split(":")[0] for p in error_summary(r)] == ["Reason"]

    r = archivist.post("/t/bergen/retention/holds", data={"record_type": "case", "record_id": str(old["case_id"]),
                                                           "kind": "appeal", "reason": "Klage til statsforvalteren."},
                       follow_redirects=True)
    assert r.status_code == 200 and f"Case {old['case_id']} is on hold" in text_of(r)
    holds = text_of(r)[text_of(r).index("Holds"):text_of(r).index("Disposal log")]
    assert "Klage til statsforvalteren." in holds and "archivist bergen" in holds
    run_the_nightly_job(app, town)
    with app.app_context(), tenant_scope(town.tenant):
        (hold,) = db.session.scalars(sa.select(RetentionHold)).all()
    page = archivist.get("/t/bergen/retention").text
    assert f'id="release-{hold.id}"' in page  # standing: a release button

    r = archivist.post(f"/t/bergen/retention/holds/{hold.id}/release", follow_redirects=True)
    assert r.status_code == 200 and f"The hold is released: Case {old['case_id']} is disposed of when it is due." in text_of(r)
    assert f'id="release-{hold.id}"' not in r.text
    r = archivist.post(f"/t/bergen/retention/holds/{hold.id}/release")
    assert r.status_code == 409 and "released already" in error_summary(r)[0]
    with app.app_context(), tenant_scope(town.tenant):
        actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("retention.hold_%"))
                                     .order_by(AuditEvent.id)).all()
    assert actions == ["retention.hold_placed", "retention.hold_released"]
