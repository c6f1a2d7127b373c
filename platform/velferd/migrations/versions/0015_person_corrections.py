"""Corrections of persons (GDPR art. 16) and possible duplicates.

* ``person.phone``, ``person.email``, ``person.address``: contact details, personal data, None
  for every existing person.
* ``person.same_as_id`` / ``person.merged_into_id``: a confirmed duplicate, linked (both records
  kept and used) or merged (its rows moved to the survivor, the record kept); None for all.
* ``person_correction``: one row per corrected field (old value, new value, reason, who, when),
  and per table a merge moved rows of; never changed.
* ``possible_duplicate``: a person whose name and birth date match another of the tenant's,
  open until reviewed (dismissed, linked or merged).

Revision ID: 0015_person_corrections
Revises: 0014_need_to_know
Create Date: 2026-12-04 01:45:00.000000
"""
import sqlalchemy as sa
from alembic import op

from velferd.migration_columns import tenant_columns, utc_timestamp
from velferd.rls import enable_tenant_rls

revision = '0015_person_corrections'
down_revision = '0014_need_to_know'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('address', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('same_as_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_person_same_as_id_person'), 'person', ['same_as_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_person_merged_into_id_person'), 'person', ['merged_into_id'],
                                    ['id'])
    op.create_table(
        'person_correction',
        *tenant_columns('person_correction'),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('field', sa.String(length=120), nullable=False),
        sa.Column('old_value', sa.Text(), nullable=True),
        sa.Column('new_value', sa.Text(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('corrected_by_id', sa.Integer(), nullable=True),
        utc_timestamp('at'),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_correction_person_id_person')),
        sa.ForeignKeyConstraint(['corrected_by_id'], ['app_user.id'],
                                name=op.f('fk_person_correction_corrected_by_id_app_user')),
    )
    with op.batch_alter_table('person_correction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_correction_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_correction_person_id'), ['person_id'], unique=False)
    enable_tenant_rls(op, 'person_correction')
    op.create_table(
        'possible_duplicate',
        *tenant_columns('possible_duplicate'),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
        utc_timestamp('reviewed_at', nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        utc_timestamp('created_at'),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_possible_duplicate_person_id_person')),
        sa.ForeignKeyConstraint(['candidate_id'], ['person.id'],
                                name=op.f('fk_possible_duplicate_candidate_id_person')),
        sa.ForeignKeyConstraint(['reviewed_by_id'], ['app_user.id'],
                                name=op.f('fk_possible_duplicate_reviewed_by_id_app_user')),
        sa.CheckConstraint("status in ('open', 'linked', 'merged', 'dismissed')",
                           name=op.f('ck_possible_duplicate_status')),
    )
    with op.batch_alter_table('possible_duplicate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_possible_duplicate_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_possible_duplicate_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_possible_duplicate_candidate_id'), ['candidate_id'], unique=False)
    enable_tenant_rls(op, 'possible_duplicate')


def downgrade() -> None:
    op.drop_table('possible_duplicate')
    op.drop_table('person_correction')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_person_merged_into_id_person'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_person_same_as_id_person'), type_='foreignkey')
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('same_as_id')
        batch_op.drop_column('address')
        batch_op.drop_column('email')
        batch_op.drop_column('phone')
