"""Least privilege on PostgreSQL: connected as the application role, nothing escalates — no
operator flag, no password hash read or written, no municipality rewritten — while logging in,
inviting and changing a password (through the schema owner's SECURITY DEFINER functions) work."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.owner import owner_execute

pytestmark = pytest.mark.postgres

PASSWORD = "correct horse battery"


@pytest.fixture
def as_app_role(app):
    """A connection as the app role (the role the web app and workers use), rolled back after."""
    engine = sa.create_engine(app.config["DATABASE_URL"], poolclass=sa.pool.NullPool)
    connection = engine.connect()
    yield connection
    connection.close()
    engine.dispose()


def refused(connection, sql: str, **params) -> str:
    """The database's refusal of `sql` (the statement runs in a savepoint that is rolled back)."""
    savepoint = connection.begin_nested() if connection.in_transaction() else connection.begin()
    with pytest.raises(sa.exc.ProgrammingError) as error:
        connection.execute(sa.text(sql), params)
    savepoint.rollback()
    return str(error.value.orig)


ESCALATIONS = {
    "make oneself operator": "UPDATE app_user SET is_operator = true",
    "overwrite a password hash": "UPDATE app_user SET password_hash = 'x'",
    "read every password hash": "SELECT password_hash FROM app_user",
    "read all of app_user": "SELECT * FROM app_user",
    "rename a municipality": "UPDATE tenant SET name = 'Hacked'",
    "move a municipality": "UPDATE tenant SET slug = 'hacked', organisation_number = '000000000'",
    "delete a municipality": "DELETE FROM tenant",
    "create an operator": "INSERT INTO app_user (email, name, is_operator, active, created_at) "
                          "VALUES ('evil@example.test', 'Evil', true, true, now())",
    "deactivate or reactivate an account": "UPDATE app_user SET active = true",
    "delete an account": "DELETE FROM app_user",
    "rewrite the login log": "UPDATE login_event SET outcome = 'succeeded'",
    "erase the login log": "DELETE FROM login_event",
}


@pytest.mark.parametrize("statement", ESCALATIONS.values(), ids=ESCALATIONS.keys())
def test_the_app_role_cannot_escalate(as_app_role, bergen, statement):
    assert "permission denied" in refused(as_app_role, statement)


def test_nothing_changed_for_the_owner_either(app, as_app_role, bergen):
    before = owner_execute(app, "select id, is_operator, password_hash from app_user order by id")
    for statement in ESCALATIONS.values():
        refused(as_app_role, statement)
    assert owner_execute(app, "select id, is_operator, password_hash from app_user order by id") == before
    assert owner_execute(app, "select name from tenant") == [("Bergen",)]


def test_the_app_role_reads_what_the_app_needs(as_app_role, bergen):
    row = as_app_role.execute(sa.text("SELECT id, email, name, is_operator, active FROM app_user WHERE email = :e"),
                              {"e": bergen.caseworker.email}).one()
    assert row.name == "caseworker bergen" and row.is_operator is False
    assert as_app_role.scalar(sa.text("SELECT count(*) FROM tenant")) == 1


def test_the_narrow_paths_do_only_their_one_thing(app, as_app_role, bergen):
    (user_id, password_hash, active) = as_app_role.execute(
        sa.text("SELECT * FROM velferd_login_credentials(:e)"), {"e": bergen.caseworker.email.upper()}).one()
    assert user_id == bergen.caseworker.user_id and password_hash.startswith("$argon2") and active
    # a password is set only by whoever knows the current hash (read just now, for a verified login)
    assert as_app_role.scalar(sa.text("SELECT velferd_set_password(:id, 'a guessed hash', 'x')"),
                              {"id": user_id}) is False
    # an account made through the function is never an operator
    new_id = as_app_role.scalar(sa.text("SELECT velferd_create_user('new@bergen.test', 'New', NULL)"))
    as_app_role.commit()
    assert owner_execute(app, "select is_operator from app_user where id = :id", id=new_id) == [(False,)]
    assert owner_execute(app, "select password_hash from app_user where id = :id", id=user_id) == [(password_hash,)]


def test_the_functions_are_not_open_to_every_role(app):
    rows = owner_execute(app, "select p.proname, has_function_privilege('public', p.oid, 'execute') "
                              "from pg_proc p where p.proname like 'velferd\\_%'")
    assert sorted(rows) == [("velferd_bump_tenant_config_version", False), ("velferd_create_user", False),
                            ("velferd_login_credentials", False), ("velferd_set_password", False)]


def test_the_app_works_as_the_app_role(app, client, bergen, alta):
    """Login, an invitation across towns, a password change and creating a tenant by the operator."""
    token = client.post(alta.url("/members"), json={"email": bergen.caseworker.email, "name": "X",
                                                   "roles": ["caseworker"]}, headers=alta.tenant_admin.headers
                        ).json["token"]
    assert client.post("/api/auth/invitations/accept", json={"token": token, "password": PASSWORD}
                       ).status_code == 200
    session = app.test_client()
    assert session.post("/api/auth/login", json={"email": bergen.caseworker.email, "password": PASSWORD}
                        ).status_code == 200
    assert session.post("/api/auth/password", json={"current_password": PASSWORD,
                                                    "new_password": "gulrot kanel fjordbåt"}).status_code == 204
    assert session.get(alta.url("/cases")).status_code == 200
    from velferd import tenants
    from velferd.db import db

    with app.app_context():
        tenants.create_user("op@velferd.test", "Operator", PASSWORD, is_operator=True)
        db.session.commit()
    operator = app.test_client()
    assert operator.post("/api/auth/login", json={"email": "op@velferd.test", "password": PASSWORD}
                         ).status_code == 200
    r = operator.post("/api/operator/tenants", json={"slug": "odense", "name": "Odense Kommune", "country": "DK",
                                                     "organisation_number": "29189919"})
    assert r.status_code == 201, r.json


def test_making_an_operator_without_the_owners_connection_says_what_to_set(database, db_url, example_plugin,
                                                                           tmp_path):
    from tests.databases import running_app
    from velferd import tenants
    from velferd.errors import VelferdError

    with running_app(database, db_url, [example_plugin], tmp_path / "app-role-only",
                     MIGRATION_DATABASE_URL=None) as app, app.app_context():
        with pytest.raises(VelferdError, match="VELFERD_MIGRATION_DATABASE_URL"):
            tenants.create_user("op@velferd.test", "Operator", PASSWORD, is_operator=True)
    assert owner_execute(app, "select count(*) from app_user where email = 'op@velferd.test'") == [(0,)]
