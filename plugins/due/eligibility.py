"""Eligibility as a recommendation with reasons (guideline 3.4): age at referral within the
tenant's range (16–23 by default; ``max_age: 25`` restores the 2009 guideline) and at least one
of the five target-group criteria. The youth's own motivation and DUE's professional judgement
weigh in too, so the outcome is a recommendation that staff may override with a reason (the core's
overrides); it never says a bare "false".

The youth's motivation is an input of its own, not only the referral's free text, because «Ungdommens
egen motivasjon … skal vektlegges» (3.4): the recommendation states it and weighs it — a youth who
does not want DUE is recommended against however well the criteria fit; an ambivalent one is
eligible with that named as a risk for the intake to explore; left out, the recommendation says it
is not yet assessed.

The age is counted on the referral date from the explicit date of birth, or else from the birth
date in the youth's (synthetic) national id, read when the person was registered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import Decision, Outcome, RuleContext, RuleSpec, Schema, ValidationFailed, db, fields, validate

from .calendar import age_on
from .forms import CRITERIA
from .manifest import INTAKE, PLUGIN_ID
from .referral import birth_date_of

RULE = "eligibility"
ELIGIBLE, NOT_ELIGIBLE = "eligible", "not_eligible"
OUTCOMES = (ELIGIBLE, NOT_ELIGIBLE)
JUDGEMENT = ("A recommendation: the youth's own motivation and DUE's professional judgement of DUE as a suitable "
             "measure weigh in; staff may override it, giving the reason.")


#: The youth's own motivation for DUE, as the intake assessed it, and how the recommendation says it.
MOTIVATION = {"motivated": "The youth wants DUE: their own motivation speaks for it",
              "ambivalent": "The youth is ambivalent about DUE: weigh their motivation in the intake talks",
              "not_motivated": "Not recommended: the youth does not want DUE, and their own motivation weighs "
                               "against it"}
NOT_ASSESSED = "The youth's own motivation is not yet assessed; it is to be weighed before deciding"


class EligibilityInputs(Schema):
    referred_on = fields.Date(required=True)
    criteria = fields.List(fields.String(validate=validate.OneOf(tuple(CRITERIA))), required=True)
    date_of_birth = fields.Date(load_default=None, allow_none=True,
                                metadata={"description": "Leave out to use the birth date in the national id"})
    motivation = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(tuple(MOTIVATION)),
                               metadata={"description": "The youth's own motivation for DUE, as assessed: "
                                                        + ", ".join(MOTIVATION)})


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"inputs to rule '{RULE}' are invalid: {field}", {field: [message]})


def recommend(age: int, criteria: list[str], settings: Mapping[str, Any], referred_on: dt.date,
              motivation: str | None = None) -> Outcome:
    low, high = settings["min_age"], settings["max_age"]
    weighed = MOTIVATION[motivation] if motivation else NOT_ASSESSED
    reasons = []
    if age > high:
        reasons.append(f"Not eligible: {age} is above the upper age limit {high}")
    if age < low:
        reasons.append(f"Not eligible: {age} is below the lower age limit {low}")
    if not criteria:
        reasons.append("Not eligible: none of the five target-group criteria is met")
    if reasons or motivation == "not_motivated":
        return Outcome(NOT_ELIGIBLE, (*reasons, weighed, JUDGEMENT))
    met = "; ".join(CRITERIA[c] for c in criteria)
    return Outcome(ELIGIBLE, (f"Eligible: {age} at referral on {referred_on.isoformat()} is within the age range "
                              f"{low}–{high}", f"Meets {len(criteria)} of the target-group criteria: {met}",
                              weighed, JUDGEMENT))


def evaluate(inputs: Mapping[str, Any], context: RuleContext) -> Outcome:
    referred_on = inputs["referred_on"]
    if referred_on > context.today:
        raise _invalid("referred_on", f"{referred_on.isoformat()} is after today ({context.today.isoformat()})")
    birth = inputs.get("date_of_birth")
    if birth is None:
        if context.case is None:
            raise _invalid("date_of_birth", "give the date of birth, or evaluate for a case (case_id)")
        birth = birth_date_of(context.case)
    if birth >= referred_on:
        raise _invalid("date_of_birth", f"{birth.isoformat()} is not before the referral date")
    return recommend(age_on(birth, referred_on), list(inputs["criteria"]), context.settings, referred_on,
                     inputs.get("motivation"))


def effective_eligibility(case_id: int) -> Decision | None:
    """The decision that stands: the latest evaluation or override (decisions are never edited)."""
    return db.session.scalar(
        sa.select(Decision).where(Decision.case_id == case_id, Decision.plugin == PLUGIN_ID, Decision.rule == RULE)
        .order_by(Decision.id.desc()).limit(1))


RULES = [RuleSpec(RULE, 1, EligibilityInputs, evaluate, title="Eligibility for DUE (a recommendation)",
                  permission=INTAKE)]
