"""The retention page in a real browser (see tests/web/browser.py), **in English**: the
archivist signs in (Norwegian, the municipality's language) and switches the pages to English
with the language form, as a user may (the choice outlives a logout) — the page's own texts are English until the lead merges
their translations into the catalogues. The archivist opens Retention from the menu, approves a
proposal, is refused a second approval on the page, puts a case on hold and releases it; the
tenant admin gives the second approval and is refused a period outside the rule's bounds. Every
page is screenshotted and checked by axe-core (WCAG 2.1 A and AA, no violation allowed), also
at 320 px wide.
"""

from __future__ import annotations

import pytest

from tests.helpers import add_staff
from tests.test_retention import closed_case, run_the_nightly_job
from tests.web.browser import Checked, sign_in

pytestmark = pytest.mark.browser


def in_english(page) -> None:
    page.select_option("#lang", "en")
    page.click("text=Bytt språk")


def test_the_archivist_and_the_tenant_admin_approve_hold_and_adjust_on_the_retention_page(
        app, client, bergen, served, page):
    archivist = add_staff(app, bergen, "archivist", ["archivist"])
    old = closed_case(app, client, bergen, years_ago=11)
    run_the_nightly_job(app, bergen)
    check = Checked(page)

    sign_in(page, served, archivist.email)
    in_english(page)
    page.click("nav >> text=Retention")
    assert page.url == f"{served}/t/bergen/retention"
    assert page.locator("h1").inner_text() == "Retention"
    assert page.locator("#proposals-title + p + table tbody tr").count() >= 1
    check("retention-en")
    page.set_viewport_size({"width": 320, "height": 900})
    check("retention-320px")
    page.set_viewport_size({"width": 1280, "height": 900})

    proposal = page.locator("#proposals-title ~ table tr", has_text="core.case").locator("form")
    form_id = proposal.get_attribute("id")
    proposal.locator("button").click()
    assert "A second person must approve it" in page.inner_text("#confirmation")
    check("retention-approved-once")
    page.click(f"#{form_id} button")
    assert "you have approved retention proposal" in page.inner_text("#errors")
    check("retention-approved-twice")

    page.select_option("#hold-field-record-type", "case")
    page.fill("#hold-field-record-id", str(old["case_id"]))
    page.select_option("#hold-field-kind", "appeal")
    page.click("#hold button[type=submit]")
    assert "Reason: " in page.inner_text("#errors")  # the reason is required
    check("retention-hold-refused")
    page.fill("#hold-field-reason", "Klage til statsforvalteren.")
    page.click("#hold button[type=submit]")
    assert f"Case {old['case_id']} is on hold" in page.inner_text("#confirmation")
    page.click("form[id^=release-] button")
    assert "is released" in page.inner_text("#confirmation")
    check("retention-hold-released")
    page.click("text=Log out")

    sign_in(page, served, bergen.tenant_admin.email)  # the language chosen outlives the logout
    page.goto(f"{served}/t/bergen/retention")
    page.click(f"#{form_id} button")
    assert "carried out" in page.inner_text("#confirmation")
    assert f"core.case Anonymise Case: {old['case_id']}" in " ".join(page.inner_text("#log-title + table").split())
    check("retention-carried-out")
    page.fill("#rule-core-case-field-years", "2")
    page.click("#rule-core-case button")
    assert "Years: Must be between 5 and 25 years" in page.inner_text("#errors")
    assert page.get_attribute("#rule-core-case-field-years", "aria-invalid") == "true"
    check("retention-period-refused")
    assert len(check.names) == 8
