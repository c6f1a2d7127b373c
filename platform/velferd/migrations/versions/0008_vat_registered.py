"""Whether the seller is VAT-registered: ``billing_profile.vat_registered``.

A municipality can be in the VAT register (Merverdiavgiftsregisteret / momsregistret) and still
bill its services to other public units outside the scope of VAT (category O); its invoices then
show the organisation number with "MVA" all the same (bokføringsforskriften § 5-1-1), which the
category alone cannot tell. False for every existing profile: categories S and E imply it anyway.

Revision ID: 0008_vat_registered
Revises: 0007_money_facts
Create Date: 2026-12-02 01:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_vat_registered'
down_revision = '0007_money_facts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('billing_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vat_registered', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('billing_profile', schema=None) as batch_op:
        batch_op.drop_column('vat_registered')
