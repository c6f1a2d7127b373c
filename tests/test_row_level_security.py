"""PostgreSQL keeps municipalities apart even where the application forgets to.

Every table with a ``tenant_id`` forces a row-level-security policy keyed on the transaction-local
setting ``velferd.tenant_id``; the application connects as a role that owns nothing, cannot bypass
the policies and may only append to the audit trail. These tests speak SQL to the database
directly, as its owner and as the application role, with two municipalities seeded through the API.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from tests.databases import restore_snapshot, seeded_once
from tests.helpers import populated_municipality
from tests.plugins.example import ExamplePlugin
from velferd.rls import APPEND_ONLY_TABLES
from velferd.tenancy import RLS_SETTING

pytestmark = pytest.mark.postgres


@pytest.fixture
def owner(database):
    """The schema owner (a superuser here, so it sees every row: the yardstick)."""
    engine = sa.create_engine(database.owner_url)
    yield engine
    engine.dispose()


@pytest.fixture
def app_role(database):
    """The role the application connects as."""
    engine = sa.create_engine(database.app_url)
    yield engine
    engine.dispose()


def seed_both_towns(app, client) -> tuple[int, int]:
    """Bergen and Alta, each with rows in every tenant table; returns their tenant ids."""
    bergen, _ = populated_municipality(app, client, "bergen")
    alta, _ = populated_municipality(app, client, "alta")
    return bergen.tenant.id, alta.tenant.id


seeded_towns = seeded_once(seed_both_towns, ExamplePlugin)  # seeded once for the module


@pytest.fixture
def seeded(app, seeded_towns) -> tuple[int, int]:
    """Bergen and Alta (`seed_both_towns`) in this test's own database; their tenant ids."""
    snapshot, tenant_ids = seeded_towns
    restore_snapshot(snapshot, app)
    return tenant_ids


def tenant_tables(owner) -> list[str]:
    with owner.connect() as conn:
        return conn.scalars(sa.text(
            "select table_name from information_schema.columns "
            "where table_schema = 'public' and column_name = 'tenant_id' order by table_name"
        )).all()


def columns(owner, table: str) -> list[str]:
    with owner.connect() as conn:
        return conn.scalars(sa.text(
            "select column_name from information_schema.columns "
            "where table_schema = 'public' and table_name = :t order by ordinal_position"
        ), {"t": table}).all()


def set_tenant(conn, tenant_id) -> None:
    """What the application does at the start of every transaction."""
    conn.execute(sa.text("select set_config(:name, :value, true)"), {"name": RLS_SETTING, "value": str(tenant_id)})


def count(conn, table: str, where: str = "true") -> int:
    return conn.scalar(sa.text(f"select count(*) from {table} where {where}"))


def counts(engine, tables, tenant_id=None) -> dict[str, int]:
    with engine.connect() as conn:
        if tenant_id is not None:
            set_tenant(conn, tenant_id)
        return {table: count(conn, table) for table in tables}


def refusal(engine, sql: str, tenant_id) -> str:
    """Run `sql` as `tenant_id` in a transaction of its own, always rolled back; the database's
    refusal, or ``"accepted: <sql>"``."""
    with engine.connect() as conn:
        set_tenant(conn, tenant_id)
        try:
            conn.execute(sa.text(sql))
        except DBAPIError as error:
            return str(error.orig)
        finally:
            conn.rollback()
    return f"accepted: {sql}"


# --- the schema -------------------------------------------------------------------------------

def test_every_tenant_table_forces_a_policy_on_the_tenant_setting(owner):
    tables = tenant_tables(owner)
    assert {"person", "case_file", "decision", "audit_event"} <= set(tables)
    with owner.connect() as conn:
        flags = {row.relname: row for row in conn.execute(sa.text(
            "select c.relname, c.relrowsecurity, c.relforcerowsecurity from pg_class c "
            "join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'"))}
        policies = conn.execute(sa.text(
            "select tablename, policyname, permissive, cmd, qual, with_check from pg_policies "
            "where schemaname = 'public'")).all()

    def keyed(expression) -> bool:
        return expression is not None and "velferd.tenant_id" in expression

    problems = []
    for table in tables:
        if not flags[table].relrowsecurity:
            problems.append(f"{table}: row-level security is not enabled")
        if not flags[table].relforcerowsecurity:
            problems.append(f"{table}: row-level security is not forced (the table owner bypasses it)")
        own = [p for p in policies if p.tablename == table]
        if not any(p.cmd == "ALL" and keyed(p.qual) and keyed(p.with_check) for p in own):
            problems.append(f"{table}: no policy for all commands with USING and WITH CHECK on velferd.tenant_id")
        for p in own:
            loose = [e for e in (p.qual, p.with_check) if e is not None and not keyed(e)]
            if p.permissive == "PERMISSIVE" and loose:
                problems.append(f"{table}: policy {p.policyname} lets rows through regardless of tenant: {loose}")
    assert problems == []


