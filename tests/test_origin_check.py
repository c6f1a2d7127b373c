"""Cross-site request forgery: a page on another site cannot make a logged-in browser change
anything (velferd.origin_check, modelled on Go's CrossOriginProtection)."""

from __future__ import annotations

import re

import pytest

from tests.databases import running_app
from tests.helpers import synthetic_id
from velferd import create_app
from velferd.config import ConfigurationError
from velferd.origin_check import parse_trusted_origins

EVIL = "https://evil.example"


def logged_in(client, town, role="caseworker"):
    r = client.post("/api/auth/login", json={"email": town.staff[role].email, "password": "correct horse battery"})
    assert r.status_code == 200, r.json
    return client


def new_person() -> dict:
    return {"national_id": synthetic_id(), "given_name": "Kari", "family_name": "Nordmann"}


def persons_named_kari(client, town) -> int:
    people = client.get(town.url("/persons?q=Kari"), headers=town.caseworker.headers).json
    return len(people)


@pytest.mark.parametrize("headers", [
    {"Origin": EVIL},
    {"Sec-Fetch-Site": "cross-site", "Origin": EVIL},
    {"Sec-Fetch-Site": "same-site", "Origin": "https://other.localhost"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Origin": "null"},
], ids=["old-browser-foreign-origin", "cross-site", "same-site", "cross-site-no-origin", "opaque-origin"])
def test_a_foreign_page_cannot_post_with_the_session_cookie(client, bergen, headers):
    browser = logged_in(client, bergen)
    r = browser.post(bergen.url("/persons"), json=new_person(), headers=headers)
    assert r.status_code == 403
    assert r.json["status"] == 403 and "cross-origin request refused" in r.json["message"]
    assert persons_named_kari(client, bergen) == 0  # nothing was written


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_every_unsafe_method_is_checked(client, bergen, method):
    browser = logged_in(client, bergen, "tenant_admin")
    r = browser.open(bergen.url("/plugins/example/settings"), method=method.upper(), json={"places": 3},
                     headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    assert "cross-origin" in r.json["message"]


def test_a_bodyless_post_from_a_foreign_form_is_refused(client, bergen):
    """What a plain HTML form on another site sends: form-encoded, no JSON, the cookie attached."""
    browser = logged_in(client, bergen, "tenant_admin")
    r = browser.post(bergen.url("/tokens"), data={"name": "stolen"}, headers={"Origin": EVIL})
    assert r.status_code == 403
    tokens = client.get(bergen.url("/tokens"), headers=bergen.tenant_admin.headers).json
    assert "stolen" not in [t["name"] for t in tokens]


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
    {"Sec-Fetch-Site": "none"},
    {"Origin": "http://localhost"},  # an older browser, same origin
    {},  # not a browser: curl or a script with the cookie it logged in for
], ids=["same-origin", "user-initiated", "old-browser-same-origin", "no-browser-headers"])
def test_requests_from_our_own_pages_and_non_browsers_go_through(client, bergen, headers):
    browser = logged_in(client, bergen)
    r = browser.post(bergen.url("/persons"), json=new_person(), headers=headers)
    assert r.status_code == 201, r.json


def test_reads_are_not_checked(client, bergen):
    browser = logged_in(client, bergen)
    assert browser.get(bergen.url("/persons"), headers={"Sec-Fetch-Site": "cross-site", "Origin": EVIL}).status_code == 200


def test_bearer_token_requests_are_not_affected(client, bergen):
    r = client.post(bergen.url("/persons"), json=new_person(),
                    headers={**bergen.caseworker.headers, "Sec-Fetch-Site": "cross-site", "Origin": EVIL})
    assert r.status_code == 201, r.json


def test_logging_in_from_a_foreign_page_is_refused(client, bergen):
    """Login forgery would sign the victim into the attacker's account."""
    r = client.post("/api/auth/login", json={"email": bergen.caseworker.email, "password": "correct horse battery"},
                    headers={"Sec-Fetch-Site": "cross-site", "Origin": EVIL})
    assert r.status_code == 403
    assert client.get(bergen.url("/persons")).status_code == 401  # no session was started


@pytest.fixture
def intranet_app(database, db_url, example_plugin, tmp_path):
    with running_app(database, db_url, [example_plugin], tmp_path / "instance",
                     TRUSTED_ORIGINS="https://intranet.bergen.example, https://portal.example:8443") as app:
        yield app


def test_a_trusted_origin_may_post(intranet_app):
    from tests.helpers import make_municipality

    bergen = make_municipality(intranet_app, "bergen")
    browser = logged_in(intranet_app.test_client(), bergen)
    for origin in ("https://intranet.bergen.example", "https://portal.example:8443"):
        r = browser.post(bergen.url("/persons"), json=new_person(), headers={"Sec-Fetch-Site": "cross-site", "Origin": origin})
        assert r.status_code == 201, r.json
    r = browser.post(bergen.url("/persons"), json=new_person(), headers={"Origin": "https://portal.example"})
    assert r.status_code == 403  # another port is another origin


@pytest.mark.parametrize("text", ["intranet.example", "https://intranet.example/path", "ftp://intranet.example"])
def test_a_trusted_origin_that_is_no_origin_stops_the_start(text, tmp_path, monkeypatch):
    with pytest.raises(ConfigurationError, match="VELFERD_TRUSTED_ORIGINS"):
        parse_trusted_origins(text)
    monkeypatch.setenv("VELFERD_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match=f"VELFERD_TRUSTED_ORIGINS: '{re.escape(text)}'"):
        create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "LOAD_PLUGIN_ENTRY_POINTS": False,
                    "TRUSTED_ORIGINS": text})
