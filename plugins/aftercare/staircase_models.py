"""The staircase's tables (trappetrinnsmodellen): the steps as data, a resident's placements on
them, the contract of each placement and the breaches of rules and agreements.

The steps are data per municipality, not constants: Alta's plan takes the typical housing ladder
(Dyb 2002) — "Trinn 2: Treningsleilighet, små leiligheter. Midlertidig, prøvetid, spesialkontrakt
Trinn 3: Vanlig leilighet, spesialkontrakt, begrensede rettigheter, prøvetid Trinn 4: Vanlig
leilighet, spesialkontrakt, flere rettigheter, prøvetid Trinn 5: Vanlig leilighet, ordinær
leiekontrakt" — without its first step: "Prosjektet her opererer ikke med hospits og herberge
nivået". Alongside the ladder runs the ladder of help ("tiltakstrappen"): "Tiltakene og hjelpen
avtar i takt med beboernes avansement i boligtrappen", kept as each step's help and control level.

A placement is a half-open period on one step, from `starts_on` up to `ends_on` (None while it
lasts); a move ends one and starts the next on the same day. The move's decision (the core's,
with its reasons) is on the placement; the placement at move-in has none — intake is the stays'
decision. Every placement has its contract, "ordinær og spesialhusleiekontrakt" between resident
and owner. A breach is recorded when it happens; `decision_id` is the applied decision that moved
the resident down for it (None until then).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.toolkit import PERSONAL, Base, TenantOwned, utcnow
from velferd.toolkit import SPECIAL as SPECIAL_CATEGORY  # art. 9 data; SPECIAL below is a contract kind

SPECIAL = "special"
ORDINARY = "ordinary"
CONTRACT_KINDS = (SPECIAL, ORDINARY)
#: the level of help and of control on a step, most first: they decrease as the resident rises
LEVELS = ("high", "medium", "low", "minimal")
BREACH_KINDS = ("rule", "agreement")


class Step(Base, TenantOwned):
    """One step of the staircase: its contract kind, its trial period (months; None: no trial),
    the resident's rights and the level of help and of control that go with it."""

    __tablename__ = "aftercare_step"
    __audit_person_link__ = None  # about no one: the municipality's ladder
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(100))
    contract_kind: Mapped[str] = mapped_column(sa.String(20))
    trial_months: Mapped[int | None]
    rights: Mapped[str] = mapped_column(sa.String(1000))
    help_level: Mapped[str] = mapped_column(sa.String(20))
    control_level: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "number"),)


class StepPlacement(Base, TenantOwned):
    """A resident on one step from `starts_on` up to `ends_on`; the trial period runs until
    `trial_ends_on` (None: the step has none)."""

    __tablename__ = "aftercare_step_placement"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    step: Mapped[int]
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date | None]
    trial_ends_on: Mapped[dt.date | None]
    decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decision.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Lease(Base, TenantOwned):
    """The contract of a placement between the resident and the flat's owner (Alta: Stiftelsen
    Utleieboliger): a special contract on steps 2–4, an ordinary lease on step 5."""

    __tablename__ = "aftercare_lease"
    __not_personal__ = ("kind",)  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    placement_id: Mapped[int] = mapped_column(sa.ForeignKey("aftercare_step_placement.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    owner: Mapped[str] = mapped_column(sa.String(200), info=PERSONAL)
    signed_on: Mapped[dt.date]
    note: Mapped[str | None] = mapped_column(sa.String(500), info=SPECIAL_CATEGORY)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "placement_id"),)


class Breach(Base, TenantOwned):
    """A breach of a rule or of the agreement ("Dersom den bustadslause bryt ein regel eller
    avtale"), as staff recorded it."""

    __tablename__ = "aftercare_breach"
    __not_personal__ = ("kind",)  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    occurred_on: Mapped[dt.date]
    kind: Mapped[str] = mapped_column(sa.String(20))
    description: Mapped[str] = mapped_column(sa.String(2000), info=SPECIAL_CATEGORY)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decision.id"), index=True)
