"""PostgreSQL row-level security for tenant-owned tables, and the application role's grants.

Every tenant table gets one policy keyed on the transaction-local setting ``velferd.tenant_id``
(set by ``velferd.tenancy`` at the start of each transaction). ``FORCE`` makes the policy bind
the table owner too, and the app connects as a role that owns nothing and cannot bypass RLS.
An unset or empty setting matches no row: fail closed.

Plugins call `enable_tenant_rls` from their own migrations for each table they add.
"""

from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa

CURRENT_TENANT = "nullif(current_setting('velferd.tenant_id', true), '')::integer"
POLICY = "tenant_isolation"
APPEND_ONLY_TABLES = ("audit_event", "operator_audit_event", "login_event")

#: Tables the app role may not change freely (anything else: SELECT, INSERT, UPDATE, DELETE).
#: ``tenant``: the operator creates municipalities at run time, nothing edits them. ``app_user``:
#: every column but the password hash is readable; rows are created, and passwords set, only
#: through the SECURITY DEFINER functions of migration 0004 (so no ``is_operator``, no hash).
RESTRICTED_TABLES = {
    "tenant": ["SELECT, INSERT"],
    "app_user": ["SELECT (id, email, name, is_operator, active, created_at)"],
}
#: The narrow paths into the identity tables (defined by the migrations, owned by the schema owner).
IDENTITY_FUNCTION_PREFIX = "velferd\\_%"


def enable_tenant_rls_sql(table: str) -> list[str]:
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY {POLICY} ON {table} USING (tenant_id = {CURRENT_TENANT}) "
        f"WITH CHECK (tenant_id = {CURRENT_TENANT})",
    ]


def enable_tenant_rls(op, table: str) -> None:
    """Call from a migration's upgrade() after creating a tenant-owned table (no-op off PostgreSQL)."""
    if op.get_bind().dialect.name == "postgresql":
        for statement in enable_tenant_rls_sql(table):
            op.execute(statement)


def grant_app_role(connection: sa.Connection, role: str, append_only: Iterable[str] = APPEND_ONLY_TABLES) -> None:
    """Give the application role what it needs and no more; run after every migration (plugins'
    tables get the default rights, so their migrations need not call this).

    Skipped when the role does not exist (the embedded demo, or a cluster where the operator
    grants by hand)."""
    if connection.dialect.name != "postgresql":
        return
    if not connection.scalar(sa.text("select 1 from pg_roles where rolname = :r"), {"r": role}):
        return
    quoted = connection.dialect.identifier_preparer.quote(role)
    connection.execute(sa.text(f"GRANT USAGE ON SCHEMA public TO {quoted}"))
    connection.execute(sa.text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}"))
    connection.execute(sa.text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}"))
    connection.execute(sa.text(f"REVOKE ALL ON alembic_version FROM {quoted}"))
    # read-only, so the web app, worker and /readyz can tell a schema behind this version (schema_state)
    connection.execute(sa.text(f"GRANT SELECT ON alembic_version TO {quoted}"))
    for table in append_only:
        if _table_exists(connection, table):
            connection.execute(sa.text(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {quoted}"))
    for table, grants in RESTRICTED_TABLES.items():
        connection.execute(sa.text(f"REVOKE ALL ON {table} FROM {quoted}"))
        for grant in grants:
            connection.execute(sa.text(f"GRANT {grant} ON {table} TO {quoted}"))
    for signature in connection.scalars(sa.text(
        "select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace "
        "where n.nspname = 'public' and p.proname like :prefix"
    ), {"prefix": IDENTITY_FUNCTION_PREFIX}):
        connection.execute(sa.text(f"GRANT EXECUTE ON FUNCTION {signature} TO {quoted}"))


def _table_exists(connection: sa.Connection, table: str) -> bool:
    return connection.scalar(sa.text("select to_regclass(:t) is not null"), {"t": f"public.{table}"})
