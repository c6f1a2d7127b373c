"""The plugin's tables. Every one is tenant-owned (the toolkit's TenantOwned: ORM scoping, and
PostgreSQL row-level security from the migration), and tenant_id is in every unique constraint.

Dates that mean a day in Bergen (start, end, notice, a payer's period) are plain ``Date`` columns
read in the tenant's zone; instants (who did what when) are UTC timestamps.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from velferd.toolkit import PERSONAL, SPECIAL, Base, Meeting, Money, TenantOwned, utcnow


class Referral(Base, TenantOwned):
    """The referral (søknad) of a case, from its latest ``referral`` form submission."""

    __tablename__ = "due_referral"
    __not_personal__ = ("legal_basis", "transition")  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("form_submission.id"))
    referring_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"))
    legal_basis: Mapped[str] = mapped_column(sa.String(40))
    criteria: Mapped[list] = mapped_column(info=SPECIAL)
    motivation: Mapped[str] = mapped_column(sa.Text, info=SPECIAL)
    needs: Mapped[list] = mapped_column(info=SPECIAL)
    referred_on: Mapped[dt.date] = mapped_column(sa.Date)
    date_of_birth: Mapped[dt.date] = mapped_column(sa.Date, info=PERSONAL)
    transition: Mapped[str] = mapped_column(sa.String(30))
    transition_on: Mapped[dt.date | None] = mapped_column(sa.Date)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "case_id"),)


class Placement(Base, TenantOwned):
    """One youth's project in DUE from the offer on: start, notice and end dates, the plan."""

    __tablename__ = "due_placement"
    __not_personal__ = ("ended_by", "plan_type", "group_frequency")  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    start_on: Mapped[dt.date] = mapped_column(sa.Date)
    notice_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    end_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    ended_by: Mapped[str | None] = mapped_column(sa.String(20))  # notice | break_off
    end_reason: Mapped[str | None] = mapped_column(sa.Text, info=SPECIAL)
    plan_type: Mapped[str | None] = mapped_column(sa.String(20))  # action_plan | individual_plan
    plan_needs: Mapped[list] = mapped_column(default=list, info=SPECIAL)
    #: What the plan aims at; the reports every fourth month are written against these (2.3.3).
    plan_goals: Mapped[list | None] = mapped_column(default=list, info=SPECIAL)
    group_members: Mapped[list] = mapped_column(default=list, info=SPECIAL)
    group_frequency: Mapped[str | None] = mapped_column(sa.String(200))
    group_place: Mapped[str | None] = mapped_column(sa.String(200), info=PERSONAL)
    tasks: Mapped[list] = mapped_column(default=list, info=SPECIAL)
    first_group_meeting_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    started_at: Mapped[dt.datetime | None]

    __table_args__ = (sa.UniqueConstraint("tenant_id", "case_id"),)


class Vedtak(Base, TenantOwned):
    """The referring unit's formal decision (vedtak) on DUE for the youth; the unit pays. Only the
    case's referring unit can give it: "Før oppstartsmøte skal det foreligge vedtak på DUE fra
    innsøkende instans" (guideline 4.2). `valid_from`–`valid_to` is the period it grants (no end:
    until further notice); its `reference` is the one the payer knows, printed on the invoice lines."""

    __tablename__ = "due_vedtak"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"))
    decided_on: Mapped[dt.date] = mapped_column(sa.Date)
    reference: Mapped[str] = mapped_column(sa.String(100), info=PERSONAL)
    valid_from: Mapped[dt.date | None] = mapped_column(sa.Date)
    valid_to: Mapped[dt.date | None] = mapped_column(sa.Date)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PayerPeriod(Base, TenantOwned):
    """Which unit holds the decision, and so pays, from which day to which (inclusive)."""

    __tablename__ = "due_payer_period"
    __not_personal__ = ("reason",)  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"))
    starts_on: Mapped[dt.date] = mapped_column(sa.Date)
    ends_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.String(40))  # vedtak | transfer


class CoordinatorAssignment(Base, TenantOwned):
    """A coordinator on a case: weekly hours and the hours the youth can reach them."""

    __tablename__ = "due_coordinator_assignment"
    __not_personal__ = ("reachable_days",)  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    weekly_hours: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
    reachable_from: Mapped[dt.time] = mapped_column(sa.Time)
    reachable_to: Mapped[dt.time] = mapped_column(sa.Time)
    reachable_days: Mapped[list]
    assigned_on: Mapped[dt.date] = mapped_column(sa.Date)
    ended_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))


