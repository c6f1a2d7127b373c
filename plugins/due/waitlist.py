"""Capacity and the waiting list (guideline 4.1: "when capacity is lacking, each case is weighed
by its problems, age and the need to secure transitions, and prioritised on that basis").

A place is taken from the information meeting (intake starts only "when a place is free",
guideline 4.2) until the case ends. Eligible referrals that wait are ordered by points, each
part shown with its arithmetic so a coordinator can explain the order to a referring unit:

* problems: each target-group criterion met × ``weight_problems``;
* age: each year of age at referral above the lower limit × ``weight_age`` — the closer the youth
  is to leaving the target group, the less time DUE has (set the weight to 0 to ignore age);
* transition: leaving an institution or prison, by urgency × ``weight_transition``: 3 when the
  date is within 30 days, has passed or is not known yet, 2 within 90 days, 1 later.

Ties go to the earlier referral, then the lower case id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import Case, audit, db

from .calendar import age_on
from .eligibility import ELIGIBLE, effective_eligibility
from .forms import CRITERIA
from .manifest import PLUGIN_ID
from .models import Referral

PLACE_STATES = ("information_meeting", "assessment", "feedback_meeting", "offered", "awaiting_vedtak", "started",
                "notice")
TRANSITION_WORDS = {"leaving_institution": "leaving an institution", "leaving_prison": "leaving prison"}


@dataclass(frozen=True)
class Entry:
    case_id: int
    referred_on: dt.date
    age_at_referral: int
    points: int
    explanation: tuple[str, ...]


def places_taken() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Case)
                             .where(Case.plugin == PLUGIN_ID, Case.state.in_(PLACE_STATES)))


def transition_urgency(referral: Referral, today: dt.date) -> tuple[int, str]:
    if referral.transition == "none":
        return 0, "no transition from an institution or prison to secure"
    what = TRANSITION_WORDS[referral.transition]
    if referral.transition_on is None:
        return 3, f"{what}, date not yet known"
    days = (referral.transition_on - today).days
    when = f"{what} on {referral.transition_on.isoformat()}"
    if days <= 30:
        return 3, f"{when} ({'passed' if days < 0 else f'in {days} days'}, within 30 days)"
    if days <= 90:
        return 2, f"{when} (in {days} days, within 90 days)"
    return 1, f"{when} (in {days} days)"


def priority(referral: Referral, settings: Mapping[str, Any], today: dt.date) -> Entry:
    age = age_on(referral.date_of_birth, referral.referred_on)
    criteria = len(referral.criteria)
    years = max(age - settings["min_age"], 0)
    urgency, said = transition_urgency(referral, today)
    parts = (
        (criteria * settings["weight_problems"],
         f"problems: {criteria} criteria met ({'; '.join(CRITERIA[c] for c in referral.criteria) or 'none'}) "
         f"× weight {settings['weight_problems']}"),
        (years * settings["weight_age"],
         f"age: {age} at referral, {years} years above {settings['min_age']} × weight {settings['weight_age']}"),
        (urgency * settings["weight_transition"],
         f"transition: {said}: urgency {urgency} × weight {settings['weight_transition']}"),
    )
    explanation = tuple(f"{text} = {points}" for points, text in parts)
    total = sum(points for points, _ in parts)
    return Entry(referral.case_id, referral.referred_on, age, total, (*explanation, f"total {total} points"))


def waiting_list(settings: Mapping[str, Any], today: dt.date) -> list[Entry]:
    """Referred cases with a referral whose standing eligibility decision says eligible, best first."""
    rows = db.session.scalars(sa.select(Referral).join(Case, Case.id == Referral.case_id)
                              .where(Case.plugin == PLUGIN_ID, Case.state == "referred")).all()
    entries = []
    for referral in rows:
        decision = effective_eligibility(referral.case_id)
        if decision is not None and decision.outcome == ELIGIBLE:
            entries.append(priority(referral, settings, today))
    return sorted(entries, key=lambda e: (-e.points, e.referred_on, e.case_id))


def waiting_list_overview(settings: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """The places, how many are taken and free, and the entries in order with their positions —
    what the API's waiting list and the waiting-list page show. The cases listed are audited
    (``due.waiting_list_read``); the caller commits."""
    entries = waiting_list(settings, today)
    taken = places_taken()
    if entries:
        audit.record("due.waiting_list_read", "case", None, details={"ids": [e.case_id for e in entries]})
    return {"places": settings["places"], "taken": taken, "free": max(settings["places"] - taken, 0),
            "entries": [{"position": n, **e.__dict__} for n, e in enumerate(entries, 1)]}
