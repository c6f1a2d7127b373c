"""Municipalities (tenants) and their units: the services that refer, pay and follow up."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.db import Base, TenantOwned, Timestamped, utcnow

COUNTRY_DEFAULTS = {
    "NO": {"locale": "nb", "currency": "NOK", "time_zone": "Europe/Oslo"},
    "DK": {"locale": "da", "currency": "DKK", "time_zone": "Europe/Copenhagen"},
}

UNIT_KINDS = (
    "child_welfare", "nav_office", "health_and_care", "livsmestring", "forvaltning",
    "outreach", "jobcenter", "social_administration", "dropin_centre", "housing", "other",
)
PAYER_KINDS = ("internal", "external")
DELIVERY_CHANNELS = ("email", "ehf", "finance_export")


class Tenant(Base, Timestamped):
    """A municipality. Not tenant-owned itself: the slug in the URL is resolved against it."""

    __tablename__ = "tenant"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(63), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    country: Mapped[str] = mapped_column(sa.String(2))
    locale: Mapped[str] = mapped_column(sa.String(5))
    currency: Mapped[str] = mapped_column(sa.String(3))
    time_zone: Mapped[str] = mapped_column(sa.String(64))
    organisation_number: Mapped[str] = mapped_column(sa.String(9), unique=True)
    #: moved by triggers on every write to its plugin configuration (migration 0013); read fresh
    #: with the caller on each request (velferd.auth), never from a cached row (velferd.plugin_config)
    config_version: Mapped[int] = mapped_column(default=0, server_default="0")
    #: the municipality's policy for the citizen's access log (velferd.access_log): staff are shown
    #: by role and unit, and by name too only when this is set (migration 0016). Set by the
    #: operator for the municipality, as the tenant itself is; read fresh, never from a cached row
    access_log_staff_names: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    __table_args__ = (sa.CheckConstraint("country in ('NO', 'DK')", name="country"),)


class Unit(Base, TenantOwned, Timestamped):
    """A service inside a municipality (child welfare office, NAV office, …); one that pays is invoiced."""

    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(40))
    organisation_number: Mapped[str | None] = mapped_column(sa.String(9))
    payer_kind: Mapped[str | None] = mapped_column(sa.String(20))
    delivery_channel: Mapped[str | None] = mapped_column(sa.String(20))
    invoice_email: Mapped[str | None] = mapped_column(sa.String(254))
    address: Mapped[str | None] = mapped_column(sa.String(400))
    postal_code: Mapped[str | None] = mapped_column(sa.String(10))
    city: Mapped[str | None] = mapped_column(sa.String(100))
    country: Mapped[str | None] = mapped_column(sa.String(2))  # None: the tenant's country
    ehf_endpoint: Mapped[str | None] = mapped_column(sa.String(20))  # None: the organisation number
    buyer_reference: Mapped[str | None] = mapped_column(sa.String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)
