"""Moving a case along its plugin's workflow: only declared transitions, only when guards agree."""

from __future__ import annotations

from typing import Any, Mapping

import marshmallow as ma

from velferd.auth import require_permission
from velferd.errors import Conflict, NotFound, ValidationFailed
from velferd.models import Case, Tenant
from velferd.plugins.manager import registry
from velferd.plugins.specs import GuardContext, Transition, Workflow


def workflow_for_plugin(plugin_id: str) -> Workflow:
    workflow = registry().workflow_for(plugin_id)
    if workflow is None:
        raise Conflict(f"the plugin '{plugin_id}' declares no case workflow")
    return workflow


def workflow_of(case: Case) -> Workflow:
    return workflow_for_plugin(case.plugin)


def allowed_transition(tenant: Tenant, case: Case, name: str, payload: Mapping[str, Any], settings) -> Transition:
    """Return the transition if it may be taken now; 404 if the workflow has no such
    transition, 409 with the reason if it does not start from the case's state or a guard refuses."""
    workflow = workflow_of(case)
    transition = workflow.transition(name)
    if transition is None:
        known = ", ".join(t.name for t in workflow.transitions)
        raise NotFound(f"the workflow '{workflow.name}' has no transition '{name}' (it has: {known})")
    require_permission(transition.permission)
    if case.state not in transition.source:
        raise Conflict(
            f"'{name}' cannot be taken from state '{case.state}'; it starts from {', '.join(transition.source)}",
            {"state": case.state},
        )
    check_payload(transition, payload)
    context = GuardContext(tenant=tenant, settings=settings, case=case, payload=payload)
    reasons = [reason for guard in transition.guards if (reason := guard(context))]
    if reasons:
        raise Conflict(f"'{name}' is not allowed: " + "; ".join(reasons), {"reasons": reasons})
    return transition


def check_payload(transition: Transition, payload: Mapping[str, Any]) -> None:
    """The data must pass the transition's declared payload schema (422 naming the field)."""
    if transition.payload is None:
        return
    try:
        transition.payload().load(payload)
    except ma.ValidationError as error:
        raise ValidationFailed.from_marshmallow(error, f"the data for '{transition.name}'") from None


def available_transitions(case: Case) -> list[str]:
    return [t.name for t in workflow_of(case).transitions if case.state in t.source]
