"""The leader dashboard in a real browser (see tests/web/browser.py): a leader logs in, opens the
dashboard from the menu, follows a caseworker's figure and lands on that caseworker's caseload
with exactly as many rows; then follows the overdue figure. Both pages are screenshotted and
checked by axe-core (WCAG 2.1 A and AA, no violation allowed), also at 320 px wide."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers import add_person, open_case
from tests.web.browser import Checked
from tests.web.test_caseload_filters import add_deadline, oslo_today
from velferd.testing import PASSWORD

pytestmark = pytest.mark.browser


def test_a_leader_follows_a_figure_from_the_dashboard_to_the_caseload(client, bergen, served, page):
    person = add_person(client, bergen, given_name="Kari", family_name="Bergensen")["id"]
    for _ in range(3):
        open_case(client, bergen, person, assigned_to_id=bergen.caseworker.user_id)
    open_case(client, bergen, person)
    late = open_case(client, bergen, person)["id"]
    add_deadline(client, bergen, late, oslo_today() - dt.timedelta(days=2))
    check = Checked(page)

    page.goto(f"{served}/login")
    page.fill("#email", bergen.leader.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]:text('Logg inn')")
    page.click("nav >> text=Oversikt")
    assert page.url == f"{served}/t/bergen/dashboard"
    assert page.locator("h1").inner_text() == "Oversikt"
    check("dashboard-nb")
    page.set_viewport_size({"width": 320, "height": 900})
    check("dashboard-320px")
    page.set_viewport_size({"width": 1280, "height": 900})

    figure = page.locator("#loads-title + table tr", has_text="caseworker bergen").locator("a")
    assert figure.inner_text().startswith("3")
    figure.click()
    assert page.url == f"{served}/t/bergen/cases?assigned_to={bergen.caseworker.user_id}&open=1"
    assert page.locator("h1").inner_text() == "Saker tildelt caseworker bergen"
    assert page.locator("table.table tbody tr").count() == 3
    check("caseload-of-a-caseworker")

    page.go_back()
    page.locator("#overdue-title + table a").first.click()
    assert page.locator("table.table tbody tr").count() == 1
    assert page.locator("#overdue").is_checked()
    check("caseload-overdue")
