"""The access-log and data-subject export settings (filled by its issue's work).

Revision ID: 0016_privacy_exports
Revises: 0015_person_corrections
Create Date: 2026-12-04 01:45:00.000000
"""

revision = '0016_privacy_exports'
down_revision = '0015_person_corrections'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
