"""A case's allocation on its page: the decision that governs it (outcome and reasons), the
appointment, the follow-up form (the API's ``PUT follow-up``: `FollowUpSchema`,
`followup.record_follow_up`) and the case's Rusfaglig Forum decisions.

The panel is drawn inside the core's case page; a refused follow-up is shown on the allocation
page of its own (this module's GET), which has the same content, since a plugin cannot redraw
the core's page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from velferd.toolkit import (
    Case,
    Conflict,
    ValidationError,
    ValidationFailed,
    form_fields,
    gettext,
    has_permission,
    request,
    require_permission,
    submitted_data,
)

from . import followup, signatures, words
from .manifest import ALLOCATION_READ, FOLLOW_UP
from .page_kit import Refusal, blp, done, page
from .schemas import FollowUpSchema
from .workflow import APPOINTED_UNIT

FOLLOW_UP_FORM = "follow-up"


def _current_values(appointment) -> dict[str, str]:
    """The follow-up form filled with what is recorded now (a ticked box is a present key)."""
    if appointment is None:
        return {}
    values = {"follow_up_unit": appointment.follow_up_unit, "financial_caseworker": appointment.financial_caseworker or ""}
    values.update({name: "on" for name in ("follow_up_at_home", "social_assistance") if getattr(appointment, name)})
    return values


def _may_draft(case: Case) -> bool:
    """Whether the user is of the team that drafts this case's Forum decisions (none while
    neither unit is responsible for the case)."""
    try:
        unit = signatures.responsible_unit(case)
    except Conflict:
        return False
    return has_permission(signatures.DRAFTERS[unit][1])


def panel_context(case: Case, settings: Mapping[str, Any] | None = None, refusal: Refusal | None = None) -> dict:
    """What the allocation panel shows (`CasePanel.context`, and the allocation page)."""
    allocation = followup.allocation_of(case)
    may_follow_up = has_permission(FOLLOW_UP) and allocation["appointment"] is not None and case.state in APPOINTED_UNIT
    mine = refusal.of(FOLLOW_UP_FORM) if refusal else None
    decision = allocation["decision"]
    return {"allocation": allocation, "words": words, "named": words.named,
            # a fixed reason is in the catalogue; one naming the user's answers stays as written
            "reasons": [gettext(reason) for reason in (decision.reasons or ())] if decision else [],
            "forum_decisions": signatures.decisions_of_case(case.id),
            "may_draft": _may_draft(case),
            "follow_up_fields": form_fields(FollowUpSchema) if may_follow_up else [],
            "follow_up_values": mine.values if mine else _current_values(allocation["appointment"]),
            "follow_up_errors": mine.errors if mine else {}}


def allocation_page(case_id: int, refusal: Refusal | None = None):
    require_permission(ALLOCATION_READ)
    case = signatures.nav_split_case(case_id)
    return page("nav_split/allocation.html", gettext("Allocation of case %(id)s", id=case.id),
                refusal.status if refusal else 200, case=case, refusal=refusal,
                **panel_context(case, refusal=refusal))


@blp.get("/cases/<int:case_id>/allocation")
def allocation(case_id: int):
    """The decision governing the case, its reasons, the appointment and the follow-up form."""
    return allocation_page(case_id)


@blp.post("/cases/<int:case_id>/follow-up")
def record_follow_up(case_id: int):
    """Who follows up and social assistance, through the API's schema and service."""
    require_permission(FOLLOW_UP)
    case = signatures.nav_split_case(case_id)
    described = form_fields(FollowUpSchema)
    try:
        changes = FollowUpSchema().load(submitted_data(FollowUpSchema, request.form))
        followup.record_follow_up(case, changes)
    except ValidationError as error:
        failed = ValidationFailed("the follow-up is invalid", error.normalized_messages())
        return allocation_page(case_id, Refusal(FOLLOW_UP_FORM, failed, described, request.form))
    except Conflict as error:
        return allocation_page(case_id, Refusal(FOLLOW_UP_FORM, error, described, request.form))
    return done(gettext("The follow-up is recorded."), "web.case_page", case_id=case_id)
