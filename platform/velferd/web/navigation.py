"""The main menu: the core's entries, then those of the plugins the municipality enabled, each
shown only to a user holding its permission (a menu never offers a page that answers 403).

A core page module adds its entry with `core_entry` when it is imported (velferd.web's
``__init__`` imports them; `MENU_ORDER` places them); a plugin lists its entries in ``WebPages.menu``
(velferd.plugins.specs.PageLink), with English titles looked up in its catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, request, url_for
from flask_babel import gettext

from velferd.plugins.enablement import enabled_plugin_ids
from velferd.plugins.manager import registry
from velferd.tenancy import current_tenant


@dataclass(frozen=True)
class CoreEntry:
    endpoint: str
    title: object  # a lazy_gettext string: translated when the menu is drawn
    permission: str | None = None
    order: int = 50


@dataclass(frozen=True)
class MenuItem:
    """One link of the menu as a page draws it."""

    url: str
    title: str
    current: bool


_CORE_ENTRIES: list[CoreEntry] = []


#: Where the core's entries stand in the menu (lower first); an endpoint not named is placed at 50.
MENU_ORDER = {"web.caseload": 10, "web.tasks": 20, "web.people": 30, "web.dashboard": 40,
              "web.finance": 60, "web.admin": 70, "web.access_log": 80, "web.retention": 85}


def core_entry(endpoint: str, title: object, permission: str | None = None) -> None:
    """Add a core page to the menu (once per endpoint), at its place in `MENU_ORDER`."""
    if all(entry.endpoint != endpoint for entry in _CORE_ENTRIES):
        _CORE_ENTRIES.append(CoreEntry(endpoint, title, permission, MENU_ORDER.get(endpoint, 50)))
        _CORE_ENTRIES.sort(key=lambda entry: entry.order)


def menu() -> list[MenuItem]:
    """The menu for the user and municipality of this request."""
    town = current_tenant()
    if town is None:
        return []
    allowed = g.get("velferd_permissions", frozenset())
    items = [MenuItem(url_for(e.endpoint, tenant=town.slug), str(e.title), request.endpoint == e.endpoint)
             for e in _CORE_ENTRIES if e.permission is None or e.permission in allowed]
    pages = registry().web
    for plugin_id in sorted(enabled_plugin_ids(town) & set(pages)):
        items += [MenuItem(url_for(link.endpoint, tenant=town.slug), gettext(link.title),
                           request.endpoint == link.endpoint)
                  for link in pages[plugin_id].menu if link.permission in allowed]
    return items
