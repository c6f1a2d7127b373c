"""Guessing passwords: failed logins are limited per account and per client address (429 with
Retry-After; in Redis when configured, shared by every app process), every attempt is logged,
and a login costs one argon2 verify whether or not the account exists."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from tests.conftest import REDIS_URL
from tests.databases import running_app
from tests.owner import deactivate
from velferd import tenants
from velferd.db import db
from velferd.models import LoginEvent

PASSWORD = "correct horse battery"
PER_ACCOUNT = 10  # the default VELFERD_LOGIN_LIMIT_PER_ACCOUNT: 10 per 15 minutes


def login(client, email: str, password: str, address: str = "192.0.2.10"):
    return client.post("/api/auth/login", json={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def assert_throttled(response):
    assert response.status_code == 429, response.json
    assert response.json["status"] == 429 and "too many failed attempts" in response.json["message"]
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60


def login_events(app) -> list[tuple[str, str, int | None]]:
    with app.app_context():
        return [(e.email, e.outcome, e.user_id) for e in db.session.scalars(sa.select(LoginEvent).order_by(LoginEvent.id))]


def test_an_account_is_locked_after_ten_failures_even_for_the_right_password(app, client, bergen):
    for attempt in range(PER_ACCOUNT):
        address = f"192.0.2.{attempt}"  # from ten addresses: the account's own count stops it
        assert login(client, bergen.caseworker.email, f"guess {attempt}", address).status_code == 401
    assert_throttled(login(client, bergen.caseworker.email, PASSWORD, "198.51.100.1"))
    assert login(client, bergen.leader.email, PASSWORD, "192.0.2.1").status_code == 200  # others are not locked


def test_successful_logins_do_not_count(app, client, bergen):
    for _ in range(PER_ACCOUNT + 2):
        assert login(client, bergen.caseworker.email, PASSWORD).status_code == 200


def test_the_account_count_ignores_the_case_of_the_email(app, client, bergen):
    for attempt in range(PER_ACCOUNT):
        email = bergen.caseworker.email.upper() if attempt % 2 else bergen.caseworker.email
        login(client, email, "wrong", f"192.0.2.{attempt}")
    assert_throttled(login(client, bergen.caseworker.email, PASSWORD))


@pytest.fixture
def strict_app(database, db_url, example_plugin, tmp_path):
    with running_app(database, db_url, [example_plugin], tmp_path / "strict",
                     LOGIN_LIMIT_PER_ADDRESS="3 per 15 minutes") as app:
        yield app


def test_an_address_is_blocked_after_its_failures_whatever_the_accounts(strict_app):
    client = strict_app.test_client()
    for attempt in range(3):
        assert login(client, f"nobody{attempt}@bergen.test", "wrong", "203.0.113.7").status_code == 401
    assert_throttled(login(client, "someone-else@bergen.test", "wrong", "203.0.113.7"))
    assert login(client, "someone-else@bergen.test", "wrong", "203.0.113.8").status_code == 401


def test_a_bad_limit_setting_names_the_variable(database, db_url, example_plugin, tmp_path):
    from velferd.config import ConfigurationError

    with pytest.raises(ConfigurationError, match="VELFERD_LOGIN_LIMIT_PER_ACCOUNT"):
        with running_app(database, db_url, [example_plugin], tmp_path / "bad", LOGIN_LIMIT_PER_ACCOUNT="lots"):
            pass


def test_every_attempt_is_logged_without_the_password(app, client, bergen):
    deactivate_me = bergen.coordinator
    login(client, bergen.caseworker.email, PASSWORD)
    login(client, bergen.caseworker.email, "Wrong Secret 1")
    login(client, "Nobody@Bergen.test", "Wrong Secret 2")
    deactivate(app, deactivate_me.user_id)
    login(client, deactivate_me.email, PASSWORD)
    assert login_events(app) == [
        (bergen.caseworker.email, "succeeded", bergen.caseworker.user_id),
        (bergen.caseworker.email, "wrong_password", bergen.caseworker.user_id),
        ("nobody@bergen.test", "unknown_account", None),
        (deactivate_me.email, "inactive_account", deactivate_me.user_id),
    ]
    with app.app_context():
        rows = db.session.execute(sa.text("select * from login_event")).all()
    assert all(row.remote_addr == "192.0.2.10" for row in rows)
    assert not any(secret in str(row) for row in rows for secret in (PASSWORD, "Wrong Secret"))


def test_a_throttled_attempt_is_logged_as_such(app, client, bergen):
    for attempt in range(PER_ACCOUNT + 1):
        login(client, bergen.caseworker.email, "wrong", f"192.0.2.{attempt}")
    assert login_events(app)[-1] == (bergen.caseworker.email, "throttled", None)


def test_accepting_an_invitation_for_an_existing_account_is_throttled_like_a_login(client, bergen, alta):
    token = client.post(alta.url("/members"), json={"email": bergen.caseworker.email, "name": "X",
                                                   "roles": ["caseworker"]}, headers=alta.tenant_admin.headers
                        ).json["token"]
    for attempt in range(PER_ACCOUNT):
        r = client.post("/api/auth/invitations/accept", json={"token": token, "password": f"guess {attempt}"})
        assert r.status_code == 401
    assert_throttled(client.post("/api/auth/invitations/accept", json={"token": token, "password": PASSWORD}))
    assert_throttled(login(client, bergen.caseworker.email, PASSWORD))  # the same account's count


def test_guessing_the_current_password_on_a_session_is_throttled(app, bergen):
    client = app.test_client()
    assert login(client, bergen.caseworker.email, PASSWORD).status_code == 200
    for attempt in range(PER_ACCOUNT):
        r = client.post("/api/auth/password", json={"current_password": f"guess {attempt}",
                                                    "new_password": "gulrot kanel fjordbåt"})
        assert r.status_code == 422
    assert_throttled(client.post("/api/auth/password", json={"current_password": PASSWORD,
                                                             "new_password": "gulrot kanel fjordbåt"}))


@pytest.mark.redis
def test_two_app_processes_sharing_redis_share_the_count(database, db_url, example_plugin, tmp_path, bergen):
    prefix = f"velferd-test:{uuid.uuid4().hex}:"
    config = {"REDIS_URL": REDIS_URL, "LOGIN_THROTTLE_KEY_PREFIX": prefix}
    with running_app(database, db_url, [example_plugin], tmp_path / "one", **config) as one, \
            running_app(database, db_url, [example_plugin], tmp_path / "two", **config) as two:
        for attempt in range(PER_ACCOUNT):
            app = (one, two)[attempt % 2]
            assert login(app.test_client(), bergen.caseworker.email, "wrong", f"192.0.2.{attempt}").status_code == 401
        assert_throttled(login(one.test_client(), bergen.caseworker.email, PASSWORD))
        assert_throttled(login(two.test_client(), bergen.caseworker.email, PASSWORD))
    import redis

    keys = redis.Redis.from_url(REDIS_URL).keys(f"*{prefix}*")
    assert keys and not any(bergen.caseworker.email.encode() in key for key in keys)  # hashed, not the e-mail


# --- one argon2 verify per login, whoever logs in ------------------------------------------------

@pytest.fixture
def argon2_calls(monkeypatch):
    """Count the real argon2 operations (the real ones still run)."""
    calls = {"hash": 0, "verify": 0}
    for name in calls:
        real = getattr(PasswordHasher, name)

        def counted(self, *args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(PasswordHasher, name, counted)
    return calls


def test_every_login_costs_exactly_one_argon2_verify(app, client, bergen, argon2_calls):
    with app.app_context():
        tenants.create_user("no-password@bergen.test", "No Password")
        db.session.commit()
    deactivate(app, bergen.coordinator.user_id)
    attempts = {
        "known, right password": (bergen.caseworker.email, PASSWORD),
        "known, wrong password": (bergen.leader.email, "not the password"),
        "unknown e-mail": ("nobody@bergen.test", PASSWORD),
        "inactive account": (bergen.coordinator.email, PASSWORD),
        "account without a password": ("no-password@bergen.test", PASSWORD),
    }
    costs = {}
    for case, (email, password) in attempts.items():
        before = dict(argon2_calls)
        login(client, email, password)
        costs[case] = {name: argon2_calls[name] - before[name] for name in argon2_calls}
    assert costs == {case: {"hash": 0, "verify": 1} for case in attempts}


def test_the_operator_reads_the_login_log_and_nobody_else(app, client, bergen):
    with app.app_context():
        tenants.create_user("op@velferd.test", "Operator", PASSWORD, is_operator=True)
        db.session.commit()
    login(client, bergen.caseworker.email, "wrong")
    operator = app.test_client()
    assert login(operator, "op@velferd.test", PASSWORD).status_code == 200
    r = operator.get("/api/operator/login-events", query_string={"email": bergen.caseworker.email.upper()})
    assert r.status_code == 200, r.json
    assert [(e["email"], e["outcome"]) for e in r.json] == [(bergen.caseworker.email, "wrong_password")]
    assert [e["outcome"] for e in operator.get("/api/operator/login-events").json] == ["succeeded", "wrong_password"]
    staff = app.test_client()
    login(staff, bergen.tenant_admin.email, PASSWORD)
    assert staff.get("/api/operator/login-events").status_code == 403
