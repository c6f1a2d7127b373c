"""The building and its flats — the data every part of the plugin stands on.

Every table is tenant-owned (the toolkit's TenantOwned: ORM scoping, and PostgreSQL row-level
security from the migration), and tenant_id is in every unique constraint. The flats are data, not
constants: Alta's building has 7 (6 single units, 1 family flat, one at Finnmarkskollektivet's
disposal), another municipality's may have others. Each part of the plugin keeps its own tables in
its own module (occupancy, staircase, plans, stipend, rota, budget).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.toolkit import Base, TenantOwned, utcnow

FLAT_KINDS = ("single", "family")
#: who may allocate a flat: the municipality (its leader), or a partner (Finnmarkskollektivet)
ALLOCATED_BY = ("municipality", "partner")


class Building(Base, TenantOwned):
    """A building with aftercare flats (Alta: one, owned by Stiftelsen Utleieboliger, with a common
    room and a staff room; each flat has its own entrance)."""

    __tablename__ = "aftercare_building"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    owner: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    common_room: Mapped[bool] = mapped_column(default=False)
    staff_room: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)


class Flat(Base, TenantOwned):
    """One flat: its kind, whether it has its own entrance, and who allocates it (`allocated_by`
    "partner": the partner named in `partner_name` — Finnmarkskollektivet — allocates it, for a
    person who has been in treatment there for the settings' ``partner_treatment_months``)."""

    __tablename__ = "aftercare_flat"
    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(sa.ForeignKey("aftercare_building.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(40))
    kind: Mapped[str] = mapped_column(sa.String(20))
    own_entrance: Mapped[bool] = mapped_column(default=True)
    allocated_by: Mapped[str] = mapped_column(sa.String(20), default="municipality")
    partner_name: Mapped[str | None] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "building_id", "label"),)
