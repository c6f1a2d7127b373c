"""The centres' team activities (holdbaserede aktiviteter), their sessions and super-users.

From the seed's guide (../shared/seeds/003_dbb2a96da9dea517.txt):

- the centre runs them: "Værestederne har ansvaret for at iværksætte de holdbaserede
  aktiviteter." — an activity belongs to one centre of the municipality (ACTIVITY_MANAGE, which
  the centre's staff have, adds them);
- the kinds are the guide's examples, an IT course ("digital kommunikation, herunder
  kommunikation med offentlige myndigheder og anvendelse af NemID og netbank") and a health
  course ("I små hold diskuterer borgerne sundhed og trivsel, og det følges op af
  motionsaktiviteter"), or another; what it covers is a list of topics;
- "For at understøtte de holdbaserede aktiviteter kan særligt uddannede brugere inddrages.
  Sådanne superbrugere kan fungere som rollemodeller for øvrige brugere." — super-users.

Privacy (see `activity_models`): a session keeps counts, not people; a super-user an alias or
first name (letters only — no digits, so no CPR or phone number fits) and the day of training.
Dates are checked together: an activity does not end before it starts; a session lies within
the activity's dates; a super-user's training is not in the future.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import Conflict, ValidationFailed, db, require_owned

from .activity_models import ACTIVITY_KINDS, ActivitySession, SuperUser, TeamActivity
from .centres import today  # the tenant's today, one definition for every part
from .models import Centre

ACTIVITY_FIELDS = ("title", "kind", "topics", "starts_on", "ends_on")
SESSION_FIELDS = ("held_on", "anonymous_count", "known_count", "note")
#: letters, and single spaces, hyphens or apostrophes between them: "Bo", "Anne-Marie", "Lars P"
ALIAS_PATTERN = r"^[^\W\d_]+(?:[ '\-][^\W\d_]+)*\.?$"


# --- reading --------------------------------------------------------------------------------------

def activity(activity_id: int) -> TeamActivity:
    """An activity of the tenant in scope (404 otherwise, another municipality's too)."""
    return require_owned(TeamActivity, activity_id, "activity")


def activities(centre: Centre | None = None) -> list[TeamActivity]:
    """The activities (of one centre, or every centre), the latest start first."""
    query = sa.select(TeamActivity).order_by(TeamActivity.starts_on.desc(), TeamActivity.id.desc())
    if centre is not None:
        query = query.where(TeamActivity.centre_id == centre.id)
    return list(db.session.scalars(query))


def sessions_of(found: TeamActivity) -> list[ActivitySession]:
    return list(db.session.scalars(sa.select(ActivitySession).where(ActivitySession.activity_id == found.id)
                                   .order_by(ActivitySession.held_on, ActivitySession.id)))


def super_users_of(found: TeamActivity) -> list[SuperUser]:
    return list(db.session.scalars(sa.select(SuperUser).where(SuperUser.activity_id == found.id)
                                   .order_by(SuperUser.alias)))


def _by_activity(model, rows: list[TeamActivity], *order) -> dict[int, list]:
    """`model`'s rows of every activity in `rows`, in one query, by activity id (in `order`)."""
    grouped: dict[int, list] = {found.id: [] for found in rows}
    if grouped:
        for one in db.session.scalars(sa.select(model).where(model.activity_id.in_(grouped)).order_by(*order)):
            grouped[one.activity_id].append(one)
    return grouped


def participants(session: ActivitySession) -> int:
    """Everyone who came: the anonymous and the known, counted."""
    return session.anonymous_count + (session.known_count or 0)


def totals(rows: list[TeamActivity]) -> dict[int, tuple[int, int]]:
    """Each activity's (sessions, participants), counted by the database in one query for all of
    `rows` (0, 0 for an activity with no session)."""
    counted = dict.fromkeys((found.id for found in rows), (0, 0))
    if counted:
        came = ActivitySession.anonymous_count + sa.func.coalesce(ActivitySession.known_count, 0)
        query = (sa.select(ActivitySession.activity_id, sa.func.count(), sa.func.sum(came))
                 .where(ActivitySession.activity_id.in_(counted)).group_by(ActivitySession.activity_id))
        for activity_id, sessions, people in db.session.execute(query):
            counted[activity_id] = (int(sessions), int(people or 0))
    return counted


def session_body(found: ActivitySession) -> dict[str, Any]:
    return {"id": found.id, "activity_id": found.activity_id, **{name: getattr(found, name) for name in SESSION_FIELDS},
            "participants": participants(found)}


def super_user_body(found: SuperUser) -> dict[str, Any]:
    return {"id": found.id, "activity_id": found.activity_id, "alias": found.alias, "trained_on": found.trained_on,
            "active": found.active}


def activity_bodies(rows: list[TeamActivity]) -> list[dict[str, Any]]:
    """Activities with their sessions, super-users and totals (sessions, participants): the
    sessions and the super-users of all of them read in one query each, not one per activity."""
    sessions = _by_activity(ActivitySession, rows, ActivitySession.held_on, ActivitySession.id)
    helpers = _by_activity(SuperUser, rows, SuperUser.alias)
    return [{"id": found.id, "centre_id": found.centre_id,
             **{name: getattr(found, name) for name in ACTIVITY_FIELDS},
             "session_count": len(sessions[found.id]),
             "participant_total": sum(participants(one) for one in sessions[found.id]),
             "sessions": [session_body(one) for one in sessions[found.id]],
             "super_users": [super_user_body(one) for one in helpers[found.id]]} for found in rows]


def activity_body(found: TeamActivity) -> dict[str, Any]:
    """An activity with its sessions, its super-users and the totals (sessions, participants)."""
    return activity_bodies([found])[0]


# --- the rules ------------------------------------------------------------------------------------

def _check_activity(values: Mapping[str, Any]) -> None:
    if values["kind"] not in ACTIVITY_KINDS:
        raise ValidationFailed("unknown kind of activity", {"kind": [f"one of {', '.join(ACTIVITY_KINDS)}"]})
    if values.get("ends_on") is not None and values["ends_on"] < values["starts_on"]:
        raise ValidationFailed("an activity cannot end before it starts",
                               {"ends_on": [f"must not be before the start ({values['starts_on'].isoformat()})"]})


def _unique(centre_id: int, title: str, starts_on: dt.date) -> None:
    taken = db.session.scalar(sa.select(TeamActivity.id).where(
        TeamActivity.centre_id == centre_id, TeamActivity.title == title, TeamActivity.starts_on == starts_on))
    if taken is not None:
        raise Conflict("the centre already has this activity starting that day",
                       {"title": ["already used by an activity of the centre starting the same day"]})


def _check_session(found: TeamActivity, values: Mapping[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    held_on = values["held_on"]
    if held_on < found.starts_on:
        errors["held_on"] = [f"must not be before the activity starts ({found.starts_on.isoformat()})"]
    elif found.ends_on is not None and held_on > found.ends_on:
        errors["held_on"] = [f"must not be after the activity ends ({found.ends_on.isoformat()})"]
    elif held_on > today():
        errors["held_on"] = ["a session is recorded once it has been held"]
    for name in ("anonymous_count", "known_count"):
        if values.get(name) is not None and values[name] < 0:
            errors[name] = ["must be 0 or more"]
    if errors:
        raise ValidationFailed("the session cannot be recorded like this", errors)


# --- writing --------------------------------------------------------------------------------------

def create_activity(centre: Centre, data: Mapping[str, Any]) -> TeamActivity:
    values = {"topics": [], "ends_on": None, **data}
    _check_activity(values)
    _unique(centre.id, values["title"], values["starts_on"])
    created = TeamActivity(centre_id=centre.id, **{name: values[name] for name in ACTIVITY_FIELDS})
    db.session.add(created)
    db.session.flush()
    return created


def add_session(found: TeamActivity, data: Mapping[str, Any]) -> ActivitySession:
    """A session held: its day (within the activity, not in the future) and the counts."""
    values = {"anonymous_count": 0, "known_count": None, "note": None, **data}
    _check_session(found, values)
    created = ActivitySession(activity_id=found.id, **{name: values[name] for name in SESSION_FIELDS})
    db.session.add(created)
    db.session.flush()
    return created


def add_super_user(found: TeamActivity, data: Mapping[str, Any]) -> SuperUser:
    """A trained citizen who helps (alias or first name only; trained on a day not in the future)."""
    if data["trained_on"] > today():
        raise ValidationFailed("a super-user is recorded once trained", {"trained_on": ["must not be in the future"]})
    alias = data["alias"].strip()
    if db.session.scalar(sa.select(SuperUser.id).where(SuperUser.activity_id == found.id,
                                                       SuperUser.alias == alias)) is not None:
        raise Conflict("the activity already has a super-user by that alias",
                       {"alias": ["already used on this activity; add an initial"]})
    created = SuperUser(activity_id=found.id, alias=alias, trained_on=data["trained_on"],
                        active=bool(data.get("active", True)))
    db.session.add(created)
    db.session.flush()
    return created