class Absence(Base, TenantOwned):
    """A coordinator's sickness, holiday or other absence, and who stands in (vikar)."""

    __tablename__ = "due_absence"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    starts_on: Mapped[dt.date] = mapped_column(sa.Date)
    ends_on: Mapped[dt.date] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.String(20))
    substitute_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Transfer(Base, TenantOwned):
    """Moving the case to another referring unit: after a held transfer meeting of its own ("et
    overføringsmøte skal alltid finne sted i forkant av overføringen", guideline 4.4), with the
    units' joint assessment of whether the move is in the youth's interest. On disagreement it is
    on hold until the leaders of the units involved settle it ("Uenighet skal søkes løst mellom
    ledelsen for de involverte tjenestene"), and the old unit keeps paying."""

    __tablename__ = "due_transfer"
    __not_personal__ = ("status",)  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    from_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"))
    to_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"))
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id"))
    #: The transfer meeting it was made on, with who took part (shown on the transfer).
    meeting: Mapped[Meeting] = relationship(Meeting)
    effective_on: Mapped[dt.date] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(20))  # completed | on_hold | rejected
    disagreement: Mapped[str | None] = mapped_column(sa.Text, info=SPECIAL)
    in_youths_interest: Mapped[bool | None]
    interest_assessment: Mapped[str | None] = mapped_column(sa.Text, info=SPECIAL)
    from_unit_leader: Mapped[str | None] = mapped_column(sa.String(200), info=PERSONAL)
    to_unit_leader: Mapped[str | None] = mapped_column(sa.String(200), info=PERSONAL)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    decided_at: Mapped[dt.datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(sa.Text, info=SPECIAL)


class ExtraResource(Base, TenantOwned):
    """Resources beyond the ordinary measure (extra hours, a miljøarbeider), agreed in advance
    and approved by a leader: a monthly amount for a period, billed on top of the price."""

    __tablename__ = "due_extra_resource"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    description: Mapped[str] = mapped_column(sa.String(200), info=SPECIAL)
    monthly_amount: Mapped[Decimal] = mapped_column(Money)
    starts_on: Mapped[dt.date] = mapped_column(sa.Date)
    ends_on: Mapped[dt.date] = mapped_column(sa.Date)
    approved_on: Mapped[dt.date] = mapped_column(sa.Date)
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))


class Deflator(Base, TenantOwned):
    """One year's municipal deflator in the tenant's price table, with its source and who
    entered it when (the price table shows them)."""

    __tablename__ = "due_deflator"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    percent: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
    source: Mapped[str] = mapped_column(sa.String(400))
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    entered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "year"),)


class Report(Base, TenantOwned):
    """A report to the referring unit as filed: «Det rapporteres i henhold til målsettingene i
    tiltaksplan eventuelt individuelle plan» (guideline 2.3.3). `goals` holds, in the plan's order,
    every goal of the plan in force when it was filed with how it stands — so the report keeps
    the goals it was written against after a new plan changes them. The form submission keeps
    the text as submitted; this row is what it was checked as and which deadline it completed."""

    __tablename__ = "due_report"
    __not_personal__ = ("kind",)  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("form_submission.id"))
    deadline_id: Mapped[int] = mapped_column(sa.ForeignKey("deadline.id"))
    kind: Mapped[str] = mapped_column(sa.String(20))  # periodic | final
    written_on: Mapped[dt.date] = mapped_column(sa.Date)
    goals: Mapped[list] = mapped_column(info=SPECIAL)  # [{"goal": …, "status": …, "note": …}, …]
    filed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "submission_id"),)


class Reminder(Base, TenantOwned):
    """A reminder before a report deadline, or an overdue flag after it — once per deadline
    and kind, so the daily job can run twice without telling anyone twice."""

    __tablename__ = "due_reminder"
    __not_personal__ = ("kind",)  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    deadline_id: Mapped[int] = mapped_column(sa.ForeignKey("deadline.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))  # reminder | overdue
    due_on: Mapped[dt.date] = mapped_column(sa.Date)
    on_day: Mapped[dt.date] = mapped_column(sa.Date)
    recipient_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    message: Mapped[str] = mapped_column(sa.Text, info=PERSONAL)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "deadline_id", "kind"),)
