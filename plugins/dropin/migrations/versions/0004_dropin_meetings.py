"""dropin: statutory meetings (where held, attendance) and the centres' team activities with their
sessions and super-users.

Every table is tenant-owned and gets forced row-level security on PostgreSQL.

Revision ID: 0004_dropin_meetings
Revises: 0003_dropin_contacts
"""
import sqlalchemy as sa
from alembic import op

from velferd.toolkit import (
    date_column,
    enable_tenant_rls,
    foreign_key,
    json_column,
    tenant_columns,
    tenant_indexes,
    utc_timestamp,
)

revision = "0004_dropin_meetings"
down_revision = "0003_dropin_contacts"
branch_labels = None
depends_on = None

TABLES = ("dropin_statutory_meeting", "dropin_team_activity", "dropin_activity_session", "dropin_super_user")


def upgrade() -> None:
    t = "dropin_statutory_meeting"
    op.create_table(
        t, *tenant_columns(t),
        sa.Column("service", sa.String(30), nullable=False),
        sa.Column("administration", sa.String(30), nullable=True),
        sa.Column("subject", sa.String(200), nullable=False),
        date_column("meets_on"),
        sa.Column("meets_at", sa.Time(), nullable=False),
        sa.Column("place", sa.String(10), nullable=False),
        foreign_key(t, "centre_id", "dropin_centre", nullable=True),
        sa.Column("chosen_by_citizen", sa.Boolean(), nullable=False),
        sa.Column("attendance", sa.String(20), nullable=False),
        foreign_key(t, "case_id", "case_file", nullable=True),
        foreign_key(t, "recorded_by_id", "app_user", nullable=True),
        foreign_key(t, "attendance_by_id", "app_user", nullable=True),
        utc_timestamp("attendance_at", nullable=True),
        utc_timestamp("created_at"),
    )
    tenant_indexes(t, "meets_on", "centre_id", "case_id")

    t = "dropin_team_activity"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "centre_id", "dropin_centre"),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        json_column("topics"),
        date_column("starts_on"),
        date_column("ends_on", nullable=True),
        utc_timestamp("created_at"),
        sa.UniqueConstraint("tenant_id", "centre_id", "title", "starts_on",
                            name=f"uq_{t}_tenant_id_centre_id_title_starts_on"),
    )
    tenant_indexes(t, "centre_id")

    t = "dropin_activity_session"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "activity_id", "dropin_team_activity"),
        date_column("held_on"),
        sa.Column("anonymous_count", sa.Integer(), nullable=False),
        sa.Column("known_count", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(500), nullable=True),
        utc_timestamp("created_at"),
    )
    tenant_indexes(t, "activity_id")

    t = "dropin_super_user"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "activity_id", "dropin_team_activity"),
        sa.Column("alias", sa.String(40), nullable=False),
        date_column("trained_on"),
        sa.Column("active", sa.Boolean(), nullable=False),
        utc_timestamp("created_at"),
        sa.UniqueConstraint("tenant_id", "activity_id", "alias", name=f"uq_{t}_tenant_id_activity_id_alias"),
    )
    tenant_indexes(t, "activity_id")

    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
