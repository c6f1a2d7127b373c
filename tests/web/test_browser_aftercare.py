"""Alta's aftercare housing in a real browser (Debian's chromium, Playwright, axe-core), in
Norwegian as Alta's staff see it.

A staff member takes an application from treatment to the point of intake on the case page (the
application with a bad date first: the error summary; the assessment, consent, signed rules and
end of treatment), leaving the move-in to the leader. The housing's leader builds Alta's flats from the plan, moves a resident into the training flat
from the case page (a move-in tomorrow first: refused, the error summary), sees the occupancy board
(also at 320 px), records a breach on the staircase, writes the individual plan, loads the G
table, puts a staff member on a shift of the week's rota and enters the 2009 budget, whose report
for the grant givers opens, and sees today's flats on the dashboard. The tenant admin changes
aftercare's settings (a planned stay longer than the limit first: refused, naming the field),
switches the programme off — its menu entries and pages are gone — and on again. Every page is screenshotted and checked by axe-core (WCAG 2.1
A and AA)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.plugins.aftercare import stay_flows as flow
from tests.plugins.aftercare.conftest import aftercare_database, aftercare_db_url, alta, app  # noqa: F401
from tests.web.browser import Checked, sign_in

pytestmark = pytest.mark.browser


def log_out(page):
    page.click("text=Logg ut")


def submit(page, form_id: str):
    page.click(f"#{form_id} button[type=submit]")


def test_the_housings_leader_runs_a_stay_the_flats_the_rota_and_the_budget(client, alta, served, page):  # noqa: F811
    check = Checked(page)
    x = f"{served}/t/alta/x/aftercare"
    today = flow.today()
    sign_in(page, served, alta.aftercare_leader.email)

    # the menu, in Norwegian
    menu = page.inner_text("nav.main-nav")
    for entry in ("Opphold", "Beleggsoversikt", "Leiligheter", "Boligtrappen", "G-tabell", "Turnus", "Budsjett"):
        assert entry in menu, entry

    # the flats, from the plan
    page.click("nav.main-nav >> text=Leiligheter")
    assert page.url == f"{x}/flats"
    submit(page, "alta-building")
    assert page.locator("#confirmation").is_visible()
    assert page.locator("main table tbody tr").count() == 7
    check("aftercare-flats")

    # a case ready for intake (applied, assessed with consent, rules signed, treatment ended)
    ended = today - dt.timedelta(days=3)
    case_id = flow.ready_for_intake(client, alta, today - dt.timedelta(days=400), ended)
    page.goto(f"{served}/t/alta/cases/{case_id}")
    assert page.locator("#move-in").is_visible()
    check("aftercare-case-awaiting-intake")
    page.select_option("#move-in-field-flat-id", index=1)
    page.fill("#move-in-field-moved-in-on", (today + dt.timedelta(days=1)).isoformat())
    submit(page, "move-in")
    assert page.locator(".error-summary").is_visible()
    check("aftercare-move-in-errors")
    page.select_option("#move-in-field-flat-id", index=1)
    page.fill("#move-in-field-moved-in-on", today.isoformat())
    submit(page, "move-in")
    assert page.locator("#confirmation").is_visible()
    assert flow.stay(client, alta, case_id)["state"] == "living"
    check("aftercare-case-living")

    # the occupancy board: the resident in flat 1, the others free
    page.goto(f"{x}/board")
    row = page.locator("main table tbody tr").first
    assert f"/cases/{case_id}" in row.inner_html()
    check("aftercare-board")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check("aftercare-board-320px")
    page.set_viewport_size({"width": 1280, "height": 900})

    # the staircase: step 2, a breach recorded
    page.goto(f"{x}/cases/{case_id}/staircase")
    check("aftercare-staircase")
    page.select_option("#staircase-breach-field-kind", "rule")
    page.fill("#staircase-breach-field-occurred-on", today.isoformat())
    page.fill("#staircase-breach-field-description", "Overnight guest against the house rules.")
    submit(page, "staircase-breach")
    assert "Bruddet er registrert." in page.inner_text("#confirmation")
    assert "Overnight guest against the house rules." in page.inner_text("main")
    check("aftercare-staircase-breach")
    page.goto(f"{x}/staircase")
    check("aftercare-steps")

    # the individual plan with its contact person
    page.goto(f"{x}/cases/{case_id}/plan")
    check("aftercare-plan-empty")
    page.select_option("#plan-field-contact-person-id", index=1)
    page.fill("#plan-field-started-on", today.isoformat())
    submit(page, "plan")
    assert page.locator("#confirmation").is_visible()
    check("aftercare-plan")

    # the G table, loaded from NAV's published values
    page.goto(f"{x}/g-table")
    page.click("form[action$='/g-table/published'] button[type=submit]")
    assert page.locator("#confirmation").is_visible()
    assert "66" in page.inner_text("main table")           # 1 May 2007: 66,812
    check("aftercare-g-table")

    # the rota: a staff member on a shift, the rest shown uncovered
    page.goto(f"{x}/rota")
    check("aftercare-rota")
    monday = today - dt.timedelta(days=today.weekday())
    page.fill("#assign-field-works-on", monday.isoformat())
    page.select_option("#assign-field-shift-id", index=1)           # the pattern's first: Monday's day shift
    page.select_option("#assign-field-user-id", index=1)
    submit(page, "assign")
    assert page.locator("#confirmation").is_visible()
    check("aftercare-rota-assigned")

    # the 2009 budget and the report for the grant givers
    page.goto(f"{x}/budget?year=2009")
    page.click("form[action$='/budget/plan'] button[type=submit]")
    assert page.locator("#confirmation").is_visible()
    assert "2 000 000" in page.inner_text("main").replace("\u00a0", " ")
    check("aftercare-budget")
    page.goto(f"{x}/budget/2009/report")
    check("aftercare-budget-report")

    # the dashboard: today's flats, each figure a link to the board
    page.goto(f"{served}/t/alta/dashboard")
    assert "1 leilighet bebodd" in page.inner_text("main")
    check("aftercare-dashboard")

    page.goto(f"{x}/stays")
    assert f"/cases/{case_id}" in page.inner_html("main")
    check("aftercare-stays")
    log_out(page)


def test_a_staff_member_takes_an_application_from_treatment_to_intake(client, alta, served, page):  # noqa: F811
    """The miljøarbeider's part, all on the case page: the application form (bad data first), the
    assessment started, the consent, the signed rules and the end of the treatment recorded; the
    leader's move-in is the one thing left, and the Stays list shows the case waiting for it."""
    check = Checked(page)
    today = flow.today()
    flow.flats(client, alta)
    case_id = flow.new_case(client, alta)
    sign_in(page, served, alta.aftercare_staff.email)
    page.goto(f"{served}/t/alta/cases/{case_id}")
    check("aftercare-case-applied")

    form = "#form-application"
    page.fill(f"{form} [name='institution']", "Finnmarkskollektivet")
    page.fill(f"{form} [name='treatment_started_on']", (today + dt.timedelta(days=3)).isoformat())
    page.click(f"{form} button[type=submit]")
    assert page.locator(".error-summary").is_visible()                  # treatment starting in the future
    check("aftercare-application-errors")
    page.fill(f"{form} [name='treatment_started_on']", (today - dt.timedelta(days=200)).isoformat())
    page.fill(f"{form} [name='home_municipality']", "Hammerfest")
    page.click(f"{form} button[type=submit]")
    assert page.locator("#confirmation").is_visible()
    assert flow.stay(client, alta, case_id)["partner_municipality"] == "Hammerfest"

    submit(page, "move-start_assessment")
    assert page.locator("#confirmation").is_visible()
    for form_id, field in (("consent", "consent_on"), ("rules-agreed", "rules_agreed_on"),
                           ("treatment-ended", "treatment_ended_on")):
        page.fill(f"#{form_id} [name='{field}']", today.isoformat())
        submit(page, form_id)
        assert page.locator("#confirmation").is_visible(), form_id
    shown = flow.stay(client, alta, case_id)
    assert (shown["consent_on"], shown["rules_agreed_on"], shown["treatment_ended_on"]) == (today.isoformat(),) * 3
    assert page.locator("#move-in").count() == 0                         # intake is the leader's decision
    check("aftercare-case-assessed")
    log_out(page)
    assert flow.move(client, alta, case_id, "accept", {"reasons": "Wants to take part."}).status_code == 200

    sign_in(page, served, alta.aftercare_staff.email)
    page.click("nav.main-nav >> text=Opphold")
    assert f"/cases/{case_id}" in page.inner_html("main")
    check("aftercare-stays-staff")


