"""Who the plugin is: its manifest, per-tenant settings and the roles it adds.

Roles follow the seed (Kristiansand, May 2019): Forvaltning appoints the coordinator; NAV's
Spesialteamet and Livsmestring's Rusteamet draft Rusfaglig Forum decisions; the Forum's
coordinator or deputy gives the second signature; a complaint to the county governor is signed by
the Forum's leader and the head of Forvaltning.
"""

from __future__ import annotations

from pathlib import Path

from velferd.toolkit import Manifest, RetentionRule

PLUGIN_ID = "nav_split"

# Permissions (all checked through the toolkit's require_permission / requires).
ASSESS = "nav_split:assess"                      # submit the kartlegging form
ALLOCATE = "nav_split:allocate"                  # evaluate the allocation rule, appoint (case moves)
OVERRIDE = "nav_split:override"                  # override an allocation with a reason
ALLOCATION_READ = "nav_split:allocation:read"    # read a case's allocation and follow-up
FOLLOW_UP = "nav_split:follow_up"                # record follow-up and the financial caseworker
AGENDA_READ = "nav_split:agenda:read"
AGENDA_BUILD = "nav_split:agenda:build"          # build the week's agendas on demand
AGENDA_DECIDE = "nav_split:agenda:decide"        # record a meeting's outcome as a decision
FORUM_DECIDE = "nav_split:forum:decide"          # record Rusfaglig Forum's outcome (the Forum's roles only)
FORUM_READ = "nav_split:forum:read"
DRAFT_NAV = "nav_split:forum:draft_nav"          # Spesialteamet in NAV: NAV cases
DRAFT_LIVSMESTRING = "nav_split:forum:draft_livsmestring"  # Rusteamet: Livsmestring cases
APPROVE = "nav_split:forum:approve"              # second signature: Forum coordinator or deputy
COMPLAINT_PREPARE = "nav_split:complaint:prepare"
SIGN_AS_FORUM_LEADER = "nav_split:complaint:sign_forum_leader"
SIGN_AS_FORVALTNING_HEAD = "nav_split:complaint:sign_forvaltning_head"

_READ = ("cases:read", "persons:read", "decisions:read", "forms:read", "plugins:read", "units:read", "tokens:own")
_FORVALTNING = (*_READ, "cases:write", "persons:write", "forms:submit", ASSESS, ALLOCATE, OVERRIDE,
                ALLOCATION_READ, FOLLOW_UP, AGENDA_READ, AGENDA_BUILD, AGENDA_DECIDE, FORUM_READ)
_FORUM = (*_READ, ALLOCATION_READ, AGENDA_READ, AGENDA_BUILD, AGENDA_DECIDE, FORUM_DECIDE, FORUM_READ,
          COMPLAINT_PREPARE)

ROLES: dict[str, tuple[str, ...]] = {
    "forvaltning": _FORVALTNING,
    "forvaltning_head": (*_FORVALTNING, COMPLAINT_PREPARE, SIGN_AS_FORVALTNING_HEAD),
    "spesialteam": (*_READ, ALLOCATION_READ, FORUM_READ, DRAFT_NAV),
    "rusteam": (*_READ, ALLOCATION_READ, FORUM_READ, DRAFT_LIVSMESTRING),
    "forum_coordinator": (*_FORUM, APPROVE),
    "forum_deputy": (*_FORUM, APPROVE),
    "forum_leader": (*_FORUM, SIGN_AS_FORUM_LEADER),
    "nav_financial_caseworker": (*_READ, ALLOCATION_READ),
}


MANIFEST = Manifest(
    id=PLUGIN_ID,
    title="NAV or Livsmestring: who coordinates (Kristiansand)",
    version="1.0",
    countries=("NO",),
    roles=ROLES,
    description="Forvaltning's allocation of the coordinator to NAV or Livsmestring, "
                "cooperation meetings and Rusfaglig Forum.",
    migrations=str(Path(__file__).parent / "migrations" / "versions"),
)


#: How long an allocation case is kept (velferd.retention).
RETENTION = (
    RetentionRule(
        "nav_split.case", "case", "case_closed", years=10, min_years=5, max_years=25, action="anonymise",
        source="sosialtjenesteloven; helse- og omsorgstjenesteloven; arkivlova § 9 and Riksarkivarens forskrift "
               "kap. 7 del III (kommunale arkiv: sosiale tjenester)",
        title="NAV or Livsmestring: allocation cases"),
)
