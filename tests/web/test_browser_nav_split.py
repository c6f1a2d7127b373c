"""Kristiansand in a real browser (Debian's chromium, Playwright, axe-core): a Forvaltning worker
allocates and a Forum coordinator co-signs. Through nav_split's pages: the Forum queue, the
week's agendas built on demand and one agenda; a case appointed to NAV on its page, with the
allocation panel (the decision's reasons) and the follow-up recorded; Spesialteamet drafts a
Rusfaglig Forum decision (bad data first: the error summary); the Forum's coordinator approves it
with the second signature and prepares a complaint, whose sending is refused without both
signatures (409, the reason on the page); the Forum's leader signs it. Every page is
screenshotted and checked by axe-core (WCAG 2.1 A and AA), the queue also at 320 px."""

from __future__ import annotations

import pytest

from tests.plugins.nav_split import flows
from tests.plugins.nav_split.conftest import app, kristiansand, nav_database, nav_db_url  # noqa: F401
from tests.web.browser import Checked, sign_in

pytestmark = pytest.mark.browser


def log_out(page):
    page.click("text=Logg ut")


def test_a_forvaltning_worker_allocates_and_a_forum_coordinator_co_signs(client, kristiansand, served, page):  # noqa: F811
    town = kristiansand
    to_appoint, decision = flows.assess(client, town, flows.kartlegging())
    assert decision["outcome"] == "nav"
    waiting, referral = flows.assess(client, town, flows.kartlegging(substance_use=True, from_other_municipality=True,
                                                                      work_line_realistic="unclear"))
    assert referral["outcome"] == "rusfaglig_forum"
    assert flows.move(client, town, waiting["id"], "refer_forum").status_code == 200
    check = Checked(page)
    x = f"{served}/t/kristiansand/x/nav_split"

    # Forvaltning: the queue, the agendas, the case appointed to NAV and its follow-up
    sign_in(page, served, town.forvaltning.email)
    page.click("nav >> text=Forumkø")
    assert page.url == f"{x}/queue"
    assert page.locator("h1").inner_text() == "Venter på møte"
    assert f"Sak {waiting['id']}" in page.inner_text("main table")
    check("nav-split-queue")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check("nav-split-queue-320px")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.click("text=Sakslistene")
    assert page.locator("h1").inner_text() == "Sakslister"
    check("nav-split-agendas-empty")
    page.click("#build button[type=submit]")
    assert "Ukens sakslister er laget" in page.inner_text("#confirmation")
    check("nav-split-agendas-built")
    page.click("main table >> tbody tr:has-text('Rusfaglig Forum') >> a")
    assert page.locator("h1").inner_text() == "Saksliste: Rusfaglig Forum"
    assert "På sakslisten" in page.inner_text("main table")
    check("nav-split-agenda")

    page.goto(f"{served}/t/kristiansand/cases/{to_appoint['id']}")
    assert "arbeidslinjen" in page.inner_text(".plugin-panel")
    check("nav-split-case-assessed")
    page.click("#move-appoint_nav button[type=submit]")
    assert "Koordinator i" in page.inner_text(".plugin-panel")
    check("nav-split-case-appointed")
    page.select_option("#follow-up-field-follow-up-unit", "livsmestring")
    page.check("#follow-up-field-follow-up-at-home")
    page.click("#follow-up button[type=submit]")
    assert "Oppfølgingen er registrert." in page.inner_text("#confirmation")
    assert "(hjemme)" in page.inner_text(".plugin-panel")
    check("nav-split-follow-up-recorded")
    page.click("text=Fordelingen på egen side")
    assert page.locator("h1").inner_text() == f"Fordeling av sak {to_appoint['id']}"
    check("nav-split-allocation")
    log_out(page)

    # Spesialteamet drafts the Forum decision: bad data first
    sign_in(page, served, town.spesialteam.email)
    page.goto(f"{served}/t/kristiansand/cases/{to_appoint['id']}")
    page.click("text=Skriv utkast til vedtak i Rusfaglig Forum")
    assert page.locator("h1").inner_text() == "Skriv utkast til vedtak i Rusfaglig Forum"
    check("nav-split-draft")
    page.fill("#draft-field-institution", "X")
    page.click("#draft button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#draft-field-institution") == "X"
    check("nav-split-draft-errors")
    page.select_option("#draft-field-measure", "private_institution")
    page.select_option("#draft-field-verdict", "admission")
    page.fill("#draft-field-institution", flows.DRAFT["institution"])
    page.fill("#draft-field-agreement", flows.DRAFT["agreement"])
    page.fill("#draft-field-reasons", flows.DRAFT["reasons"])
    page.click("#draft button[type=submit]")
    assert "Utkastet er lagret." in page.inner_text("#confirmation")
    decision_url = page.url.split("#")[0]
    check("nav-split-decision-draft")
    log_out(page)

    # the Forum's coordinator co-signs (approves), prepares a complaint, may not send it yet
    sign_in(page, served, town.forum_coordinator.email)
    page.goto(decision_url)
    page.click("#approval button[type=submit]")
    assert "Vedtaket er godkjent med andre underskrift." in page.inner_text("#confirmation")
    assert "Godkjent av" in page.inner_text("main .facts")
    check("nav-split-decision-approved")
    page.fill("#complaint-field-grounds", "The user disagrees with the choice of institution.")
    page.click("#complaint button[type=submit]")
    assert "Klagen er forberedt." in page.inner_text("#confirmation")
    complaint_url = page.url.split("#")[0]
    check("nav-split-complaint")
    page.click("#send button[type=submit]")
    assert "forum_leader, forvaltning_head" in page.inner_text(".error-summary")
    check("nav-split-complaint-send-refused")
    log_out(page)

    # the Forum's leader signs
    sign_in(page, served, town.forum_leader.email)
    page.goto(complaint_url)
    page.click("#sign-forum_leader button[type=submit]")
    assert "Underskriften din er på klagen." in page.inner_text("#confirmation")
    assert "underskrevet av" in page.inner_text("main")
    check("nav-split-complaint-signed")
    assert len(check.names) == 16
