"""The tenant admin's pages in a real browser (Debian's chromium, Playwright, a real HTTP server),
with the DUE plugin installed: Bergen's admin opens Administration from the menu, switches DUE
off and on again, changes a DUE setting (a bad value first: the error summary, the inline error
and the value as typed), and looks at members, units and the billing profile (a bad bank account:
the service's message). Every page is screenshotted and checked by axe-core (WCAG 2.1 A and AA).
"""

from __future__ import annotations

import pytest
import velferd_due

from tests.databases import clean_database_url, migrated_database, running_app
from tests.helpers import make_municipality
from tests.web.browser import Checked
from velferd.testing import PASSWORD

pytestmark = pytest.mark.browser

ROLES = ("tenant_admin", "caseworker", "leader", "auditor", "coordinator", "finance")
DUE_TITLE = "Der Ungdommen Er (Bergen)"


@pytest.fixture(scope="module")
def due_database(tmp_path_factory):
    with migrated_database(tmp_path_factory.mktemp("admin_due_db"), "velferd_admin_due",
                           plugins=[velferd_due]) as database:
        yield database


@pytest.fixture
def app(due_database, tmp_path):
    """The app with the DUE plugin only (its settings schema is the form under test)."""
    url = clean_database_url(due_database, tmp_path)
    with running_app(due_database, url, [velferd_due], tmp_path / "instance") as app:
        yield app


@pytest.fixture
def bergen(app):
    return make_municipality(app, "bergen", roles=ROLES, plugins=("due",))


def due_state(client, town):
    r = client.get(town.url("/plugins/due"), headers=town.tenant_admin.headers)
    assert r.status_code == 200, r.json
    return r.json


def test_a_tenant_admin_switches_due_off_and_on_and_changes_a_setting(client, bergen, served, page):
    check = Checked(page)
    page.goto(f"{served}/login")
    page.fill("#email", bergen.tenant_admin.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]:text('Logg inn')")

    page.click("nav.main-nav >> text=Administrasjon")
    assert page.url == f"{served}/t/bergen/admin"
    assert page.locator("h1").inner_text() == "Administrasjon"
    check("admin-index")

    page.click("main >> text=Tiltak")
    assert page.url == f"{served}/t/bergen/admin/programmes"
    assert DUE_TITLE in page.inner_text("#programme-due")
    check("admin-programmes")

    page.click("#programme-due button[type=submit]")  # switch off
    assert page.url.endswith("/admin/programmes#confirmation")
    assert "er slått av" in page.inner_text("#confirmation")
    assert due_state(client, bergen)["enabled"] is False
    check("admin-programme-switched-off")

    page.click("#programme-due button[type=submit]")  # switch on again
    assert "er slått på" in page.inner_text("#confirmation")
    assert due_state(client, bergen)["enabled"] is True
    check("admin-programme-switched-on")

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # reflows: no sideways scrolling
    check("admin-programmes-320px")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.click("#programme-due a[href$='/settings']")
    assert page.url == f"{served}/t/bergen/admin/programmes/due/settings"
    assert page.input_value("#settings-field-max-age") == "23"  # the current value (the default)
    check("admin-settings")

    page.fill("#settings-field-max-age", "40")
    page.click("#settings button[type=submit]")
    assert page.url.endswith("#errors")
    assert page.locator("#errors a[href='#settings-field-max-age']").is_visible()
    assert page.locator("#settings-field-max-age-error").is_visible()
    assert page.input_value("#settings-field-max-age") == "40"  # as typed
    assert due_state(client, bergen)["settings"]["max_age"] == 23  # nothing written
    check("admin-settings-error")

    page.fill("#settings-field-max-age", "25")
    page.click("#settings button[type=submit]")
    assert "Innstillingene er lagret." in page.inner_text("#confirmation")
    assert page.input_value("#settings-field-max-age") == "25"
    assert due_state(client, bergen)["settings"]["max_age"] == 25
    check("admin-settings-saved")

    page.goto(f"{served}/t/bergen/admin/members")
    assert bergen.caseworker.email in page.inner_text("main")
    check("admin-members")
    page.fill("#invite-field-email", "ny.ansatt@bergen.example")
    page.fill("#invite-field-name", "Ny Ansatt")
    page.check("#invite-role-caseworker")
    page.click("#invite button[type=submit]")
    assert "vi.bergen." in page.inner_text("#confirmation .token")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # the long code wraps
    check("admin-members-invited-320px")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{served}/t/bergen/admin/units")
    page.fill("#unit-field-name", "NAV Bergenhus")
    page.select_option("#unit-field-kind", "nav_office")
    page.click("#unit button[type=submit]")
    assert "NAV Bergenhus" in page.inner_text("#confirmation") and "NAV Bergenhus" in page.inner_text("table")
    check("admin-units")

    page.click("table >> text=NAV Bergenhus")
    assert page.input_value("#unit-field-name") == "NAV Bergenhus"
    check("admin-unit")

    page.goto(f"{served}/t/bergen/admin/billing-profile")
    check("admin-billing-profile")
    page.fill("#profile-field-bank-account", "1503.12.34567")
    page.click("#profile button[type=submit]")
    assert page.locator("#errors a[href='#profile-field-bank-account']").is_visible()
    assert page.input_value("#profile-field-bank-account") == "1503.12.34567"
    check("admin-billing-profile-error")
