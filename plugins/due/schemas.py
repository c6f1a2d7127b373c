"""Request and response schemas of the plugin's routes (marshmallow; they appear in the OpenAPI doc)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from velferd.toolkit import column_limits, fields, ma, validate

from .coordination import WEEKDAYS
from .models import Absence, CoordinatorAssignment, Deflator, ExtraResource, Transfer, Vedtak

ID = validate.Range(min=1, max=2**31 - 1)


class Strict(ma.Schema):
    """Unknown fields are a 422 naming them, not silently ignored."""

    class Meta:
        unknown = ma.RAISE


class Clock(fields.Field):
    """A time of day as "HH:MM" (24-hour)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.strftime("%H:%M")

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise ma.ValidationError("give a time of day as HH:MM, e.g. 08:00")
        return dt.time(int(value[:2]), int(value[3:]))


# --- waiting list ---------------------------------------------------------------------------------

class WaitingEntrySchema(ma.Schema):
    position = fields.Integer()
    case_id = fields.Integer()
    referred_on = fields.Date()
    age_at_referral = fields.Integer()
    points = fields.Integer()
    explanation = fields.List(fields.String())


class WaitingListSchema(ma.Schema):
    places = fields.Integer()
    taken = fields.Integer()
    free = fields.Integer()
    entries = fields.List(fields.Nested(WaitingEntrySchema))


# --- vedtak, coordinators, absences -------------------------------------------------------------

@column_limits(Vedtak)
class VedtakCreateSchema(Strict):
    unit_id = fields.Integer(load_default=None, allow_none=True, validate=ID,
                             metadata={"description": "The unit that decided and pays; the referring unit if left out"})
    decided_on = fields.Date(required=True)
    reference = fields.String(required=True, validate=validate.Length(min=1, max=100),
                              metadata={"description": "The referring unit's reference; printed on the invoice lines"})
    valid_from = fields.Date(load_default=None, allow_none=True,
                             metadata={"description": "First day the vedtak grants; the offered start date if left out"})
    valid_to = fields.Date(load_default=None, allow_none=True,
                           metadata={"description": "Last day the vedtak grants; until further notice if left out"})


