"""The rule `step_change`: a rule that proposes a move on the staircase; staff decide by applying
the decision (`staircase.apply_move`) or by overriding it with their reason first.

Up: one step ("kvart trappesteg eit ledd i ein progresjon mot eigen bustad"). Refused on step 5,
the top (the next move is out, to a home of one's own: the stay's move-out). While the current
step's trial period runs ("prøvetid", steps 2–4) the rule proposes *staying* on the step until the
trial ends: the trial is the step's own test, so the rule does not cut it short, but the decision
is staff's — the housing's leader may override the proposal with a reason to move up earlier
(``decisions:override``), and that override is then the decision applied.

Down: "Dersom den bustadslause bryt ein regel eller avtale, eller skapar vanskar, må vedkommande ned
eit eller fleire steg i trappa og beynne på nytt" (St.meld. nr. 50 (1998-99), quoted in the plan).
The rule proposes one step down for a breach, one more when staff judge it serious, and one more
when it is repeated (another breach in the 12 months up to it) — the number of steps is proposed,
never decided here. Never below step 2: "Prosjektet her opererer ikke med hospits og herberge
nivået"; on step 2 the rule refuses (what follows a breach there is the stay's matter).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from velferd.toolkit import Conflict, Outcome, RuleContext, ValidationFailed, get_owned

from . import staircase
from .markers import N_
from .staircase import FIRST, LAST, RULE, outcome_for, target_of
from .staircase_models import Breach
from .staircase_schemas import DOWN, SERIOUS_BREACH

#: a breach is repeated when another was recorded this many days before it, or fewer
REPEATED_WITHIN_DAYS = 365

RISES = N_("Help and control decrease as the resident rises.")
BREACH_MOVES_DOWN = N_("A breach of a rule or of the agreement moves the resident down one step or more.")
STAFF_DECIDE = N_("The number of steps is proposed, not decided: staff decide by applying this decision with the "
                  "new step's contract, or override it with their reason.")
EARLY_BY_OVERRIDE = N_("To move up before the trial period ends, override this decision with the reason.")
SERIOUS = N_("Staff judge the breach serious: one more step down is proposed.")
LOWEST = N_("Step 2 is the lowest step here (the project has no hostel step): the proposal stops there.")


def _where(placement, step) -> str:
    return f"On step {step.number} ({step.name}) since {placement.starts_on.isoformat()}."


def _staff(reasons) -> tuple[str, ...]:
    return tuple(f"Reason given: {reason.strip()}" for reason in reasons)


def _up(inputs: Mapping[str, Any], placement, step, today: dt.date) -> Outcome:
    if step.number >= LAST:
        raise ValidationFailed("the resident is on the top step: direction", {"direction": [
            f"the resident is on step {LAST} ({step.name}), the top of the staircase; the next move is to a home "
            "of their own (the move-out)"]})
    where = _where(placement, step)
    if placement.trial_ends_on is not None and today < placement.trial_ends_on:
        return Outcome(outcome_for(step.number), (
            where, f"The trial period of step {step.number} runs until {placement.trial_ends_on.isoformat()}: "
                   f"the rule proposes staying on step {step.number} until then.",
            EARLY_BY_OVERRIDE, *_staff(inputs["reasons"])))
    above = staircase.step_of(step.number + 1)
    trial = (f"The trial period of step {step.number} ended on {placement.trial_ends_on.isoformat()}.",) \
        if placement.trial_ends_on is not None else ()
    return Outcome(outcome_for(above.number), (
        where, *trial, f"Proposed: up one step, to step {above.number} ({above.name}, {above.contract_kind} contract).",
        RISES, *_staff(inputs["reasons"])))


def _breaches(case_id: int, ids) -> list[Breach]:
    found = []
    for breach_id in ids:
        breach = get_owned(Breach, breach_id)
        if breach is None or breach.case_id != case_id:
            raise ValidationFailed("a breach named is not this case's: breach_ids",
                                   {"breach_ids": [f"no breach {breach_id} on case {case_id}"]})
        if breach.decision_id is not None:
            raise ValidationFailed("a breach named has already moved the resident down: breach_ids", {"breach_ids": [
                f"breach {breach_id} already moved the resident down (decision {breach.decision_id})"]})
        found.append(breach)
    return found


def _earlier_breaches(case_id: int, named: list[Breach]) -> list[Breach]:
    """Other breaches of the case in the 12 months up to the latest one named."""
    latest = max(b.occurred_on for b in named)
    since = latest - dt.timedelta(days=REPEATED_WITHIN_DAYS)
    ids = {b.id for b in named}
    return [b for b in staircase.breaches_of(case_id) if b.id not in ids and since <= b.occurred_on <= latest]


def _down(inputs: Mapping[str, Any], case_id: int, placement, step) -> Outcome:
    named = _breaches(case_id, inputs["breach_ids"])
    if step.number <= FIRST:
        raise ValidationFailed("the resident is on the lowest step: direction", {"direction": [
            f"the resident is on step {FIRST} ({step.name}), the lowest step here (the project has no hostel step); "
            "the staircase goes no lower — what follows this breach is a matter for the stay"]})
    earlier = _earlier_breaches(case_id, named)
    reasons = [_where(placement, step)]
    reasons += [f"Breach {b.id} on {b.occurred_on.isoformat()}, of {'a rule' if b.kind == 'rule' else 'the agreement'}: "
                f"{b.description}" for b in named]
    reasons.append(BREACH_MOVES_DOWN)
    count = 1
    if inputs["severity"] == SERIOUS_BREACH:
        count += 1
        reasons.append(SERIOUS)
    if len(named) + len(earlier) >= 2:
        count += 1
        reasons.append(f"{len(named) + len(earlier)} breaches in the 12 months up to "
                       f"{max(b.occurred_on for b in named).isoformat()}: a repeated breach, one more step down "
                       "is proposed.")
    target = max(FIRST, step.number - count)
    if step.number - count < FIRST:
        reasons.append(LOWEST)
    below = staircase.step_of(target)
    moved = step.number - target
    reasons.append(f"Proposed: down {moved} step{'s' if moved > 1 else ''}, to step {target} ({below.name}).")
    reasons.append(STAFF_DECIDE)
    return Outcome(outcome_for(target), (*reasons, *_staff(inputs["reasons"])))


def evaluate(inputs: Mapping[str, Any], context: RuleContext) -> Outcome:
    """The RuleSpec entry point: the move proposed for the resident of `context.case`, today in the
    municipality's time zone."""
    case = context.case
    if case is None:
        raise ValidationFailed("the staircase rule is decided on a resident's case: case_id",
                               {"case_id": ["name the resident's case"]})
    placement = staircase.current_placement(case.id)
    if placement is None:
        raise Conflict(f"case {case.id} is not on the staircase: the resident has not moved in, or has moved out")
    step = staircase.step_of(placement.step)
    if inputs["direction"] == DOWN:
        return _down(inputs, case.id, placement, step)
    return _up(inputs, placement, step, context.today)


def on_decision(tenant, decision, actor) -> None:
    """ON_DECISION: an override must name a step of the staircase (step_2 … step_5) — never below
    step 2, where the staircase here begins."""
    if decision.rule != RULE or decision.supersedes_id is None:
        return
    if target_of(decision.outcome) is None:
        raise ValidationFailed("the override names no step of the staircase: outcome", {"outcome": [
            f"one of: {', '.join(staircase.OUTCOMES)} (step {FIRST} is the lowest here)"]})
