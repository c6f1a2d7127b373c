"""Request and response schemas of the evaluation's entered data: the costs per service and year
and the survey answers (marshmallow; in the OpenAPI document and drawn as the pages' forms).

An amount is a Decimal in DKK: not negative, at most 2 decimals, at most 12 digits before the
point (the column is NUMERIC(14, 2)). A JSON number is read through its shortest decimal text
(0.1 is 0.10, exactly, never the float's binary value); strings ("182000.00") are the safe way to
send an amount, and amounts come back as strings. A survey's
schema is made per kind from `surveys.QUESTIONS`, one Integer 1–5 per question, so an unknown
question is a 422 naming it.
"""

from __future__ import annotations

from decimal import Decimal

from velferd.toolkit import MAX_ID, Id, ValidationError, column_limits, fields, ma, validate

from . import surveys
from .changes import changes_of
from .costs import FIRST_YEAR, LAST_YEAR, SERVICES
from .evaluation_models import ServiceCost, SurveyResponse
from .strict import Strict

MAX_AMOUNT = Decimal("999999999999.99")


def _kroner(value: Decimal) -> None:
    if value < 0:
        raise ValidationError("Must not be negative.")
    if value > MAX_AMOUNT:
        raise ValidationError("Must be at most 999999999999.99.")
    if value.as_tuple().exponent < -2:
        raise ValidationError("At most 2 decimals (øre).")


def _text(required: bool = False, **metadata):
    return fields.String(required=required, allow_none=not required, validate=validate.Length(min=1),
                         metadata=metadata)


_YEAR = dict(validate=validate.Range(min=FIRST_YEAR, max=LAST_YEAR), metadata={"title": "Year"})


# --- costs ----------------------------------------------------------------------------------------

@column_limits(ServiceCost)
class CostInput(Strict):
    """A cost of one service in one year."""

    year = fields.Integer(strict=True, required=True, **_YEAR)
    service = fields.String(required=True, validate=validate.OneOf(SERVICES),
                            metadata={"title": "Service", "description": "Outreach case processing, substance-abuse "
                                                                         "work, SKP or the centres' team activities"})
    label = _text(required=True, title="Cost", description="What the cost is, e.g. a caseworker one day a week")
    amount = fields.Decimal(required=True, validate=_kroner, allow_nan=False,
                            metadata={"title": "Amount (DKK)", "description": "Not negative, at most 2 decimals"})
    covers = _text(title="What it covers", description="What the amount includes (and what it does not)")


CostChanges = changes_of(CostInput, "CostChanges", "A cost's changes: only the fields given change.")


class CostQuery(Strict):
    year = fields.Integer(load_default=None, **_YEAR)


class CostSchema(ma.Schema):
    id = fields.Integer(strict=True)
    year = fields.Integer(strict=True)
    service = fields.String(metadata={"enum": list(SERVICES)})
    label = fields.String()
    amount = fields.Decimal(as_string=True, places=2)
    covers = fields.String(allow_none=True)
    entered_by_id = Id(strict=True, allow_none=True)
    entered_at = fields.DateTime()


class CostYearSchema(ma.Schema):
    year = fields.Integer(strict=True)
    costs = fields.List(fields.Nested(CostSchema))
    totals = fields.Dict(keys=fields.String(), values=fields.Decimal(as_string=True, places=2),
                         metadata={"description": "Every service's total in the year (0.00 where none)"})
    total = fields.Decimal(as_string=True, places=2)


# --- surveys --------------------------------------------------------------------------------------

def _survey_input(kind: str, name: str, doc: str) -> type[ma.Schema]:
    declared = {
        "centre_id": fields.Integer(strict=True, required=True, validate=validate.Range(min=1, max=MAX_ID),
                                    metadata={"title": "Centre"}),
        "answered_on": fields.Date(required=True, metadata={"title": "Answered on"}),
        **{key: fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=5),
                               metadata={"title": question, "description": surveys.SCALE})
           for key, question in surveys.QUESTIONS[kind]},
        "comment": _text(title="Comment", description="No names, national ids, phone numbers or e-mail addresses"),
    }
    return column_limits(SurveyResponse)(type(name, (Strict,), {**declared, "__doc__": doc, "__module__": __name__}))


CitizenSurveyInput = _survey_input(surveys.CITIZEN, "CitizenSurveyInput", "A citizen's answers (the citizens' view).")
StaffSurveyInput = _survey_input(surveys.STAFF, "StaffSurveyInput", "A staff member's answers (the staff's assessment).")
SURVEY_INPUTS = {surveys.CITIZEN: CitizenSurveyInput, surveys.STAFF: StaffSurveyInput}


class SurveyQuery(Strict):
    start = fields.Date(required=True, metadata={"title": "From"})
    end = fields.Date(required=True, metadata={"title": "To", "description": "Included"})
    centre_id = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID),
                               metadata={"title": "Centre", "description": "All centres if omitted"})


class SurveyResponseSchema(ma.Schema):
    id = fields.Integer(strict=True)
    kind = fields.String(metadata={"enum": list(surveys.KINDS)})
    centre_id = Id(strict=True)
    answered_on = fields.Date()
    scores = fields.Dict(keys=fields.String(), values=fields.Integer(strict=True))
    comment = fields.String(allow_none=True)


class SurveyQuestionSummarySchema(ma.Schema):
    answered = fields.Integer(strict=True)
    average = fields.Decimal(as_string=True, places=2, allow_none=True)
    distribution = fields.Dict(keys=fields.String(), values=fields.Integer(strict=True),
                               metadata={"description": "How many gave each score, 1 to 5"})


class SurveyKindSummarySchema(ma.Schema):
    responses = fields.Integer(strict=True)
    questions = fields.Dict(keys=fields.String(), values=fields.Nested(SurveyQuestionSummarySchema))
    comments = fields.List(fields.String())


class SurveySummarySchema(ma.Schema):
    start = fields.Date()
    end = fields.Date()
    centre_id = Id(strict=True, allow_none=True)
    citizen = fields.Nested(SurveyKindSummarySchema)
    staff = fields.Nested(SurveyKindSummarySchema)
