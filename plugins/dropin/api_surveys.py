"""The API of the evaluation's surveys (/api/t/<tenant>/x/dropin/surveys): a citizen's or a staff
member's answers recorded (CONTACT_RECORD: the people at the centre hand the questionnaire out),
and the answers and their summary over a period (EVALUATION_READ)."""

from __future__ import annotations

from velferd.toolkit import db, requires

from . import surveys
from .api_kit import blp
from .cost_schemas import CitizenSurveyInput, StaffSurveyInput, SurveyQuery, SurveyResponseSchema, SurveySummarySchema
from .manifest import CONTACT_RECORD, EVALUATION_READ


def summary_body(query) -> dict:
    surveys.check_period(query["start"], query["end"], query["centre_id"])
    found = surveys.keyed_by_text(surveys.summary(query["start"], query["end"], query["centre_id"]))
    return {"start": query["start"], "end": query["end"], "centre_id": query["centre_id"], **found}


@blp.post("/surveys/citizen")
@requires(CONTACT_RECORD)
@blp.arguments(CitizenSurveyInput)
@blp.response(201, SurveyResponseSchema)
def record_citizen_survey(data):
    """Record a citizen's answers (the citizens' view): the centre, the day, scores 1–5, a comment
    that identifies no one."""
    created = surveys.record(surveys.CITIZEN, data)
    db.session.commit()
    return surveys.body(created)


@blp.post("/surveys/staff")
@requires(CONTACT_RECORD)
@blp.arguments(StaffSurveyInput)
@blp.response(201, SurveyResponseSchema)
def record_staff_survey(data):
    """Record a staff member's answers (the staff's assessment of the cooperation)."""
    created = surveys.record(surveys.STAFF, data)
    db.session.commit()
    return surveys.body(created)


@blp.get("/surveys")
@requires(EVALUATION_READ)
@blp.arguments(SurveyQuery, location="query")
@blp.response(200, SurveySummarySchema)
def survey_summary(query):
    """The answers from `start` to `end` (both included; one centre if `centre_id`) summed up per
    kind and question: how many answered, the average (2 decimals, half up), each score's count."""
    return summary_body(query)


@blp.get("/surveys/responses")
@requires(EVALUATION_READ)
@blp.arguments(SurveyQuery, location="query")
@blp.response(200, SurveyResponseSchema(many=True))
def list_survey_responses(query):
    """The single answers from `start` to `end` (anonymous: a centre, a day, scores, a comment)."""
    surveys.check_period(query["start"], query["end"], query["centre_id"])
    return [surveys.body(row) for row in surveys.responses(query["start"], query["end"], query["centre_id"])]
