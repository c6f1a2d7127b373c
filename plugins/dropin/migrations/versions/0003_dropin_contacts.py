"""dropin: contacts at the centres (anonymous unless consented) and the citizens' consents.

Every table is tenant-owned and gets forced row-level security on PostgreSQL. The models are
velferd_dropin.contact_models.

Revision ID: 0003_dropin_contacts
Revises: 0002_dropin_presence
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

revision = "0003_dropin_contacts"
down_revision = "0002_dropin_presence"
branch_labels = None
depends_on = None

TABLES = ("dropin_contact", "dropin_consent")


def upgrade() -> None:
    t = "dropin_contact"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "centre_id", "dropin_centre"),
        date_column("contact_on"),
        sa.Column("contact_at", sa.Time(), nullable=True),
        json_column("help"),
        sa.Column("service", sa.String(30), nullable=False),
        sa.Column("worker_role", sa.String(30), nullable=False),
        sa.Column("previously_known", sa.String(10), nullable=False),
        sa.Column("first_contact", sa.String(10), nullable=False),
        sa.Column("citizen_code", sa.String(20), nullable=True),
        sa.Column("note", sa.String(500), nullable=True),
        foreign_key(t, "person_id", "person", nullable=True),
        foreign_key(t, "case_id", "case_file", nullable=True),
        foreign_key(t, "recorded_by_id", "app_user", nullable=True),
        utc_timestamp("created_at"),
    )
    tenant_indexes(t, "centre_id", "citizen_code", "person_id", "case_id")

    t = "dropin_consent"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "person_id", "person"),
        foreign_key(t, "case_id", "case_file"),
        date_column("given_on"),
        sa.Column("citizen_code", sa.String(20), nullable=True),
        json_column("scope"),
        foreign_key(t, "recorded_by_id", "app_user", nullable=True),
        date_column("withdrawn_on", nullable=True),
        sa.Column("withdrawal_reason", sa.String(500), nullable=True),
        foreign_key(t, "withdrawn_by_id", "app_user", nullable=True),
        utc_timestamp("created_at"),
    )
    tenant_indexes(t, "person_id", "case_id", "citizen_code")

    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
