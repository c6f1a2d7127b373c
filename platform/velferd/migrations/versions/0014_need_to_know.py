"""Need-to-know access (tjenstlig behov): who works where, which unit holds a case, and the
reasoned access outside it.

* ``membership.unit_ids`` and ``membership.programmes``: the units a member works in and the
  programmes (plugin ids; empty: all). Every existing member starts with none of either: they
  keep seeing what they saw (cases no unit holds) until an admin places them in their units.
* ``case_file.unit_id``: the unit that holds the case; None for every existing case.
* ``access_grant``: "breaking the glass" — a member's stated reason to open a case outside their
  need to know, good for a working day, reported to the unit's leaders.

Revision ID: 0014_need_to_know
Revises: 0013_tenant_config_version
Create Date: 2026-12-04 01:40:00.000000
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from velferd.migration_columns import foreign_key, json_column, tenant_columns, tenant_indexes, utc_timestamp
from velferd.rls import enable_tenant_rls

revision = '0014_need_to_know'
down_revision = '0013_tenant_config_version'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_ids', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'),
                                      server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('programmes', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'),
                                      server_default='[]', nullable=False))
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_case_file_unit_id_unit'), 'unit', ['unit_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_case_file_unit_id'), ['unit_id'], unique=False)
    op.create_table(
        'access_grant',
        *tenant_columns('access_grant'),
        foreign_key('access_grant', 'user_id', 'app_user'),
        foreign_key('access_grant', 'case_id', 'case_file'),
        sa.Column('reason', sa.Text(), nullable=False),
        utc_timestamp('granted_at'),
        utc_timestamp('expires_at'),
        json_column('reported_to'),
        foreign_key('access_grant', 'reviewed_by_id', 'app_user', nullable=True),
        utc_timestamp('reviewed_at', nullable=True),
    )
    tenant_indexes('access_grant', 'user_id', 'case_id')
    enable_tenant_rls(op, 'access_grant')


def downgrade() -> None:
    op.drop_table('access_grant')
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_file_unit_id'))
        batch_op.drop_constraint(batch_op.f('fk_case_file_unit_id_unit'), type_='foreignkey')
        batch_op.drop_column('unit_id')
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_column('programmes')
        batch_op.drop_column('unit_ids')
