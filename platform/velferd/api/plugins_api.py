"""Tenant admins list, enable, disable and configure the programme plugins."""

from __future__ import annotations

from flask_smorest import Blueprint

from velferd.api.context import TENANT_PREFIX, tenant
from velferd.api.schemas import PluginStateSchema, SettingsSchema
from velferd.auth import current_user, requires
from velferd.db import db
from velferd.errors import NotFound
from velferd.plugins import enablement

blp = Blueprint("plugins", __name__, url_prefix=f"{TENANT_PREFIX}/plugins", description="Programme plugins of a tenant")


@blp.get("")
@requires("plugins:read")
@blp.response(200, PluginStateSchema(many=True))
def list_plugins():
    """The plugins offered in this tenant's country and not blocked, with their state."""
    return enablement.list_available(tenant())


@blp.get("/<plugin_id>")
@requires("plugins:read")
@blp.response(200, PluginStateSchema)
def read_plugin(plugin_id):
    """One plugin: whether it is enabled here, and its settings."""
    if plugin_id not in enablement.available_manifests(tenant()):
        raise NotFound(f"no plugin '{plugin_id}' is available to {tenant().name}")
    return enablement.plugin_state(tenant(), plugin_id)


@blp.put("/<plugin_id>/enabled")
@requires("plugins:manage")
@blp.response(200, PluginStateSchema)
def enable_plugin(plugin_id):
    """Switch a plugin on or off for this tenant (disabling keeps the data)."""
    state = enablement.set_enabled(tenant(), plugin_id, True, current_user())
    db.session.commit()
    return state


@blp.delete("/<plugin_id>/enabled")
@requires("plugins:manage")
@blp.response(200, PluginStateSchema)
def disable_plugin(plugin_id):
    """Switch the plugin off for this tenant; its settings and data are kept."""
    state = enablement.set_enabled(tenant(), plugin_id, False, current_user())
    db.session.commit()
    return state


@blp.patch("/<plugin_id>/settings")
@requires("plugins:manage")
@blp.arguments(SettingsSchema)
@blp.response(200, PluginStateSchema)
def update_settings(changes, plugin_id):
    """Change some settings; the result is validated whole by the plugin's schema (422 naming the field)."""
    state = enablement.update_settings(tenant(), plugin_id, changes, current_user())
    db.session.commit()
    return state
