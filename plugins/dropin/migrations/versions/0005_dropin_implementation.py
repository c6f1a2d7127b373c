"""dropin: the implementation team (members, meetings, working groups, the competence plan, the
roll-out's phases) and the evaluation's entered data (costs per service and year, survey answers).

Every table is tenant-owned and gets forced row-level security on PostgreSQL.

Revision ID: 0005_dropin_implementation
Revises: 0004_dropin_meetings
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

revision = "0005_dropin_implementation"
down_revision = "0004_dropin_meetings"
branch_labels = None
depends_on = None

TABLES: tuple[str, ...] = (
    "dropin_team_member", "dropin_team_meeting", "dropin_working_group", "dropin_competence_item",
    "dropin_rollout_phase", "dropin_service_cost", "dropin_survey_response",
)


def upgrade() -> None:
    t = "dropin_team_member"
    op.create_table(
        t, *tenant_columns(t),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("organisation_kind", sa.String(20), nullable=False),
        sa.Column("organisation", sa.String(200), nullable=False),
        foreign_key(t, "centre_id", "dropin_centre", nullable=True),
        sa.Column("role", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        utc_timestamp("created_at"),
    )
    tenant_indexes(t, "centre_id")

    t = "dropin_team_meeting"
    op.create_table(
        t, *tenant_columns(t),
        date_column("held_on"),
        sa.Column("agenda", sa.String(4000), nullable=False),
        sa.Column("minutes", sa.String(8000), nullable=True),
        sa.Column("decisions", sa.String(4000), nullable=True),
        utc_timestamp("created_at"),
    )
    tenant_indexes(t, "held_on")

    t = "dropin_working_group"
    op.create_table(
        t, *tenant_columns(t),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("purpose", sa.String(2000), nullable=False),
        sa.Column("members", sa.String(2000), nullable=True),
        date_column("started_on"),
        date_column("ended_on", nullable=True),
        utc_timestamp("created_at"),
        sa.UniqueConstraint("tenant_id", "name", name=f"uq_{t}_tenant_id_name"),
    )
    tenant_indexes(t)

    t = "dropin_competence_item"
    op.create_table(
        t, *tenant_columns(t),
        sa.Column("topic", sa.String(500), nullable=False),
        sa.Column("audience", sa.String(30), nullable=False),
        date_column("planned_on"),
        date_column("done_on", nullable=True),
        utc_timestamp("created_at"),
    )
    tenant_indexes(t)

    t = "dropin_rollout_phase"
    op.create_table(
        t, *tenant_columns(t),
        sa.Column("kind", sa.String(20), nullable=False),
        date_column("starts_on"),
        date_column("ends_on", nullable=True),
        sa.Column("note", sa.String(1000), nullable=True),
        utc_timestamp("created_at"),
        sa.UniqueConstraint("tenant_id", "kind", name=f"uq_{t}_tenant_id_kind"),
    )
    tenant_indexes(t)

    t = "dropin_service_cost"
    op.create_table(
        t, *tenant_columns(t),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(30), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("covers", sa.String(1000), nullable=True),
        foreign_key(t, "entered_by_id", "app_user", nullable=True),
        utc_timestamp("entered_at"),
        sa.UniqueConstraint("tenant_id", "year", "service", "label", name=f"uq_{t}_tenant_id_year_service_label"),
    )
    tenant_indexes(t, "year")

    t = "dropin_survey_response"
    op.create_table(
        t, *tenant_columns(t),
        sa.Column("kind", sa.String(20), nullable=False),
        foreign_key(t, "centre_id", "dropin_centre"),
        date_column("answered_on"),
        json_column("scores"),
        sa.Column("comment", sa.String(2000), nullable=True),
        utc_timestamp("created_at"),
    )
    tenant_indexes(t, "centre_id", "answered_on")

    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
