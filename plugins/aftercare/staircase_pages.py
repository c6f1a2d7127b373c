"""The staircase on the pages: a case's panel (its step, history with decisions and reasons,
contracts, breaches, the breach form and the form applying a proposed move) and the "Staircase"
page listing the steps and what each means.

The proposal itself is the core's: the case page draws the rule `step_change`'s form and the
decisions with their override form. The panel is drawn inside the core's case page; a refused form
is shown again on the staircase page of its own (this module's GET, the same content), since a
plugin cannot redraw the core's page. The posts go through the API's schemas and services.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from velferd.toolkit import (
    Case,
    current_tenant,
    db,
    form_fields,
    gettext,
    has_permission,
    lazy_gettext,
    require_permission,
    tenant_today,
)

from . import staircase
from .manifest import DECIDE, READ
from .page_kit import Refusal, attempt, blp, done, page, panel_page
from .staircase_schemas import ApplyForm, BreachInput
from .stays import aftercare_case

BREACH_FORM = "staircase-breach"
APPLY_FORM = "staircase-apply"

CONTRACTS = {"special": lazy_gettext("Special contract"), "ordinary": lazy_gettext("Ordinary lease")}
LEVELS = {"high": lazy_gettext("High"), "medium": lazy_gettext("Medium"), "low": lazy_gettext("Low"),
          "minimal": lazy_gettext("Minimal")}
BREACH_KINDS = {"rule": lazy_gettext("A rule"), "agreement": lazy_gettext("The agreement")}


def _apply_values(case: Case, proposal: Mapping[str, Any] | None) -> dict[str, str]:
    """The apply form filled in: today, and the contract kind of the proposed step."""
    if proposal is None:
        return {}
    step = staircase.step_of(proposal["step"])
    return {"on": tenant_today(current_tenant()).isoformat(), "lease.kind": step.contract_kind}


def panel_context(case: Case, settings: Mapping[str, Any] | None = None, refusal: Refusal | None = None) -> dict:
    """What the staircase panel shows (`CasePanel.context`, and the staircase page)."""
    view = staircase.staircase_view(case, tenant_today(current_tenant()))
    on_staircase = view["current"] is not None
    proposal = view["proposal"]
    breach = refusal.of(BREACH_FORM) if refusal else None
    applying = refusal.of(APPLY_FORM) if refusal else None
    proposed_step = staircase.step_of(proposal["step"]) if proposal else None
    return {
        "staircase": view, "ladder": {step.number: step for step in staircase.steps()},
        "contracts": CONTRACTS, "levels": LEVELS, "breach_kinds": BREACH_KINDS,
        "reasons_of": lambda decision: [gettext(reason) for reason in decision["reasons"]],
        "breach_fields": form_fields(BreachInput) if on_staircase and has_permission("cases:write") else [],
        "breach_values": breach.values if breach else {},
        "breach_errors": breach.errors if breach else {},
        "proposed_step": proposed_step,
        "apply_fields": form_fields(ApplyForm) if proposal and has_permission(DECIDE) else [],
        "apply_values": applying.values if applying else _apply_values(case, proposal),
        "apply_errors": applying.errors if applying else {},
    }


def staircase_page(case_id: int, refusal: Refusal | None = None):
    require_permission(READ)
    case = aftercare_case(case_id)
    return panel_page("aftercare/staircase/case.html", gettext("Staircase of case %(id)s", id=case.id), case,
                      panel_context, refusal)


@blp.get("/staircase")
def staircase_steps():
    """The steps of the staircase and what each means: contract, trial period, rights, help, control."""
    require_permission(READ)
    ladder = staircase.steps(current_tenant())
    db.session.commit()  # the ladder may just have been created (Alta's defaults)
    return page("aftercare/staircase/steps.html", gettext("Staircase"), steps=ladder, contracts=CONTRACTS,
                levels=LEVELS)


@blp.get("/cases/<int:case_id>/staircase")
def staircase_case(case_id: int):
    """A resident's staircase on a page of its own (the case panel's content)."""
    return staircase_page(case_id)


@blp.post("/cases/<int:case_id>/staircase/breaches")
def record_breach(case_id: int):
    """Record a breach, through the API's schema and service."""
    require_permission("cases:write")
    case = aftercare_case(case_id)
    _, refused = attempt(BREACH_FORM, BreachInput, lambda data: staircase.record_breach(case, data))
    if refused:
        return staircase_page(case_id, refused)
    return done(gettext("The breach is recorded."), "aftercare_pages.staircase_case", case_id=case_id)


@blp.post("/cases/<int:case_id>/staircase/moves/<int:decision_id>")
def apply_move(case_id: int, decision_id: int):
    """Apply the proposed move (the decision governing the case) with the new step's contract."""
    require_permission(DECIDE)
    case = aftercare_case(case_id)
    _, refused = attempt(APPLY_FORM, ApplyForm,
                         lambda data: staircase.apply_move(case, {**data, "decision_id": decision_id}))
    if refused:
        return staircase_page(case_id, refused)
    return done(gettext("The move on the staircase is recorded."), "aftercare_pages.staircase_case", case_id=case_id)
