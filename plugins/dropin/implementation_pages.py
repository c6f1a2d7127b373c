"""The implementation team's page: the cadence first (in the development phase: when the next
meeting is due, and whether that is soon or overdue), the roll-out's phases and planned length
(a warning outside the guide's one to one and a half years, with its words), the members, the
meetings, the working groups and the competence-development plan — and, for whoever holds
IMPLEMENTATION_MANAGE, the forms that add to each and mark a plan item done.

The forms post what the API's schemas load (`implementation_schemas`, through the toolkit's
`attempt_form`) to the same services (`implementation`), so a page refuses what the API refuses:
a 422 names its inputs, a 409 says why, the page drawn again with what was typed and the error
summary first. Reading needs READ.
"""

from __future__ import annotations

from velferd.toolkit import (
    ValidationFailed,
    current_tenant,
    form_fields,
    gettext,
    has_permission,
    require_permission,
    settings_for,
)

from . import cadence, centres, implementation
from .implementation_schemas import (
    CompetenceItemChanges,
    CompetenceItemInput,
    RolloutPhaseInput,
    TeamMeetingInput,
    TeamMemberInput,
    WorkingGroupInput,
)
from .manifest import IMPLEMENTATION_MANAGE, PLUGIN_ID, READ
from .markers import N_
from .page_kit import Refusal, attempt, blp, done, page

ENDPOINT = "dropin_pages.implementation_page"
TEMPLATE = "dropin/implementation/team.html"
#: the page's add forms: form id → (schema, service, confirmation marked for the catalogue)
FORMS = {
    "member": (TeamMemberInput, implementation.create_member, N_("The member is added.")),
    "meeting": (TeamMeetingInput, implementation.create_meeting, N_("The meeting is recorded.")),
    "working-group": (WorkingGroupInput, implementation.create_working_group, N_("The working group is added.")),
    "plan-item": (CompetenceItemInput, implementation.create_plan_item, N_("The item is added to the plan.")),
    "phase": (RolloutPhaseInput, implementation.create_phase, N_("The phase is planned.")),
}
DONE_FORM = "plan-done"


def _form(form_id: str, failed: Refusal | None, hide: tuple[str, ...] = ()) -> dict:
    schema = FORMS[form_id][0]
    mine = failed.of(form_id) if failed else None
    return {"id": form_id, "fields": [one for one in form_fields(schema) if one.key not in hide],
            "values": mine.values if mine else {}, "errors": mine.errors if mine else {}}


def _team_page(failed: Refusal | None = None):
    require_permission(READ)
    on = implementation.today()
    listed = implementation.phases()
    forms = {form_id: _form(form_id, failed, ("centre_id",) if form_id == "member" else ())
             for form_id in FORMS}
    if not (failed and failed.of("member")):
        forms["member"]["values"] = {"active": "on"}
    return page(TEMPLATE, gettext("Implementation team"), failed.status if failed else 200, failed=failed,
                cadence=cadence.status(on, settings_for(current_tenant(), PLUGIN_ID)), on=on,
                state_texts=cadence.STATE_TEXTS, cadence_quote=cadence.CADENCE_QUOTE, warn_days=cadence.WARN_DAYS,
                phases=listed, rollout=implementation.rollout(listed), rollout_quote=implementation.ROLLOUT_QUOTE,
                members=implementation.members(), meetings=implementation.meetings(),
                working_groups=implementation.working_groups(), plan=implementation.plan_items(),
                centres={found.id: found for found in centres.centres()},
                may_manage=has_permission(IMPLEMENTATION_MANAGE), forms=forms,
                done_failed=failed if failed and failed.form_id.startswith(DONE_FORM) else None)


@blp.get("/implementation")
def implementation_page():
    """The implementation team: its cadence, phases, members, meetings, working groups and plan."""
    return _team_page()


def _add(form_id: str):
    require_permission(IMPLEMENTATION_MANAGE)
    schema, service, confirmation = FORMS[form_id]
    _, refused = attempt(form_id, schema, service)
    if refused:
        return _team_page(refused)
    return done(gettext(confirmation), ENDPOINT)


@blp.post("/implementation/members")
def add_member():
    """Add a member (the API's POST implementation/members)."""
    return _add("member")


@blp.post("/implementation/meetings")
def add_meeting():
    """Record a meeting held (the API's POST implementation/meetings)."""
    return _add("meeting")


@blp.post("/implementation/working-groups")
def add_working_group():
    """Add a working group (the API's POST implementation/working-groups)."""
    return _add("working-group")


@blp.post("/implementation/plan")
def add_plan_item():
    """Add an item to the competence-development plan (the API's POST implementation/plan)."""
    return _add("plan-item")


@blp.post("/implementation/phases")
def add_phase():
    """Plan a phase of the roll-out (the API's POST implementation/phases)."""
    return _add("phase")


@blp.post("/implementation/plan/<int:item_id>")
def mark_plan_item_done(item_id: int):
    """Mark a plan item done on a day (the API's PATCH implementation/plan/<id> with `done_on`)."""
    require_permission(IMPLEMENTATION_MANAGE)
    found = implementation.plan_item(item_id)

    def mark(data):
        if data.get("done_on") is None:
            raise ValidationFailed("the day it was done is missing", {"done_on": ["give the day it was done"]})
        return implementation.update_plan_item(found, {"done_on": data["done_on"]})

    _, refused = attempt(f"{DONE_FORM}-{item_id}", CompetenceItemChanges, mark)
    if refused:
        return _team_page(refused)
    return done(gettext("The plan item %(topic)s is marked done.", topic=found.topic), ENDPOINT)
