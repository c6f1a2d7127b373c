"""The stay's lifecycle: applied → assessment → awaiting intake → living → moving out → moved out,
or declined or withdrawn before intake.

The plan's phases: the assessment "vil starte tidlig i behandlingsopplegget på institusjon"; the
person "må selv ønske å delta i prosjektet" (no consent, no acceptance and no intake); intake
"vil skje etter behandling i institusjon" and needs "bindende, klare regler og avtaler mellom
beboere og boligeier"; the living phase lasts "inntil to år"; the move to an own home in Alta or
the home municipality is "del av siste fase i tiltakskjeden". The guards below refuse a move with
the reason (409); the payloads are checked first (422 naming the field). What each move does to the
stay is `stays.on_transitioned`.
"""

from __future__ import annotations

from velferd.toolkit import GuardContext, Transition, Workflow, get_owned, tenant_today

from . import occupancy, stays
from .manifest import DECIDE, INTAKE
from .models import Flat
from .stay_schemas import MoveInPayload, MoveOutPayload, NoData, PlanMoveOutPayload, Reasons
from .stays import (
    APPLIED,
    ASSESSMENT,
    AWAITING_INTAKE,
    DECLINED,
    LIVING,
    MOVED_OUT,
    MOVING_OUT,
    STATES,
    WITHDRAWN,
)


def has_application(context: GuardContext) -> str | None:
    if stays.stay_of(context.case.id) is None:
        return f"no application is recorded; submit the form '{stays.APPLICATION_FORM}' first"
    return None


def has_consent(context: GuardContext) -> str | None:
    """"Brukeren må selv ønske å delta i prosjektet": no consent, no intake."""
    stay = stays.stay_of(context.case.id)
    if stay is not None and stay.consent_on is None:
        return "the person's consent to take part is not recorded"
    return None


def _move_in(context: GuardContext):
    """The stay, the payload loaded and the flat (None when it is not the tenant's)."""
    data = MoveInPayload().load(context.payload)
    return stays.stay_of(context.case.id), data, get_owned(Flat, data["flat_id"])


def rules_agreed(context: GuardContext) -> str | None:
    stay, data, _ = _move_in(context)
    if stay is None:
        return None
    if stay.rules_agreed_on is None:
        return "the binding rules and agreement are not signed"
    if stay.rules_agreed_on > data["moved_in_on"]:
        return f"the rules and agreement were signed on {stay.rules_agreed_on.isoformat()}, after the move-in"
    if stay.consent_on is not None and stay.consent_on > data["moved_in_on"]:
        return f"the consent was given on {stay.consent_on.isoformat()}, after the move-in"
    return None


def treatment_ended(context: GuardContext) -> str | None:
    """Intake "vil skje etter behandling i institusjon"."""
    stay, data, _ = _move_in(context)
    if stay is None:
        return None
    if stay.treatment_ended_on is None:
        return "the end of the treatment is not recorded: intake follows the treatment"
    if stay.treatment_ended_on > data["moved_in_on"]:
        return f"the treatment ends on {stay.treatment_ended_on.isoformat()}, after the move-in"
    return None


def not_in_the_future(schema, field: str):
    """A move is recorded when it has happened: its date is today or earlier (the tenant's today)."""

    def guard(context: GuardContext) -> str | None:
        on = schema().load(context.payload)[field]
        if on > tenant_today(context.tenant):
            return f"{field} {on.isoformat()} is in the future; record the move on the day it happens"
        return None

    guard.__name__ = f"{field}_not_in_the_future"
    return guard


def flat_free(context: GuardContext) -> str | None:
    """The flat exists here, is free for this case that day, and the partner's flat only as the
    plan allows it (`stays.partner_flat_refusal`)."""
    stay, data, flat = _move_in(context)
    if flat is None:
        return f"there is no flat {data['flat_id']} here"
    reason = occupancy.refusal_to_occupy(flat, context.case.id, data["moved_in_on"])
    if reason is None and stay is not None:
        reason = stays.partner_flat_refusal(stay, flat, context.case.id, data["moved_in_on"],
                                            context.settings["partner_treatment_months"])
    return reason


def _moved_in_by(schema, field: str):
    """The move's date is not before the move-in."""

    def guard(context: GuardContext) -> str | None:
        stay = stays.stay_of(context.case.id)
        on = schema().load(context.payload)[field]
        if stay is not None and stay.moved_in_on is not None and on < stay.moved_in_on:
            return f"{field} {on.isoformat()} is before the move-in {stay.moved_in_on.isoformat()}"
        return None

    guard.__name__ = f"{field}_after_move_in"
    return guard


_BEFORE_INTAKE = (APPLIED, ASSESSMENT, AWAITING_INTAKE)

WORKFLOW = Workflow(
    name="aftercare_stay",
    initial=APPLIED,
    states=STATES,
    final=(MOVED_OUT, DECLINED, WITHDRAWN),
    transitions=(
        Transition("start_assessment", (APPLIED,), ASSESSMENT, guards=(has_application,), permission=INTAKE,
                   payload=NoData, title="Start the assessment"),
        Transition("accept", (ASSESSMENT,), AWAITING_INTAKE, guards=(has_application, has_consent),
                   permission=DECIDE, payload=Reasons, title="Accept for intake"),
        Transition("decline", (ASSESSMENT, AWAITING_INTAKE), DECLINED, permission=DECIDE, payload=Reasons,
                   title="Decline the application"),
        Transition("move_in", (AWAITING_INTAKE,), LIVING,
                   guards=(has_application, has_consent, rules_agreed, treatment_ended,
                           not_in_the_future(MoveInPayload, "moved_in_on"), flat_free),
                   permission=DECIDE, payload=MoveInPayload, title="Move in"),
        Transition("plan_move_out", (LIVING,), MOVING_OUT, guards=(_moved_in_by(PlanMoveOutPayload, "planned_on"),),
                   permission=DECIDE, payload=PlanMoveOutPayload, title="Plan the move-out"),
        Transition("move_out", (LIVING, MOVING_OUT), MOVED_OUT,
                   guards=(_moved_in_by(MoveOutPayload, "moved_out_on"),
                           not_in_the_future(MoveOutPayload, "moved_out_on")),
                   permission=DECIDE, payload=MoveOutPayload, title="Move out"),
        Transition("withdraw", _BEFORE_INTAKE, WITHDRAWN, permission=INTAKE, payload=NoData,
                   title="Withdraw the application"),
    ),
)
