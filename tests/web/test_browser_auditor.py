"""The person search and the access log in a real browser (Debian's chromium, Playwright, the
app on a loopback HTTP server): a caseworker searches a person by name, then by a part of a
national id (422: the error summary), opens the person's page; the auditor logs in, opens that
person's access log by national id and finds the caseworker's read in it. Every page is
screenshotted and checked by axe-core (WCAG 2.1 A and AA), no violation allowed.
"""

from __future__ import annotations

import pytest

from tests.helpers import add_person, open_case
from tests.web.browser import Checked, sign_in

pytestmark = pytest.mark.browser


def test_a_caseworker_opens_a_person_and_the_auditor_reads_their_access_log(client, bergen, alta, served, page):
    kari = add_person(client, bergen, given_name="Kari", family_name="Bergensen")
    case = open_case(client, bergen, kari["id"])
    add_person(client, alta, given_name="Kari", family_name="Altason")
    check = Checked(page)

    sign_in(page, served, bergen.caseworker.email)
    page.click("nav >> text=Personer")
    assert page.locator("h1").inner_text() == "Personer"
    check("people-search")

    page.fill("#search-field-national-id", kari["national_id"][:6])
    page.click("#search button[type=submit]")
    assert "Dette er ikke et gyldig fødselsnummer." in page.inner_text("#errors")
    check("people-search-bad-id")

    page.fill("#search-field-national-id", "")
    page.fill("#search-field-name", "kari")
    page.click("#search button[type=submit]")
    results = page.inner_text("#results")
    assert "Kari Bergensen" in results and "Altason" not in results
    assert kari["national_id"][:6] + "*****" in results and kari["national_id"] not in results
    assert kari["national_id"] not in page.url and "kari" not in page.url  # a POST: nothing in the URL
    check("people-search-results")

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # reflows
    page.set_viewport_size({"width": 1280, "height": 900})

    page.click("#results >> text=Kari Bergensen")
    assert page.locator("h1").inner_text() == "Kari Bergensen"
    assert kari["national_id"] in page.inner_text(".facts")
    assert page.locator(f"a[href='/t/bergen/cases/{case['id']}']").is_visible()
    check("person")
    page.click("text=Logg ut")

    sign_in(page, served, bergen.auditor.email)
    page.goto(f"{served}/t/bergen/access-log")
    assert page.locator("h1").inner_text() == "Innsynslogg"
    check("access-log-lookup")
    page.fill("#lookup-field-national-id", kari["national_id"])
    page.click("#lookup button[type=submit]")
    assert page.url == f"{served}/t/bergen/people/{kari['id']}/access-log"
    log = page.inner_text("main")
    assert "caseworker bergen" in log and "person.read" in log
    check("access-log")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # the log's table reflows too
    check("access-log-320px")
    assert len(check.names) == 7
