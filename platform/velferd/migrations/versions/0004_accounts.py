"""Accounts: invitations (a tenant admin never sets anything on an existing account), server-side
sessions, the global login log, and on PostgreSQL the narrow SECURITY DEFINER paths through which
the application role reaches the identity columns it may not read or write directly.

Revision ID: 0004_accounts
Revises: 0003_billing
Create Date: 2026-12-01 21:10:00.000000
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from velferd.rls import enable_tenant_rls

JSON = sa.JSON().with_variant(JSONB(), "postgresql")

revision = '0004_accounts'
down_revision = '0003_billing'
branch_labels = None
depends_on = None

#: Owned by the schema owner, run with its rights, callable by the app role only (granted in
#: velferd.rls.grant_app_role). Each does one thing the app role cannot do with its own grants.
FUNCTIONS = {
    "velferd_login_credentials(text)": """
        CREATE FUNCTION velferd_login_credentials(p_email text)
        RETURNS TABLE (user_id integer, password_hash text, active boolean)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
        AS $$ SELECT id, password_hash, active FROM app_user WHERE email = lower(p_email) $$
    """,
    "velferd_create_user(text, text, text)": """
        CREATE FUNCTION velferd_create_user(p_email text, p_name text, p_password_hash text)
        RETURNS integer
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
        AS $$ INSERT INTO app_user (email, name, password_hash, is_operator, active, created_at)
              VALUES (lower(p_email), p_name, p_password_hash, false, true, now()) RETURNING id $$
    """,
    "velferd_set_password(integer, text, text)": """
        CREATE FUNCTION velferd_set_password(p_user_id integer, p_current_hash text, p_new_hash text)
        RETURNS boolean
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
        AS $$ BEGIN
            UPDATE app_user SET password_hash = p_new_hash
             WHERE id = p_user_id AND password_hash IS NOT DISTINCT FROM p_current_hash;
            RETURN FOUND;
        END $$
    """,
}


def upgrade() -> None:
    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('roles', JSON, nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invited_by_id'], ['app_user.id'], name=op.f('fk_invitation_invited_by_id_app_user')),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['app_user.id'], name=op.f('fk_invitation_accepted_by_id_app_user')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_invitation_tenant_id_tenant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('tenant_id', 'token_hash', name=op.f('uq_invitation_tenant_id_token_hash'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_tenant_id'), ['tenant_id'], unique=False)
    enable_tenant_rls(op, "invitation")

    op.create_table('user_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_user_session_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_session_token_hash'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)

    op.create_table('login_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=30), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=True),
    sa.Column('user_agent', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_login_event_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_event'))
    )
    with op.batch_alter_table('login_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_event_user_id'), ['user_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        for signature, create in FUNCTIONS.items():
            op.execute(create)
            op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for signature in FUNCTIONS:
            op.execute(f"DROP FUNCTION {signature}")
    op.drop_table('login_event')
    op.drop_table('user_session')
    op.drop_table('invitation')
