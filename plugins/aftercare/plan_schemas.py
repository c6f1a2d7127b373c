"""Request and response schemas of the individual plan, user participation, the qualification
programme, the G table and the stipend calculator (in the OpenAPI document, and drawn as the
pages' forms by the core's renderer).

Unknown fields are a 422 naming them; string lengths are the columns' (`column_limits`). The rules
that need the database (a contact person who is staff here, a G the table has) are `plans`',
`g_table`'s and `stipend`'s.
"""

from __future__ import annotations

from decimal import Decimal

from velferd.toolkit import column_limits, fields, ma, validate

from .plan_models import (
    CONSULTATION_METHODS,
    GOAL_STATUSES,
    PARTNERS,
    GValue,
    Participation,
    PlanGoal,
    PlanPartner,
)
from .strict import Strict

MONEY = {"places": 2, "as_string": True}


def _text(required: bool = False, **metadata):
    """A non-empty string (blank is refused, not stored)."""
    return fields.String(required=required, allow_none=not required, validate=validate.Length(min=1),
                         metadata=metadata)


# --- the plan --------------------------------------------------------------------------------------

class PlanInput(Strict):
    contact_person_id = fields.Integer(required=True, metadata={
        "title": "Contact person", "description": "The one person the resident relates to, linking the services"})
    started_on = fields.Date(load_default=None, metadata={"title": "Plan started",
                                                          "description": "Today if left empty"})


@column_limits(PlanGoal)
class GoalInput(Strict):
    text = _text(required=True, title="Goal", description="Worked out together with the resident")
    target_on = fields.Date(load_default=None, metadata={"title": "Target date"})
    status = fields.String(load_default="open", validate=validate.OneOf(GOAL_STATUSES), metadata={"title": "Status"})


@column_limits(PlanGoal)
class GoalChanges(Strict):
    text = _text(title="Goal")
    target_on = fields.Date(allow_none=True, metadata={"title": "Target date"})
    status = fields.String(validate=validate.OneOf(GOAL_STATUSES), metadata={"title": "Status"})


@column_limits(PlanPartner)
class PartnerInput(Strict):
    partner = fields.String(required=True, validate=validate.OneOf(PARTNERS), metadata={"title": "Partner"})
    name = _text(title="Name", description="Required for “other”; the home municipality's name")
    role = _text(required=True, title="What they do")


@column_limits(Participation)
class ParticipationInput(Strict):
    """A consultation of the resident when the service is shaped (sosialtjenesteloven § 8-4)."""

    consulted_on = fields.Date(required=True, metadata={"title": "Consulted on"})
    method = fields.String(required=True, validate=validate.OneOf(CONSULTATION_METHODS),
                           metadata={"title": "How the resident was consulted"})
    resident_said = _text(required=True, title="What the resident said")
    changed = _text(title="What changed", description="In the service, because of what the resident said")


class ContactSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()


class GoalSchema(ma.Schema):
    id = fields.Integer()
    text = fields.String()
    target_on = fields.Date(allow_none=True)
    status = fields.String(metadata={"enum": list(GOAL_STATUSES)})


class PartnerSchema(ma.Schema):
    id = fields.Integer()
    partner = fields.String(metadata={"enum": list(PARTNERS)})
    name = fields.String(allow_none=True)
    role = fields.String()


class ParticipationSchema(ma.Schema):
    id = fields.Integer()
    consulted_on = fields.Date()
    method = fields.String(metadata={"enum": list(CONSULTATION_METHODS)})
    resident_said = fields.String()
    changed = fields.String(allow_none=True)
    recorded_by_id = fields.Integer(allow_none=True)


