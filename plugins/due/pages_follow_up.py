"""A running measure's follow-up pages: extra resources a leader approves in advance (the API's
``POST extra-resources``) and a new plan's goals (``PUT plan-goals``), each for one case."""

from __future__ import annotations

from velferd.toolkit import current_tenant, current_user, form_fields, render_template, require_permission
from velferd.toolkit import gettext as _

from . import extras, placement
from .manifest import EXTRA_APPROVE, FOLLOW_UP
from .pages import Form, Prefilled, blp, case_url, done, due_case, loaded, posted, today
from .schemas import ExtraCreateSchema, PlanGoalsSchema
from .workflow import placement_of


def _extra_form() -> Form:
    return Form("extra", form_fields(ExtraCreateSchema), values={"approved_on": today().isoformat()})


def _extras_page(case, form: Form | None = None):
    return render_template("due/extras.html", title=_("Extra resources"), case=case,
                           granted=extras.extras_of(case.id), form=form or _extra_form())


@blp.get("/cases/<int:case_id>/extra-resources")
def extra_resources(case_id: int):
    require_permission(EXTRA_APPROVE)
    return _extras_page(due_case(case_id))


@blp.post("/cases/<int:case_id>/extra-resources")
def approve_extra(case_id: int):
    """Extra resources approved by a leader in advance, billed monthly on their own lines."""
    require_permission(EXTRA_APPROVE)
    case = due_case(case_id)

    def action():
        extras.approve(current_tenant(), case, loaded(ExtraCreateSchema), current_user())
        return done(_("The extra resources are approved."), case_url(case.id, "confirmation"))

    return posted(lambda form: _extras_page(case, form), _extra_form(), action)


def _goals_form(case) -> Form:
    found = placement_of(case.id)
    return Form("plan-goals", form_fields(PlanGoalsSchema),
                values=Prefilled({"goals": "\n".join(found.plan_goals or []) if found else ""}))


def _goals_page(case, form: Form | None = None):
    return render_template("due/plan_goals.html", title=_("Plan goals"), case=case, form=form or _goals_form(case))


@blp.get("/cases/<int:case_id>/plan-goals")
def plan_goals(case_id: int):
    require_permission(FOLLOW_UP)
    return _goals_page(due_case(case_id))


@blp.post("/cases/<int:case_id>/plan-goals")
def revise_plan_goals(case_id: int):
    """A new plan's goals: the reports filed from now on are written against them."""
    require_permission(FOLLOW_UP)
    case = due_case(case_id)

    def action():
        placement.revise_plan_goals(case, loaded(PlanGoalsSchema)["goals"])
        return done(_("The plan's goals are revised."), case_url(case.id, "confirmation"))

    return posted(lambda form: _goals_page(case, form), _goals_form(case), action)
