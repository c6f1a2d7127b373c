"""Breaking the glass in a real browser (see tests/web/browser.py), in Norwegian: a caseworker of
Team Sør opens a case of Team Nord — the form, a refused short reason, the case — and Team Nord's
leader reviews the report on the dashboard. Each page is screenshotted and checked by axe-core
(WCAG 2.1 A and AA, no violation allowed)."""

from __future__ import annotations

import pytest

from tests.helpers import add_person, open_case
from tests.web.browser import Checked
from tests.web.test_break_glass_pages import working_in
from velferd.testing import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, served, email):
    page.goto(f"{served}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]:text('Logg inn')")


def test_a_caseworker_breaks_the_glass_and_the_leader_reviews_it(app, client, bergen, served, page):
    working_in(app, bergen, "north_worker", ["caseworker"], "Team Nord")
    working_in(app, bergen, "north_leader", ["leader"], "Team Nord")
    working_in(app, bergen, "south_worker", ["caseworker"], "Team Sør")
    case = open_case(client, bergen, add_person(client, bergen, role="north_worker")["id"], role="north_worker")
    check = Checked(page)

    log_in(page, served, bergen.south_worker.email)
    page.goto(f"{served}/t/bergen/cases/{case['id']}")
    assert page.locator("h1").inner_text() == "Denne saken ligger utenfor ditt arbeid"
    check("break-glass-form")
    page.fill("textarea[name=reason]", "haster")
    page.click("button[type=submit]:text('Åpne saken og registrer begrunnelsen min')")
    assert page.locator("[aria-invalid=true]").count() == 1
    check("break-glass-refused")
    page.fill("textarea[name=reason]", "Ungdommen kom til oss i krise; Team Nord er stengt i kveld.")
    page.click("button[type=submit]:text('Åpne saken og registrer begrunnelsen min')")
    assert page.locator("h1").inner_text() == f"Sak {case['id']}"
    check("break-glass-opened")

    page.context.clear_cookies()
    log_in(page, served, bergen.north_leader.email)
    page.goto(f"{served}/t/bergen/dashboard")
    assert "Ungdommen kom til oss i krise" in page.locator("#access-reports + p + table").inner_text()
    check("dashboard-access-reports")
    page.click("button:text('Marker som gjennomgått')")
    assert page.locator("#access-reports").count() == 0
    check("dashboard-reviewed")
