"""The inbox in a real browser (tests/web/browser.py): a caseworker with one overdue and one
upcoming deadline opens Tasks from the menu, sees the overdue one first and labelled, ticks the
e-mail box and saves it (POST, redirect, the confirmation) — each page screenshotted and checked
by axe-core (WCAG 2.1 A and AA), and the inbox at 320 px without sideways scrolling."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers import add_person, open_case
from tests.web.browser import Checked
from velferd.clock import tenant_today
from velferd.testing import PASSWORD

pytestmark = pytest.mark.browser


def test_a_caseworker_reads_the_inbox_and_asks_for_the_email(client, bergen, served, page):
    person = add_person(client, bergen, given_name="Kari", family_name="Bergensen")
    case = open_case(client, bergen, person["id"], assigned_to_id=bergen.caseworker.user_id)
    today = tenant_today(bergen.tenant)
    for kind, days in (("follow-up call", -3), ("report to the school", 4)):
        r = client.post(bergen.url(f"/cases/{case['id']}/deadlines"), headers=bergen.caseworker.headers,
                        json={"kind": kind, "due_on": (today + dt.timedelta(days=days)).isoformat()})
        assert r.status_code == 201, r.json
    check = Checked(page)

    page.goto(f"{served}/login")
    page.fill("#email", bergen.caseworker.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]:text('Logg inn')")
    page.click("nav >> text=Oppgaver")
    assert page.url == f"{served}/t/bergen/tasks"
    assert page.locator("#overdue-title").inner_text() == "Forfalt (1)"
    overdue = page.locator("tr.overdue")
    assert overdue.count() == 1 and "Forfalt" in overdue.inner_text() and "follow-up call" in overdue.inner_text()
    assert "report to the school" in page.locator("section[aria-labelledby=upcoming-title]").inner_text()
    check("tasks-nb")

    page.check("#notifications-field-email-reminders")
    page.click("button[type=submit]:text('Lagre e-postvalget')")
    assert page.url == f"{served}/t/bergen/tasks#confirmation"
    assert "Du får e-post" in page.inner_text("#confirmation")
    assert page.is_checked("#notifications-field-email-reminders")
    check("tasks-email-saved")

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check("tasks-320px")
