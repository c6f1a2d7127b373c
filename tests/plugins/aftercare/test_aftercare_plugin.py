"""The aftercare plugin is installed like the others: Alta switches it on (its settings read back
with the plan's defaults), a bad setting is a 422 naming the field, and Bergen, which has not
switched it on, gets 404 on its pages and no trace of it."""

from __future__ import annotations

from tests.web.conftest import BROWSER_ACCEPT
from tests.web.pages import log_in


def test_alta_has_aftercare_with_the_plans_defaults(client, alta):
    r = client.get(alta.url("/plugins/aftercare"), headers=alta.tenant_admin.headers)
    assert r.status_code == 200, r.json
    assert r.json["enabled"] is True
    assert r.json["settings"] == {"stay_limit_months": 24, "planned_stay_months": 18, "warning_days": [90, 30],
                                  "partner_treatment_months": 12}


def test_a_planned_stay_beyond_the_limit_is_refused_naming_the_field(client, alta):
    r = client.patch(alta.url("/plugins/aftercare/settings"), headers=alta.tenant_admin.headers,
                     json={"planned_stay_months": 30})
    assert r.status_code == 422
    assert "planned_stay_months" in r.json["fields"]


def test_bergen_without_aftercare_gets_404_on_its_pages(app, bergen):
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    log_in(browser, bergen.caseworker.email)
    assert browser.get("/t/bergen/x/aftercare/flats").status_code == 404
