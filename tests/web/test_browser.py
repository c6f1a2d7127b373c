"""The pages in a real browser: Debian's chromium, driven by Playwright, against the app served
by a real HTTP server on a loopback port. A caseworker logs in (after one wrong password),
switches to Danish, opens the caseload and a case, moves it through its form (bad data
first: the error summary), tries another municipality's case (404) and
logs out. Every page is screenshotted under test-artifacts/screenshots/ and checked by axe-core
(WCAG 2.1 A and AA) with no violation allowed.

`make test-browser` runs these (they are outside `make test`); without /usr/bin/chromium they
are skipped, except in CI (``CI=true``), where a missing browser is a failure.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers import add_person, open_case
from tests.web.browser import Checked
from tests.web.test_case_moves import ExampleWithPayloads
from velferd.testing import PASSWORD

pytestmark = pytest.mark.browser

@pytest.fixture
def example_plugin():
    """The example plugin with a payload on ``assess``, so the journey fills a drawn form."""
    return ExampleWithPayloads()


def test_a_caseworker_works_through_the_pages_in_a_browser(client, bergen, alta, served, page):
    person = add_person(client, bergen, given_name="Kari", family_name="Bergensen")
    case = open_case(client, bergen, person["id"])
    r = client.post(bergen.url(f"/cases/{case['id']}/deadlines"), headers=bergen.caseworker.headers,
                    json={"kind": "follow-up call", "due_on": (dt.date.today() - dt.timedelta(days=3)).isoformat()})
    assert r.status_code == 201, r.json
    theirs = open_case(client, alta, add_person(client, alta, family_name="Altason")["id"])
    check = Checked(page)

    page.goto(f"{served}/")
    assert page.url == f"{served}/login"
    check("login-nb")

    page.fill("#email", bergen.caseworker.email)
    page.fill("#password", "not the password")
    page.click("button[type=submit]:text('Logg inn')")
    assert page.locator(".error-summary").is_visible()
    assert "E-postadressen eller passordet er feil." in page.inner_text(".error-summary")
    check("login-wrong-password")

    page.select_option("#lang", "da")
    page.click("text=Bytt språk")
    assert page.locator("h1").inner_text() == "Log ind"
    check("login-da")

    page.fill("#email", bergen.caseworker.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]:text('Log ind')")
    assert page.url == f"{served}/t/bergen/cases"
    assert page.locator("h1").inner_text() == "Sagsliste"
    assert "Kari Bergensen" in page.inner_text("main") and "Altason" not in page.inner_text("main")
    check("caseload-da")

    page.set_viewport_size({"width": 320, "height": 800})  # also what 200 % zoom of 640 px shows
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # reflows: no sideways scrolling
    check("caseload-320px")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.click(f"a[href='/t/bergen/cases/{case['id']}']")
    assert page.locator("h1").inner_text() == f"Sag {case['id']}"
    assert "Overskredet" in page.inner_text(".deadlines .overdue")
    check("case-da")

    page.fill("#move-assess-field-review-on", "2026-03-02")
    page.fill("#move-assess-field-hours", "12a")
    page.select_option("#move-assess-field-track", "work")
    page.fill("#move-assess-note", "Talte med den unge")
    page.click("#move-assess button[type=submit]")
    assert page.url.endswith("#errors")
    assert "Skal være et helt tal." in page.inner_text("#errors")  # marshmallow's message, in Danish
    assert page.input_value("#move-assess-field-hours") == "12a"  # kept as typed
    check("case-move-error-da")
    page.click("#errors a[href='#move-assess-field-hours']")
    page.keyboard.press("Control+A")
    page.keyboard.type("12")
    page.click("#move-assess button[type=submit]")
    assert "Sagen er flyttet: Assess the referral." in page.inner_text("#confirmation")
    assert "Talte med den unge" in page.inner_text(".timeline")
    check("case-moved-da")

    page.goto(f"{served}/t/alta/cases/{theirs['id']}")
    assert page.locator("h1").inner_text() == "Siden blev ikke fundet"
    check("other-municipality-404")

    page.goto(f"{served}/t/bergen/cases")
    page.click("text=Log ud")
    assert page.url == f"{served}/login"
    page.goto(f"{served}/t/bergen/cases")
    assert page.url.startswith(f"{served}/login")
    assert len(check.names) == 9
