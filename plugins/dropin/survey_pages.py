"""The surveys page: the questionnaires the people at the centre record (a citizen's view, a staff
member's assessment; CONTACT_RECORD), and the summary over a period per kind and question
(EVALUATION_READ) — the API's ``surveys`` routes (`surveys.record`, `surveys.summary`).

The page is open to whoever holds either permission and shows each only what they hold: the
centre staff record answers but do not read the evaluation; the coordinator does both.
"""

from __future__ import annotations

import datetime as dt

from velferd.toolkit import (
    ValidationError,
    ValidationFailed,
    VelferdError,
    form_fields,
    gettext,
    has_permission,
    request,
    require_permission,
)

from . import centres, surveys
from .cost_schemas import SURVEY_INPUTS, SurveyQuery
from .manifest import CONTACT_RECORD, EVALUATION_READ
from .page_kit import Refusal, attempt, blp, done, page

PERIOD_FORM = "survey-period"


def _may_see() -> None:
    if not (has_permission(CONTACT_RECORD) or has_permission(EVALUATION_READ)):
        require_permission(CONTACT_RECORD)  # the 403 names it


def _period(args) -> tuple[dict | None, dict, Refusal | None]:
    """The period asked for (this year so far unless `start`/`end`): the loaded query or None, the
    values as typed, and the refusal when they are wrong."""
    today = centres.today()
    values = {"start": args.get("start") or dt.date(today.year, 1, 1).isoformat(),
              "end": args.get("end") or today.isoformat(), "centre_id": args.get("centre_id") or ""}
    loaded = {name: value for name, value in values.items() if value}
    try:
        query = SurveyQuery().load(loaded)
        surveys.check_period(query["start"], query["end"], query["centre_id"])
        return query, values, None
    except ValidationError as error:
        failed = ValidationFailed("the period is invalid", error.normalized_messages())
    except VelferdError as error:
        failed = error
    return None, values, Refusal(PERIOD_FORM, failed, form_fields(SurveyQuery), values)


def _surveys_page(failed: Refusal | None = None, args=None):
    _may_see()
    query, period_values, period_failed = _period(args if args is not None else request.args)
    may_read = has_permission(EVALUATION_READ)
    summary = surveys.summary(query["start"], query["end"], query["centre_id"]) if may_read and query else None
    forms = {}
    for kind, schema in SURVEY_INPUTS.items():
        mine = failed.of(f"survey-{kind}") if failed else None
        forms[kind] = {"id": f"survey-{kind}", "fields": [one for one in form_fields(schema) if one.key != "centre_id"],
                       "values": mine.values if mine else {"answered_on": centres.today().isoformat()},
                       "errors": mine.errors if mine else {}}
    shown = failed or period_failed
    return page("dropin/costs/surveys.html", gettext("Surveys"), shown.status if shown else 200, failed=shown,
                may_record=has_permission(CONTACT_RECORD), may_read=may_read, forms=forms, summary=summary,
                period_values=period_values, period_errors=period_failed.errors if period_failed else {},
                questions=surveys.QUESTIONS, scores=surveys.SCORES, scale=surveys.SCALE,
                centres={found.id: found for found in centres.centres(active_only=True)})


@blp.get("/surveys")
def surveys_page():
    """The survey forms (CONTACT_RECORD) and the summary over a period (EVALUATION_READ)."""
    return _surveys_page()


def _record(kind: str):
    require_permission(CONTACT_RECORD)
    form_id = f"survey-{kind}"
    _, refused = attempt(form_id, SURVEY_INPUTS[kind], lambda data: surveys.record(kind, data))
    if refused:
        return _surveys_page(refused, args={})
    return done(gettext("The answers are recorded."), "dropin_pages.surveys_page")


@blp.post("/surveys/citizen")
def record_citizen_survey():
    """Record a citizen's answers (the API's POST surveys/citizen)."""
    return _record(surveys.CITIZEN)


@blp.post("/surveys/staff")
def record_staff_survey():
    """Record a staff member's answers (the API's POST surveys/staff)."""
    return _record(surveys.STAFF)
