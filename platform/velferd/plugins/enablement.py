"""Which plugins a tenant has switched on, with which settings — and calling their runtime hooks.

A plugin is *available* to a tenant when it is installed, offered in the tenant's country and
not blocked by the operator. It is *enabled* when the tenant's admin switched it on and it is
still available. Settings are always written through the plugin's schema (unknown keys and
bad values are refused with 422) and read back with the schema's defaults filled in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from velferd import audit
from velferd.db import db
from velferd.errors import Conflict, NotFound, ValidationFailed
from velferd.models import PluginBlock, Tenant, TenantPlugin, User
from velferd import plugin_config
from velferd.plugins import hookspecs
from velferd.plugins.manager import PluginError, registry
from velferd.plugins.specs import Manifest


@dataclass(frozen=True)
class PluginState:
    manifest: Manifest
    enabled: bool
    settings: Mapping[str, Any]


def blocked_plugins() -> dict[str, PluginBlock]:
    return {b.plugin: b for b in db.session.scalars(sa.select(PluginBlock))}


def available_manifests(tenant: Tenant) -> dict[str, Manifest]:
    blocked = blocked_plugins()
    return {
        pid: m for pid, m in registry().manifests.items()
        if tenant.country in m.countries and pid not in blocked
    }


def enabled_plugin_ids(tenant: Tenant) -> frozenset[str]:
    """The plugins switched on for `tenant` that are still available to it (velferd.plugin_config
    keeps the rows per process while the tenant's configuration version stands)."""
    manifests = registry().manifests
    return frozenset(pid for pid in plugin_config.config_for(tenant).switched_on
                     if pid in manifests and tenant.country in manifests[pid].countries)


def _forget_cache(tenant: Tenant | None = None) -> None:
    plugin_config.forget(tenant.id if tenant is not None else None)


def require_enabled(tenant: Tenant, plugin_id: str) -> Manifest:
    """404 unless `plugin_id` is enabled for `tenant`: to everyone else the plugin does not exist."""
    if plugin_id not in enabled_plugin_ids(tenant):
        raise NotFound(f"no plugin '{plugin_id}' is enabled for {tenant.name}")
    return registry().manifests[plugin_id]


def _installed(plugin_id: str) -> Manifest:
    manifest = registry().manifest(plugin_id)
    if manifest is None:
        raise NotFound(f"no plugin '{plugin_id}' is installed")
    return manifest


def _available(tenant: Tenant, plugin_id: str) -> Manifest:
    manifest = _installed(plugin_id)
    if tenant.country not in manifest.countries:
        raise NotFound(f"plugin '{plugin_id}' is not offered in {tenant.country}")
    block = db.session.get(PluginBlock, plugin_id)
    if block is not None:
        raise Conflict(f"plugin '{plugin_id}' is blocked by the operator: {block.reason}")
    return manifest


def _row(plugin_id: str) -> TenantPlugin | None:
    return db.session.scalar(sa.select(TenantPlugin).where(TenantPlugin.plugin == plugin_id))


def _load_settings(manifest: Manifest, raw: Mapping[str, Any], unknown: str = ma.RAISE) -> dict[str, Any]:
    if manifest.settings_schema is None:
        if raw:
            raise ValidationFailed(f"plugin '{manifest.id}' has no settings", {k: ["Unknown field."] for k in raw})
        return {}
    try:
        return manifest.settings_schema(unknown=unknown).load(raw)
    except ma.ValidationError as error:
        raise ValidationFailed.from_marshmallow(error, f"settings for '{manifest.id}'") from None


def settings_for(tenant: Tenant, plugin_id: str) -> dict[str, Any]:
    """The tenant's settings for a plugin, as loaded by its schema (defaults filled in)."""
    manifest = registry().manifests[plugin_id]
    stored = plugin_config.config_for(tenant).stored_settings.get(plugin_id, {})
    # stored keys a newer plugin version no longer declares are ignored on read, refused on write
    return _load_settings(manifest, stored, unknown=ma.EXCLUDE)


def _dumped(manifest: Manifest, settings: Mapping[str, Any]) -> dict[str, Any]:
    return manifest.settings_schema().dump(settings) if manifest.settings_schema else {}


def plugin_state(tenant: Tenant, plugin_id: str) -> PluginState:
    manifest = registry().manifests[plugin_id]
    return PluginState(manifest, plugin_id in enabled_plugin_ids(tenant), _dumped(manifest, settings_for(tenant, plugin_id)))


def list_available(tenant: Tenant) -> list[PluginState]:
    return [plugin_state(tenant, pid) for pid in sorted(available_manifests(tenant))]


@dataclass(frozen=True)
class Unavailable:
    """An installed plugin `tenant` cannot switch on, and why: the operator blocked it for every
    municipality (`blocked_because`, the operator's words), or it is not offered in the tenant's
    country (`offered_here` false). The API's list leaves these out; the admin page shows them."""

    manifest: Manifest
    blocked_because: str | None
    offered_here: bool


def list_unavailable(tenant: Tenant) -> list[Unavailable]:
    blocked = blocked_plugins()
    available = available_manifests(tenant)
    return [Unavailable(m, blocked[pid].reason if pid in blocked else None, tenant.country in m.countries)
            for pid, m in sorted(registry().manifests.items()) if pid not in available]


def set_enabled(tenant: Tenant, plugin_id: str, enabled: bool, actor: User | None) -> PluginState:
    """Switch a plugin on or off for a tenant. Switching off keeps its settings and data, and
    is allowed even while the operator blocks the plugin (so it stays off after the block)."""
    manifest = _available(tenant, plugin_id) if enabled else _installed(plugin_id)
    row = _row(plugin_id)
    if row is None:
        row = TenantPlugin(plugin=plugin_id, settings=_dumped(manifest, _load_settings(manifest, {})))
        db.session.add(row)
    was = bool(row.enabled)
    row.enabled = enabled
    row.changed_by_id = actor.id if actor else None
    db.session.flush()
    _forget_cache(tenant)
    if was != enabled:
        audit.record("plugin.enabled" if enabled else "plugin.disabled", "tenant_plugin", plugin_id)
    return plugin_state(tenant, plugin_id)


def update_settings(tenant: Tenant, plugin_id: str, changes: Mapping[str, Any], actor: User | None) -> PluginState:
    """Merge `changes` into the stored settings and validate the whole against the schema."""
    manifest = _available(tenant, plugin_id)
    row = _row(plugin_id)
    before = row.settings if row else _dumped(manifest, _load_settings(manifest, {}))
    loaded = _load_settings(manifest, {**before, **changes})
    after = _dumped(manifest, loaded)
    if row is None:
        row = TenantPlugin(plugin=plugin_id, enabled=False)
        db.session.add(row)
    row.settings = after
    row.changed_by_id = actor.id if actor else None
    db.session.flush()
    _forget_cache(tenant)
    changed = sorted(k for k in after if before.get(k) != after.get(k))
    audit.record("plugin.settings_changed", "tenant_plugin", plugin_id, details={"changed": changed})
    return plugin_state(tenant, plugin_id)


def block(plugin_id: str, reason: str, actor: User) -> PluginBlock:
    _installed(plugin_id)
    block_row = db.session.get(PluginBlock, plugin_id) or PluginBlock(plugin=plugin_id)
    block_row.reason = reason
    block_row.blocked_by_id = actor.id
    db.session.add(block_row)
    audit.record_operator("plugin.blocked", "plugin", plugin_id, {"reason": reason})
    _forget_cache()
    return block_row


def unblock(plugin_id: str, actor: User) -> None:
    block_row = db.session.get(PluginBlock, plugin_id)
    if block_row is None:
        raise NotFound(f"plugin '{plugin_id}' is not blocked")
    db.session.delete(block_row)
    audit.record_operator("plugin.unblocked", "plugin", plugin_id)
    _forget_cache()


def call_hook(name: str, tenant: Tenant, **kwargs: Any) -> list[Any]:
    """Call a hook meant for every plugin `tenant` enabled (`hookspecs.EVERY_ENABLED_PLUGIN`), and
    no others. An event about one plugin's record goes through `call_owner_hook` instead."""
    if name not in hookspecs.EVERY_ENABLED_PLUGIN:
        raise PluginError(f"{name} is not a hook for every enabled plugin"
                          + (" (it reaches the record's owner: call_owner_hook)" if name in hookspecs.OWNER_ARGUMENT
                             else ""))
    return registry().runtime_hook(name, enabled_plugin_ids(tenant))(tenant=tenant, **kwargs)


def call_hook_by_plugin(name: str, tenant: Tenant, **kwargs: Any) -> dict[str, list[Any]]:
    """`call_hook`, one enabled plugin at a time: plugin id → what it returned (a plugin that does
    not implement the hook is left out), for a caller that must say which plugin gave what (the
    person's data export names the source of every table)."""
    if name not in hookspecs.EVERY_ENABLED_PLUGIN:
        raise PluginError(f"{name} is not a hook for every enabled plugin")
    plugins = registry()
    implementing = {impl.plugin_name for impl in getattr(plugins.pm.hook, name).get_hookimpls()}
    return {plugin_id: plugins.runtime_hook(name, {plugin_id})(tenant=tenant, **kwargs)
            for plugin_id in sorted(enabled_plugin_ids(tenant) & implementing)}


def call_owner_hook(name: str, tenant: Tenant, **kwargs: Any) -> list[Any]:
    """Tell the plugin that owns the record an event is about, and no other: the owner is the
    ``plugin`` of the argument `hookspecs.OWNER_ARGUMENT` names (the case, the submission, the
    decision); nothing is called when `tenant` has not enabled it."""
    owner = kwargs[hookspecs.OWNER_ARGUMENT[name]].plugin
    reaching = {owner} & enabled_plugin_ids(tenant)
    return registry().runtime_hook(name, reaching)(tenant=tenant, **kwargs)
