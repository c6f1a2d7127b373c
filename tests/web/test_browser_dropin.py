"""Odense's outreach at its drop-in centres in a real browser (Debian's chromium, Playwright,
axe-core), in Danish as Odense's staff see it.

The coordinator adds a centre (a nameless one first: refused, the error summary), offers outreach
case processing from the jobcenter, puts a caseworker at the centre on Tuesdays (an end before the
start first: refused), closes the centre for next week's holiday and sees the caseworker's week;
a citizen with no login then reads the centre's published schedule — this week's times, next week
closed for the holiday — also at 320 px. An outreach caseworker records an anonymous contact (a
CPR-like code first: refused), turns the citizen's code into a consented case and sees the
contacts on the case page, plans a statutory meeting at the centre (not chosen by the citizen
first: refused), records yesterday's meeting at the office as a no-show and reads the no-show
rates. The coordinator records an implementation-team meeting, enters a cost and reads the
evaluation. Every page is screenshotted and checked by axe-core (WCAG 2.1 A and AA)."""

from __future__ import annotations

import datetime as dt

import pytest
from velferd_dropin import centres

from tests.helpers import synthetic_id
from tests.plugins.dropin.conftest import aarhus, app, dropin_database, dropin_db_url, odense  # noqa: F401
from tests.web.browser import Checked, sign_in
from velferd.clock import tenant_today
from velferd.db import db
from velferd.tenancy import tenant_scope

pytestmark = pytest.mark.browser


def submit(page, form_id: str):
    page.click(f"#{form_id} button[type=submit]")


def log_out(page):
    page.click("text=Log ud")


def the_centres(served_app, town) -> tuple[int, int]:
    """Odense's two centres from the guide (Broen with a private room, Vest without)."""
    with served_app.app_context(), tenant_scope(town.tenant):
        broen, vest = centres.odense_centres(town.tenant)
        db.session.commit()
        return broen.id, vest.id


def today_in(served_app, town) -> dt.date:
    with served_app.app_context():
        return tenant_today(town.tenant)


def test_the_coordinator_publishes_a_centres_week_and_a_citizen_reads_it_without_logging_in(
        app, odense, served, page):  # noqa: F811
    check = Checked(page)
    x = f"{served}/t/odense/x/dropin"
    today = today_in(app, odense)
    next_monday = today + dt.timedelta(days=7 - today.weekday())
    sign_in(page, served, odense.dropin_coordinator.email)

    menu = page.inner_text("nav.main-nav")
    for entry in ("Væresteder", "Fremskudt tilstedeværelse", "Kontakter", "Lovpligtige samtaler", "Udeblivelser",
                  "Holdbaserede aktiviteter", "Implementeringsteam", "Omkostninger", "Evaluering"):
        assert entry in menu, entry

    # a centre: without a name first
    page.click("nav.main-nav >> text=Væresteder")
    assert page.url == f"{x}/centres"
    submit(page, "centre")
    assert page.locator(".error-summary").is_visible()
    check("dropin-centre-errors")
    page.fill("#centre-field-name", "Café Broen")
    page.select_option("#centre-field-ownership", "private")
    page.check("#centre-field-private-room")
    submit(page, "centre")
    assert page.locator("#confirmation").is_visible()
    assert "Café Broen" in page.inner_text("h1")
    check("dropin-centre")
    page.goto(f"{x}/centres")
    assert "Café Broen" in page.inner_text("main table")
    check("dropin-centres")

    # the service: outreach case processing from the jobcenter, deciding cases at the centre
    page.goto(f"{x}/presence")
    page.select_option("#service-field-kind", "case_processing")
    page.select_option("#service-field-administration", "jobcenter")
    page.check("#service-field-decides-cases")
    submit(page, "service")
    assert page.locator("#confirmation").is_visible()
    check("dropin-presence")

    # Tuesdays at the centre: an end before the start first
    page.click("main >> text=Café Broen")
    page.select_option("#slot-field-service-id", index=1)
    page.select_option("#slot-field-user-id", index=1)
    page.select_option("#slot-field-weekday", "tuesday")
    page.fill("#slot-field-starts", "10:00")
    page.fill("#slot-field-ends", "09:00")
    page.fill("#slot-field-valid-from", (today - dt.timedelta(days=today.weekday())).isoformat())
    submit(page, "slot")
    assert page.locator(".error-summary").is_visible()
    check("dropin-slot-errors")
    page.fill("#slot-field-ends", "14:00")
    submit(page, "slot")
    assert page.locator("#confirmation").is_visible()
    check("dropin-centre-presence")

    # next week closed for the holiday
    page.fill("#holiday-field-starts-on", next_monday.isoformat())
    page.fill("#holiday-field-ends-on", (next_monday + dt.timedelta(days=6)).isoformat())
    page.fill("#holiday-field-reason", "Sommerferie")
    submit(page, "holiday")
    assert page.locator("#confirmation").is_visible()
    check("dropin-centre-holiday")

    page.goto(f"{x}/presence/week")
    check("dropin-staff-week")

    # a citizen, no login: the town's centres, this week's times, next week closed
    log_out(page)
    page.goto(f"{served}/p/odense/dropin/")
    check("dropin-public-centres")
    page.click("main >> text=Café Broen")
    week = page.inner_text("main")
    assert "10:00" in week and "14:00" in week
    assert odense.dropin_coordinator.email not in page.content()
    check("dropin-public-week")
    page.goto(f"{served}/p/odense/dropin/cafe-broen?week={next_monday.isoformat()}")
    assert "Sommerferie" in page.inner_text("main")
    check("dropin-public-week-closed")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check("dropin-public-week-320px")


