"""The API of the implementation team, on the plugin's blueprint
(/api/t/<tenant>/x/dropin/implementation/...): the team as a whole with its cadence and the
roll-out's length, and each part (members, meetings, working groups, the competence plan, the
phases) listed, added and changed. Reading needs READ; writing needs IMPLEMENTATION_MANAGE."""

from __future__ import annotations

from velferd.toolkit import current_tenant, db, requires, settings_for

from . import cadence, implementation
from .api_kit import blp
from .implementation import GROUP_FIELDS, MEETING_FIELDS, MEMBER_FIELDS, PHASE_FIELDS, PLAN_FIELDS
from .implementation_schemas import (
    CadenceQuery,
    CadenceSchema,
    CompetenceItemChanges,
    CompetenceItemInput,
    CompetenceItemSchema,
    RolloutPhaseChanges,
    RolloutPhaseInput,
    RolloutPhaseSchema,
    TeamMeetingChanges,
    TeamMeetingInput,
    TeamMeetingSchema,
    TeamMemberChanges,
    TeamMemberInput,
    TeamMemberSchema,
    TeamSchema,
    WorkingGroupChanges,
    WorkingGroupInput,
    WorkingGroupSchema,
)
from .manifest import IMPLEMENTATION_MANAGE, PLUGIN_ID, READ

BASE = "/implementation"


def _settings():
    return settings_for(current_tenant(), PLUGIN_ID)


def _bodies(rows, names):
    return [implementation.body(row, names) for row in rows]


def _committed(row, names):
    db.session.commit()
    return implementation.body(row, names)


@blp.get(BASE)
@requires(READ)
@blp.arguments(CadenceQuery, location="query")
@blp.response(200, TeamSchema)
def read_team(query):
    """The implementation team: its members, meetings (latest first), working groups, competence
    plan, the roll-out's phases and planned length (with a warning outside one to one and a half
    years), and the meeting cadence on the day (`on`, today if omitted)."""
    listed = implementation.phases()
    return {"members": _bodies(implementation.members(), MEMBER_FIELDS),
            "meetings": _bodies(implementation.meetings(), MEETING_FIELDS),
            "working_groups": _bodies(implementation.working_groups(), GROUP_FIELDS),
            "plan": _bodies(implementation.plan_items(), PLAN_FIELDS),
            "phases": _bodies(listed, PHASE_FIELDS), "rollout": implementation.rollout(listed),
            "cadence": cadence.body(query["on"] or implementation.today(), _settings())}


@blp.get(BASE + "/cadence")
@requires(READ)
@blp.arguments(CadenceQuery, location="query")
@blp.response(200, CadenceSchema)
def read_cadence(query):
    """In the development phase, when the team's next meeting is due (the last meeting + the
    setting's days, 61 by default) and whether that is on time, due within 14 days, or overdue."""
    return cadence.body(query["on"] or implementation.today(), _settings())


# --- members --------------------------------------------------------------------------------------

@blp.post(BASE + "/members")
@requires(IMPLEMENTATION_MANAGE)
@blp.arguments(TeamMemberInput)
@blp.response(201, TeamMemberSchema)
def create_member(data):
    """Add a member: whom they represent (a centre's names the centre), their organisation, role."""
    return _committed(implementation.create_member(data), MEMBER_FIELDS)


@blp.patch(BASE + "/members/<int:member_id>")
@requires(IMPLEMENTATION_MANAGE)
@blp.arguments(TeamMemberChanges)
@blp.response(200, TeamMemberSchema)
def update_member(changes, member_id):
    """Change a member (or mark them no longer active)."""
    return _committed(implementation.update_member(implementation.member(member_id), changes), MEMBER_FIELDS)


# --- meetings -------------------------------------------------------------------------------------

@blp.post(BASE + "/meetings")
@requires(IMPLEMENTATION_MANAGE)
@blp.arguments(TeamMeetingInput)
@blp.response(201, TeamMeetingSchema)
def create_meeting(data):
    """Record a meeting the team has held (not in the future): agenda, minutes, decisions."""
    return _committed(implementation.create_meeting(data), MEETING_FIELDS)


@blp.patch(BASE + "/meetings/<int:meeting_id>")
@requires(IMPLEMENTATION_MANAGE)
@blp.arguments(TeamMeetingChanges)
@blp.response(200, TeamMeetingSchema)
def update_meeting(changes, meeting_id):
    """Change a meeting's record (its minutes and decisions are often written afterwards)."""
    return _committed(implementation.update_meeting(implementation.meeting(meeting_id), changes), MEETING_FIELDS)


# --- working groups -------------------------------------------------------------------------------

@blp.post(BASE + "/working-groups")
@requires(IMPLEMENTATION_MANAGE)
@blp.arguments(WorkingGroupInput)
@blp.response(201, WorkingGroupSchema)
def create_working_group(data):
    """Set up a working group (its name unique in the municipality; a 409 otherwise)."""
    return _committed(implementation.create_working_group(data), GROUP_FIELDS)


@blp.patch(BASE + "/working-groups/<int:group_id>")
@requires(IMPLEMENTATION_MANAGE)
@blp.arguments(WorkingGroupChanges)
@blp.response(200, WorkingGroupSchema)
def update_working_group(changes, group_id):
    """Change a working group, or end it (`ended_on`, not before it started)."""
    found = implementation.working_group(group_id)
    return _committed(implementation.update_working_group(found, changes), GROUP_FIELDS)


# --- the competence plan --------------------------------------------------------------------------

@blp.post(BASE + "/plan")
@requires(IMPLEMENTATION_MANAGE)
@blp.arguments(CompetenceItemInput)
@blp.response(201, CompetenceItemSchema)
def create_plan_item(data):
    """Add an item to the shared competence-development plan: the topic, for whom, when."""
    return _committed(implementation.create_plan_item(data), PLAN_FIELDS)


@blp.patch(BASE + "/plan/<int:item_id>")
@requires(IMPLEMENTATION_MANAGE)
@blp.arguments(CompetenceItemChanges)
@blp.response(200, CompetenceItemSchema)
def update_plan_item(changes, item_id):
    """Change a plan item or mark it done (`done_on`, not after today)."""
    return _committed(implementation.update_plan_item(implementation.plan_item(item_id), changes), PLAN_FIELDS)


# --- the phases -----------------------------------------------------------------------------------

@blp.post(BASE + "/phases")
@requires(IMPLEMENTATION_MANAGE)
@blp.arguments(RolloutPhaseInput)
@blp.response(201, RolloutPhaseSchema)
def create_phase(data):
    """Plan a phase of the roll-out (one of each kind; in order; not overlapping). The roll-out's
    length is warned about, not refused, in GET implementation."""
    return _committed(implementation.create_phase(data), PHASE_FIELDS)


@blp.patch(BASE + "/phases/<int:phase_id>")
@requires(IMPLEMENTATION_MANAGE)
@blp.arguments(RolloutPhaseChanges)
@blp.response(200, RolloutPhaseSchema)
def update_phase(changes, phase_id):
    """Change a phase's days or note (checked against the other phases as they will be)."""
    return _committed(implementation.update_phase(implementation.phase(phase_id), changes), PHASE_FIELDS)
