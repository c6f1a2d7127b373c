"""Accounts across municipalities: a tenant admin invites, never sets or learns anything about an
account that exists elsewhere; invitations are single-use, expiring and stored as hashes; every
password set anywhere is checked for strength."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import sqlalchemy as sa

from tests.owner import owner_execute
from velferd.db import db
from velferd.models import Invitation, Membership
from velferd.tenancy import tenant_scope

PASSWORD = "correct horse battery"  # what tests.helpers gives every staff member
NEW_PASSWORD = "gulrot kanel fjordbåt"


def invite(client, town, email: str, name: str = "Invited Person", roles=("caseworker",)):
    return client.post(town.url("/members"), json={"email": email, "name": name, "roles": list(roles)},
                       headers=town.tenant_admin.headers)


def accept(client, token: str, password: str):
    return client.post("/api/auth/invitations/accept", json={"token": token, "password": password})


def login(client, email: str, password: str):
    return client.post("/api/auth/login", json={"email": email, "password": password})


def members_of(client, town) -> dict[str, list[str]]:
    r = client.get(town.url("/members"), headers=town.tenant_admin.headers)
    return {m["user"]["email"]: m["roles"] for m in r.json}


# --- the takeover of the issue ----------------------------------------------------------------

def test_the_takeover_of_the_issue_gives_alta_nothing_of_bergen(app, client, bergen, alta):
    """Alta's admin "creates" new@bergen.no first, with a password only Alta knows (by accepting
    Alta's own invitation, whose token the admin holds). When Bergen later adds that e-mail,
    Bergen's invitation can only be accepted with that account's password, so it is not: Alta's
    admin, logged in as new@bergen.no, still cannot read Bergen's citizens."""
    r = client.post(alta.url("/members"), json={"email": "new@bergen.no", "name": "New", "roles": ["caseworker"],
                                               "password": "alta knows this one"}, headers=alta.tenant_admin.headers)
    assert r.status_code == 422 and "password" in r.json["fields"]  # an admin never sets a password
    alta_token = invite(client, alta, "new@bergen.no").json["token"]
    assert accept(client, alta_token, "alta knows this one").status_code == 200  # the squatted account
    bergen_token = invite(client, bergen, "new@bergen.no", name="New Bergen Employee").json["token"]
    assert accept(client, bergen_token, NEW_PASSWORD).status_code == 401  # the employee's own password: no
    alta_admin = app.test_client()
    assert login(alta_admin, "new@bergen.no", "alta knows this one").status_code == 200
    assert alta_admin.get(bergen.url("/persons")).status_code == 403
    assert "new@bergen.no" not in members_of(client, bergen)


def test_inviting_an_email_that_has_an_account_elsewhere_answers_like_a_new_one(client, bergen, alta):
    known = invite(client, alta, bergen.caseworker.email, name="Guess")
    unknown = invite(client, alta, "nobody-yet@bergen.test", name="Guess")
    assert known.status_code == unknown.status_code == 201
    assert set(known.json) == set(unknown.json) == {"id", "email", "name", "roles", "expires_at", "token"}
    assert known.json["name"] == unknown.json["name"] == "Guess"  # what the admin typed, not the account's name
    assert "caseworker bergen" not in known.get_data(as_text=True)
    assert set(known.headers.keys()) == set(unknown.headers.keys())
    assert bergen.caseworker.email not in members_of(client, alta)  # nothing until the person accepts


def test_accepting_with_the_accounts_own_password_adds_the_membership_and_keeps_the_account(
        app, client, bergen, alta):
    token = invite(client, alta, bergen.caseworker.email, name="Renamed By Alta", roles=["leader"]).json["token"]
    r = accept(client, token, PASSWORD)
    assert r.status_code == 200, r.json
    assert r.json["tenant"] == "alta" and r.json["roles"] == ["leader"]
    assert r.json["user"]["name"] == "caseworker bergen"  # the invitation renames nobody
    assert members_of(client, alta)[bergen.caseworker.email] == ["leader"]
    session = app.test_client()
    assert login(session, bergen.caseworker.email, PASSWORD).status_code == 200
    assert session.get(alta.url("/cases")).status_code == 200
    assert session.get(bergen.url("/persons")).status_code == 200


