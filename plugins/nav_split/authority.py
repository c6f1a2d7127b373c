"""Who may decide what in Kristiansand, and 403 answers that say the rule, not only a permission.

Seed (May 2019): "Det er Forvaltning som har myndighet og ansvar for å avklare hvilke tjenester
brukerne skal ha i kommunen. [...] De to unntakene her er uavklarte brukere innen rusfeltet og at
NAV får direkte over en del brukere fra andre kommuner som følges direkte opp videre i NAV."

So Forvaltning may override the allocation rule (with a reason), except in those two cases: a
referral to Rusfaglig Forum is decided by the Forum (its outcome is recorded only by the Forum's
own roles, ``nav_split:forum:decide``), and a user NAV took over directly stays in NAV. Overriding
such a decision into another outcome is refused (403, saying why); the Forum's own outcome is
not Forvaltning's to override either.
"""

from __future__ import annotations

from velferd.toolkit import Decision, Forbidden, get_owned, require_permission

from .allocation import FORUM, NAV
from .decisions import ALLOCATION_RULE, MEETING_OUTCOME_RULE
from .manifest import FORUM_DECIDE
from .models import AgendaItem

FORUM_REFERRAL_RULE = ("a referral to Rusfaglig Forum is an exception to Forvaltning's authority: "
                       "the Forum decides where the user is followed up, so the referral cannot be "
                       "overridden into another outcome")
NAV_TAKEOVER_RULE = ("a user NAV took over directly from another municipality is followed up further in NAV, "
                     "an exception to Forvaltning's authority: the decision cannot be overridden into another "
                     "outcome")
FORUM_OUTCOME_RULE = "Rusfaglig Forum's outcome is recorded and changed only by the Forum's own roles"


class RuleRefusal(Forbidden):
    """A 403 that states a rule of who may act; it keeps the rule and the permission apart, so a
    page can show the rule in the page's language (the API's answer is the same message)."""

    def __init__(self, rule: str, permission: str):
        super().__init__(f"{rule} (you need the permission '{permission}')")
        self.rule, self.permission = rule, permission


def require(permission: str, rule: str) -> None:
    """`require_permission`, but the 403 states the rule first and the permission after it."""
    try:
        require_permission(permission)
    except Forbidden:
        raise RuleRefusal(rule, permission) from None


def _meeting_kind(decision: Decision) -> str | None:
    item = get_owned(AgendaItem, int(decision.inputs["agenda_item_id"]))
    return item.kind if item is not None else None


def check_override(decision: Decision) -> None:
    """From the decision hook: refuse an override that takes away one of the two exceptions."""
    superseded = get_owned(Decision, decision.supersedes_id)
    if superseded is None or superseded.outcome == decision.outcome:
        return
    if superseded.rule == ALLOCATION_RULE and superseded.outcome == FORUM:
        raise Forbidden(FORUM_REFERRAL_RULE)
    if superseded.rule == ALLOCATION_RULE and superseded.outcome == NAV and (superseded.inputs or {}).get(
            "taken_over_by_nav"):
        raise Forbidden(NAV_TAKEOVER_RULE)
    if superseded.rule == MEETING_OUTCOME_RULE and _meeting_kind(superseded) == FORUM:
        require(FORUM_DECIDE, FORUM_OUTCOME_RULE)