class VedtakSchema(ma.Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    unit_id = fields.Integer()
    decided_on = fields.Date()
    reference = fields.String()
    valid_from = fields.Date(allow_none=True)
    valid_to = fields.Date(allow_none=True)
    recorded_by_id = fields.Integer(allow_none=True)
    recorded_at = fields.DateTime()


@column_limits(CoordinatorAssignment)
class AssignmentCreateSchema(Strict):
    user_id = fields.Integer(required=True, validate=ID)
    weekly_hours = fields.Decimal(load_default=Decimal("8.00"), places=2, as_string=True,
                                  validate=validate.Range(min=Decimal("0.5"), max=Decimal("60")))
    reachable_from = Clock(load_default=dt.time(8))
    reachable_to = Clock(load_default=dt.time(20))
    reachable_days = fields.List(fields.String(validate=validate.OneOf(WEEKDAYS)),
                                 load_default=lambda: list(WEEKDAYS[:5]), validate=validate.Length(min=1, max=7))
    assigned_on = fields.Date(required=True)


class AssignmentSchema(ma.Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    user_id = fields.Integer()
    weekly_hours = fields.Decimal(as_string=True)
    reachable_from = Clock()
    reachable_to = Clock()
    reachable_days = fields.List(fields.String())
    assigned_on = fields.Date()
    ended_on = fields.Date(allow_none=True)


@column_limits(Absence)
class AbsenceCreateSchema(Strict):
    user_id = fields.Integer(required=True, validate=ID)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(("sickness", "holiday", "other")))
    substitute_user_id = fields.Integer(load_default=None, allow_none=True, validate=ID)


class AbsenceSchema(ma.Schema):
    id = fields.Integer()
    user_id = fields.Integer()
    starts_on = fields.Date()
    ends_on = fields.Date()
    reason = fields.String()
    substitute_user_id = fields.Integer(allow_none=True)


class FlagSchema(ma.Schema):
    case_id = fields.Integer()
    coordinator_user_id = fields.Integer(allow_none=True)
    reason = fields.String()


class DayQuery(Strict):
    on = fields.Date(load_default=None, metadata={"description": "The day (today in the tenant's zone if left out)"})


# --- the case overview ----------------------------------------------------------------------------

class PayerPeriodSchema(ma.Schema):
    unit_id = fields.Integer()
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    reason = fields.String()


class ReportDeadlineSchema(ma.Schema):
    id = fields.Integer()
    kind = fields.String()
    due_on = fields.Date()
    completed_at = fields.DateTime(allow_none=True)


class ReportedGoalSchema(ma.Schema):
    goal = fields.String()
    status = fields.String(allow_none=True, metadata={"description": "achieved, in_progress, not_started, dropped; "
                                                                      "null: not reported yet"})
    note = fields.String(allow_none=True)


class GoalProgressSchema(ReportedGoalSchema):
    reported_on = fields.Date(allow_none=True, metadata={"description": "The report that last said how it stands"})
    report_id = fields.Integer(allow_none=True)


class ReportSchema(ma.Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    submission_id = fields.Integer()
    deadline_id = fields.Integer()
    kind = fields.String()
    written_on = fields.Date()
    goals = fields.List(fields.Nested(ReportedGoalSchema),
                        metadata={"description": "The goals of the plan it was written against, each as it stood"})
    filed_at = fields.DateTime()


class PlanGoalsSchema(Strict):
    goals = fields.List(fields.String(validate=validate.Length(min=3, max=300)), required=True,
                        validate=validate.Length(min=1, max=30),
                        metadata={"description": "The new plan's goals; later reports are written against them"})


class MeetingParticipantSchema(ma.Schema):
    role = fields.String()
    name = fields.String(allow_none=True)
    unit = fields.String(allow_none=True)


class PlanSchema(ma.Schema):
    case_id = fields.Integer()
    plan_goals = fields.List(fields.String())
    goals = fields.List(fields.Nested(GoalProgressSchema))


class PlacementSchema(ma.Schema):
    case_id = fields.Integer()
    state = fields.String()
    start_on = fields.Date(allow_none=True)
    notice_on = fields.Date(allow_none=True)
    end_on = fields.Date(allow_none=True)
    ended_by = fields.String(allow_none=True)
    plan_type = fields.String(allow_none=True)
    plan_needs = fields.List(fields.String())
    plan_goals = fields.List(fields.String(), allow_none=True)
    goals = fields.List(fields.Nested(GoalProgressSchema), metadata={
        "description": "Each goal of the plan in force with its latest reported status"})
    start_meeting_participants = fields.List(fields.Nested(MeetingParticipantSchema), metadata={
        "description": "Who took part in the start meeting"})
    group_members = fields.List(fields.String())
    group_frequency = fields.String(allow_none=True)
    group_place = fields.String(allow_none=True)
    tasks = fields.List(fields.Dict())
    first_group_meeting_on = fields.Date(allow_none=True)
    payers = fields.List(fields.Nested(PayerPeriodSchema))
    coordinator = fields.Nested(AssignmentSchema, allow_none=True)
    flag = fields.String(allow_none=True)
    deadlines = fields.List(fields.Nested(ReportDeadlineSchema))


# --- transfers and extra resources ------------------------------------------------------------------

@column_limits(Transfer)
class TransferCreateSchema(Strict):
    to_unit_id = fields.Integer(required=True, validate=ID)
    effective_on = fields.Date(required=True)
    units_agree = fields.Boolean(required=True)
    disagreement = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=3, max=5000))
    in_youths_interest = fields.Boolean(required=True, metadata={
        "description": "The units' joint assessment: is the transfer in the youth's interest (guideline 4.4)"})
    interest_assessment = fields.String(required=True, validate=validate.Length(min=3, max=5000),
                                        metadata={"description": "What the units assessed together, in short"})


