"""Corrections of persons (GDPR art. 16) and possible duplicates (filled by its issue's work).

Revision ID: 0015_person_corrections
Revises: 0014_need_to_know
Create Date: 2026-12-04 01:45:00.000000
"""

revision = '0015_person_corrections'
down_revision = '0014_need_to_know'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