def test_an_outreach_caseworker_records_contacts_a_consent_and_statutory_meetings(app, odense, served, page):  # noqa: F811
    check = Checked(page)
    x = f"{served}/t/odense/x/dropin"
    broen, _ = the_centres(app, odense)
    today = today_in(app, odense)
    sign_in(page, served, odense.dropin_outreach.email)

    # an anonymous contact: a CPR-like code is refused
    page.goto(f"{x}/centres/{broen}/contacts")
    page.fill("#contact-field-contact-on", today.isoformat())
    page.check("#contact-field-help-1")
    page.select_option("#contact-field-service", "case_processing")
    page.select_option("#contact-field-worker-role", "municipal_authority")
    page.fill("#contact-field-citizen-code", "170580-1234")
    submit(page, "contact")
    assert page.locator(".error-summary").is_visible()
    check("dropin-contact-errors")
    page.fill("#contact-field-citizen-code", "ODIN")
    submit(page, "contact")
    assert page.locator("#confirmation").is_visible()
    assert "ODIN" in page.inner_text("main")
    check("dropin-contacts")

    # the citizen consents: a person with a case, the code's contact on it
    page.goto(f"{x}/consents/new")
    check("dropin-consent-form")
    page.fill("#consent-field-citizen-code", "ODIN")
    page.fill("#consent-field-national-id", synthetic_id("DK", dt.date(1980, 5, 17)))
    page.fill("#consent-field-given-name", "Odin")
    page.fill("#consent-field-family-name", "Testesen")
    page.fill("#consent-field-given-on", today.isoformat())
    page.check("#consent-field-scope-1")
    submit(page, "consent")
    assert page.locator("#confirmation").is_visible()
    assert "/t/odense/cases/" in page.url
    assert "ODIN" in page.inner_text("main")
    check("dropin-case-with-consent")

    # a statutory meeting at the centre: only if the citizen chose it
    page.goto(f"{x}/meetings")
    page.select_option("#meeting-field-service", "case_processing")
    page.select_option("#meeting-field-administration", "jobcenter")
    page.fill("#meeting-field-subject", "Samtale om handleplan")
    page.fill("#meeting-field-meets-on", (today + dt.timedelta(days=7)).isoformat())
    page.fill("#meeting-field-meets-at", "10:00")
    page.select_option("#meeting-field-place", "centre")
    page.select_option("#meeting-field-centre-id", str(broen))
    submit(page, "meeting")
    assert page.locator(".error-summary").is_visible()
    check("dropin-meeting-errors")
    page.check("#meeting-field-chosen-by-citizen")
    submit(page, "meeting")
    assert page.locator("#confirmation").is_visible()
    check("dropin-meetings")

    # yesterday's at the office: the citizen did not come
    page.select_option("#meeting-field-service", "case_processing")
    page.select_option("#meeting-field-administration", "jobcenter")
    page.fill("#meeting-field-subject", "Lovpligtig samtale")
    page.fill("#meeting-field-meets-on", (today - dt.timedelta(days=1)).isoformat())
    page.fill("#meeting-field-meets-at", "09:00")
    page.select_option("#meeting-field-place", "office")
    page.select_option("#meeting-field-attendance", "no_show")
    submit(page, "meeting")
    assert page.locator("#confirmation").is_visible()

    page.goto(f"{x}/no-shows?start={(today - dt.timedelta(days=30)).isoformat()}&end={today.isoformat()}")
    assert "100,0" in page.inner_text("main")  # 1 of 1 held at the office
    check("dropin-no-shows")


def test_the_coordinator_keeps_the_implementation_team_and_reads_the_evaluation(app, odense, served, page):  # noqa: F811
    check = Checked(page)
    x = f"{served}/t/odense/x/dropin"
    the_centres(app, odense)
    today = today_in(app, odense)
    sign_in(page, served, odense.dropin_coordinator.email)

    page.goto(f"{x}/implementation")
    check("dropin-implementation-empty")
    page.fill("#meeting-field-held-on", today.isoformat())
    page.fill("#meeting-field-agenda", "Samarbejdsaftaler og træffetider")
    submit(page, "meeting")
    assert page.locator("#confirmation").is_visible()
    check("dropin-implementation")

    page.goto(f"{x}/costs?year={today.year}")
    page.fill("#cost-field-year", str(today.year))
    page.select_option("#cost-field-service", "case_processing")
    page.fill("#cost-field-label", "Sagsbehandler, en dag om ugen")
    page.fill("#cost-field-amount", "-5")
    submit(page, "cost")
    assert page.locator(".error-summary").is_visible()
    check("dropin-cost-errors")
    page.fill("#cost-field-amount", "185000.50")
    submit(page, "cost")
    assert page.locator("#confirmation").is_visible()
    check("dropin-costs")

    page.goto(f"{x}/surveys")
    check("dropin-surveys")
    page.goto(f"{x}/evaluation")
    check("dropin-evaluation")
    page.goto(f"{served}/t/odense/dashboard")
    check("dropin-dashboard")
