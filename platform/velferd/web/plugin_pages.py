"""Plugins' pages: each plugin's `WebPages` (velferd.plugins.specs) wired into the interface.

Its page blueprint is mounted under ``/t/<tenant>/x/<plugin id>`` and listed as the plugin's
in ``velferd.plugin_blueprints``, so the same check as its API answers 404 where the plugin is
not enabled (velferd.api.context); the pages get the core's error pages and no-cache header
(`serve_as_pages`). Its templates folder is searched after the core's (velferd.web.templating),
in the manner of CKAN's ``add_template_directory`` and datasette's plugin templates.

`case_panels` and `dashboard_widgets` render what a plugin adds to the case page and the leader
dashboard, for the enabled plugins and the permissions of this request's user.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, render_template
from flask_babel import gettext
from markupsafe import Markup

from velferd.auth import has_permission
from velferd.models import Case, Tenant
from velferd.plugins.enablement import enabled_plugin_ids, settings_for
from velferd.plugins.manager import PluginRegistry, registry
from velferd.tenancy import current_tenant
from velferd.web.blueprint import serve_as_pages
from velferd.web.templating import add_template_folder

PAGE_PREFIX = "/t/<tenant>/x"


def page_url_prefix(plugin_id: str) -> str:
    return f"{PAGE_PREFIX}/{plugin_id}"


@dataclass(frozen=True)
class Section:
    """A rendered panel or widget: its translated title and its HTML."""

    plugin_id: str
    title: str
    html: Markup


def init_app(app: Flask, plugins: PluginRegistry) -> None:
    owners = app.extensions.setdefault("velferd.plugin_blueprints", {})
    for plugin_id, pages in plugins.web.items():
        if pages.templates:
            add_template_folder(app, pages.templates)
        for blueprint in plugins.page_blueprints.get(plugin_id, []):
            app.register_blueprint(serve_as_pages(blueprint), url_prefix=page_url_prefix(plugin_id))
            owners[blueprint.name] = plugin_id


def _render(plugin_id: str, template: str, title: str, values: Mapping[str, Any]) -> Section:
    return Section(plugin_id, gettext(title) if title else "", Markup(render_template(template, **values)))


def case_panels(case: Case) -> list[Section]:
    """What the case's own plugin adds to its page (nothing when that plugin is switched off)."""
    town = current_tenant()
    pages = registry().web.get(case.plugin)
    if pages is None or case.plugin not in enabled_plugin_ids(town):
        return []
    settings = settings_for(town, case.plugin)
    sections = []
    for panel in pages.case_panels:
        if has_permission(panel.permission):
            extra = panel.context(case, settings) if panel.context else {}
            sections.append(_render(case.plugin, panel.template, panel.title,
                                    {"case": case, "settings": settings, **extra}))
    return sections


def dashboard_widgets(tenant: Tenant) -> list[Section]:
    """The boxes the enabled plugins add to the leader dashboard, for this user's permissions."""
    sections = []
    web = registry().web
    for plugin_id in sorted(enabled_plugin_ids(tenant) & set(web)):
        settings = settings_for(tenant, plugin_id)
        for widget in web[plugin_id].dashboard_widgets:
            if has_permission(widget.permission):
                extra = widget.context(tenant, settings) if widget.context else {}
                sections.append(_render(plugin_id, widget.template, widget.title,
                                        {"tenant": tenant, "settings": settings, **extra}))
    return sections