def test_the_app_role_owns_nothing_and_cannot_bypass_row_level_security(database, owner):
    role = make_url(database.app_url).username
    with owner.connect() as conn:
        attributes = conn.execute(sa.text("select rolsuper, rolbypassrls from pg_roles where rolname = :r"),
                                  {"r": role}).one()
        owned = conn.scalars(sa.text(
            "select relname from pg_class where relowner = (select oid from pg_roles where rolname = :r) "
            "union all select nspname from pg_namespace where nspowner = (select oid from pg_roles where rolname = :r)"
        ), {"r": role}).all()
        owners = conn.scalars(sa.text("select distinct tableowner from pg_tables where schemaname = 'public'")).all()
        member_of_an_owner = [o for o in owners
                              if conn.scalar(sa.text("select pg_has_role(:r, :o, 'MEMBER')"), {"r": role, "o": o})]
    assert (attributes.rolsuper, attributes.rolbypassrls) == (False, False)
    assert owned == []
    assert member_of_an_owner == []


# --- reading ----------------------------------------------------------------------------------

@pytest.mark.parametrize("setting", [None, ""], ids=["never set", "set empty"])
def test_without_a_tenant_the_app_role_sees_no_rows(seeded, owner, app_role, setting):
    tables = tenant_tables(owner)
    with owner.connect() as conn:
        towns_per_table = {table: conn.scalar(sa.text(f"select count(distinct tenant_id) from {table}"))
                           for table in tables}
    assert towns_per_table == dict.fromkeys(tables, 2), "seed both towns with rows in every tenant table"

    assert counts(app_role, tables, setting) == dict.fromkeys(tables, 0)


def test_with_a_tenant_set_only_its_rows_are_visible(seeded, owner, app_role):
    tables = tenant_tables(owner)
    for tenant_id in seeded:
        with app_role.connect() as conn:
            set_tenant(conn, tenant_id)
            visible = {table: set(conn.scalars(sa.text(f"select distinct tenant_id from {table}")))
                       for table in tables}
        assert visible == dict.fromkeys(tables, {tenant_id})


def test_the_tenant_setting_ends_with_the_transaction(seeded, app_role):
    bergen, _ = seeded
    with app_role.connect() as conn:
        session = conn.scalar(sa.text("select pg_backend_pid()"))
        set_tenant(conn, bergen)
        assert count(conn, "person") > 0
        conn.commit()

        assert conn.scalar(sa.text("select pg_backend_pid()")) == session
        assert conn.scalar(sa.text(f"select current_setting('{RLS_SETTING}', true)")) in (None, "")
        assert count(conn, "person") == 0
        conn.rollback()

        set_tenant(conn, bergen)
        conn.rollback()
        assert count(conn, "person") == 0


# --- writing ----------------------------------------------------------------------------------

def test_a_row_for_another_tenant_cannot_be_inserted(seeded, owner, app_role):
    bergen, alta = seeded
    refusals = {}
    for table in tenant_tables(owner):
        names = [f'"{c}"' for c in columns(owner, table) if c != "id"]
        values = [str(alta) if c == '"tenant_id"' else c for c in names]
        copy_one_of_bergens = f"insert into {table} ({', '.join(names)}) select {', '.join(values)} from {table} limit 1"
        refusals[table] = refusal(app_role, copy_one_of_bergens, bergen)
    assert {t: m for t, m in refusals.items() if "row-level security" not in m} == {}


def test_a_row_cannot_be_moved_to_another_tenant(seeded, owner, app_role):
    bergen, alta = seeded
    tables = [t for t in tenant_tables(owner) if t not in APPEND_ONLY_TABLES]
    refusals = {table: refusal(app_role, f"update {table} set tenant_id = {alta} "
                                         f"where id = (select min(id) from {table})", bergen)
                for table in tables}
    assert {t: m for t, m in refusals.items() if "row-level security" not in m} == {}


def test_another_tenants_rows_are_out_of_reach_of_update_and_delete(seeded, owner, app_role):
    bergen, alta = seeded
    tables = [t for t in tenant_tables(owner) if t not in APPEND_ONLY_TABLES]
    before = counts(owner, tables)
    with app_role.connect() as conn:
        set_tenant(conn, bergen)
        touched = {}
        for table in tables:
            touched[table] = (conn.execute(sa.text(f"update {table} set tenant_id = tenant_id where tenant_id = {alta}"))
                              .rowcount, conn.execute(sa.text(f"delete from {table} where tenant_id = {alta}")).rowcount)
        conn.commit()
    assert touched == dict.fromkeys(tables, (0, 0))
    assert counts(owner, tables) == before


@pytest.mark.parametrize("statement", ["update {table} set id = id", "delete from {table}",
                                       "truncate {table}"], ids=["update", "delete", "truncate"])
@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_the_app_role_cannot_change_or_delete_audit_rows(seeded, owner, app_role, table, statement):
    bergen, _ = seeded
    before = counts(owner, [table])
    if table == "audit_event":
        assert counts(app_role, [table], bergen)[table] > 0, "the rows are visible: only the privilege is missing"

    assert f"permission denied for table {table}" in refusal(app_role, statement.format(table=table), bergen)
    assert counts(owner, [table]) == before
