"""due: referrals, placements, vedtak, payer periods, coordinators, absences, transfers, extra
resources, the deflator table and reminders.

Every table is tenant-owned and gets forced row-level security on PostgreSQL.

Revision ID: 0001_due
Revises:
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

revision = "0001_due"
down_revision = None
branch_labels = ("due",)
depends_on = "0001_core"

TABLES = ("due_referral", "due_placement", "due_vedtak", "due_payer_period", "due_coordinator_assignment",
          "due_absence", "due_transfer", "due_extra_resource", "due_deflator", "due_reminder")


def _unique_per_case(table: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint("tenant_id", "case_id", name=f"uq_{table}_tenant_id_case_id")


def upgrade() -> None:
    t = "due_referral"
    op.create_table(
        t, *tenant_columns(t), foreign_key(t, "case_id", "case_file"),
        foreign_key(t, "submission_id", "form_submission"),
        foreign_key(t, "referring_unit_id", "unit"),
        sa.Column("legal_basis", sa.String(40), nullable=False), json_column("criteria"),
        sa.Column("motivation", sa.Text(), nullable=False), json_column("needs"),
        date_column("referred_on"), date_column("date_of_birth"),
        sa.Column("transition", sa.String(30), nullable=False), date_column("transition_on", nullable=True),
        _unique_per_case(t),
    )
    tenant_indexes(t, "case_id")

    t = "due_placement"
    op.create_table(
        t, *tenant_columns(t), foreign_key(t, "case_id", "case_file"),
        date_column("start_on"), date_column("notice_on", True), date_column("end_on", True),
        sa.Column("ended_by", sa.String(20), nullable=True), sa.Column("end_reason", sa.Text(), nullable=True),
        sa.Column("plan_type", sa.String(20), nullable=True), json_column("plan_needs"), json_column("group_members"),
        sa.Column("group_frequency", sa.String(200), nullable=True),
        sa.Column("group_place", sa.String(200), nullable=True), json_column("tasks"),
        date_column("first_group_meeting_on", True), utc_timestamp("started_at", True),
        _unique_per_case(t),
    )
    tenant_indexes(t, "case_id")

    t = "due_vedtak"
    op.create_table(
        t, *tenant_columns(t), foreign_key(t, "case_id", "case_file"), foreign_key(t, "unit_id", "unit"),
        date_column("decided_on"), sa.Column("reference", sa.String(100), nullable=False),
        foreign_key(t, "recorded_by_id", "app_user", True), utc_timestamp("recorded_at"),
    )
    tenant_indexes(t, "case_id")

    t = "due_payer_period"
    op.create_table(
        t, *tenant_columns(t), foreign_key(t, "case_id", "case_file"), foreign_key(t, "unit_id", "unit"),
        date_column("starts_on"), date_column("ends_on", True), sa.Column("reason", sa.String(40), nullable=False),
    )
    tenant_indexes(t, "case_id")

    t = "due_coordinator_assignment"
    op.create_table(
        t, *tenant_columns(t), foreign_key(t, "case_id", "case_file"), foreign_key(t, "user_id", "app_user"),
        sa.Column("weekly_hours", sa.Numeric(5, 2), nullable=False),
        sa.Column("reachable_from", sa.Time(), nullable=False), sa.Column("reachable_to", sa.Time(), nullable=False),
        json_column("reachable_days"), date_column("assigned_on"), date_column("ended_on", True),
        foreign_key(t, "assigned_by_id", "app_user", True),
    )
    tenant_indexes(t, "case_id", "user_id")

    t = "due_absence"
    op.create_table(
        t, *tenant_columns(t), foreign_key(t, "user_id", "app_user"), date_column("starts_on"), date_column("ends_on"),
        sa.Column("reason", sa.String(20), nullable=False), foreign_key(t, "substitute_user_id", "app_user", True),
        foreign_key(t, "recorded_by_id", "app_user", True), utc_timestamp("recorded_at"),
    )
    tenant_indexes(t, "user_id")

    t = "due_transfer"
    op.create_table(
        t, *tenant_columns(t), foreign_key(t, "case_id", "case_file"),
        foreign_key(t, "from_unit_id", "unit"), foreign_key(t, "to_unit_id", "unit"),
        foreign_key(t, "meeting_id", "meeting"), date_column("effective_on"),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("disagreement", sa.Text(), nullable=True),
        foreign_key(t, "requested_by_id", "app_user", True), utc_timestamp("requested_at"),
        foreign_key(t, "decided_by_id", "app_user", True), utc_timestamp("decided_at", True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
    )
    tenant_indexes(t, "case_id")

    t = "due_extra_resource"
    op.create_table(
        t, *tenant_columns(t), foreign_key(t, "case_id", "case_file"),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("monthly_amount", sa.Numeric(14, 2), nullable=False), date_column("starts_on"),
        date_column("ends_on"),
        date_column("approved_on"), foreign_key(t, "approved_by_id", "app_user", True),
    )
    tenant_indexes(t, "case_id")

    t = "due_deflator"
    op.create_table(
        t, *tenant_columns(t), sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("percent", sa.Numeric(5, 2), nullable=False), sa.Column("source", sa.String(400), nullable=False),
        foreign_key(t, "entered_by_id", "app_user", True), utc_timestamp("entered_at"),
        sa.UniqueConstraint("tenant_id", "year", name=f"uq_{t}_tenant_id_year"),
    )
    tenant_indexes(t)

    t = "due_reminder"
    op.create_table(
        t, *tenant_columns(t), foreign_key(t, "case_id", "case_file"), foreign_key(t, "deadline_id", "deadline"),
        sa.Column("kind", sa.String(20), nullable=False), date_column("due_on"), date_column("on_day"),
        foreign_key(t, "recipient_user_id", "app_user", True), sa.Column("message", sa.Text(), nullable=False),
        utc_timestamp("created_at"),
        sa.UniqueConstraint("tenant_id", "deadline_id", "kind", name=f"uq_{t}_tenant_id_deadline_id_kind"),
    )
    tenant_indexes(t, "case_id", "deadline_id")

    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
