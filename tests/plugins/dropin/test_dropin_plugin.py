"""The dropin plugin is installed like the others, and offered in Denmark only: Odense switches it
on (its settings read back with the model's defaults), a bad setting is a 422 naming the field,
and Bergen — a Norwegian municipality — is never offered it (404 saying so; not in its list; 404 on its pages)."""

from __future__ import annotations

from tests.web.conftest import BROWSER_ACCEPT
from tests.web.pages import log_in


def test_odense_has_dropin_with_the_models_defaults(client, odense):
    r = client.get(odense.url("/plugins/dropin"), headers=odense.tenant_admin.headers)
    assert r.status_code == 200, r.json
    assert r.json["enabled"] is True
    assert r.json["settings"] == {"implementation_meeting_days": 61, "schedule_weeks_ahead": 4}


def test_a_bad_setting_is_refused_naming_the_field(client, odense):
    r = client.patch(odense.url("/plugins/dropin/settings"), headers=odense.tenant_admin.headers,
                     json={"implementation_meeting_days": 3})
    assert r.status_code == 422
    assert "implementation_meeting_days" in r.json["fields"]


def test_a_norwegian_municipality_is_never_offered_dropin(app, client, bergen):
    r = client.put(bergen.url("/plugins/dropin/enabled"), headers=bergen.tenant_admin.headers)
    assert r.status_code == 404 and "not offered in NO" in r.json["message"], r.json
    assert client.get(bergen.url("/plugins"), headers=bergen.tenant_admin.headers).json == []
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    log_in(browser, bergen.caseworker.email)
    assert browser.get("/t/bergen/x/dropin/centres").status_code == 404
