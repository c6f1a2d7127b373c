"""Correcting a person and reviewing a possible duplicate in a real browser (see
tests/web/browser.py), in Norwegian: a refused correction (no reason), a saved one with its
history, the review list and a merge. Each page is screenshotted and checked by axe-core (WCAG
2.1 A and AA, no violation allowed)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from tests.helpers import add_person, synthetic_id
from tests.web.browser import Checked
from velferd.identity import synthetic_national_id
from velferd.testing import PASSWORD

pytestmark = pytest.mark.browser
BIRTH = dt.date(2002, 6, 17)


def test_a_caseworker_corrects_a_person_and_merges_a_duplicate(client, bergen, served, page):
    kari = add_person(client, bergen, synthetic_national_id(BIRTH, "NO", random.Random(1), kind="dnr"),
                      given_name="Kari", family_name="Lien")
    twin = add_person(client, bergen, synthetic_id("NO", BIRTH), given_name="Karri", family_name="Lien")
    check = Checked(page)
    page.goto(f"{served}/login")
    page.fill("#email", bergen.caseworker.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]:text('Logg inn')")

    page.goto(f"{served}/t/bergen/people/{twin['id']}")
    page.fill("#correct-field-given-name", "Kari")
    page.click("button[type=submit]:text('Lagre rettingen')")
    assert page.url.endswith("#errors") or page.locator(".error-summary").is_visible()
    assert page.locator("[aria-invalid=true]").count() == 1
    check("person-correction-refused")
    page.fill("#correct-field-reason", "Feilstavet ved registreringen")
    page.click("button[type=submit]:text('Lagre rettingen')")
    assert "Rettingen er lagret." in page.inner_text("#confirmation")
    assert "Mulige duplikater" in page.inner_text("#confirmation")  # now Kari Lien of the same birth date
    assert "Feilstavet ved registreringen" in page.inner_text("table:has(caption:text('1 retting'))")
    check("person-corrected")

    page.goto(f"{served}/t/bergen/duplicates")
    assert page.locator("h1").inner_text() == "Mulige duplikater"
    check("duplicates-review")
    page.fill("textarea[name=note]", "Samme person, bekreftet av NAV")
    page.click("button:text('Samme person: slå sammen med den tidligere oppføringen')")
    assert "Ingen mulige duplikater å gå gjennom." in page.inner_text("main")
    check("duplicates-merged")
    page.goto(f"{served}/t/bergen/people/{twin['id']}")
    assert "Denne oppføringen er slått sammen med en annen persons:" in page.inner_text("main")
    assert kari