@column_limits(Transfer)
class TransferDecisionSchema(Strict):
    approve = fields.Boolean(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=3, max=5000))
    effective_on = fields.Date(load_default=None, allow_none=True)
    from_unit_leader = fields.String(required=True, validate=validate.Length(min=2, max=200),
                                     metadata={"description": "The leader of the unit handing over who settled it"})
    to_unit_leader = fields.String(required=True, validate=validate.Length(min=2, max=200),
                                   metadata={"description": "The leader of the receiving unit who settled it"})
    in_youths_interest = fields.Boolean(required=True, metadata={
        "description": "The leaders' joint assessment: is the transfer in the youth's interest"})
    interest_assessment = fields.String(required=True, validate=validate.Length(min=3, max=5000))


class TransferSchema(ma.Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    from_unit_id = fields.Integer()
    to_unit_id = fields.Integer()
    meeting_id = fields.Integer()
    meeting_participants = fields.List(fields.Nested(MeetingParticipantSchema), attribute="meeting.participants",
                                       metadata={"description": "Who took part in the transfer meeting it was made on"})
    effective_on = fields.Date()
    status = fields.String()
    disagreement = fields.String(allow_none=True)
    in_youths_interest = fields.Boolean(allow_none=True)
    interest_assessment = fields.String(allow_none=True)
    from_unit_leader = fields.String(allow_none=True)
    to_unit_leader = fields.String(allow_none=True)
    requested_by_id = fields.Integer(allow_none=True)
    decided_by_id = fields.Integer(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    decision_reason = fields.String(allow_none=True)


@column_limits(ExtraResource)
class ExtraCreateSchema(Strict):
    description = fields.String(required=True, validate=validate.Length(min=3, max=200))
    monthly_amount = fields.Decimal(required=True, places=2, as_string=True,
                                    validate=validate.Range(min=Decimal("0.01"), max=Decimal("1000000")))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    approved_on = fields.Date(required=True, metadata={"description": "The day the leader approved it (in advance)"})


class ExtraSchema(ma.Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    description = fields.String()
    monthly_amount = fields.Decimal(as_string=True)
    starts_on = fields.Date()
    ends_on = fields.Date()
    approved_on = fields.Date()
    approved_by_id = fields.Integer(allow_none=True)


# --- prices ---------------------------------------------------------------------------------------

@column_limits(Deflator)
class DeflatorEntrySchema(Strict):
    percent = fields.Decimal(required=True, places=2, as_string=True,
                             validate=validate.Range(min=Decimal("-10"), max=Decimal("30")))
    source = fields.String(required=True, validate=validate.Length(min=3, max=400))


class DeflatorSchema(ma.Schema):
    year = fields.Integer()
    percent = fields.Decimal(as_string=True)
    source = fields.String()
    entered_by_id = fields.Integer(allow_none=True)
    entered_at = fields.DateTime()


class PriceRowSchema(ma.Schema):
    year = fields.Integer()
    price = fields.Decimal(as_string=True, allow_none=True)
    deflator = fields.Decimal(as_string=True, allow_none=True)
    source = fields.String(allow_none=True)
    entered_by_id = fields.Integer(allow_none=True)
    entered_at = fields.DateTime(allow_none=True)
    missing = fields.String(allow_none=True)


class PriceTableQuery(Strict):
    until = fields.Integer(load_default=None, validate=validate.Range(min=2000, max=2100))


class YearPath(Strict):
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))


# --- billing preview and reminders ------------------------------------------------------------------

class PeriodQuery(Strict):
    period = fields.String(required=True, validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$",
                                                                   error="give the month as YYYY-MM"))


class LinePreviewSchema(ma.Schema):
    payer_unit_id = fields.Integer()
    case_id = fields.Integer(allow_none=True)
    description = fields.String()
    quantity = fields.Decimal(as_string=True)
    unit_price = fields.Decimal(as_string=True)
    period_start = fields.Date()
    period_end = fields.Date()


class ReminderSchema(ma.Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    deadline_id = fields.Integer()
    kind = fields.String()
    due_on = fields.Date()
    on_day = fields.Date()
    recipient_user_id = fields.Integer(allow_none=True)
    message = fields.String()


class ReminderQuery(Strict):
    case_id = fields.Integer(load_default=None, validate=ID)


class RunSchema(Strict):
    on = fields.Date(load_default=None, metadata={"description": "The day to run for; today if left out"})


class RunResultSchema(ma.Schema):
    on = fields.Date()
    reminder = fields.Integer()
    overdue = fields.Integer()
