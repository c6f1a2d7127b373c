"""The individual plan and the qualification programme on the pages: the case panel "Individual
plan" (the contact person, goals, partners, the resident's participation, the programme with its
expected stipend today and month by month, and their forms), the same on a page of its own (where
a refused form is shown again: a plugin cannot redraw the core's case page), and the G table page
with its form.

Each form goes through the API's schema and service (`plan_schemas`, `plans`, `g_table`), so the
pages refuse what the API refuses, with the same reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from velferd.toolkit import (
    Case,
    ValidationError,
    ValidationFailed,
    current_user,
    form_fields,
    gettext,
    has_permission,
    lazy_gettext,
    request,
    require_permission,
    submitted_data,
)

from . import g_table, plans, staff
from .manifest import G_TABLE_MANAGE, PLAN, READ, STIPEND
from .page_kit import Refusal, attempt, blp, done, page, panel_page
from .plan_models import CONSULTATION_METHODS, GOAL_STATUSES, PARTNERS
from .plan_schemas import GInput, GoalChanges, GoalInput, ParticipationInput, PartnerInput, PlanInput, ProgrammeInput
from .stays import aftercare_case

PLAN_FORM, GOAL_FORM, PARTNER_FORM, PARTICIPATION_FORM, PROGRAMME_FORM, G_FORM = (
    "plan", "goal", "partner", "participation", "programme", "g-value")

GOAL_STATUS_TITLES = dict(zip(GOAL_STATUSES, (lazy_gettext("Open"), lazy_gettext("In progress"),
                                              lazy_gettext("Reached"), lazy_gettext("Dropped")), strict=True))
PARTNER_TITLES = dict(zip(PARTNERS, (lazy_gettext("NAV"), lazy_gettext("Aksis"), lazy_gettext("Red Cross"),
                                     lazy_gettext("Anonyme Narkomane (AN)"),
                                     lazy_gettext("Rusmisbrukernes interesseorganisasjon (RIO)"),
                                     lazy_gettext("Mental helse"), lazy_gettext("The home municipality"),
                                     lazy_gettext("Other")), strict=True))
METHOD_TITLES = dict(zip(CONSULTATION_METHODS, (lazy_gettext("Conversation"), lazy_gettext("Plan meeting"),
                                                lazy_gettext("In writing"), lazy_gettext("Other")), strict=True))


def _form(form_id: str, schema, refusal: Refusal | None, values: Mapping[str, Any] | None = None) -> dict:
    """A form's inputs, with the values as typed and the errors when it was the one refused."""
    mine = refusal.of(form_id) if refusal else None
    return {"id": form_id, "fields": form_fields(schema), "values": mine.values if mine else (values or {}),
            "errors": mine.errors if mine else {}}


def _status_field():
    return [field for field in form_fields(GoalChanges) if field.key == "status"]


def panel_context(case: Case, settings: Mapping[str, Any] | None = None, refusal: Refusal | None = None) -> dict:
    """What the "Individual plan" panel shows (`CasePanel.context`, and the plan page)."""
    plan = plans.plan_body(case)
    may_plan, may_stipend = has_permission(PLAN), has_permission(STIPEND)
    programme = plans.programme_body(case)
    plan_values = {"contact_person_id": str(plan["contact_person"]["id"])} if plan else {}
    programme_values = {}
    if programme:
        programme_values = {name: programme[name].isoformat() for name in ("granted_on", "starts_on", "ends_on")}
        programme_values.update(children=str(programme["children"]),
                                child_rate_per_day=str(programme["child_rate_per_day"]))
    status_of = refusal.form_id.removeprefix(GOAL_FORM + "-") if refusal else ""
    return {
        "plan": plan, "programme": programme,
        "staff": staff.staff_members() if may_plan else [],
        "plan_form": _form(PLAN_FORM, PlanInput, refusal, plan_values) if may_plan else None,
        "goal_form": _form(GOAL_FORM, GoalInput, refusal) if may_plan and plan else None,
        "goal_status_field": _status_field() if may_plan and plan else [],
        "goal_status_errors": refusal.errors if refusal and status_of.isdigit() else {},
        "goal_status_refused": int(status_of) if refusal and status_of.isdigit() else None,
        "partner_form": _form(PARTNER_FORM, PartnerInput, refusal) if may_plan and plan else None,
        "participation_form": _form(PARTICIPATION_FORM, ParticipationInput, refusal) if may_plan and plan else None,
        "programme_form": _form(PROGRAMME_FORM, ProgrammeInput, refusal, programme_values) if may_stipend else None,
        "goal_statuses": GOAL_STATUS_TITLES, "partner_titles": PARTNER_TITLES, "method_titles": METHOD_TITLES,
    }


