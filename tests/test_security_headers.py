"""Headers on every response, and the client's address behind a trusted proxy."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.databases import running_app
from tests.helpers import add_person, make_municipality
from velferd.db import db
from velferd.models import AuditEvent
from velferd.tenancy import tenant_scope

EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def responses(client, bergen) -> dict:
    person = add_person(client, bergen)
    return {
        "api json": client.get(bergen.url(f"/persons/{person['id']}"), headers=bergen.caseworker.headers),
        "api list": client.get(bergen.url("/persons"), headers=bergen.caseworker.headers),
        "api error 401": client.get(bergen.url("/persons")),
        "api error 404": client.get(bergen.url("/persons/999999"), headers=bergen.caseworker.headers),
        "api error 422": client.post(bergen.url("/persons"), json={"given_name": 3}, headers=bergen.caseworker.headers),
        "unknown route": client.get("/nothing-here"),
        "openapi": client.get("/api/openapi.json"),
        "healthz": client.get("/healthz"),
    }


def test_every_response_carries_the_security_headers(client, bergen):
    for what, r in responses(client, bergen).items():
        for name, value in EVERY_RESPONSE.items():
            assert r.headers.get(name) == value, (what, name)
        csp = dict(part.strip().split(" ", 1) for part in r.headers["Content-Security-Policy"].split(";"))
        assert csp["default-src"] == "'self'", what
        assert csp["frame-ancestors"] == "'none'", what
        assert csp["object-src"] == "'none'", what
        assert "unsafe-inline" not in r.headers["Content-Security-Policy"], what
        assert "Server" not in r.headers, what
        assert "Strict-Transport-Security" not in r.headers, what  # not in development


def test_personal_data_is_never_cached(client, bergen):
    for what, r in responses(client, bergen).items():
        if what not in ("unknown route", "healthz"):
            assert r.headers["Cache-Control"] == "no-store", what


def test_an_unexpected_error_carries_the_headers_too(app, client):
    @app.get("/api/boom")
    def boom():
        raise RuntimeError("boom")

    r = client.get("/api/boom")
    assert r.status_code == 500
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Cache-Control"] == "no-store"


@pytest.fixture
def production_app(database, db_url, example_plugin, tmp_path):
    with running_app(database, db_url, [example_plugin], tmp_path / "instance", ENV="production",
                     SECRET_KEY="k3y-for-the-production-headers-test-" + "x9Qz" * 4) as app:
        yield app


def test_hsts_is_sent_in_production(production_app):
    r = production_app.test_client().get("/healthz")
    assert r.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    assert r.headers["X-Frame-Options"] == "DENY"


# --- ProxyFix: the client's address in the audit trail ----------------------------------------

def proxied_app(database, db_url, example_plugin, tmp_path, proxies: int):
    return running_app(database, db_url, [example_plugin], tmp_path / "instance", TRUSTED_PROXIES=proxies)


def audited_address_of_a_read(app) -> str:
    client = app.test_client()
    bergen = make_municipality(app, "bergen")
    person = add_person(client, bergen)
    r = client.get(bergen.url(f"/persons/{person['id']}"), headers={**bergen.caseworker.headers,
                   "X-Forwarded-For": "203.0.113.7"}, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert r.status_code == 200
    with app.app_context(), tenant_scope(bergen.tenant):
        row = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "person.read")).one()
        return row.remote_addr


def test_behind_one_trusted_proxy_the_forwarded_address_is_audited(database, db_url, example_plugin, tmp_path):
    with proxied_app(database, db_url, example_plugin, tmp_path, 1) as app:
        assert audited_address_of_a_read(app) == "203.0.113.7"


def test_without_trusted_proxies_x_forwarded_for_is_ignored(database, db_url, example_plugin, tmp_path):
    with proxied_app(database, db_url, example_plugin, tmp_path, 0) as app:
        assert audited_address_of_a_read(app) == "10.0.0.2"


def test_a_client_cannot_forge_its_address_through_the_proxy(database, db_url, example_plugin, tmp_path):
    """The proxy appends the address it saw; only that last entry is believed."""
    with proxied_app(database, db_url, example_plugin, tmp_path, 1) as app:
        client = app.test_client()
        bergen = make_municipality(app, "bergen")
        person = add_person(client, bergen)
        client.get(bergen.url(f"/persons/{person['id']}"), headers={**bergen.caseworker.headers,
                   "X-Forwarded-For": "198.51.100.66, 203.0.113.7"}, environ_base={"REMOTE_ADDR": "10.0.0.2"})
        with app.app_context(), tenant_scope(bergen.tenant):
            row = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "person.read")).one()
            assert row.remote_addr == "203.0.113.7"


def test_a_hostile_user_agent_is_recorded_cleaned_and_does_not_fail_the_read(client, bergen):
    """The audit row keeps what the client sent, minus what cannot be stored or shown: a NUL or
    an escape sequence in a header is not the caseworker's input and must not turn a read into
    an error."""
    person = add_person(client, bergen)
    agent = "Mozilla/5.0\x00\x1b[31m" + "x" * 400
    r = client.get(bergen.url(f"/persons/{person['id']}"), headers={**bergen.caseworker.headers, "User-Agent": agent})
    assert r.status_code == 200
    with client.application.app_context(), tenant_scope(bergen.tenant):
        row = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "person.read")).one()
    assert row.user_agent.startswith("Mozilla/5.0\ufffd\ufffd[31m")
    assert len(row.user_agent) == 300
