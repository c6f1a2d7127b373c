"""due: referrals, placements, vedtak, payer periods, coordinators, absences, transfers, extra
resources, the deflator table and reminders.

Every table is tenant-owned and gets forced row-level security on PostgreSQL.

Revision ID: 0001_due
Revises:
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from velferd.toolkit import enable_tenant_rls

revision = "0001_due"
down_revision = None
branch_labels = ("due",)
depends_on = "0001_core"

TABLES = ("due_referral", "due_placement", "due_vedtak", "due_payer_period", "due_coordinator_assignment",
          "due_absence", "due_transfer", "due_extra_resource", "due_deflator", "due_reminder")


def _tenant(table: str) -> list:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenant.id", name=f"fk_{table}_tenant_id_tenant"),
                  nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def _fk(table: str, column: str, target: str, nullable: bool = False) -> sa.Column:
    return sa.Column(column, sa.Integer(), sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{column}"[:63]),
                     nullable=nullable)


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _day(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Date(), nullable=nullable)


def _json(name: str) -> sa.Column:
    return sa.Column(name, sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False)


def _indexes(table: str, *columns: str) -> None:
    for column in ("tenant_id", *columns):
        op.create_index(f"ix_{table}_{column}", table, [column])


def _unique_per_case(table: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint("tenant_id", "case_id", name=f"uq_{table}_tenant_id_case_id")


def upgrade() -> None:
    t = "due_referral"
    op.create_table(
        t, *_tenant(t), _fk(t, "case_id", "case_file"), _fk(t, "submission_id", "form_submission"),
        _fk(t, "referring_unit_id", "unit"),
        sa.Column("legal_basis", sa.String(40), nullable=False), _json("criteria"),
        sa.Column("motivation", sa.Text(), nullable=False), _json("needs"),
        _day("referred_on"), _day("date_of_birth"),
        sa.Column("transition", sa.String(30), nullable=False), _day("transition_on", nullable=True),
        _unique_per_case(t),
    )
    _indexes(t, "case_id")

    t = "due_placement"
    op.create_table(
        t, *_tenant(t), _fk(t, "case_id", "case_file"),
        _day("start_on"), _day("notice_on", True), _day("end_on", True),
        sa.Column("ended_by", sa.String(20), nullable=True), sa.Column("end_reason", sa.Text(), nullable=True),
        sa.Column("plan_type", sa.String(20), nullable=True), _json("plan_needs"), _json("group_members"),
        sa.Column("group_frequency", sa.String(200), nullable=True),
        sa.Column("group_place", sa.String(200), nullable=True), _json("tasks"),
        _day("first_group_meeting_on", True), _when("started_at", True),
        _unique_per_case(t),
    )
    _indexes(t, "case_id")

    t = "due_vedtak"
    op.create_table(
        t, *_tenant(t), _fk(t, "case_id", "case_file"), _fk(t, "unit_id", "unit"),
        _day("decided_on"), sa.Column("reference", sa.String(100), nullable=False),
        _fk(t, "recorded_by_id", "app_user", True), _when("recorded_at"),
    )
    _indexes(t, "case_id")

    t = "due_payer_period"
    op.create_table(
        t, *_tenant(t), _fk(t, "case_id", "case_file"), _fk(t, "unit_id", "unit"),
        _day("starts_on"), _day("ends_on", True), sa.Column("reason", sa.String(40), nullable=False),
    )
    _indexes(t, "case_id")

    t = "due_coordinator_assignment"
    op.create_table(
        t, *_tenant(t), _fk(t, "case_id", "case_file"), _fk(t, "user_id", "app_user"),
        sa.Column("weekly_hours", sa.Numeric(5, 2), nullable=False),
        sa.Column("reachable_from", sa.Time(), nullable=False), sa.Column("reachable_to", sa.Time(), nullable=False),
        _json("reachable_days"), _day("assigned_on"), _day("ended_on", True),
        _fk(t, "assigned_by_id", "app_user", True),
    )
    _indexes(t, "case_id", "user_id")

    t = "due_absence"
    op.create_table(
        t, *_tenant(t), _fk(t, "user_id", "app_user"), _day("starts_on"), _day("ends_on"),
        sa.Column("reason", sa.String(20), nullable=False), _fk(t, "substitute_user_id", "app_user", True),
        _fk(t, "recorded_by_id", "app_user", True), _when("recorded_at"),
    )
    _indexes(t, "user_id")

    t = "due_transfer"
    op.create_table(
        t, *_tenant(t), _fk(t, "case_id", "case_file"), _fk(t, "from_unit_id", "unit"), _fk(t, "to_unit_id", "unit"),
        _fk(t, "meeting_id", "meeting"), _day("effective_on"), sa.Column("status", sa.String(20), nullable=False),
        sa.Column("disagreement", sa.Text(), nullable=True),
        _fk(t, "requested_by_id", "app_user", True), _when("requested_at"),
        _fk(t, "decided_by_id", "app_user", True), _when("decided_at", True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
    )
    _indexes(t, "case_id")

    t = "due_extra_resource"
    op.create_table(
        t, *_tenant(t), _fk(t, "case_id", "case_file"), sa.Column("description", sa.String(200), nullable=False),
        sa.Column("monthly_amount", sa.Numeric(14, 2), nullable=False), _day("starts_on"), _day("ends_on"),
        _day("approved_on"), _fk(t, "approved_by_id", "app_user", True),
    )
    _indexes(t, "case_id")

    t = "due_deflator"
    op.create_table(
        t, *_tenant(t), sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("percent", sa.Numeric(5, 2), nullable=False), sa.Column("source", sa.String(400), nullable=False),
        _fk(t, "entered_by_id", "app_user", True), _when("entered_at"),
        sa.UniqueConstraint("tenant_id", "year", name=f"uq_{t}_tenant_id_year"),
    )
    _indexes(t)

    t = "due_reminder"
    op.create_table(
        t, *_tenant(t), _fk(t, "case_id", "case_file"), _fk(t, "deadline_id", "deadline"),
        sa.Column("kind", sa.String(20), nullable=False), _day("due_on"), _day("on_day"),
        _fk(t, "recipient_user_id", "app_user", True), sa.Column("message", sa.Text(), nullable=False),
        _when("created_at"),
        sa.UniqueConstraint("tenant_id", "deadline_id", "kind", name=f"uq_{t}_tenant_id_deadline_id_kind"),
    )
    _indexes(t, "case_id", "deadline_id")

    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
