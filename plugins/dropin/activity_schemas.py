"""Request and response schemas of the team activities, their sessions and super-users
(marshmallow; in the OpenAPI document, and drawn as the pages' forms by the core's renderer).

Unknown fields are a 422 naming them; a negative count is refused here (and again in
`activities`); the rules of two fields or the clock (the end not before the start, a session
within the activity, training not in the future) are `activities'`. An alias is letters only:
no digits, so no CPR number or phone number can be typed as one.
"""

from __future__ import annotations

from velferd.toolkit import Id, column_limits, fields, ma, validate

from .activities import ALIAS_PATTERN
from .activity_models import ACTIVITY_KINDS, ActivitySession, SuperUser, TeamActivity
from .strict import Strict

_COUNT = validate.Range(min=0, error="Must be 0 or more.")


@column_limits(TeamActivity)
class ActivityInput(Strict):
    """A team activity (holdbaseret aktivitet) at the centre."""

    title = fields.String(required=True, validate=validate.Length(min=1), metadata={"title": "Title"})
    kind = fields.String(required=True, validate=validate.OneOf(ACTIVITY_KINDS),
                         metadata={"title": "Kind", "description": "An IT course, a health course or another"})
    topics = fields.List(fields.String(validate=validate.Length(min=1, max=100)), load_default=list,
                         metadata={"title": "What it covers",
                                   "description": "E.g. digital mail, MitID, online bank; health and exercise"})
    starts_on = fields.Date(required=True, metadata={"title": "Starts on"})
    ends_on = fields.Date(load_default=None, allow_none=True,
                          metadata={"title": "Ends on", "description": "Not before the start; empty if it runs on"})


@column_limits(ActivitySession)
class SessionInput(Strict):
    """A session held: counts only, never who came."""

    held_on = fields.Date(required=True, metadata={"title": "Held on"})
    anonymous_count = fields.Integer(strict=True, required=True, validate=_COUNT,
                                     metadata={"title": "Anonymous participants",
                                               "description": "How many came whom the centre does not name"})
    known_count = fields.Integer(strict=True, load_default=None, allow_none=True, validate=_COUNT,
                                 metadata={"title": "Known participants",
                                           "description": "How many more came whom the centre knows (a count only)"})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1),
                         metadata={"title": "Note", "description": "No names"})


@column_limits(SuperUser)
class SuperUserInput(Strict):
    """A trained citizen who helps: an alias or first name only."""

    alias = fields.String(required=True,
                          validate=[validate.Length(min=1), validate.Regexp(
                              ALIAS_PATTERN, error="Letters only: an alias or first name, no numbers.")],
                          metadata={"title": "Alias or first name",
                                    "description": "No surname, no CPR number, no contact details"})
    trained_on = fields.Date(required=True, metadata={"title": "Trained on"})


class SessionSchema(ma.Schema):
    id = fields.Integer(strict=True)
    activity_id = Id(strict=True)
    held_on = fields.Date()
    anonymous_count = fields.Integer(strict=True)
    known_count = fields.Integer(strict=True, allow_none=True)
    participants = fields.Integer(strict=True, metadata={"description": "Anonymous and known together"})
    note = fields.String(allow_none=True)


class SuperUserSchema(ma.Schema):
    id = fields.Integer(strict=True)
    activity_id = Id(strict=True)
    alias = fields.String()
    trained_on = fields.Date()
    active = fields.Boolean()


class ActivitySchema(ma.Schema):
    id = fields.Integer(strict=True)
    centre_id = Id(strict=True)
    title = fields.String()
    kind = fields.String(metadata={"enum": list(ACTIVITY_KINDS)})
    topics = fields.List(fields.String())
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    session_count = fields.Integer(strict=True)
    participant_total = fields.Integer(strict=True)
    sessions = fields.List(fields.Nested(SessionSchema))
    super_users = fields.List(fields.Nested(SuperUserSchema))
