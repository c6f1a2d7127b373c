"""The individual plan (IP) of an aftercare case, the resident's participation, the qualification
programme and the G table its stipend is computed from.

The plan (Alta's project plan, 5.4): "Individuell plan er lovfestet overfor mennesker med
langvarige og sammensatte hjelpebehov … Brukeren skal ha en person å forholde seg til, en person
som opererer som bindeledd mellom de ulike instanser." So one plan per case with one contact
person (a staff member of the tenant), its goals, and the services and partners taking part
("IP krever utstrakt samarbeid mellom bruker, ulike hjelpeinstanser, frivillige og tiltaksytere
for å nå de mål som er utarbeidet sammen med beboer").

User participation (6.0): "Sosialtjenesteloven 8-4 pålegger sosialtjenesten en plikt til å
rådføre seg med brukeren ved utforming av tjenestetilbudet. Det skal legges stor vekt på hva
klienten mener." Each consultation is a row: when, how, what the resident said, what changed.

The qualification programme (5.5) is granted by NAV; the case keeps its dates and the number of
children, and the stipend is computed (`stipend`) from the G table (`g_table`), which is the
tenant's data: each G with the date it took effect and where the figure comes from.

Every table is tenant-owned, tenant_id first in every unique constraint; the migration is
0004_aftercare_plans.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.toolkit import PERSONAL, SPECIAL, Base, Money, TenantOwned, utcnow

#: a goal's status
GOAL_STATUSES = ("open", "in_progress", "reached", "dropped")
#: the partners the plan names (2.0 Organisering, "Samarbeidspartnere", 5.2): NAV, Aksis, Red Cross,
#: the user organisations AN, RIO and Mental helse, the home municipality, or another named partner
PARTNERS = ("nav", "aksis", "red_cross", "an", "rio", "mental_helse", "home_municipality", "other")
#: how the resident was consulted (§ 8-4)
CONSULTATION_METHODS = ("conversation", "plan_meeting", "in_writing", "other")


class IndividualPlan(Base, TenantOwned):
    """A case's individual plan: since when, and its one contact person (a staff member)."""

    __tablename__ = "aftercare_plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    contact_person_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    started_on: Mapped[dt.date]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "case_id"),)


class PlanGoal(Base, TenantOwned):
    """A goal of the plan, "utarbeidet sammen med beboer": what, by when, how it stands."""

    __tablename__ = "aftercare_plan_goal"
    __not_personal__ = ("status",)  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("aftercare_plan.id"), index=True)
    text: Mapped[str] = mapped_column(sa.String(1000), info=SPECIAL)
    target_on: Mapped[dt.date | None]
    status: Mapped[str] = mapped_column(sa.String(20), default="open")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PlanPartner(Base, TenantOwned):
    """A service or partner taking part in the plan and what it does. `name` names the partner
    where the kind does not (the home municipality, another partner)."""

    __tablename__ = "aftercare_plan_partner"
    __not_personal__ = ("partner",)  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("aftercare_plan.id"), index=True)
    partner: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str | None] = mapped_column(sa.String(200), info=PERSONAL)
    role: Mapped[str] = mapped_column(sa.String(1000), info=SPECIAL)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Participation(Base, TenantOwned):
    """One consultation of the resident (sosialtjenesteloven § 8-4): when, how, what they said,
    what changed in the service because of it, and who recorded it."""

    __tablename__ = "aftercare_participation"
    __not_personal__ = ("method",)  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("aftercare_plan.id"), index=True)
    consulted_on: Mapped[dt.date]
    method: Mapped[str] = mapped_column(sa.String(40))
    resident_said: Mapped[str] = mapped_column(sa.String(2000), info=SPECIAL)
    changed: Mapped[str | None] = mapped_column(sa.String(2000), info=SPECIAL)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class QualificationProgramme(Base, TenantOwned):
    """The qualification programme NAV granted the resident: granted, from, to (the last day,
    inclusive), the children the child supplement is for, and the supplement's rate per day
    (the seed's NOK 27 unless entered otherwise — `stipend.CHILD_RATE`)."""

    __tablename__ = "aftercare_qualification_programme"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    granted_on: Mapped[dt.date]
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    children: Mapped[int] = mapped_column(default=0)
    child_rate_per_day: Mapped[Decimal] = mapped_column(Money)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "case_id"),)


class GValue(Base, TenantOwned):
    """One grunnbeløp (G) in the tenant's table: the day it took effect (normally 1 May), the
    amount in kroner, the source of the figure, who entered it and when."""

    __tablename__ = "aftercare_g_value"
    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[dt.date]
    amount: Mapped[Decimal] = mapped_column(Money)
    source: Mapped[str] = mapped_column(sa.String(400))
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    entered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "effective_from"),)
