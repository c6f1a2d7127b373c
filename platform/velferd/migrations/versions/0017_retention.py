"""Retention rules, disposal proposals and their approvals (filled by its issue's work).

Revision ID: 0017_retention
Revises: 0016_privacy_exports
Create Date: 2026-12-04 01:45:00.000000
"""

revision = '0017_retention'
down_revision = '0016_privacy_exports'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
