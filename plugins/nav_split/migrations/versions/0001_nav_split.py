"""nav_split: appointments, agendas and their items, Rusfaglig Forum decisions, complaints.

Every table is tenant-owned and gets forced row-level security on PostgreSQL.

Revision ID: 0001_nav_split
Revises:
"""
import sqlalchemy as sa
from alembic import op

from velferd.toolkit import (
    enable_tenant_rls,
    foreign_key,
    tenant_columns,
    tenant_indexes,
    utc_timestamp,
)

revision = "0001_nav_split"
down_revision = None
branch_labels = ("nav_split",)
depends_on = "0001_core"

TABLES = ("nav_split_appointment", "nav_split_agenda", "nav_split_agenda_item", "nav_split_forum_decision",
          "nav_split_complaint", "nav_split_complaint_signature")


def upgrade() -> None:
    t = "nav_split_appointment"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "case_id", "case_file"), foreign_key(t, "decision_id", "decision"),
        sa.Column("coordinator_unit", sa.String(20), nullable=False),
        sa.Column("nav_team", sa.String(40), nullable=True),
        sa.Column("follow_up_unit", sa.String(20), nullable=False),
        sa.Column("follow_up_at_home", sa.Boolean(), nullable=False),
        sa.Column("social_assistance", sa.Boolean(), nullable=False),
        sa.Column("financial_caseworker_unit", sa.String(20), nullable=False),
        sa.Column("financial_caseworker", sa.String(200), nullable=True),
        foreign_key(t, "appointed_by_id", "app_user", nullable=True), utc_timestamp("appointed_at"),
    )
    tenant_indexes(t, "case_id")

    t = "nav_split_agenda"
    op.create_table(
        t, *tenant_columns(t),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        utc_timestamp("built_at"),
        sa.UniqueConstraint("tenant_id", "kind", "week_start", name=f"uq_{t}_tenant_id_kind_week_start"),
    )
    tenant_indexes(t)

    t = "nav_split_agenda_item"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "case_id", "case_file"),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        foreign_key(t, "agenda_id", "nav_split_agenda", nullable=True),
        utc_timestamp("queued_at"),
        foreign_key(t, "outcome_decision_id", "decision", nullable=True),
    )
    tenant_indexes(t, "case_id", "agenda_id")

    t = "nav_split_forum_decision"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "case_id", "case_file"),
        sa.Column("measure", sa.String(40), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("institution", sa.String(200), nullable=False),
        sa.Column("agreement", sa.Text(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("responsible_unit", sa.String(20), nullable=False),
        sa.Column("drafting_team", sa.String(20), nullable=False),
        foreign_key(t, "drafted_by_id", "app_user"), utc_timestamp("drafted_at"),
        sa.Column("status", sa.String(20), nullable=False),
        foreign_key(t, "approved_by_id", "app_user", nullable=True), utc_timestamp("approved_at", nullable=True),
    )
    tenant_indexes(t, "case_id")

    t = "nav_split_complaint"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "forum_decision_id", "nav_split_forum_decision"),
        sa.Column("grounds", sa.Text(), nullable=False),
        foreign_key(t, "prepared_by_id", "app_user", nullable=True), utc_timestamp("prepared_at"),
        sa.Column("status", sa.String(20), nullable=False),
        utc_timestamp("sent_at", nullable=True),
    )
    tenant_indexes(t, "forum_decision_id")

    t = "nav_split_complaint_signature"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "complaint_id", "nav_split_complaint"),
        sa.Column("capacity", sa.String(30), nullable=False),
        foreign_key(t, "user_id", "app_user"), utc_timestamp("signed_at"),
        sa.UniqueConstraint("tenant_id", "complaint_id", "capacity", name=f"uq_{t}_capacity"),
    )
    tenant_indexes(t, "complaint_id")

    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
