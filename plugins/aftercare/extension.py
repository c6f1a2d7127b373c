"""Extending a stay beyond its limit: a recorded, reasoned decision — never silently.

The plan: "Oppholdet i ettervernsboligene har en varighet på inntil to år" and "Tenkt botid i
leilighetene er 1-2 år og forutsetter progresjon i beboerens rehabilitering og utvikling". So a
stay that reaches its limit either ends (the move-out) or is extended by the rule "stay_extension",
whose inputs are the new limit, the progress staff see and their reasons. The rule proposes; the
core keeps the decision with its inputs and reasons; a leader may override it, giving a reason of
their own. Only a decision moves the limit (`on_decision`): no other code path does.

What the rule refuses to propose: an extension without progress (the plan requires it), and one
longer than another full stay limit (the settings' ``stay_limit_months``) from the current limit
at once. A new limit that is not after the current one is bad input (422 naming
``new_limit_on``); a case that is not a resident's is a 409.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import (
    Conflict,
    Decision,
    Outcome,
    RuleContext,
    RuleSpec,
    ValidationFailed,
    db,
    fields,
    validate,
)

from . import stays
from .manifest import DECIDE, PLUGIN_ID
from .stay_schemas import PROGRESS, Strict

RULE = "stay_extension"
GRANT = "grant"
REFUSE = "refuse"
OUTCOMES = (GRANT, REFUSE)


class ExtensionInputs(Strict):
    new_limit_on = fields.Date(required=True, metadata={"title": "New limit",
                                                        "description": "The day the extended stay ends at the latest"})
    progress = fields.String(required=True, validate=validate.OneOf(PROGRESS),
                             metadata={"title": "Progress in the rehabilitation",
                                       "description": "The plan: the stay requires progress"})
    reasons = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                            metadata={"title": "Reasons", "description": "Why the stay should go on, and to what end"})


def _resident_stay(context: RuleContext):
    if context.case is None:
        raise ValidationFailed("an extension is decided on a resident's case", {"case_id": ["name the case"]})
    stay = stays.require_stay(context.case)
    if context.case.state not in stays.RESIDENT or stay.limit_on is None:
        raise Conflict(f"case {context.case.id} is {context.case.state}: only a resident's stay can be extended")
    return stay


def evaluate(inputs: Mapping[str, Any], context: RuleContext) -> Outcome:
    """Grant or refuse, with the reasons a caseworker would write."""
    stay = _resident_stay(context)
    new_limit: dt.date = inputs["new_limit_on"]
    if new_limit <= stay.limit_on:
        raise ValidationFailed("the new limit must be after the current one",
                               {"new_limit_on": [f"must be after {stay.limit_on.isoformat()}"]})
    months = context.settings["stay_limit_months"]
    longest = stays.add_months(stay.limit_on, months)
    moves = f"The limit would move from {stay.limit_on.isoformat()} to {new_limit.isoformat()}."
    given = f"Reasons given: {inputs['reasons'].strip()}"
    if inputs["progress"] == "none":
        return Outcome(REFUSE, ("The stay requires progress in the rehabilitation, and none is seen.", moves, given))
    if new_limit > longest:
        return Outcome(REFUSE, (f"An extension adds at most {months} months at a time (to {longest.isoformat()}).",
                                moves, given))
    return Outcome(GRANT, (f"Progress in the rehabilitation: {inputs['progress']}.", moves, given))


RULE_SPEC = RuleSpec(RULE, 1, ExtensionInputs, evaluate, title="Extend the stay beyond its limit",
                     permission=DECIDE, override_permission=DECIDE)


def on_decision(tenant, decision: Decision, actor) -> None:
    """ON_DECISION: a granted extension (evaluated, or an override to "grant") moves the limit to
    its new date; an override to "refuse" of a granted one moves the limit back to where it was."""
    if decision.rule != RULE:
        return
    if decision.outcome not in OUTCOMES:
        raise ValidationFailed("the override names an outcome this rule does not know: outcome",
                               {"outcome": [f"one of: {', '.join(OUTCOMES)}"]})
    case = stays.aftercare_case(decision.case_id) if decision.case_id is not None else None
    if case is None:
        raise ValidationFailed("an extension is decided on a resident's case", {"case_id": ["name the case"]})
    if decision.outcome == GRANT:
        new_limit = dt.date.fromisoformat(decision.inputs["new_limit_on"])
        stays.move_limit(case, new_limit, decision.id, f"Stay extended by decision {decision.id}")
    elif decision.supersedes_id is not None:
        before = stays.limit_before(case.id, decision.supersedes_id)
        if before is not None:
            stays.move_limit(case, before, decision.id,
                             f"Extension of decision {decision.supersedes_id} overridden by decision {decision.id}")


def latest_extension(case_id: int) -> Decision | None:
    """The case's latest extension decision (an override supersedes), for the panel."""
    return db.session.scalar(sa.select(Decision).where(Decision.case_id == case_id, Decision.plugin == PLUGIN_ID,
                                                       Decision.rule == RULE).order_by(Decision.id.desc()).limit(1))
