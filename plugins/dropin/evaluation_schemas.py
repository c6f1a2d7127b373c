"""Request and response schemas of the evaluation report and the unit cost per citizen per year
(marshmallow; in the OpenAPI document, and the period form of the evaluation page).

A period is two dates, both required (a missing or malformed one is a 422 naming it; an end
before the start a 422 naming ``end``, from `evaluation.check_period`). Amounts and rates are
exact decimal strings: a cost per citizen in DKK with 2 decimals, a share or rate in per cent
with one decimal; null where there is nothing to divide by. The parts' own figure schemas are
reused (`ReachSchema`, `NoShowFigures`, `SurveyKindSummarySchema`), so a figure has one shape
wherever it appears. Names start with Evaluation… so they do not clash in the OpenAPI document.
"""

from __future__ import annotations

from velferd.toolkit import MAX_ID, Id, fields, ma, validate

from .contact_schemas import ReachQuery, ReachSchema
from .cost_schemas import SurveyKindSummarySchema
from .costs import FIRST_YEAR, LAST_YEAR
from .meeting_schemas import NoShowFigures
from .services import ALL_SERVICES, OUTREACH_SERVICES
from .strict import Strict

_PER_CENT = "Per cent of the citizens reached, one decimal, half up; null if none was reached"


class EvaluationQuery(Strict):
    start = fields.Date(required=True, metadata={"title": "From", "description": "The first day"})
    end = fields.Date(required=True, metadata={"title": "To", "description": "The last day (included)"})


class EvaluationCostQuery(Strict):
    year = fields.Integer(required=True, validate=validate.Range(min=FIRST_YEAR, max=LAST_YEAR),
                          metadata={"title": "Year", "description": "A calendar year"})


class EvaluationReachQuery(ReachQuery):
    """The contacts part's query of the citizens reached, its centre an id the database can hold
    (a larger one is a 422 naming centre_id, not the database's refusal)."""

    centre_id = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID),
                               metadata={"title": "Centre", "description": "All centres if omitted"})


class EvaluationReachSchema(ReachSchema):
    previously_unknown_share = fields.Decimal(as_string=True, allow_none=True, metadata={"description": _PER_CENT})
    first_contact_share = fields.Decimal(as_string=True, allow_none=True, metadata={
        "description": "First contacts (first_contact = yes) per cent of the citizens reached; null if none"})


class EvaluationNoShowRow(ma.Schema):
    service = fields.String(allow_none=True, metadata={"enum": list(OUTREACH_SERVICES),
                                                       "description": "null: every service together"})
    centre = fields.Nested(NoShowFigures, metadata={"description": "Meetings held at the centre (or centres)"})
    office = fields.Nested(NoShowFigures, allow_none=True,
                           metadata={"description": "Meetings at the municipality's office; null for one centre"})


class EvaluationSurveysSchema(ma.Schema):
    citizen = fields.Nested(SurveyKindSummarySchema, metadata={"description": "The citizens' view"})
    staff = fields.Nested(SurveyKindSummarySchema, metadata={"description": "The staff's assessment"})


class EvaluationEffectsSchema(ma.Schema):
    reach = fields.Nested(EvaluationReachSchema)
    no_shows = fields.List(fields.Nested(EvaluationNoShowRow))
    surveys = fields.Nested(EvaluationSurveysSchema)


class EvaluationCentreSchema(EvaluationEffectsSchema):
    centre_id = Id(strict=True)
    name = fields.String()


class EvaluationCostRow(ma.Schema):
    service = fields.String(allow_none=True, metadata={"enum": list(ALL_SERVICES),
                                                       "description": "null: every service together"})
    cost = fields.Decimal(as_string=True, places=2, metadata={"description": "The year's costs, DKK"})
    contacts = fields.Integer(strict=True)
    citizens = fields.Integer(strict=True, metadata={"description": "Distinct citizens who used the service that year"})
    cost_per_citizen = fields.Decimal(as_string=True, places=2, allow_none=True, metadata={
        "description": "DKK, 2 decimals, half up; null where no citizen used the service"})


class EvaluationCostSchema(ma.Schema):
    year = fields.Integer(strict=True)
    services = fields.List(fields.Nested(EvaluationCostRow))
    all = fields.Nested(EvaluationCostRow, metadata={"description": "Every service together"})


class EvaluationReport(ma.Schema):
    start = fields.Date()
    end = fields.Date()
    municipality = fields.Nested(EvaluationEffectsSchema, metadata={"description": "Every centre together"})
    centres = fields.List(fields.Nested(EvaluationCentreSchema))
    cost_per_citizen = fields.List(fields.Nested(EvaluationCostSchema),
                                   metadata={"description": "Each calendar year the period touches"})
