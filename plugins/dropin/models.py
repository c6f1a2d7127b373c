"""The drop-in centres and their cooperation agreements — the data every part of the plugin
stands on.

Every table is tenant-owned (the toolkit's TenantOwned: ORM scoping, and PostgreSQL row-level
security from the migration), and tenant_id is in every unique constraint. A centre is private
or municipal ("private eller kommunale væresteder"); each has a cooperation agreement
(samarbejdsaftale) saying what the municipality and the centre each provide, and whether the
centre has a private room for confidential talks, which the model needs.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.toolkit import Base, TenantOwned, utcnow

OWNERSHIPS = ("private", "municipal")


class Centre(Base, TenantOwned):
    __tablename__ = "dropin_centre"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    ownership: Mapped[str] = mapped_column(sa.String(20))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    #: the public schedule's address: /p/dropin/<tenant>/<slug>
    slug: Mapped[str] = mapped_column(sa.String(80))
    private_room: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "name"), sa.UniqueConstraint("tenant_id", "slug"))


class Agreement(Base, TenantOwned):
    """A cooperation agreement between the municipality and a centre."""

    __tablename__ = "dropin_agreement"
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("dropin_centre.id"), index=True)
    parties: Mapped[str] = mapped_column(sa.String(500))
    municipality_provides: Mapped[str] = mapped_column(sa.String(2000))
    centre_provides: Mapped[str] = mapped_column(sa.String(2000))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date | None]
    renew_by: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
