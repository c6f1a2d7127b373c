"""What a role is called on a page: the core roles' names in the page language; a plugin's role
(``due_coordinator``) by its title in the plugin's catalogue when it has one, else its id."""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext

CORE_ROLE_TITLES = {
    "tenant_admin": lazy_gettext("Municipality administrator"), "caseworker": lazy_gettext("Caseworker"),
    "coordinator": lazy_gettext("Coordinator"), "leader": lazy_gettext("Leader"),
    "finance": lazy_gettext("Finance"), "auditor": lazy_gettext("Auditor"),
}


def role_title(role: str | None) -> str:
    if not role:
        return "–"
    title = CORE_ROLE_TITLES.get(role)
    return str(title) if title is not None else gettext(role)
