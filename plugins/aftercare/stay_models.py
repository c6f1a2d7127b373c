"""A resident's stay and the occupancy of the flats — the tables the stays, the staircase, the
budget's empty-flat months and the occupancy board all read.

A stay belongs to one aftercare case (the core's case, workflow ``aftercare_stay``): it keeps the
application from treatment (institution, since when, the home municipality when it is not the
tenant's own — that municipality is then a partner on the case), the recorded consent (no consent,
no intake), the binding rules and agreement signed before intake, and the living phase's dates
(moved in, planned move-out, the limit, moved out and where to).

Occupancy is kept as periods, not as a flag on the flat, so the board can be drawn for any day and
the empty-flat months counted for any month: a period is half-open — from `starts_on` (the first
night) up to `ends_on` (the day the flat is free again; None while it lasts). A reservation is a
period of kind "reserved" that ends when the resident moves in.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.toolkit import PERSONAL, SPECIAL, Base, TenantOwned, utcnow

LIVING = "living"
RESERVED = "reserved"
OCCUPANCY_KINDS = (LIVING, RESERVED)


class Stay(Base, TenantOwned):
    __tablename__ = "aftercare_stay"
    __not_personal__ = ("destination",)  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    institution: Mapped[str] = mapped_column(sa.String(200), info=SPECIAL)
    treatment_started_on: Mapped[dt.date]
    treatment_ended_on: Mapped[dt.date | None]
    #: in treatment at the partner institution that has a flat at its disposal (Finnmarkskollektivet)
    at_partner_institution: Mapped[bool] = mapped_column(default=False)
    #: None: the tenant's own citizen; else the home municipality, a partner on the case
    home_municipality: Mapped[str | None] = mapped_column(sa.String(200), info=PERSONAL)
    consent_on: Mapped[dt.date | None]
    rules_agreed_on: Mapped[dt.date | None]
    flat_id: Mapped[int | None] = mapped_column(sa.ForeignKey("aftercare_flat.id"), index=True)
    moved_in_on: Mapped[dt.date | None]
    planned_move_out_on: Mapped[dt.date | None]
    #: the stay's limit: moved_in_on + the settings' stay_limit_months, later an extension's date
    limit_on: Mapped[dt.date | None]
    moved_out_on: Mapped[dt.date | None]
    destination: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "case_id"),)


class Occupancy(Base, TenantOwned):
    __tablename__ = "aftercare_occupancy"
    __not_personal__ = ("kind",)  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    flat_id: Mapped[int] = mapped_column(sa.ForeignKey("aftercare_flat.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date | None]
    note: Mapped[str | None] = mapped_column(sa.String(500), info=SPECIAL)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