def test_a_new_account_gets_the_invitations_name_and_the_password_given(app, client, bergen):
    r = invite(client, bergen, "Kari.Nordmann@Bergen.test", name="Kari Nordmann")
    assert r.json["email"] == "kari.nordmann@bergen.test"
    r = accept(client, r.json["token"], NEW_PASSWORD)
    assert r.status_code == 200, r.json
    assert r.json["user"] == {"id": r.json["user"]["id"], "email": "kari.nordmann@bergen.test",
                              "name": "Kari Nordmann", "is_operator": False}
    session = app.test_client()
    assert login(session, "kari.nordmann@bergen.test", NEW_PASSWORD).status_code == 200
    assert session.get(bergen.url("/persons")).status_code == 200


def test_an_invitation_is_single_use(client, bergen):
    token = invite(client, bergen, "once@bergen.test").json["token"]
    assert accept(client, token, NEW_PASSWORD).status_code == 200
    r = accept(client, token, NEW_PASSWORD)
    assert r.status_code == 404
    assert r.json["message"] == "the invitation is unknown, already used or expired"


def test_an_expired_invitation_is_refused(app, client, bergen):
    r = invite(client, bergen, "late@bergen.test")
    with app.app_context(), tenant_scope(bergen.tenant):
        db.session.get(Invitation, r.json["id"]).expires_at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        db.session.commit()
    assert accept(client, r.json["token"], NEW_PASSWORD).status_code == 404
    assert "late@bergen.test" not in members_of(client, bergen)


def test_an_invitation_lasts_the_configured_days(client, bergen):
    expires = dt.datetime.fromisoformat(invite(client, bergen, "week@bergen.test").json["expires_at"])
    assert abs(expires - (dt.datetime.now(dt.UTC) + dt.timedelta(days=7))) < dt.timedelta(minutes=1)


@pytest.mark.parametrize("token", ["vi.bergen.not-a-real-secret", "vi.nowhere.secret", "garbage", "vf.bergen.x"])
def test_an_unknown_or_malformed_token_is_the_same_404(client, bergen, token):
    r = accept(client, token, NEW_PASSWORD)
    assert r.status_code == 404
    assert r.json["message"] == "the invitation is unknown, already used or expired"


def test_a_token_of_one_town_cannot_be_replayed_against_another(client, bergen, alta):
    token = invite(client, bergen, "moving@bergen.test").json["token"]
    forged = "vi.alta." + token.split(".", 2)[2]
    assert accept(client, forged, NEW_PASSWORD).status_code == 404
    assert accept(client, token, NEW_PASSWORD).status_code == 200


def test_only_the_hash_of_the_token_is_stored(app, client, bergen):
    r = invite(client, bergen, "hashed@bergen.test")
    secret = r.json["token"].split(".", 2)[2]
    rows = owner_execute(app, "select * from invitation where id = :id", id=r.json["id"])
    assert not any(secret in str(value) for value in rows[0])
    assert hashlib.sha256(secret.encode()).hexdigest() in rows[0]


def test_a_new_invitation_replaces_the_pending_one(client, bergen):
    first = invite(client, bergen, "twice@bergen.test").json["token"]
    second = invite(client, bergen, "twice@bergen.test", roles=["leader"]).json["token"]
    assert accept(client, first, NEW_PASSWORD).status_code == 404
    assert accept(client, second, NEW_PASSWORD).json["roles"] == ["leader"]


