"""DUE in a real browser (Debian's chromium, Playwright, a real HTTP server): a caseworker in
Bergen refers a youth through DUE's referral page (a missing motivation first: the error
summary), finds the case on the waiting list and in the case page's DUE panel, takes it through
the intake with the case page's moves and forms and DUE's vedtak page, and holds the start
meeting, so the case is "started"; a coordinator then assigns themself on DUE's coordinator page
and looks at the absences, and the caseworker at the transfer form and the price table. Every
DUE page on the way is screenshotted and checked by axe-core (WCAG 2.1 A and AA, no violation).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.plugins.due.conftest import app, bergen, due_database, due_db_url, units  # noqa: F401  (fixtures)
from tests.plugins.due.flows import X, get, ok, youth
from tests.web.browser import Checked, sign_in

pytestmark = pytest.mark.browser


def move(page, name: str, **fields: str) -> None:
    form = f"#move-{name}"
    for input_name, value in fields.items():
        page.fill(f"{form} [name='{input_name}']", value)
    page.click(f"{form} button[type=submit]")
    assert page.locator("#confirmation").is_visible(), page.inner_text("main")


def test_a_caseworker_refers_a_youth_and_takes_the_case_to_started(client, bergen, units, served, page):  # noqa: F811
    today = dt.date.today().isoformat()
    person = youth(client, bergen, dt.date(2008, 4, 4))
    check = Checked(page)
    sign_in(page, served, bergen.caseworker.email)

    page.goto(f"{served}/t/bergen/x/due/referrals/new?person_id={person['id']}")
    assert page.locator("h1").inner_text() == "Ny henvisning"
    check("due-referral")
    page.select_option("#referral-field-referring-unit-id", str(units["barnevern"]))
    page.select_option("#referral-field-legal-basis", "child_welfare_act")
    page.check("#referral [name='criteria'][value='lacks_housing_or_needs_housing_follow_up']")
    page.fill("#referral-field-needs", "bolig\nskole")
    page.fill("#referral-field-referred-on", today)
    page.click("#referral button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#referral-field-needs") == "bolig\nskole"  # as typed
    check("due-referral-errors")

    page.fill("#referral-field-motivation", "Vil ha egen leilighet og fullføre skolen.")
    page.click("#referral button[type=submit]")
    assert "/t/bergen/cases/" in page.url
    case_id = int(page.url.split("/cases/")[1].split("#")[0])
    assert "Henvist" in page.inner_text("main")  # the state's title in nb
    check("due-case-referred")

    page.goto(f"{served}/t/bergen/x/due/waiting-list")
    assert page.locator("h1").inner_text() == "Venteliste"
    assert page.locator(f"a[href='/t/bergen/cases/{case_id}']").count() == 1
    check("due-waiting-list")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # reflows: no sideways scrolling
    check("due-waiting-list-320px")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{served}/t/bergen/cases/{case_id}")
    move(page, "invite")
    move(page, "start_assessment")
    page.check("#form-assessment [name='right_measure']")
    page.fill("#form-assessment [name='needs']", "bolig\nskole")
    page.click("#form-assessment button[type=submit]")
    move(page, "give_feedback")
    move(page, "offer", start_on=today)
    move(page, "request_vedtak")
    check("due-case-awaiting-vedtak")

    page.click(f"a[href='/t/bergen/x/due/cases/{case_id}/vedtak']")
    check("due-vedtak")
    page.fill("#vedtak [name='decided_on']", today)
    page.fill("#vedtak [name='reference']", "BV-2026/12")
    page.click("#vedtak button[type=submit]")
    assert "BV-2026/12" in page.inner_text("main")
    check("due-vedtak-recorded")

    page.goto(f"{served}/t/bergen/cases/{case_id}")
    page.select_option("#move-hold_start_meeting [name='plan_type']", "individual_plan")
    page.select_option("#move-hold_start_meeting [name='participants.0.role']", "youth")
    page.select_option("#move-hold_start_meeting [name='participants.1.role']", "coordinator")
    page.select_option("#move-hold_start_meeting [name='participants.2.role']", "referring_unit")
    move(page, "hold_start_meeting", **{
        "goals": "Egen leilighet\nSkole tre dager i uken", "responsibility_group.members": "ungdommen\nkoordinator",
        "responsibility_group.frequency": "hver sjette uke", "responsibility_group.place": "Utekontakten",
        "tasks.0.task": "Søke kommunal bolig", "tasks.0.responsible": "koordinator",
        "first_group_meeting_on": (dt.date.today() + dt.timedelta(days=14)).isoformat()})
    assert ok(get(client, bergen, f"/cases/{case_id}"))["state"] == "started"
    assert "Egen leilighet" in page.inner_text("main")  # the DUE panel's plan goals
    check("due-case-started")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # the DUE panel reflows too
    page.set_viewport_size({"width": 1280, "height": 900})

    page.click(f"a[href='/t/bergen/x/due/cases/{case_id}/transfers/new']")
    check("due-transfer-form")
    page.goto(f"{served}/t/bergen/x/due/prices")
    check("due-prices")

    page.click("form[action='/logout'] button")
    sign_in(page, served, bergen.coordinator.email)
    page.goto(f"{served}/t/bergen/x/due/cases/{case_id}/coordinator")
    check("due-coordinator")
    page.select_option("#coordinator [name='user_id']", str(bergen.coordinator.user_id))
    page.click("#coordinator button[type=submit]")
    assert ok(get(client, bergen, f"{X}/cases/{case_id}/placement"))["coordinator"]["user_id"] == \
        bergen.coordinator.user_id
    page.goto(f"{served}/t/bergen/x/due/absences")
    check("due-absences")
