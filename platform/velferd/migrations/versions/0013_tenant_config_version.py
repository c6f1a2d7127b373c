"""A counter on each tenant that moves whenever its plugin configuration may have changed.

Web processes keep a tenant's enabled plugins and their settings in memory (velferd.plugin_config)
instead of reading them on every request. Each request reads this counter in the query it makes
anyway (the caller's token or membership, velferd.auth), and a process whose copy was made at an
older value reads the configuration again — so an admin's change is seen by the next request in
every process, with no extra round trip and no message bus.

Triggers, not application code, move the counter: any write to ``tenant_plugin`` (a plugin
switched on or off, its settings changed, by the API, a page, a command or by hand) bumps its
tenant's counter, and any write to ``plugin_block`` (the operator withdrawing a plugin) bumps
every tenant's. On PostgreSQL the trigger function is SECURITY DEFINER, owned by the schema owner,
so the application role still may not update ``tenant`` rows itself.

Revision ID: 0013_tenant_config_version
Revises: 0012_job_request_id
Create Date: 2026-12-03 08:40:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_tenant_config_version'
down_revision = '0012_job_request_id'
branch_labels = None
depends_on = None

BUMP_FUNCTION = "velferd_bump_tenant_config_version"
SQLITE_TRIGGERS = {
    # name: (table, event, the tenant rows to bump)
    "tenant_plugin_config_insert": ("tenant_plugin", "INSERT", "WHERE id = NEW.tenant_id"),
    "tenant_plugin_config_update": ("tenant_plugin", "UPDATE", "WHERE id IN (OLD.tenant_id, NEW.tenant_id)"),
    "tenant_plugin_config_delete": ("tenant_plugin", "DELETE", "WHERE id = OLD.tenant_id"),
    "plugin_block_config_insert": ("plugin_block", "INSERT", ""),
    "plugin_block_config_update": ("plugin_block", "UPDATE", ""),
    "plugin_block_config_delete": ("plugin_block", "DELETE", ""),
}


def upgrade() -> None:
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('config_version', sa.Integer(), server_default='0', nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION {BUMP_FUNCTION}() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
            BEGIN
                IF TG_TABLE_NAME = 'plugin_block' THEN
                    UPDATE tenant SET config_version = config_version + 1;
                ELSIF TG_OP = 'DELETE' THEN
                    UPDATE tenant SET config_version = config_version + 1 WHERE id = OLD.tenant_id;
                ELSE
                    UPDATE tenant SET config_version = config_version + 1 WHERE id = NEW.tenant_id;
                END IF;
                RETURN NULL;
            END $$""")
        op.execute(f"REVOKE ALL ON FUNCTION {BUMP_FUNCTION}() FROM PUBLIC")  # called by its triggers only
        op.execute(f"CREATE TRIGGER tenant_plugin_config_version AFTER INSERT OR UPDATE OR DELETE ON tenant_plugin "
                   f"FOR EACH ROW EXECUTE FUNCTION {BUMP_FUNCTION}()")
        op.execute(f"CREATE TRIGGER plugin_block_config_version AFTER INSERT OR UPDATE OR DELETE ON plugin_block "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {BUMP_FUNCTION}()")
    else:
        for name, (table, event, which) in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN "
                       f"UPDATE tenant SET config_version = config_version + 1 {which}; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS tenant_plugin_config_version ON tenant_plugin")
        op.execute("DROP TRIGGER IF EXISTS plugin_block_config_version ON plugin_block")
        op.execute(f"DROP FUNCTION IF EXISTS {BUMP_FUNCTION}()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.drop_column('config_version')
