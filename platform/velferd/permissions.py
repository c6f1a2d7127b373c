"""Roles and the permissions they grant — the one table every permission check reads.

Plugins add roles, or extend core roles with permissions, through their manifest's ``roles``.
"""

from __future__ import annotations

from typing import Iterable

CORE_ROLES: dict[str, frozenset[str]] = {
    "tenant_admin": frozenset({
        "plugins:read", "plugins:manage", "members:manage", "units:read", "units:manage",
        "tokens:own", "audit:read", "invoices:read", "billing:manage", "jobs:read", "jobs:retry",
        "retention:read", "retention:manage", "retention:approve",
    }),
    "caseworker": frozenset({
        "persons:read", "persons:write", "cases:read", "cases:write", "forms:submit",
        "forms:read", "decisions:read", "decisions:evaluate", "units:read", "plugins:read", "tokens:own",
    }),
    "coordinator": frozenset({
        "persons:read", "cases:read", "cases:write", "forms:submit", "forms:read",
        "decisions:read", "units:read", "plugins:read", "tokens:own",
    }),
    "leader": frozenset({
        "persons:read", "persons:write", "cases:read", "cases:write", "forms:submit", "forms:read",
        "decisions:read", "decisions:evaluate", "decisions:override", "units:read", "plugins:read",
        "tokens:own", "dashboard:read",
    }),
    "finance": frozenset({
        "units:read", "units:manage", "invoices:read", "invoices:manage", "invoices:run", "invoices:credit",
        "billing:manage", "tokens:own",
    }),
    "auditor": frozenset({"audit:read", "plugins:read", "units:read", "invoices:read", "tokens:own"}),
    #: the municipality's archivist or privacy officer: reviews and approves disposals (retention)
    "archivist": frozenset({"retention:read", "retention:approve", "audit:read", "units:read", "plugins:read",
                            "tokens:own"}),
}


def role_table(plugin_roles: Iterable[dict[str, Iterable[str]]]) -> dict[str, frozenset[str]]:
    """Core roles merged with every plugin's additions."""
    table = {role: set(perms) for role, perms in CORE_ROLES.items()}
    for roles in plugin_roles:
        for role, perms in roles.items():
            table.setdefault(role, set()).update(perms)
    return {role: frozenset(perms) for role, perms in table.items()}


def permissions_for(roles: Iterable[str], table: dict[str, frozenset[str]]) -> frozenset[str]:
    granted: set[str] = set()
    for role in roles:
        granted |= table.get(role, frozenset())
    return frozenset(granted)


#: How much of the municipality's case records each core role may know of (velferd.need_to_know),
#: narrowest first. A role not named here — a plugin's — has the narrowest, ``team``.
SCOPE_ORDER = ("team", "unit", "all")
CASE_SCOPES: dict[str, str] = {
    "caseworker": "team", "coordinator": "team", "leader": "unit",
    # roles that answer for the municipality as a whole: the audit trail, invoices, the archive
    "tenant_admin": "all", "finance": "all", "auditor": "all", "archivist": "all",
}


def widest_scope(roles: Iterable[str], scopes: dict[str, str] = CASE_SCOPES) -> str:
    """The widest scope of `roles` (a member has what their widest role gives)."""
    return max((scopes.get(role, SCOPE_ORDER[0]) for role in roles), key=SCOPE_ORDER.index, default=SCOPE_ORDER[0])
