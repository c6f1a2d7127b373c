"""Who the plugin is: its manifest, the municipality's settings and the roles it adds.

The facts are Socialstyrelsen's and KORA's description and evaluation of strengthened social
outreach at drop-in centres ("styrket social indsats på væresteder", Haderslev, Holstebro and
Odense 2014–2016; ../shared/seeds/003_dbb2a96da9dea517.txt) and DOMAIN.md's section ``dropin``.
The roles follow the model: the municipality's outreach workers (a caseworker with authority
from the jobcenter, the social administration or the benefits office; the outreach
substance-abuse worker; the support and contact person, SKP) work at the centre; the centre's own
staff record the anonymous contacts and run the team activities; the coordinator keeps the
centres, their cooperation agreements, the published schedules and the implementation team.
"""

from __future__ import annotations

from pathlib import Path

from velferd.toolkit import Manifest, RetentionRule, Schema, fields, validate

PLUGIN_ID = "dropin"

# Permissions (checked with the toolkit's require_permission / requires)
READ = "dropin:read"                          # centres, agreements, schedules, contacts, figures
CENTRES_MANAGE = "dropin:centres:manage"      # centres and their cooperation agreements
SCHEDULE_MANAGE = "dropin:schedule:manage"    # presence at the centres, holidays and cancellations
CONTACT_RECORD = "dropin:contacts:record"     # a contact at the centre (anonymous or a person's)
CONSENT_RECORD = "dropin:consent:record"      # a citizen's consent, which makes a case of the contacts
MEETING_RECORD = "dropin:meetings:record"     # statutory meetings, where held and attendance
ACTIVITY_MANAGE = "dropin:activities:manage"  # team activities, sessions, participants, super-users
IMPLEMENTATION_MANAGE = "dropin:implementation:manage"  # the implementation team, its meetings and plan
EVALUATION_READ = "dropin:evaluation:read"    # the effects and the cost per citizen
COSTS_MANAGE = "dropin:costs:manage"          # the costs entered per service and year

_READ = ("cases:read", "persons:read", "decisions:read", "forms:read", "plugins:read", "units:read", "tokens:own", READ)
_OUTREACH = (*_READ, "cases:write", "persons:write", "forms:submit", "decisions:evaluate", CONTACT_RECORD,
             CONSENT_RECORD, MEETING_RECORD)
ROLES: dict[str, tuple[str, ...]] = {
    "dropin_outreach": _OUTREACH,                                  # a municipal worker at the centre
    "dropin_centre_staff": (READ, "plugins:read", "tokens:own", CONTACT_RECORD, ACTIVITY_MANAGE),
    "dropin_coordinator": (*_OUTREACH, CENTRES_MANAGE, SCHEDULE_MANAGE, ACTIVITY_MANAGE, IMPLEMENTATION_MANAGE,
                           EVALUATION_READ, COSTS_MANAGE, "dashboard:read"),
}


class Settings(Schema):
    """The municipality's settings; every write is validated whole (422 naming the field)."""

    implementation_meeting_days = fields.Integer(
        load_default=61, validate=validate.Range(min=7, max=366),
        metadata={"description": "The implementation team meets at least this often, in days "
                                 "(the model: at least every other month in the development phase)"})
    schedule_weeks_ahead = fields.Integer(
        load_default=4, validate=validate.Range(min=1, max=26),
        metadata={"description": "How many weeks ahead the published schedules are built"})


MANIFEST = Manifest(
    id=PLUGIN_ID,
    title="Outreach at drop-in centres",
    version="1.0",
    countries=("DK",),
    settings_schema=Settings,
    roles=ROLES,
    description="Municipal outreach at drop-in centres: published presence, contacts that start anonymous, "
                "statutory meetings at the centre, team activities, the implementation team and the evaluation.",
    migrations=str(Path(__file__).parent / "migrations" / "versions"),
)


#: How long a drop-in outreach case is kept (velferd.retention), in Denmark.
RETENTION = (
    RetentionRule(
        "dropin.case", "case", "case_closed", years=5, min_years=3, max_years=20, action="anonymise",
        source="databeskyttelsesloven / GDPR art. 5(1)(e); arkivloven § 7 and Rigsarkivets bevarings- og "
               "kassationsbestemmelser for kommunerne (sager efter serviceloven)",
        title="Outreach at drop-in centres: cases"),
)
