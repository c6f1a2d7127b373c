"""nav_split: appointments, agendas and their items, Rusfaglig Forum decisions, complaints.

Every table is tenant-owned and gets forced row-level security on PostgreSQL.

Revision ID: 0001_nav_split
Revises:
"""
import sqlalchemy as sa
from alembic import op

from velferd.toolkit import enable_tenant_rls

revision = "0001_nav_split"
down_revision = None
branch_labels = ("nav_split",)
depends_on = "0001_core"

TABLES = ("nav_split_appointment", "nav_split_agenda", "nav_split_agenda_item", "nav_split_forum_decision",
          "nav_split_complaint", "nav_split_complaint_signature")


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


def _indexes(table: str, *columns: str) -> None:
    for column in ("tenant_id", *columns):
        op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    t = "nav_split_appointment"
    op.create_table(
        t, *_tenant(t),
        _fk(t, "case_id", "case_file"), _fk(t, "decision_id", "decision"),
        sa.Column("coordinator_unit", sa.String(20), nullable=False),
        sa.Column("nav_team", sa.String(40), nullable=True),
        sa.Column("follow_up_unit", sa.String(20), nullable=False),
        sa.Column("follow_up_at_home", sa.Boolean(), nullable=False),
        sa.Column("social_assistance", sa.Boolean(), nullable=False),
        sa.Column("financial_caseworker_unit", sa.String(20), nullable=False),
        sa.Column("financial_caseworker", sa.String(200), nullable=True),
        _fk(t, "appointed_by_id", "app_user", nullable=True), _when("appointed_at"),
    )
    _indexes(t, "case_id")

    t = "nav_split_agenda"
    op.create_table(
        t, *_tenant(t),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        _when("built_at"),
        sa.UniqueConstraint("tenant_id", "kind", "week_start", name=f"uq_{t}_tenant_id_kind_week_start"),
    )
    _indexes(t)

    t = "nav_split_agenda_item"
    op.create_table(
        t, *_tenant(t),
        _fk(t, "case_id", "case_file"),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _fk(t, "agenda_id", "nav_split_agenda", nullable=True),
        _when("queued_at"),
        _fk(t, "outcome_decision_id", "decision", nullable=True),
    )
    _indexes(t, "case_id", "agenda_id")

    t = "nav_split_forum_decision"
    op.create_table(
        t, *_tenant(t),
        _fk(t, "case_id", "case_file"),
        sa.Column("measure", sa.String(40), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("institution", sa.String(200), nullable=False),
        sa.Column("agreement", sa.Text(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("responsible_unit", sa.String(20), nullable=False),
        sa.Column("drafting_team", sa.String(20), nullable=False),
        _fk(t, "drafted_by_id", "app_user"), _when("drafted_at"),
        sa.Column("status", sa.String(20), nullable=False),
        _fk(t, "approved_by_id", "app_user", nullable=True), _when("approved_at", nullable=True),
    )
    _indexes(t, "case_id")

    t = "nav_split_complaint"
    op.create_table(
        t, *_tenant(t),
        _fk(t, "forum_decision_id", "nav_split_forum_decision"),
        sa.Column("grounds", sa.Text(), nullable=False),
        _fk(t, "prepared_by_id", "app_user", nullable=True), _when("prepared_at"),
        sa.Column("status", sa.String(20), nullable=False),
        _when("sent_at", nullable=True),
    )
    _indexes(t, "forum_decision_id")

    t = "nav_split_complaint_signature"
    op.create_table(
        t, *_tenant(t),
        _fk(t, "complaint_id", "nav_split_complaint"),
        sa.Column("capacity", sa.String(30), nullable=False),
        _fk(t, "user_id", "app_user"), _when("signed_at"),
        sa.UniqueConstraint("tenant_id", "complaint_id", "capacity", name=f"uq_{t}_capacity"),
    )
    _indexes(t, "complaint_id")

    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