def plan_page(case_id: int, refusal: Refusal | None = None):
    require_permission(READ)
    case = aftercare_case(case_id)
    return panel_page("aftercare/plans/plan.html", gettext("The individual plan of case %(id)s", id=case.id),
                      case, panel_context, refusal)


@blp.get("/cases/<int:case_id>/plan")
def plan(case_id: int):
    """The individual plan and the programme on a page of its own: the same as the case panel."""
    return plan_page(case_id)


def _posted(case_id: int, form_id: str, schema, service: Callable[[Case, dict], Any], confirmation: str):
    """Load the posted form with the API's schema, run the API's service, then back to the case
    page (POST/redirect/GET) — or the plan page again with the refusal and its status."""
    case = aftercare_case(case_id)
    _, refused = attempt(form_id, schema, lambda data: service(case, data))
    if refused:
        return plan_page(case_id, refused)
    return done(confirmation, "web.case_page", case_id=case_id)


@blp.post("/cases/<int:case_id>/plan")
def save_plan(case_id: int):
    """Create the plan with its contact person, or change the contact person."""
    require_permission(PLAN)
    return _posted(case_id, PLAN_FORM, PlanInput, plans.save_plan, gettext("The individual plan is saved."))


@blp.post("/cases/<int:case_id>/plan/goals")
def add_goal(case_id: int):
    require_permission(PLAN)
    return _posted(case_id, GOAL_FORM, GoalInput, plans.add_goal, gettext("The goal is added."))


@blp.post("/cases/<int:case_id>/plan/goals/<int:goal_id>")
def update_goal(case_id: int, goal_id: int):
    """A goal's status."""
    require_permission(PLAN)
    return _posted(case_id, f"{GOAL_FORM}-{goal_id}", GoalChanges,
                   lambda case, changes: plans.update_goal(case, goal_id, changes), gettext("The goal is updated."))


@blp.post("/cases/<int:case_id>/plan/partners")
def add_partner(case_id: int):
    require_permission(PLAN)
    return _posted(case_id, PARTNER_FORM, PartnerInput, plans.add_partner, gettext("The partner is added."))


@blp.post("/cases/<int:case_id>/plan/participation")
def record_participation(case_id: int):
    """The resident consulted when the service was shaped (sosialtjenesteloven § 8-4)."""
    require_permission(PLAN)
    return _posted(case_id, PARTICIPATION_FORM, ParticipationInput,
                   lambda case, data: plans.record_participation(case, data, current_user()),
                   gettext("The consultation is recorded."))


@blp.post("/cases/<int:case_id>/programme")
def save_programme(case_id: int):
    """The qualification programme NAV granted."""
    require_permission(STIPEND)
    return _posted(case_id, PROGRAMME_FORM, ProgrammeInput, plans.save_programme,
                   gettext("The qualification programme is saved."))


# --- the G table ------------------------------------------------------------------------------------

def g_table_page(refusal: Refusal | None = None):
    require_permission(READ)
    return page("aftercare/plans/g_table.html", gettext("G table"), refusal.status if refusal else 200,
                rows=g_table.rows(), failed=refusal, may_manage=has_permission(G_TABLE_MANAGE),
                g_form=_form(G_FORM, GInput, refusal))


@blp.get("/g-table")
def g_table_list():
    """The tenant's G table: each G with the day it took effect and its source."""
    return g_table_page()


@blp.post("/g-table")
def enter_g():
    """Enter or correct one G, naming its source."""
    require_permission(G_TABLE_MANAGE)
    described = form_fields(GInput)
    try:
        data = GInput().load(submitted_data(GInput, request.form))
        g_table.enter_g(data["effective_from"], data["amount"], data["source"], current_user())
    except ValidationError as error:
        failed = ValidationFailed("the G is invalid", error.normalized_messages())
        return g_table_page(Refusal(G_FORM, failed, described, request.form))
    except ValidationFailed as error:
        return g_table_page(Refusal(G_FORM, error, described, request.form))
    return done(gettext("The G from %(day)s is saved.", day=data["effective_from"].isoformat()),
                "aftercare_pages.g_table_list")


@blp.post("/g-table/published")
def load_published_g():
    """Load NAV's published G values, with their sources, for the days not yet in the table."""
    require_permission(G_TABLE_MANAGE)
    loaded = g_table.load_published(current_user())
    return done(gettext("Published G values loaded: %(count)s.", count=len(loaded)), "aftercare_pages.g_table_list")
