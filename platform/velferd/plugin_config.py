"""A tenant's plugin configuration — which plugins are switched on, their stored settings — kept in
memory per process, and read again as soon as it may have changed.

Reading it costs a query, and nearly every request needs it (a plugin's routes exist only where it
is enabled; a transition reads the plugin's settings). It changes rarely: an admin switching a
plugin, changing its settings, or the operator blocking one. So each web process keeps the last
copy per tenant, labelled with the tenant's ``config_version``: a counter that triggers move on
every write to ``tenant_plugin`` and ``plugin_block`` (migration 0013), whatever wrote it.

The counter is read fresh on every request, in the query that authenticates the caller
(velferd.auth calls `note_version`), so it costs no round trip. A copy labelled with another
value is not used: the next request in every process after an admin's change reads the
configuration again. Within the request that made the change, `forget` drops both the label and
the copy, so the rest of that request reads its own uncommitted change.

Outside a request that read the counter (a task, a command, a public page), the configuration is
read once per unit of work and not shared, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app, g

from velferd.db import db
from velferd.models import PluginBlock, Tenant, TenantPlugin

#: per unit of work (request, task, command): tenant id → PluginConfig (popped by set_current_tenant)
UNIT_OF_WORK_KEY = "velferd_enabled_plugins"
VERSION_KEY = "velferd_config_version"
PROCESS_KEY = "velferd.plugin_config"


@dataclass(frozen=True)
class PluginConfig:
    """The tenant's rows of ``tenant_plugin`` as of `version` (None: not known, not shared)."""

    version: int | None
    switched_on: frozenset[str]  # enabled by the tenant and not blocked by the operator
    stored_settings: Mapping[str, Mapping[str, Any]]


def note_version(tenant_id: int, version: int) -> None:
    """The request's tenant has configuration version `version` (read with the caller)."""
    setattr(g, VERSION_KEY, (tenant_id, version))


def _process_copies() -> dict[int, PluginConfig]:
    return current_app.extensions.setdefault(PROCESS_KEY, {})


def _read(version: int | None) -> PluginConfig:
    """One query, scoped to the tenant in scope (ORM criteria and RLS)."""
    blocked = sa.exists().where(PluginBlock.plugin == TenantPlugin.plugin)
    rows = db.session.execute(sa.select(TenantPlugin.plugin, TenantPlugin.enabled, TenantPlugin.settings, blocked)).all()
    return PluginConfig(
        version=version,
        switched_on=frozenset(plugin for plugin, enabled, _, is_blocked in rows if enabled and not is_blocked),
        stored_settings={plugin: settings or {} for plugin, _, settings, _ in rows},
    )


def config_for(tenant: Tenant) -> PluginConfig:
    """The configuration of `tenant`, which must be the tenant in scope."""
    known = g.get(VERSION_KEY)
    if known is not None and known[0] == tenant.id:
        copies = _process_copies()
        copy = copies.get(tenant.id)
        if copy is None or copy.version != known[1]:
            copy = copies[tenant.id] = _read(known[1])
        return copy
    per_unit = g.setdefault(UNIT_OF_WORK_KEY, {})
    if tenant.id not in per_unit:
        per_unit[tenant.id] = _read(None)
    return per_unit[tenant.id]


def forget(tenant_id: int | None = None) -> None:
    """This unit of work changed the configuration of `tenant_id` (None: of every tenant, as a
    block does): read it again from now on, here and, through the counter, in every process."""
    g.pop(UNIT_OF_WORK_KEY, None)
    g.pop(VERSION_KEY, None)
    copies = _process_copies()
    if tenant_id is None:
        copies.clear()
    else:
        copies.pop(tenant_id, None)
