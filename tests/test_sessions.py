"""Server-side sessions: logout and a password change end them, and they time out when idle and
after an absolute lifetime. Time is moved by rewriting the session's row, never by waiting."""

from __future__ import annotations

import datetime as dt
import hashlib

import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from tests.owner import password_hashes
from velferd.db import db
from velferd.models import UserSession

PASSWORD = "correct horse battery"
NEW_PASSWORD = "gulrot kanel fjordbåt"


def logged_in(app, email: str):
    client = app.test_client()
    r = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200, r.json
    return client


def copy_of(app, client):
    """Another browser holding the same cookie."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def sessions_of(app, user_id: int) -> list[UserSession]:
    with app.app_context():
        return db.session.scalars(sa.select(UserSession).where(UserSession.user_id == user_id)).all()


def age_sessions(app, user_id: int, **columns_ago: dt.timedelta) -> None:
    now = dt.datetime.now(dt.UTC)
    with app.app_context():
        db.session.execute(sa.update(UserSession).where(UserSession.user_id == user_id)
                           .values({column: now - ago for column, ago in columns_ago.items()}))
        db.session.commit()


def test_the_cookie_carries_a_random_id_and_the_database_only_its_hash(app, bergen):
    client = logged_in(app, bergen.caseworker.email)
    cookie = URLSafeTimedSerializer(app.secret_key, salt="cookie-session", signer_kwargs={
        "key_derivation": "hmac", "digest_method": hashlib.sha1}).loads(client.get_cookie("session").value)
    assert set(cookie) == {"sid"}
    (row,) = sessions_of(app, bergen.caseworker.user_id)
    assert row.token_hash == hashlib.sha256(cookie["sid"].encode()).hexdigest()


def test_each_login_is_a_new_session(app, bergen):
    client = logged_in(app, bergen.caseworker.email)
    before = client.get_cookie("session").value
    client.post("/api/auth/login", json={"email": bergen.caseworker.email, "password": PASSWORD})
    assert client.get_cookie("session").value != before
    assert len(sessions_of(app, bergen.caseworker.user_id)) == 2  # the first browser tab's is still its own


def test_an_idle_session_ends(app, bergen):
    client = logged_in(app, bergen.caseworker.email)
    age_sessions(app, bergen.caseworker.user_id, last_seen_at=dt.timedelta(minutes=31))
    assert client.get(bergen.url("/persons")).status_code == 401
    assert sessions_of(app, bergen.caseworker.user_id) == []


def test_a_request_keeps_the_session_alive(app, bergen):
    client = logged_in(app, bergen.caseworker.email)
    age_sessions(app, bergen.caseworker.user_id, last_seen_at=dt.timedelta(minutes=29))
    assert client.get(bergen.url("/persons")).status_code == 200
    (row,) = sessions_of(app, bergen.caseworker.user_id)
    assert dt.datetime.now(dt.UTC) - row.last_seen_at < dt.timedelta(minutes=1)
    age_sessions(app, bergen.caseworker.user_id, last_seen_at=dt.timedelta(minutes=29))
    assert client.get(bergen.url("/persons")).status_code == 200


def test_the_idle_limit_is_a_setting(app, bergen):
    app.config["SESSION_IDLE_MINUTES"] = 5
    client = logged_in(app, bergen.caseworker.email)
    age_sessions(app, bergen.caseworker.user_id, last_seen_at=dt.timedelta(minutes=6))
    assert client.get("/api/auth/me").status_code == 401


def test_a_session_ends_after_its_absolute_lifetime_however_busy(app, bergen):
    client = logged_in(app, bergen.caseworker.email)
    (row,) = sessions_of(app, bergen.caseworker.user_id)
    assert abs(row.expires_at - (row.created_at + dt.timedelta(hours=12))) < dt.timedelta(seconds=5)
    age_sessions(app, bergen.caseworker.user_id, expires_at=dt.timedelta(seconds=1), last_seen_at=dt.timedelta(0))
    assert client.get(bergen.url("/persons")).status_code == 401


def test_the_absolute_lifetime_is_a_setting(app, bergen):
    app.config["SESSION_ABSOLUTE_HOURS"] = 1
    logged_in(app, bergen.caseworker.email)
    (row,) = sessions_of(app, bergen.caseworker.user_id)
    assert abs(row.expires_at - (row.created_at + dt.timedelta(hours=1))) < dt.timedelta(seconds=5)


def test_operator_endpoints_use_the_same_sessions(app, client):
    from velferd import tenants

    with app.app_context():
        tenants.create_user("op@velferd.test", "Operator", PASSWORD, is_operator=True)
        db.session.commit()
    operator = logged_in(app, "op@velferd.test")
    assert operator.get("/api/operator/tenants").status_code == 200
    operator.post("/api/auth/logout")
    assert operator.get("/api/operator/tenants").status_code == 401


# --- changing the password ----------------------------------------------------------------------

def change(client, current: str, new: str):
    return client.post("/api/auth/password", json={"current_password": current, "new_password": new})


def test_a_password_change_ends_every_other_session_and_keeps_this_one(app, bergen):
    here = logged_in(app, bergen.caseworker.email)
    elsewhere = logged_in(app, bergen.caseworker.email)
    stolen = copy_of(app, here)
    r = change(here, PASSWORD, NEW_PASSWORD)
    assert r.status_code == 204, r.json
    assert here.get(bergen.url("/persons")).status_code == 200  # a fresh session for this browser
    assert elsewhere.get(bergen.url("/persons")).status_code == 401
    assert stolen.get(bergen.url("/persons")).status_code == 401  # the old cookie of this browser too
    assert len(sessions_of(app, bergen.caseworker.user_id)) == 1
    fresh = app.test_client()
    assert fresh.post("/api/auth/login", json={"email": bergen.caseworker.email, "password": PASSWORD}
                      ).status_code == 401
    assert fresh.post("/api/auth/login", json={"email": bergen.caseworker.email, "password": NEW_PASSWORD}
                      ).status_code == 200


def test_a_password_change_keeps_api_tokens(app, client, bergen):
    here = logged_in(app, bergen.caseworker.email)
    assert change(here, PASSWORD, NEW_PASSWORD).status_code == 204
    assert client.get(bergen.url("/persons"), headers=bergen.caseworker.headers).status_code == 200


def test_a_wrong_current_password_is_a_422_naming_it_and_changes_nothing(app, bergen):
    here = logged_in(app, bergen.caseworker.email)
    before = password_hashes(app)
    r = change(here, "not my password", NEW_PASSWORD)
    assert r.status_code == 422
    assert list(r.json["fields"]) == ["current_password"]
    assert password_hashes(app) == before


def test_a_weak_new_password_is_a_422_saying_why(app, bergen):
    here = logged_in(app, bergen.caseworker.email)
    r = change(here, PASSWORD, "aaaaaaaaaaaa")
    assert r.status_code == 422
    assert "Repeats" in r.json["fields"]["new_password"][0]
    r = change(here, PASSWORD, PASSWORD)
    assert r.status_code == 422 and "new_password" in r.json["fields"]


def test_changing_the_password_needs_a_session(app, client, bergen):
    assert change(client, PASSWORD, NEW_PASSWORD).status_code == 401
    r = client.post("/api/auth/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
                    headers=bergen.caseworker.headers)
    assert r.status_code == 401  # a bearer token is for scripts, not for changing passwords


def test_the_operator_sets_a_new_password_from_the_cli_and_the_old_sessions_end(app, runner, bergen):
    here = logged_in(app, bergen.caseworker.email)
    result = runner.invoke(args=["user", "password", "--email", bergen.caseworker.email.upper()],
                           input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert NEW_PASSWORD not in result.output
    assert here.get(bergen.url("/persons")).status_code == 401
    fresh = app.test_client()
    assert fresh.post("/api/auth/login", json={"email": bergen.caseworker.email, "password": NEW_PASSWORD}
                      ).status_code == 200


def test_the_cli_refuses_a_weak_new_password(app, runner, bergen):
    result = runner.invoke(args=["user", "password", "--email", bergen.caseworker.email,
                                 "--password", "aaaaaaaaaaaa"])
    assert result.exit_code == 1
    assert "easy to guess" in result.output and '"password"' in result.output
    assert logged_in(app, bergen.caseworker.email)  # the old password still works


def test_a_login_sweeps_out_everyones_timed_out_sessions(app, bergen):
    logged_in(app, bergen.leader.email)
    age_sessions(app, bergen.leader.user_id, last_seen_at=dt.timedelta(hours=1))
    logged_in(app, bergen.caseworker.email)
    assert sessions_of(app, bergen.leader.user_id) == []
    assert len(sessions_of(app, bergen.caseworker.user_id)) == 1
