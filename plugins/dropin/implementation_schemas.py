"""Request and response schemas of the implementation team: members, meetings, working groups,
the competence-development plan, the roll-out's phases, and the cadence (marshmallow; in the
OpenAPI document, and drawn as the pages' forms by the core's renderer).

Unknown fields are a 422 naming them; string lengths are the columns' (`column_limits`); each
PATCH schema is its POST schema with nothing required (`changes.changes_of`). The rules that need
the database or two fields are `implementation`'s. Response schemas are named Team…/Rollout…/
Cadence… so they do not clash with another plugin's in the OpenAPI document.
"""

from __future__ import annotations

from velferd.toolkit import MAX_ID, Id, column_limits, fields, ma, validate

from .changes import changes_of
from .implementation_models import (
    AUDIENCES,
    ORGANISATION_KINDS,
    PHASE_KINDS,
    CompetenceItem,
    RolloutPhase,
    TeamMeeting,
    TeamMember,
    WorkingGroup,
)
from .strict import Strict


def _text(required: bool = False, **metadata):
    """A nonempty string (blank is refused, not stored)."""
    return fields.String(required=required, allow_none=not required, validate=validate.Length(min=1),
                         metadata=metadata)


def _date(required: bool = False, **metadata):
    return fields.Date(required=required, allow_none=not required, metadata=metadata)


# --- inputs ---------------------------------------------------------------------------------------

@column_limits(TeamMember)
class TeamMemberInput(Strict):
    """A representative on the team (a professional: the name may be stored)."""

    name = _text(required=True, title="Name")
    organisation_kind = fields.String(
        required=True, validate=validate.OneOf(ORGANISATION_KINDS),
        metadata={"title": "Represents", "description": "The municipality, a centre, the council of socially "
                                                        "marginalised citizens (Rådet for socialt udsatte) or other"})
    centre_id = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=MAX_ID),
                               metadata={"title": "Centre", "description": "Only for a centre's representative"})
    organisation = _text(title="Organisation", description="Its name; a centre's name when left out for a centre")
    role = _text(required=True, title="Role in the team")
    active = fields.Boolean(load_default=True, metadata={"title": "Active"})


@column_limits(TeamMeeting)
class TeamMeetingInput(Strict):
    """A meeting the team has held (not in the future)."""

    held_on = _date(required=True, title="Held on")
    agenda = _text(required=True, title="Agenda")
    minutes = _text(title="Minutes")
    decisions = _text(title="Decisions")


@column_limits(WorkingGroup)
class WorkingGroupInput(Strict):
    """A working group set up by the team (arbejdsgruppe)."""

    name = _text(required=True, title="Name")
    purpose = _text(required=True, title="Purpose")
    members = _text(title="Members", description="Who is in it (professionals' names or functions)")
    started_on = _date(required=True, title="Started on")
    ended_on = _date(title="Ended on", description="Not before the start; empty while it works")


@column_limits(CompetenceItem)
class CompetenceItemInput(Strict):
    """An item of the shared competence-development plan (fælles kompetenceudviklingsplan)."""

    topic = _text(required=True, title="Topic")
    audience = fields.String(required=True, validate=validate.OneOf(AUDIENCES),
                             metadata={"title": "For whom", "description": "Municipal staff, centre staff, both, "
                                                                           "or the centres' volunteers"})
    planned_on = _date(required=True, title="Planned on")
    done_on = _date(title="Done on", description="Not after today; empty until it is done")


@column_limits(RolloutPhase)
class RolloutPhaseInput(Strict):
    """A phase of the roll-out (one of each kind, in order, not overlapping)."""

    kind = fields.String(required=True, validate=validate.OneOf(PHASE_KINDS),
                         metadata={"title": "Phase", "description": "Preparation, development or operation"})
    starts_on = _date(required=True, title="Starts on")
    ends_on = _date(title="Ends on", description="Not before the start; empty if it runs on")
    note = _text(title="Note")


TeamMemberChanges = changes_of(TeamMemberInput, "TeamMemberChanges", "A member's changes: only the fields given.")
TeamMeetingChanges = changes_of(TeamMeetingInput, "TeamMeetingChanges", "A meeting's changes: only the fields given.")
WorkingGroupChanges = changes_of(WorkingGroupInput, "WorkingGroupChanges", "A group's changes: only the fields given.")
CompetenceItemChanges = changes_of(CompetenceItemInput, "CompetenceItemChanges",
                                   "A plan item's changes: only the fields given (`done_on` marks it done).")
RolloutPhaseChanges = changes_of(RolloutPhaseInput, "RolloutPhaseChanges", "A phase's changes: only the fields given.")


class CadenceQuery(Strict):
    on = fields.Date(load_default=None, metadata={"title": "Day", "description": "Today if omitted"})


# --- responses ------------------------------------------------------------------------------------

class TeamMemberSchema(ma.Schema):
    id = fields.Integer(strict=True)
    name = fields.String()
    organisation_kind = fields.String(metadata={"enum": list(ORGANISATION_KINDS)})
    organisation = fields.String()
    centre_id = Id(strict=True, allow_none=True)
    role = fields.String()
    active = fields.Boolean()


class TeamMeetingSchema(ma.Schema):
    id = fields.Integer(strict=True)
    held_on = fields.Date()
    agenda = fields.String()
    minutes = fields.String(allow_none=True)
    decisions = fields.String(allow_none=True)


class WorkingGroupSchema(ma.Schema):
    id = fields.Integer(strict=True)
    name = fields.String()
    purpose = fields.String()
    members = fields.String(allow_none=True)
    started_on = fields.Date()
    ended_on = fields.Date(allow_none=True)


class CompetenceItemSchema(ma.Schema):
    id = fields.Integer(strict=True)
    topic = fields.String()
    audience = fields.String(metadata={"enum": list(AUDIENCES)})
    planned_on = fields.Date()
    done_on = fields.Date(allow_none=True)


class RolloutPhaseSchema(ma.Schema):
    id = fields.Integer(strict=True)
    kind = fields.String(metadata={"enum": list(PHASE_KINDS)})
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    note = fields.String(allow_none=True)


class RolloutSchema(ma.Schema):
    starts_on = fields.Date(allow_none=True, metadata={"description": "The first phase's start"})
    full_operation_on = fields.Date(allow_none=True, metadata={"description": "The operation phase's start (or the "
                                                                              "day after development ends)"})
    days = fields.Integer(strict=True, allow_none=True)
    warning = fields.String(allow_none=True, metadata={"description": "When the plan is outside the guide's one to "
                                                                      "one and a half years (a warning, not a refusal)"})


class CadenceSchema(ma.Schema):
    on = fields.Date()
    in_development = fields.Boolean(metadata={"description": "False: the cadence does not apply on the day"})
    every_days = fields.Integer(strict=True, allow_none=True)
    last_meeting_on = fields.Date(allow_none=True)
    due_on = fields.Date(allow_none=True)
    days_left = fields.Integer(strict=True, allow_none=True, metadata={"description": "Negative when overdue"})
    state = fields.String(allow_none=True, metadata={"enum": ["ok", "warning", "overdue"]})


class TeamSchema(ma.Schema):
    members = fields.List(fields.Nested(TeamMemberSchema))
    meetings = fields.List(fields.Nested(TeamMeetingSchema))
    working_groups = fields.List(fields.Nested(WorkingGroupSchema))
    plan = fields.List(fields.Nested(CompetenceItemSchema))
    phases = fields.List(fields.Nested(RolloutPhaseSchema))
    rollout = fields.Nested(RolloutSchema)
    cadence = fields.Nested(CadenceSchema)
