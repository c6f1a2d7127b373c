"""The API of the evaluation (/api/t/<tenant>/x/dropin/evaluation...): the report of a period (the
effects per centre and for the municipality, and the unit cost per citizen of each year it
touches), the unit cost per citizen of one year, and the citizens reached by centre and service.
Everything needs EVALUATION_READ; nothing is written. See `evaluation` for what each figure
measures."""

from __future__ import annotations

from velferd.toolkit import requires

from . import centres, contacts, evaluation
from .api_kit import blp
from .contact_schemas import ReachSchema
from .evaluation_schemas import (
    EvaluationCostQuery,
    EvaluationCostSchema,
    EvaluationQuery,
    EvaluationReachQuery,
    EvaluationReport,
)
from .manifest import EVALUATION_READ


@blp.get("/evaluation")
@requires(EVALUATION_READ)
@blp.arguments(EvaluationQuery, location="query")
@blp.response(200, EvaluationReport)
def evaluation_report(query):
    """The evaluation from `start` to `end` (both included; a 422 naming `end` if it is before
    `start`): per centre and for every centre together, the contacts, citizens reached, previously
    unknown citizens and first contacts (counts and per-cent shares), the no-show rates at the
    centre against at the office per service, and the survey summaries; and the cost per citizen
    per service of each calendar year the period touches (DKK, 2 decimals, null without users)."""
    return evaluation.report(query["start"], query["end"])


@blp.get("/evaluation/cost-per-citizen")
@requires(EVALUATION_READ)
@blp.arguments(EvaluationCostQuery, location="query")
@blp.response(200, EvaluationCostSchema)
def cost_per_citizen(query):
    """The unit cost per citizen in a year: each service's costs that year divided by the distinct
    citizens whose contacts that year name the service, and every service together (DKK, rounded
    half up to 2 decimals; null where no citizen used it)."""
    return evaluation.cost_per_citizen(query["year"])


@blp.get("/evaluation/reach")
@requires(EVALUATION_READ)
@blp.arguments(EvaluationReachQuery, location="query")
@blp.response(200, ReachSchema)
def citizens_reached(query):
    """The contacts and the citizens reached in a period (both days included), by centre and
    service: distinct citizens, those not known to the municipality before, first contacts."""
    if query["centre_id"] is not None:
        centres.centre(query["centre_id"])  # 404 for another municipality's centre
    return contacts.citizens_reached(query["start"], query["end"], query["centre_id"], query["service"])
