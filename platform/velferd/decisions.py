"""Rules produce decisions with reasons; people may override them, with a reason of their own.

Public administration must give reasons for what it decides, so a decision always stores the
inputs it saw, the rule version that judged them, and reasons a citizen could read.
"""

from __future__ import annotations

from typing import Any, Mapping

import marshmallow as ma

from velferd import audit
from velferd.auth import current_user, require_permission
from velferd.clock import tenant_today
from velferd.db import db
from velferd.errors import NotFound, ValidationFailed
from velferd.models import Case, Decision, Tenant
from velferd.plugins.enablement import call_owner_hook, require_enabled, settings_for
from velferd.plugins.manager import registry
from velferd.plugins.specs import RuleContext, RuleSpec
from velferd.tenancy import get_owned, require_owned


def rule_spec(tenant: Tenant, plugin: str, name: str) -> RuleSpec:
    require_enabled(tenant, plugin)
    spec = registry().rules.get((plugin, name))
    if spec is None:
        raise NotFound(f"plugin '{plugin}' has no rule '{name}'")
    return spec


def _case_of(plugin: str, case_id: int | None) -> Case | None:
    if case_id is None:
        return None
    case = get_owned(Case, case_id)
    if case is None or case.plugin != plugin:
        raise ValidationFailed("the decision names a case that does not exist here", {"case_id": [f"no {plugin} case {case_id}"]})
    return case


def _store(tenant: Tenant, decision: Decision) -> Decision:
    db.session.add(decision)
    db.session.flush()
    audit.record("decision.recorded", "decision", decision.id,
                 details={"rule": f"{decision.plugin}/{decision.rule}", "outcome": decision.outcome})
    call_owner_hook("velferd_decision_recorded", tenant, decision=decision, actor=current_user())
    return decision


def evaluate(tenant: Tenant, plugin: str, name: str, inputs: Mapping[str, Any], case_id: int | None) -> Decision:
    spec = rule_spec(tenant, plugin, name)
    require_permission(spec.permission)
    case = _case_of(plugin, case_id)
    try:
        loaded = spec.inputs_schema(unknown=ma.RAISE).load(inputs)
    except ma.ValidationError as error:
        raise ValidationFailed.from_marshmallow(error, f"inputs to rule '{name}'") from None
    context = RuleContext(tenant=tenant, settings=settings_for(tenant, plugin), case=case, today=tenant_today(tenant))
    result = spec.evaluate(loaded, context)
    actor = current_user()  # who ran the rule is part of the decision's record, as for an override
    return _store(tenant, Decision(
        plugin=plugin, rule=name, rule_version=spec.version, case_id=case_id,
        inputs=spec.inputs_schema().dump(loaded), outcome=result.outcome, reasons=list(result.reasons),
        decided_by_id=actor and actor.id,
    ))


def read_decision(decision_id: int) -> Decision:
    return require_owned(Decision, decision_id, "decision")


def override(tenant: Tenant, decision: Decision, outcome: str, reason: str) -> Decision:
    """Record a person's decision that supersedes `decision`; the original stays as it was."""
    spec = rule_spec(tenant, decision.plugin, decision.rule)
    require_permission(spec.override_permission)
    if not reason.strip():
        raise ValidationFailed("an override needs a reason", {"reason": ["Give the reason for overriding."]})
    actor = current_user()
    return _store(tenant, Decision(
        plugin=decision.plugin, rule=decision.rule, rule_version=decision.rule_version,
        case_id=decision.case_id, inputs=decision.inputs, outcome=outcome,
        reasons=[f"Overridden by {actor.name if actor else 'staff'}: {reason.strip()}"],
        decided_by_id=actor and actor.id, supersedes_id=decision.id, override_reason=reason.strip(),
    ))
