"""Who may call the API: password login with a session, bearer tokens, and what each role may do."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import sqlalchemy as sa

from tests.helpers import add_person
from tests.owner import deactivate, password_hashes
from velferd.db import db
from velferd.models import ApiToken
from velferd.tenancy import tenant_scope

PASSWORD = "correct horse battery"  # what tests.helpers gives every staff member




def login(client, email: str, password: str = PASSWORD):
    return client.post("/api/auth/login", json={"email": email, "password": password})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def create_token(client, town, role: str = "caseworker", **body) -> dict:
    r = client.post(town.url("/tokens"), json={"name": "script", **body}, headers=town.staff[role].headers)
    assert r.status_code == 201, r.json
    return r.json


# --- password login ---------------------------------------------------------------------------

def test_login_sets_a_session_that_authorises_the_members_tenant(app, bergen):
    client = app.test_client()
    r = login(client, bergen.caseworker.email)
    assert r.status_code == 200, r.json
    assert r.json["email"] == bergen.caseworker.email
    assert "password" not in r.get_data(as_text=True)
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("session=") and "HttpOnly" in cookie
    assert client.get("/api/auth/me").json["email"] == bergen.caseworker.email
    assert client.get(bergen.url("/persons")).status_code == 200


def test_login_ignores_the_case_of_the_email(app, bergen):
    assert login(app.test_client(), bergen.caseworker.email.upper()).status_code == 200


def test_session_gives_403_for_a_tenant_the_user_is_not_a_member_of(app, bergen, alta):
    client = app.test_client()
    login(client, bergen.caseworker.email)
    r = client.get(alta.url("/persons"))
    assert r.status_code == 403
    assert r.json["message"] == "you are not a member of 'alta'"


def test_wrong_password_and_unknown_email_get_the_same_401(app, bergen):
    client = app.test_client()
    wrong_password = login(client, bergen.caseworker.email, "not the password")
    unknown_email = login(client, "nobody@bergen.test", PASSWORD)
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json == unknown_email.json  # no hint which part was wrong
    assert wrong_password.json["message"] == "wrong e-mail or password"
    assert client.get_cookie("session") is None
    assert client.get(bergen.url("/persons")).status_code == 401


def test_login_with_an_unknown_field_is_a_422_naming_it(app, bergen):
    r = app.test_client().post("/api/auth/login", json={"email": bergen.caseworker.email, "password": PASSWORD,
                                                         "remember": True})
    assert r.status_code == 422
    assert "remember" in r.json["fields"]


def test_logout_ends_the_session(app, bergen):
    client = app.test_client()
    login(client, bergen.caseworker.email)
    copied = app.test_client()  # the same cookie in another browser (or an attacker's)
    copied.set_cookie("session", client.get_cookie("session").value)
    assert copied.get(bergen.url("/persons")).status_code == 200
    assert client.post("/api/auth/logout").status_code == 204
    assert client.get(bergen.url("/persons")).status_code == 401
    assert client.get("/api/auth/me").status_code == 401
    assert copied.get(bergen.url("/persons")).status_code == 401  # the cookie alone no longer works


def test_unauthenticated_request_is_refused_with_401(client, bergen):
    r = client.get(bergen.url("/persons"))
    assert r.status_code == 401
    assert r.json["message"] == "log in or send a bearer token"


def test_deactivated_user_is_refused_with_session_and_token(app, bergen):
    client = app.test_client()
    login(client, bergen.caseworker.email)
    deactivate(app, bergen.caseworker.user_id)
    assert client.get(bergen.url("/persons")).status_code == 401
    assert app.test_client().get(bergen.url("/persons"), headers=bergen.caseworker.headers).status_code == 401
    assert login(app.test_client(), bergen.caseworker.email).status_code == 401


def test_password_hashes_are_argon2(app, client, bergen):
    r = client.post(bergen.url("/members"), json={"email": "new@bergen.test", "name": "New Caseworker",
                                                 "roles": ["caseworker"]}, headers=bergen.tenant_admin.headers)
    assert r.status_code == 201, r.json
    r = client.post("/api/auth/invitations/accept", json={"token": r.json["token"], "password": "a long enough password"})
    assert r.status_code == 200, r.json
    hashes = password_hashes(app)
    assert len(hashes) == 7
    assert all(h.startswith("$argon2") for h in hashes)
    assert not any("a long enough password" in h or PASSWORD in h for h in hashes)
    assert login(app.test_client(), "new@bergen.test", "a long enough password").status_code == 200


# --- bearer tokens ----------------------------------------------------------------------------

def test_token_is_shown_once_and_only_its_hash_is_stored(app, client, bergen):
    created = create_token(client, bergen, name="nightly export", valid_days=30)
    token = created["token"]
    assert token.startswith("vf.bergen.")
    secret = token.split(".", 2)[2]
    expires = dt.datetime.fromisoformat(created["expires_at"])
    assert abs(expires - (dt.datetime.now(dt.UTC) + dt.timedelta(days=30))) < dt.timedelta(minutes=1)

    assert client.get(bergen.url("/persons"), headers=bearer(token)).status_code == 200
    listed = client.get(bergen.url("/tokens"), headers=bergen.caseworker.headers)
    assert "nightly export" in [t["name"] for t in listed.json]
    assert all("token" not in t for t in listed.json)
    assert secret not in listed.get_data(as_text=True)

    with app.app_context(), tenant_scope(bergen.tenant):
        row = db.session.execute(sa.text("select * from api_token where id = :id"), {"id": created["id"]}).mappings().one()
    assert not any(secret in str(value) for value in row.values())
    assert row["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()


def test_token_without_valid_days_lasts_the_configured_default(client, bergen):
    created = create_token(client, bergen)
    expires = dt.datetime.fromisoformat(created["expires_at"])
    assert abs(expires - (dt.datetime.now(dt.UTC) + dt.timedelta(days=90))) < dt.timedelta(minutes=1)


def test_revoked_token_is_refused(client, bergen):
    created = create_token(client, bergen)
    r = client.delete(bergen.url(f"/tokens/{created['id']}"), headers=bergen.caseworker.headers)
    assert r.status_code == 204
    r = client.get(bergen.url("/persons"), headers=bearer(created["token"]))
    assert r.status_code == 401
    assert "revoked" in r.json["message"]


def test_another_users_token_cannot_be_revoked(client, bergen):
    created = create_token(client, bergen, role="caseworker")
    r = client.delete(bergen.url(f"/tokens/{created['id']}"), headers=bergen.leader.headers)
    assert r.status_code == 404
    assert client.get(bergen.url("/persons"), headers=bearer(created["token"])).status_code == 200


def test_expired_token_is_refused_with_the_expiry_in_the_message(app, client, bergen):
    created = create_token(client, bergen, valid_days=1)
    with app.app_context(), tenant_scope(bergen.tenant):
        db.session.get(ApiToken, created["id"]).expires_at = dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
        db.session.commit()
    r = client.get(bergen.url("/persons"), headers=bearer(created["token"]))
    assert r.status_code == 401
    assert "expired" in r.json["message"]
    assert "2020-01-02T03:04:05" in r.json["message"]


@pytest.mark.parametrize("header", [
    "Bearer", "Bearer   ", "Token abc", "Basic dXNlcjpwYXNz", "Bearer vf.bergen", "Bearer vf.bergen.",
    "Bearer xx.bergen.c2VjcmV0", "Bearer vf..c2VjcmV0", "Bearer c2VjcmV0",
])
def test_malformed_authorization_header_is_refused_with_401(client, bergen, header):
    r = client.get(bergen.url("/persons"), headers={"Authorization": header})
    assert r.status_code == 401
    assert set(r.json) == {"status", "error", "message"}


def test_well_formed_but_unknown_token_is_refused_with_401(client, bergen):
    r = client.get(bergen.url("/persons"), headers=bearer("vf.bergen." + "A" * 43))
    assert r.status_code == 401
    assert r.json["message"] == "the bearer token is unknown or revoked"


def test_token_for_another_tenant_is_refused_with_403(client, bergen, alta):
    r = client.get(alta.url("/persons"), headers=bergen.caseworker.headers)
    assert r.status_code == 403
    assert "another tenant" in r.json["message"]


def test_token_naming_another_tenant_is_refused_even_when_its_user_is_a_member_there(app, client, bergen, alta):
    r = client.post(alta.url("/members"), json={"email": bergen.caseworker.email, "name": "Shared",
                                               "roles": ["caseworker"]}, headers=alta.tenant_admin.headers)
    assert r.status_code == 201, r.json
    r = client.post("/api/auth/invitations/accept", json={"token": r.json["token"], "password": PASSWORD})
    assert r.status_code == 200, r.json
    assert client.get(alta.url("/persons"), headers=bergen.caseworker.headers).status_code == 403
    client_with_session = app.test_client()
    login(client_with_session, bergen.caseworker.email)
    assert client_with_session.get(alta.url("/persons")).status_code == 200


# --- permissions per role ---------------------------------------------------------------------

@pytest.mark.parametrize("role, method, path, permission", [
    ("coordinator", "PUT", "/plugins/example/enabled", "plugins:manage"),
    ("coordinator", "PATCH", "/plugins/example/settings", "plugins:manage"),
    ("coordinator", "GET", "/members", "members:manage"),
    ("auditor", "GET", "/persons", "persons:read"),
    ("auditor", "GET", "/persons/{person}", "persons:read"),
    ("auditor", "GET", "/cases", "cases:read"),
    ("finance", "GET", "/cases", "cases:read"),
    ("finance", "GET", "/persons", "persons:read"),
    ("caseworker", "GET", "/audit", "audit:read"),
    ("caseworker", "GET", "/persons/{person}/access-log", "audit:read"),
    ("tenant_admin", "GET", "/persons", "persons:read"),
])
def test_role_without_the_permission_gets_403_naming_it(client, bergen, role, method, path, permission):
    person = add_person(client, bergen)
    r = client.open(bergen.url(path.format(person=person["id"])), method=method,
                    json={} if method in ("PUT", "PATCH") else None, headers=bergen.staff[role].headers)
    assert r.status_code == 403, r.json
    assert r.json["message"] == f"you need the permission '{permission}' for this"


@pytest.mark.parametrize("role, path", [
    ("auditor", "/audit"),
    ("tenant_admin", "/audit"),
    ("tenant_admin", "/members"),
    ("caseworker", "/persons"),
    ("coordinator", "/cases"),
    ("finance", "/units"),
])
def test_role_with_the_permission_may_read(client, bergen, role, path):
    assert client.get(bergen.url(path), headers=bergen.staff[role].headers).status_code == 200


def test_tenant_admin_may_manage_plugins(client, bergen):
    r = client.patch(bergen.url("/plugins/example/settings"), json={"places": 12}, headers=bergen.tenant_admin.headers)
    assert r.status_code == 200, r.json
    assert r.json["settings"]["places"] == 12
