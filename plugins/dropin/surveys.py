"""The evaluation's surveys: the citizens' view and the staff's assessment, recorded as answers
scored 1–5 to a few fixed questions, with a comment.

The guide (../shared/seeds/003_dbb2a96da9dea517.txt, p. 15): "Evalueringen bør inddrage både
borgernes syn på indsatsen, medarbejdernes vurdering af samarbejdet og de videre
udviklingsmuligheder." The questions are taken from what the guide says the outreach achieves, so
the survey asks whether it did (`QUESTIONS`, each with the guide's words):

- the citizen: satisfied with the help at the centre; felt respected, not "et nummer i rækken";
  contact with the municipality easier; more trust in the municipality ("deres tillid til
  kommunen styrkes"); knew whom they were talking to ("Brugerne må ikke være i tvivl om, hvem de
  taler med");
- the staff member: the cooperation between the municipality and the centre works; the division
  of roles is clear ("rollefordelingen mellem medarbejderne"); easier to contact and cooperate with
  the others ("nemmere ved at tage kontakt og samarbejde omkring borgerne"); contact with citizens
  earlier and with some not known before; the assessment is strengthened ("Udredningen og den
  faglige indsats styrkes"). "De videre udviklingsmuligheder" is the comment.

A question may be left out (not answered); at least one must be answered. An answer is
anonymous: it names a centre and a day, no person, and its comment is refused (422 naming
``comment``) when it holds something that identifies someone — a CPR number, a phone number or an
e-mail address (names cannot be told apart from words; the form says not to write any).
Recording needs CONTACT_RECORD (the centre staff and the outreach workers hand the questionnaire
out at the centre); the answers and their summary need EVALUATION_READ.

`summary(start, end, centre_id=None)` is the pure query the evaluation report reads
(`summaries_by_centre` for all its centres at once).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import ValidationFailed, db

from . import centres
from .evaluation_models import SurveyResponse
from .markers import N_

CITIZEN, STAFF = "citizen", "staff"
KINDS = (CITIZEN, STAFF)
SCORES = (1, 2, 3, 4, 5)

#: per kind, its questions in order: (key, English question)
QUESTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    CITIZEN: (
        ("satisfied", N_("I am satisfied with the help I got at the centre")),
        ("respected", N_("I felt respected, not like a number in the queue")),
        ("easier_contact", N_("Contact with the municipality is easier now")),
        ("trust", N_("I trust the municipality more than before")),
        ("knew_who", N_("I knew whether I was talking to the centre's staff or to the municipality")),
    ),
    STAFF: (
        ("cooperation", N_("The cooperation between the municipality and the centre works")),
        ("roles_clear", N_("The division of roles between us is clear")),
        ("easier_contact", N_("It is easier to contact and work with the others around a citizen")),
        ("earlier_contact", N_("We reach citizens earlier, and some we did not know before")),
        ("better_assessment", N_("The assessment and the professional work are strengthened")),
    ),
}
SCALE = N_("1 = not at all, 5 = very much")

_IDENTIFYING = (
    re.compile(r"\b\d{6}-?\d{4}\b"),                                  # a CPR number
    re.compile(r"(?<!\d)(?:\+45[ ]?)?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}(?!\d)"),  # a Danish phone number
    re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+"),                          # an e-mail address
)


def question_keys(kind: str) -> tuple[str, ...]:
    return tuple(key for key, _ in QUESTIONS[kind])


def _check_comment(comment: str | None) -> None:
    if comment and any(pattern.search(comment) for pattern in _IDENTIFYING):
        raise ValidationFailed("a survey comment must not identify anyone",
                               {"comment": ["remove the national id, phone number or e-mail address: "
                                            "the answers are anonymous"]})


def record(kind: str, data: Mapping[str, Any]) -> SurveyResponse:
    """Record one answered questionnaire of `kind` (the schema has checked each score is 1–5)."""
    keys = question_keys(kind)
    scores = {key: data[key] for key in keys if data.get(key) is not None}
    if not scores:
        raise ValidationFailed("answer at least one question", {keys[0]: ["answer at least one question"]})
    centres.centre(data["centre_id"])  # 404 for another municipality's centre
    _check_comment(data.get("comment"))
    created = SurveyResponse(kind=kind, centre_id=data["centre_id"], answered_on=data["answered_on"], scores=scores,
                             comment=data.get("comment"))
    db.session.add(created)
    db.session.flush()
    return created


def responses(start: dt.date, end: dt.date, centre_id: int | None = None,
              kind: str | None = None) -> list[SurveyResponse]:
    """The answers given from `start` to `end` (both included), at one centre if given."""
    query = sa.select(SurveyResponse).where(SurveyResponse.answered_on >= start, SurveyResponse.answered_on <= end)
    if centre_id is not None:
        query = query.where(SurveyResponse.centre_id == centre_id)
    if kind is not None:
        query = query.where(SurveyResponse.kind == kind)
    return list(db.session.scalars(query.order_by(SurveyResponse.answered_on, SurveyResponse.id)))


def check_period(start: dt.date, end: dt.date, centre_id: int | None = None) -> None:
    """A period that ends before it starts is a 422 naming `end`; another municipality's centre a 404."""
    if end < start:
        raise ValidationFailed("the period ends before it starts", {"end": [f"must not be before {start.isoformat()}"]})
    if centre_id is not None:
        centres.centre(centre_id)


def body(found: SurveyResponse) -> dict[str, Any]:
    return {"id": found.id, "kind": found.kind, "centre_id": found.centre_id, "answered_on": found.answered_on,
            "scores": dict(found.scores), "comment": found.comment}


def _average(scores: list[int]) -> Decimal | None:
    """The mean score, rounded half up to 2 decimals; None when nobody answered."""
    if not scores:
        return None
    return (Decimal(sum(scores)) / Decimal(len(scores))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def summary(start: dt.date, end: dt.date, centre_id: int | None = None) -> dict[str, dict[str, Any]]:
    """Per kind (citizen, staff): how many answered, and per question how many answered it, the
    average (Decimal, 2 decimals, half up; None if nobody did) and how many gave each score 1–5;
    and the comments, in the order given. Every kind and question is present, with zeros."""
    return _summed(responses(start, end, centre_id))


def summaries_by_centre(start: dt.date, end: dt.date, centre_ids) -> dict[int, dict[str, dict[str, Any]]]:
    """`summary` of each centre in `centre_ids`, from one query of the period's answers."""
    mine: dict[int, list[SurveyResponse]] = {centre_id: [] for centre_id in centre_ids}
    for row in responses(start, end):
        if row.centre_id in mine:
            mine[row.centre_id].append(row)
    return {centre_id: _summed(rows) for centre_id, rows in mine.items()}


def keyed_by_text(found: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A `summary` with each distribution keyed by the score as text, as JSON keys are (in place)."""
    for kind in found.values():
        for question in kind["questions"].values():
            question["distribution"] = {str(score): count for score, count in question["distribution"].items()}
    return found


def _summed(found: list[SurveyResponse]) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        mine = [row for row in found if row.kind == kind]
        questions = {}
        for key in question_keys(kind):
            given = [int(row.scores[key]) for row in mine if row.scores.get(key) is not None]
            questions[key] = {"answered": len(given), "average": _average(given),
                              "distribution": {score: given.count(score) for score in SCORES}}
        result[kind] = {"responses": len(mine), "questions": questions,
                        "comments": [row.comment for row in mine if row.comment]}
    return result