def test_altas_admin_changes_the_settings_and_switches_aftercare_off_and_on(client, alta, served, page):  # noqa: F811
    check = Checked(page)

    def settings():
        return client.get(alta.url("/plugins/aftercare"), headers=alta.tenant_admin.headers).json

    sign_in(page, served, alta.tenant_admin.email)
    page.goto(f"{served}/t/alta/admin/programmes/aftercare/settings")
    assert page.input_value("#settings-field-planned-stay-months") == "18"
    check("aftercare-admin-settings")
    page.fill("#settings-field-planned-stay-months", "30")
    page.click("#settings button[type=submit]")
    assert page.locator("#errors a[href='#settings-field-planned-stay-months']").is_visible()
    assert page.input_value("#settings-field-planned-stay-months") == "30"
    assert settings()["settings"]["planned_stay_months"] == 18
    check("aftercare-admin-settings-errors")
    page.fill("#settings-field-planned-stay-months", "12")
    page.click("#settings button[type=submit]")
    assert page.locator("#confirmation").is_visible()
    assert settings()["settings"]["planned_stay_months"] == 12

    page.goto(f"{served}/t/alta/admin/programmes")
    check("aftercare-admin-programmes")
    page.click("#programme-aftercare button[type=submit]")  # switch off
    assert settings()["enabled"] is False
    log_out(page)
    sign_in(page, served, alta.aftercare_leader.email)
    assert page.locator("nav.main-nav a[href*='/x/aftercare/']").count() == 0
    assert page.goto(f"{served}/t/alta/x/aftercare/board").status == 404
    log_out(page)

    sign_in(page, served, alta.tenant_admin.email)
    page.goto(f"{served}/t/alta/admin/programmes")
    page.click("#programme-aftercare button[type=submit]")  # on again
    assert settings()["enabled"] is True
    log_out(page)
    sign_in(page, served, alta.aftercare_leader.email)
    assert page.locator("nav.main-nav a[href*='/x/aftercare/']").count() >= 5
    assert page.goto(f"{served}/t/alta/x/aftercare/board").status == 200
