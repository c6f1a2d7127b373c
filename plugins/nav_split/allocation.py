"""The allocation rule: who gets the coordinator, NAV or Livsmestring — or who decides that.

A pure function of the kartlegging and the decision date (no database), returning the core's
``Outcome`` with reasons as a caseworker would write them. In order (seed, May 2019):

1. NAV took the user over directly from another municipality → NAV (an exception to Forvaltning).
2. A new user with substance-use problems from another municipality whose place on the work line
   is unclear → Rusfaglig Forum decides (the other exception).
3. The units disagree → a cooperation meeting; a larger case → leader level.
4. The main rule (arbeidslinjen): education, work or a work-oriented measure realistic within two
   years → NAV.
5. Not realistic, and the purpose is to improve, prevent or maintain quality of life or long-term
   low-threshold motivation for treatment → Livsmestring.
6. Anything unclear (the work line, or no purpose recorded) → a cooperation meeting; a larger case
   → leader level.

A NAV outcome names one of NAV's four teams (job / no job × under 30 / 30 and over), the age
counted on the decision date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from velferd.toolkit import Outcome, RuleContext

from . import consistency
from .teams import age_on, team_for, team_title

NAV = "nav"
LIVSMESTRING = "livsmestring"
FORUM = "rusfaglig_forum"
COOPERATION = "cooperation_meeting"
LEADER = "leader_level"
OUTCOMES = (NAV, LIVSMESTRING, FORUM, COOPERATION, LEADER)
APPOINTABLE = (NAV, LIVSMESTRING)

PURPOSE_WORDS = {
    "improve_quality_of_life": "improve quality of life",
    "prevent": "prevent a loss of quality of life",
    "maintain_quality_of_life": "maintain quality of life",
    "motivation_for_treatment": "motivate, long-term and at a low threshold, for treatment",
}
WORK_LINE_YES = ("Education, work or a work-oriented measure is realistic within two years: the coordinator "
                 "is appointed in NAV (the main rule, arbeidslinjen).")
WORK_LINE_NO = "Education, work or a work-oriented measure is not realistic within two years."
WORK_LINE_UNCLEAR = "It is unclear whether education, work or a work-oriented measure is realistic within two years."
TO_COOPERATION = "The case is unclear: it goes to a cooperation meeting (samarbeidsmøte) between NAV and Livsmestring."
TO_LEADER = "This is a larger case: it is taken to leader level between the units."
FINANCIAL = ("Whoever coordinates, NAV's financial caseworker decides on social assistance "
             "(Social Services Act chapter 4).")


def _purposes(inputs: Mapping[str, Any]) -> str:
    words = [PURPOSE_WORDS[p] for p in inputs.get("purposes") or ()]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _from(inputs: Mapping[str, Any]) -> str:
    return inputs.get("previous_municipality") or "another municipality"


def _nav(inputs: Mapping[str, Any], today: dt.date, *reasons: str) -> Outcome:
    birth = inputs["date_of_birth"]
    team = team_for(inputs["has_job"], birth, today)
    job = "has a job" if inputs["has_job"] else "has no job"
    return Outcome(NAV, (*reasons, f"The user is {age_on(birth, today)} on {today.isoformat()} and {job}: "
                                   f"{team_title(team)} ({team}).", FINANCIAL))


def _unclear(inputs: Mapping[str, Any], *reasons: str) -> Outcome:
    if inputs.get("larger_case"):
        return Outcome(LEADER, (*reasons, TO_LEADER))
    return Outcome(COOPERATION, (*reasons, TO_COOPERATION))


def allocate(inputs: Mapping[str, Any], today: dt.date) -> Outcome:
    """The recommended allocation for a loaded kartlegging, decided on `today`."""
    work_line = inputs["work_line_realistic"]
    purposes = bool(inputs.get("purposes"))
    if inputs.get("taken_over_by_nav"):
        return _nav(inputs, today, f"NAV took the user over directly from {_from(inputs)}: the user is followed "
                                   "up further in NAV, without an appointment by Forvaltning.")
    if inputs["substance_use"] and inputs["from_other_municipality"] and work_line == "unclear":
        return Outcome(FORUM, (
            f"A new user with substance-use problems has come from {_from(inputs)}, and it is not clear where "
            "the user stands on the work line: Rusfaglig Forum decides where the user is followed up.",))
    if inputs.get("units_disagree"):
        return _unclear(inputs, "NAV and Livsmestring disagree on who should coordinate.")
    if work_line == "yes":
        extra = (f"The purpose of follow-up ({_purposes(inputs)}) does not move the coordinator; Livsmestring "
                 "may still follow up, for example at home, while NAV coordinates.",) if purposes else ()
        return _nav(inputs, today, WORK_LINE_YES, *extra)
    if work_line == "no" and purposes:
        return Outcome(LIVSMESTRING, (
            WORK_LINE_NO,
            f"The purpose of follow-up is to {_purposes(inputs)}: the coordinator is appointed in Livsmestring.",
            FINANCIAL))
    if work_line == "no":
        return _unclear(inputs, WORK_LINE_NO, "No purpose of follow-up is recorded, so the need for follow-up "
                                              "does not show which unit should coordinate.")
    extra = (f"The purpose of follow-up ({_purposes(inputs)}) points to Livsmestring, but the work line "
             "must be clarified first.",) if purposes else ()
    return _unclear(inputs, WORK_LINE_UNCLEAR, *extra)


def evaluate(inputs: Mapping[str, Any], context: RuleContext) -> Outcome:
    """The RuleSpec entry point: the decision date is today in the municipality's time zone; the
    kartlegging must first agree with the person and the municipality (`consistency`)."""
    consistency.check(inputs, context.tenant, context.case, context.today, "inputs to rule 'allocation'")
    return allocate(inputs, context.today)
