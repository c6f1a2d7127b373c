"""One index less on the audit trail: ``ix_audit_event_tenant_id`` repeats the first column of
``ix_audit_event_tenant_record`` (tenant_id, record_type, record_id), which serves every query by
tenant as well. Every request writes audit rows — a page of 50 cases writes 50 — and each index
is one more entry to insert per row (issue 17).

Revision ID: 0018_audit_event_index
Revises: 0017_retention
Create Date: 2026-12-04 19:30:00.000000
"""
from alembic import op

revision = '0018_audit_event_index'
down_revision = '0017_retention'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_audit_event_tenant_id', table_name='audit_event')


def downgrade() -> None:
    op.create_index('ix_audit_event_tenant_id', 'audit_event', ['tenant_id'])
