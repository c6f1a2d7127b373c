"""The case lifecycle: assessed → allocated to NAV or Livsmestring, or queued for Rusfaglig Forum,
a cooperation meeting or leader level first.

Every move is Forvaltning's (``nav_split:allocate``) and is guarded by the decision that governs
the case (the latest allocation, meeting outcome or override): Forvaltning appoints *from the
decision*; to appoint otherwise it overrides the decision first, giving its reason.
"""

from __future__ import annotations

from velferd.toolkit import GuardContext, Transition, Workflow

from .allocation import COOPERATION, FORUM, LEADER, LIVSMESTRING, NAV
from .decisions import effective_decision
from .manifest import ALLOCATE
from .schemas import NoData

ASSESSED = "assessed"
QUEUED_FORUM = "queued_forum"
QUEUED_COOPERATION = "queued_cooperation"
ESCALATED_LEADER = "escalated_leader"
ALLOCATED_NAV = "allocated_nav"
ALLOCATED_LIVSMESTRING = "allocated_livsmestring"
CLOSED = "closed"

OUTCOME_WORDS = {NAV: "NAV", LIVSMESTRING: "Livsmestring", FORUM: "Rusfaglig Forum",
                 COOPERATION: "a cooperation meeting", LEADER: "leader level"}
QUEUE_KIND = {QUEUED_FORUM: FORUM, QUEUED_COOPERATION: COOPERATION, ESCALATED_LEADER: LEADER}
APPOINTED_UNIT = {ALLOCATED_NAV: NAV, ALLOCATED_LIVSMESTRING: LIVSMESTRING}


def decision_says(outcome: str):
    """A guard: the decision governing the case must have this outcome."""

    def guard(context: GuardContext) -> str | None:
        decision = effective_decision(context.case.id)
        if decision is None:
            return "no allocation decision is recorded for the case; evaluate the allocation rule first"
        if decision.outcome != outcome:
            return (f"the decision governing the case (decision {decision.id}) says "
                    f"{OUTCOME_WORDS.get(decision.outcome, decision.outcome)}, not {OUTCOME_WORDS[outcome]}; "
                    "override it with a reason to decide otherwise")
        return None

    guard.__name__ = f"decision_says_{outcome}"
    return guard


_OPEN = (ASSESSED, QUEUED_FORUM, QUEUED_COOPERATION, ESCALATED_LEADER)

WORKFLOW = Workflow(
    name="nav_split_allocation",
    initial=ASSESSED,
    states=(ASSESSED, QUEUED_FORUM, QUEUED_COOPERATION, ESCALATED_LEADER, ALLOCATED_NAV, ALLOCATED_LIVSMESTRING,
            CLOSED),
    final=(CLOSED,),
    transitions=(
        Transition("appoint_nav", (*_OPEN, ALLOCATED_LIVSMESTRING), ALLOCATED_NAV, guards=(decision_says(NAV),),
                   permission=ALLOCATE, payload=NoData, title="Appoint the coordinator in NAV"),
        Transition("appoint_livsmestring", (*_OPEN, ALLOCATED_NAV), ALLOCATED_LIVSMESTRING,
                   guards=(decision_says(LIVSMESTRING),), permission=ALLOCATE, payload=NoData,
                   title="Appoint the coordinator in Livsmestring"),
        Transition("refer_forum", (ASSESSED, QUEUED_COOPERATION), QUEUED_FORUM, guards=(decision_says(FORUM),),
                   permission=ALLOCATE, payload=NoData, title="Refer to Rusfaglig Forum"),
        Transition("refer_cooperation", (ASSESSED, QUEUED_FORUM), QUEUED_COOPERATION,
                   guards=(decision_says(COOPERATION),), permission=ALLOCATE, payload=NoData, title="Queue for a cooperation meeting"),
        Transition("escalate", (ASSESSED, QUEUED_FORUM, QUEUED_COOPERATION), ESCALATED_LEADER,
                   guards=(decision_says(LEADER),), permission=ALLOCATE, payload=NoData, title="Take the case to leader level"),
        Transition("close", (ALLOCATED_NAV, ALLOCATED_LIVSMESTRING), CLOSED, permission=ALLOCATE, payload=NoData,
                   title="Close the allocation case"),
    ),
)
