"""The evaluation page: the report of a period (`evaluation.report`) for every centre together and
for each centre — the citizens reached, those not known before, the first contacts, the no-shows
at the centre against at the office, the surveys — and the unit cost per citizen of each year the
period touches, every figure explained in a sentence; and the same report as a CSV download.

The period form is a GET (a report reads, it writes nothing) loaded with the API's schema
(`EvaluationQuery`, through the toolkit's form handling), so the page refuses what the API
refuses, with the same reason: the error summary first, the inputs named. Without a period the
page shows 1 January of this year to today. Reading needs EVALUATION_READ.
"""

from __future__ import annotations

from velferd.toolkit import gettext, request, require_permission

from . import centres, evaluation, evaluation_csv, surveys
from .evaluation_schemas import EvaluationQuery
from .manifest import EVALUATION_READ
from .page_kit import attempt, blp, page
from .services import ALL_SERVICES, OUTREACH_SERVICES, SERVICE_TITLES

PERIOD_FORM = "evaluation-period"


def _period_values() -> dict[str, str]:
    """The period as typed, 1 January this year to today where left out."""
    today = centres.today()
    return {"start": today.replace(month=1, day=1).isoformat(), "end": today.isoformat(),
            **{name: value for name, value in request.args.items() if value != ""}}


def _report():
    """(the report or None, the values as typed, the refusal or None)."""
    values = _period_values()
    found, refused = attempt(PERIOD_FORM, EvaluationQuery,
                             lambda query: evaluation.report(query["start"], query["end"]), values=values)
    return found, values, refused


@blp.get("/evaluation")
def evaluation_page():
    """The evaluation of a period (this year so far unless `start` and `end`)."""
    require_permission(EVALUATION_READ)
    found, values, refused = _report()
    return page("dropin/evaluation/evaluation.html", gettext("Evaluation"), refused.status if refused else 200,
                report=found, values=values, failed=refused, errors=refused.errors if refused else {},
                outreach_services=OUTREACH_SERVICES, all_services=ALL_SERVICES, service_titles=SERVICE_TITLES,
                questions=surveys.QUESTIONS, kinds=surveys.KINDS)


@blp.get("/evaluation/report.csv")
def evaluation_csv_download():
    """The report of the period as CSV (a 422 page naming the input if the period is wrong)."""
    require_permission(EVALUATION_READ)
    found, values, refused = _report()
    if refused:
        return evaluation_page()
    name = f"dropin-evaluation-{found['start'].isoformat()}-{found['end'].isoformat()}.csv"
    return evaluation_csv.csv_text(found), 200, {"Content-Type": "text/csv; charset=utf-8",
                                                  "Content-Disposition": f'attachment; filename="{name}"'}