class IndividualPlanSchema(ma.Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    started_on = fields.Date()
    contact_person = fields.Nested(ContactSchema)
    laws = fields.List(fields.String(), metadata={"description": "The laws that give the right to an IP"})
    goals = fields.List(fields.Nested(GoalSchema))
    partners = fields.List(fields.Nested(PartnerSchema))
    participation = fields.List(fields.Nested(ParticipationSchema))


# --- the G table and the stipend ------------------------------------------------------------------

@column_limits(GValue)
class GInput(Strict):
    effective_from = fields.Date(required=True, metadata={"title": "In force from",
                                                          "description": "Normally 1 May"})
    amount = fields.Decimal(required=True, validate=validate.Range(min=Decimal("1"), max=Decimal("10000000")),
                            metadata={"title": "G (NOK a year)"}, **MONEY)
    source = fields.String(required=True, validate=validate.Length(min=3), metadata={
        "title": "Source", "description": "Where the figure is published"})


class GSchema(ma.Schema):
    id = fields.Integer()
    effective_from = fields.Date()
    amount = fields.Decimal(**MONEY)
    source = fields.String()
    entered_by_id = fields.Integer(allow_none=True)
    entered_at = fields.DateTime()


class GQuery(Strict):
    on = fields.Date(required=True, metadata={"description": "The day (YYYY-MM-DD)"})


class StipendQuery(Strict):
    birth_date = fields.Date(required=True)
    on = fields.Date(required=True, metadata={"description": "The day (YYYY-MM-DD)"})
    children = fields.Integer(load_default=0, validate=validate.Range(min=0, max=20))
    child_rate_per_day = fields.Decimal(load_default=None, validate=validate.Range(min=Decimal("0"),
                                                                                  max=Decimal("10000")), **MONEY)


class StipendSchema(ma.Schema):
    on = fields.Date()
    g = fields.Decimal(**MONEY)
    g_from = fields.Date()
    g_source = fields.String()
    age = fields.Integer()
    under_25 = fields.Boolean()
    yearly_exact = fields.Decimal(**MONEY)
    yearly = fields.Decimal(**MONEY)
    yearly_as_stated = fields.Decimal(**MONEY, metadata={"description": "Rounded to the nearest hundred kroner, "
                                                                        "as NAV's brochure states it"})
    monthly = fields.Decimal(**MONEY)
    children = fields.Integer()
    child_rate_per_day = fields.Decimal(**MONEY)
    child_supplement_per_month = fields.Decimal(**MONEY)
    monthly_total = fields.Decimal(**MONEY)
    taxable = fields.Boolean()


# --- the qualification programme ------------------------------------------------------------------

class ProgrammeInput(Strict):
    granted_on = fields.Date(required=True, metadata={"title": "Granted on"})
    starts_on = fields.Date(required=True, metadata={"title": "Starts on"})
    ends_on = fields.Date(required=True, metadata={"title": "Ends on", "description": "The last day"})
    children = fields.Integer(load_default=0, validate=validate.Range(min=0, max=20),
                              metadata={"title": "Children", "description": "Children the child supplement is for"})
    child_rate_per_day = fields.Decimal(load_default=None, validate=validate.Range(min=Decimal("0"),
                                                                                  max=Decimal("10000")),
                                        metadata={"title": "Child supplement per day (NOK)",
                                                  "description": "NOK 27 (the 2008 rate) if left empty"}, **MONEY)


class ProgrammeMonthSchema(ma.Schema):
    month = fields.Date()
    first_day = fields.Date()
    last_day = fields.Date()
    days = fields.Integer()
    days_in_month = fields.Integer()
    g = fields.Decimal(attribute="rate.g", **MONEY)
    under_25 = fields.Boolean(attribute="rate.under_25")
    basic = fields.Decimal(**MONEY)
    child_supplement = fields.Decimal(**MONEY)
    total = fields.Decimal(**MONEY)


class ProgrammeSchema(ma.Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    granted_on = fields.Date()
    starts_on = fields.Date()
    ends_on = fields.Date()
    children = fields.Integer()
    child_rate_per_day = fields.Decimal(**MONEY)
    now = fields.Nested(StipendSchema, allow_none=True, metadata={"description": "The expected stipend today"})
    now_unknown = fields.String(allow_none=True, metadata={"description": "Why today's figure cannot be given"})
    months = fields.List(fields.Nested(ProgrammeMonthSchema))
    months_unknown = fields.String(allow_none=True)
    total = fields.Decimal(allow_none=True, **MONEY)
