"""The case lifecycle (guideline 4): referred → information meeting → assessment → feedback
meeting → offered (with a start date) or declined (with reasons) → awaiting the referring unit's
vedtak → started (the start meeting) → notice → ended → closed.

What a move needs travels as the transition's ``data`` and is validated here (422 naming the
field); what the case itself lacks is a guard's reason (409): no free place, someone ahead in the
waiting list, no vedtak, no ending meeting or final report. The hook in ``__init__`` then files
what the move decided (`placement.after_transition`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import (
    FormSubmission,
    GuardContext,
    Meeting,
    ParticipantSchema,
    Transition,
    ValidationFailed,
    Workflow,
    db,
    fields,
    ma,
    tenant_today,
    validate,
)

from .eligibility import ELIGIBLE, effective_eligibility
from .manifest import FOLLOW_UP, INTAKE, PLUGIN_ID
from .models import Placement, Vedtak
from .referral import referral_of
from .waitlist import places_taken, waiting_list

REFERRED, INFORMATION_MEETING, ASSESSMENT, FEEDBACK_MEETING = "referred", "information_meeting", "assessment", \
    "feedback_meeting"
OFFERED, DECLINED, AWAITING_VEDTAK, STARTED = "offered", "declined", "awaiting_vedtak", "started"
NOTICE, ENDED, CLOSED = "notice", "ended", "closed"
ACTIVE = (STARTED, NOTICE)
TEXT = validate.Length(min=3, max=5000)


class Payload(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class InvitePayload(Payload):
    priority_exception_reason = fields.String(load_default=None, allow_none=True, validate=TEXT, metadata={
        "description": "Why this case goes before higher-priority cases on the waiting list"})


class OfferPayload(Payload):
    start_on = fields.Date(required=True)


class DeclinePayload(Payload):
    reasons = fields.List(fields.String(validate=TEXT), required=True, validate=validate.Length(min=1, max=20))


class GroupSchema(Payload):
    members = fields.List(fields.String(validate=validate.Length(min=2, max=200)), required=True,
                          validate=validate.Length(min=1, max=30))
    frequency = fields.String(required=True, validate=validate.Length(min=2, max=200))
    place = fields.String(required=True, validate=validate.Length(min=2, max=200))


class TaskSchema(Payload):
    task = fields.String(required=True, validate=validate.Length(min=3, max=500))
    responsible = fields.String(required=True, validate=validate.Length(min=2, max=200))
    due_on = fields.Date(load_default=None, allow_none=True)


#: «Tiltaket starter med et oppstartsmøte hvor ungdom, DUE, innsøkende instans og eventuelt andre
#: interessenter deltar» (guideline 4.3): the youth, DUE (the coordinator) and the referring unit.
START_MEETING_ROLES = {"youth": "the youth", "coordinator": "DUE (the coordinator)",
                       "referring_unit": "the referring unit (innsøkende instans)"}


class StartMeetingPayload(Payload):
    """The start meeting settles the plan (with the needs from the assessment), the
    responsibility group and the tasks until its first meeting (guideline 4.3), and records who
    took part: the youth, DUE and the referring unit, or why one of them was not there."""

    held_on = fields.Date(load_default=None, allow_none=True,
                          metadata={"description": "The start date; the offered start date if left out"})
    plan_type = fields.String(required=True, validate=validate.OneOf(("action_plan", "individual_plan")))
    additional_needs = fields.List(fields.String(validate=validate.Length(min=2, max=300)), load_default=list)
    goals = fields.List(fields.String(validate=validate.Length(min=3, max=300)), required=True,
                        validate=validate.Length(min=1, max=30),
                        metadata={"description": "The plan's goals; the reports every fourth month are written "
                                                 "against them (guideline 2.3.3)"})
    responsibility_group = fields.Nested(GroupSchema, required=True)
    tasks = fields.List(fields.Nested(TaskSchema), required=True, validate=validate.Length(min=1, max=50))
    first_group_meeting_on = fields.Date(required=True)
    # the core's participant schema (velferd.toolkit), so a start meeting reads like any case meeting
    participants = fields.List(fields.Nested(ParticipantSchema), required=True,
                               validate=validate.Length(min=1, max=50), metadata={
                                   "description": "Who took part: the youth, the coordinator and the referring unit "
                                                  "(guideline 4.3), and any others"})
    absence_reason = fields.String(load_default=None, allow_none=True, validate=TEXT, metadata={
        "description": "Why the youth, the coordinator or the referring unit was not there"})


def plan_goals(goals: list[str], field: str = "goals") -> list[str]:
    """The plan's goals as the reports must name them: trimmed, each once (a goal listed twice
    could never be reported "once each")."""
    trimmed = [goal.strip() for goal in goals]
    twice = sorted({goal for goal in trimmed if trimmed.count(goal) > 1})
    if twice:
        raise ValidationFailed("the plan lists a goal twice", {field: [f"'{goal}' is listed twice" for goal in twice]})
    return trimmed


def check_start_meeting_participants(data: Mapping[str, Any]) -> None:
    """The youth, DUE and the referring unit take part in the start meeting (4.3); one who did
    not needs a reason."""
    present = {participant["role"] for participant in data["participants"]}
    missing = [words for role, words in START_MEETING_ROLES.items() if role not in present]
    if missing and not (data["absence_reason"] or "").strip():
        raise ValidationFailed("the youth, DUE and the referring unit take part in the start meeting (guideline 4.3)",
                               {"participants": [f"{', '.join(missing)} did not take part: add them, or say why in "
                                                 "absence_reason"]})


class NoticePayload(Payload):
    notice_on = fields.Date(required=True)


class BreakOffPayload(Payload):
    ended_on = fields.Date(required=True)
    reason = fields.String(required=True, validate=TEXT)


class EndPayload(Payload):
    pass


def load_payload(schema: type[ma.Schema], transition: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return schema().load(payload)
    except ma.ValidationError as error:
        raise ValidationFailed.from_marshmallow(error, f"the data for '{transition}'") from None


def placement_of(case_id: int) -> Placement | None:
    return db.session.scalar(sa.select(Placement).where(Placement.case_id == case_id))


def latest_vedtak(case_id: int) -> Vedtak | None:
    return db.session.scalar(sa.select(Vedtak).where(Vedtak.case_id == case_id).order_by(Vedtak.id.desc()).limit(1))


def latest_submission(case_id: int, form: str) -> FormSubmission | None:
    return db.session.scalar(sa.select(FormSubmission).where(
        FormSubmission.case_id == case_id, FormSubmission.plugin == PLUGIN_ID, FormSubmission.form == form)
        .order_by(FormSubmission.id.desc()).limit(1))


def check_start_day(day: dt.date, settings: Mapping[str, Any], field: str) -> None:
    if settings.get("start_on_1st_or_15th") and day.day not in (1, 15):
        raise ValidationFailed(f"DUE starts on the 1st or the 15th of a month, not {day.isoformat()}",
                               {field: ["the start date must be the 1st or the 15th (tenant setting)"]})


# --- guards -------------------------------------------------------------------------------------

def has_eligible_referral(context: GuardContext) -> str | None:
    if referral_of(context.case.id) is None:
        return "no referral is filed for the case; submit the referral form first"
    decision = effective_eligibility(context.case.id)
    if decision is None:
        return "no eligibility decision is recorded; evaluate the eligibility rule first"
    if decision.outcome != ELIGIBLE:
        return f"the eligibility decision that stands (decision {decision.id}) says {decision.outcome}"
    return None


def place_is_free(context: GuardContext) -> str | None:
    places, taken = context.settings["places"], places_taken()
    if taken >= places:
        return f"no free place: all {places} places are taken; the case waits on the waiting list"
    return None


def first_in_line(context: GuardContext) -> str | None:
    if context.payload.get("priority_exception_reason"):
        return None
    entries = waiting_list(context.settings, tenant_today(context.tenant))
    ahead = []
    for entry in entries:
        if entry.case_id == context.case.id:
            break
        ahead.append(entry)
    if ahead:
        first = ahead[0]
        return (f"case {first.case_id} is ahead on the waiting list ({first.points} points); invite it first or "
                "give priority_exception_reason")
    return None


def assessment_done(context: GuardContext) -> str | None:
    if latest_submission(context.case.id, "assessment") is None:
        return "no assessment (kartlegging) is recorded; submit the assessment form first"
    return None


def offer_start_date(context: GuardContext) -> str | None:
    data = load_payload(OfferPayload, "offer", context.payload)
    check_start_day(data["start_on"], context.settings, "start_on")
    referral = referral_of(context.case.id)
    if referral is not None and data["start_on"] < referral.referred_on:
        raise ValidationFailed("the start date is before the referral",
                               {"start_on": [f"must be on or after {referral.referred_on.isoformat()}"]})
    return None


def vedtak_recorded(context: GuardContext) -> str | None:
    if latest_vedtak(context.case.id) is None:
        return ("no vedtak (formal decision) from the referring unit is recorded; the start meeting cannot be "
                "held without it — record it at /x/due/cases/<id>/vedtak")
    return None


def start_meeting_data(context: GuardContext) -> str | None:
    data = load_payload(StartMeetingPayload, "hold_start_meeting", context.payload)
    placement = placement_of(context.case.id)
    start = data["held_on"] or placement.start_on
    check_start_day(start, context.settings, "held_on")
    plan_goals(data["goals"])
    check_start_meeting_participants(data)
    if data["first_group_meeting_on"] < start:
        raise ValidationFailed("the first responsibility-group meeting is before the start",
                               {"first_group_meeting_on": [f"must be on or after {start.isoformat()}"]})
    return None


def _not_before_start(day: dt.date, case_id: int, field: str) -> None:
    placement = placement_of(case_id)
    if day < placement.start_on:
        raise ValidationFailed(f"{field} is before the start", {field: [
            f"must be on or after the start date {placement.start_on.isoformat()}"]})


def notice_date(context: GuardContext) -> str | None:
    data = load_payload(NoticePayload, "give_notice", context.payload)
    _not_before_start(data["notice_on"], context.case.id, "notice_on")
    return None


def break_off_date(context: GuardContext) -> str | None:
    data = load_payload(BreakOffPayload, "break_off", context.payload)
    _not_before_start(data["ended_on"], context.case.id, "ended_on")
    placement = placement_of(context.case.id)
    if placement.end_on and data["ended_on"] > placement.end_on:
        raise ValidationFailed("the break-off is after the end under the notice", {"ended_on": [
            f"the notice already ends the measure on {placement.end_on.isoformat()}"]})
    return None


def notice_has_run_out(context: GuardContext) -> str | None:
    placement = placement_of(context.case.id)
    today = tenant_today(context.tenant)
    if placement.end_on > today:
        return f"the notice runs until {placement.end_on.isoformat()}; the case ends on that day, not before"
    return None


def meeting_held(kind: str, words: str) -> Callable[[GuardContext], str | None]:
    def guard(context: GuardContext) -> str | None:
        held = db.session.scalar(sa.select(Meeting.id).where(Meeting.case_id == context.case.id, Meeting.kind == kind,
                                                             Meeting.held.is_(True)).limit(1))
        return None if held else f"no {words} is recorded as held (a meeting of kind '{kind}' with held true)"

    guard.__name__ = f"{kind}_held"
    return guard


def final_report_submitted(context: GuardContext) -> str | None:
    reports = db.session.scalars(sa.select(FormSubmission).where(
        FormSubmission.case_id == context.case.id, FormSubmission.plugin == PLUGIN_ID,
        FormSubmission.form == "report")).all()
    if not any(r.data.get("kind") == "final" for r in reports):
        return "no final report to the referring unit is recorded; submit the report form with kind 'final'"
    return None


INTAKE_STATES = (REFERRED, INFORMATION_MEETING, ASSESSMENT, FEEDBACK_MEETING)

WORKFLOW = Workflow(
    name="due_youth_follow_up",
    initial=REFERRED,
    states=(REFERRED, INFORMATION_MEETING, ASSESSMENT, FEEDBACK_MEETING, OFFERED, DECLINED, AWAITING_VEDTAK, STARTED,
            NOTICE, ENDED, CLOSED),
    final=(DECLINED, CLOSED),
    transitions=(
        Transition("invite", (REFERRED,), INFORMATION_MEETING,
                   payload=InvitePayload, guards=(has_eligible_referral, place_is_free, first_in_line),
                   permission=INTAKE, title="Invite to the information meeting (a place is free)"),
        Transition("start_assessment", (INFORMATION_MEETING,), ASSESSMENT, payload=EndPayload,
                   permission=INTAKE, title="Start the assessment (kartlegging)"),
        Transition("give_feedback", (ASSESSMENT,), FEEDBACK_MEETING,
                   payload=EndPayload, guards=(assessment_done,), permission=INTAKE,
                   title="Feedback meeting with the youth"),
        Transition("offer", (FEEDBACK_MEETING,), OFFERED, payload=OfferPayload, guards=(offer_start_date,), permission=INTAKE,
                   title="Offer a place, with a start date"),
        Transition("decline", INTAKE_STATES, DECLINED, payload=DeclinePayload,
                   permission=INTAKE, title="Decline, with reasons"),
        Transition("request_vedtak", (OFFERED,), AWAITING_VEDTAK, payload=EndPayload,
                   permission=INTAKE, title="Written answer sent; await the referring unit's vedtak"),
        Transition("hold_start_meeting", (AWAITING_VEDTAK,), STARTED, payload=StartMeetingPayload, guards=(vedtak_recorded, start_meeting_data),
                   permission=INTAKE, title="Hold the start meeting: plan, responsibility group, tasks"),
        Transition("give_notice", (STARTED,), NOTICE, payload=NoticePayload, guards=(notice_date,), permission=FOLLOW_UP,
                   title="Give two calendar months' notice"),
        Transition("break_off", ACTIVE, ENDED, payload=BreakOffPayload, guards=(break_off_date,), permission=FOLLOW_UP,
                   title="Break off: ends at once"),
        Transition("end", (NOTICE,), ENDED, payload=EndPayload, guards=(notice_has_run_out,),
                   permission=FOLLOW_UP, title="End when the notice has run out"),
        Transition("close", (ENDED,), CLOSED,
                   payload=EndPayload, guards=(meeting_held("ending_meeting", "ending meeting"), final_report_submitted),
                   permission=FOLLOW_UP, title="Close: after the ending meeting and the final report"),
    ),
)
