"""Per-tenant plugin enablement and settings, and the operator's platform-wide block list."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.db import Base, TenantOwned, utcnow


class TenantPlugin(Base, TenantOwned):
    """One row per (tenant, plugin) once an admin has touched it; no row means disabled with
    the plugin's default settings. Disabling flips `enabled` and keeps everything else."""

    __tablename__ = "tenant_plugin"
    id: Mapped[int] = mapped_column(primary_key=True)
    plugin: Mapped[str] = mapped_column(sa.String(40))
    enabled: Mapped[bool] = mapped_column(default=False)
    settings: Mapped[dict] = mapped_column(default=dict)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "plugin"),)


class PluginBlock(Base):
    """A plugin the operator has withdrawn from every tenant (a security fix pending, say)."""

    __tablename__ = "plugin_block"
    plugin: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    blocked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    blocked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