def test_the_admin_lists_pending_invitations_without_tokens(client, bergen):
    invite(client, bergen, "pending@bergen.test")
    r = client.get(bergen.url("/members/invitations"), headers=bergen.tenant_admin.headers)
    assert r.status_code == 200
    assert [i["email"] for i in r.json] == ["pending@bergen.test"]
    assert "token" not in r.json[0]


def test_the_admin_changes_a_members_roles(client, bergen):
    (membership,) = [m for m in client.get(bergen.url("/members"), headers=bergen.tenant_admin.headers).json
                     if m["user"]["email"] == bergen.caseworker.email]
    r = client.put(bergen.url(f"/members/{membership['id']}"), json={"roles": ["leader", "caseworker"]},
                   headers=bergen.tenant_admin.headers)
    assert r.status_code == 200, r.json
    assert r.json["roles"] == ["caseworker", "leader"]


def test_inviting_with_an_unknown_role_is_a_422_and_stores_nothing(app, client, bergen):
    r = invite(client, bergen, "king@bergen.test", roles=["king"])
    assert r.status_code == 422 and "roles" in r.json["fields"]
    with app.app_context(), tenant_scope(bergen.tenant):
        assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def test_accept_and_invite_audit_who_did_it(app, client, bergen):
    r = invite(client, bergen, "audited@bergen.test")
    accepted = accept(client, r.json["token"], NEW_PASSWORD).json
    actions = [(e["action"], e["actor_id"]) for e in
               client.get(bergen.url("/audit"), headers=bergen.auditor.headers).json]
    assert ("member.invited", bergen.tenant_admin.user_id) in actions
    assert ("invitation.accepted", accepted["user"]["id"]) in actions
    with app.app_context(), tenant_scope(bergen.tenant):
        assert db.session.scalar(sa.select(Membership).where(
            Membership.user_id == accepted["user"]["id"])).roles == ["caseworker"]


# --- password strength, wherever a password is set ---------------------------------------------

@pytest.mark.parametrize("weak, reason", [
    ("aaaaaaaaaaaa", "Repeats like \"aaa\" are easy to guess."),
    ("password1234", "This is a very common password."),
    ("qwertyuiopas", "similar to a commonly used password"),
    ("short", "at least 12 characters"),
])
def test_accepting_with_a_weak_password_is_a_422_saying_why(app, client, bergen, weak, reason):
    token = invite(client, bergen, "weak@bergen.test").json["token"]
    r = accept(client, token, weak)
    assert r.status_code == 422, r.json
    assert reason.lower() in " ".join(r.json["fields"]["password"]).lower()
    assert "weak@bergen.test" not in members_of(client, bergen)
    assert accept(client, token, NEW_PASSWORD).status_code == 200  # nothing was used up


def test_a_password_made_of_the_name_and_email_is_refused(client, bergen):
    token = invite(client, bergen, "ingrid.haugland@bergen.test", name="Ingrid Haugland").json["token"]
    r = accept(client, token, "ingridhaugland")
    assert r.status_code == 422
    assert "password" in r.json["fields"]


def test_the_cli_refuses_a_weak_password_naming_the_field(app, runner, bergen):
    result = runner.invoke(args=["user", "create", "--email", "cli@bergen.test", "--name", "Cli",
                                 "--password", "aaaaaaaaaaaa", "--tenant", "bergen"])
    assert result.exit_code == 1
    assert "password" in result.output and "easy to guess" in result.output
    result = runner.invoke(args=["user", "create", "--email", "cli@bergen.test", "--name", "Cli",
                                 "--password", NEW_PASSWORD, "--tenant", "bergen"])
    assert result.exit_code == 0, result.output
    assert login(app.test_client(), "cli@bergen.test", NEW_PASSWORD).status_code == 200


def test_a_new_invitation_replaces_only_this_towns_pending_one(client, bergen, alta):
    at_alta = invite(client, alta, "both@example.test").json["token"]
    invite(client, bergen, "both@example.test")
    assert accept(client, at_alta, NEW_PASSWORD).status_code == 200
