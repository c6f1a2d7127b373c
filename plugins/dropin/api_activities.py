"""The API of the centres' team activities, their sessions and super-users, on the plugin's
blueprint (/api/t/<tenant>/x/dropin/...). Reading needs READ; adding needs ACTIVITY_MANAGE."""

from __future__ import annotations

from velferd.toolkit import db, requires

from . import activities, centres
from .activity_schemas import (
    ActivityInput,
    ActivitySchema,
    SessionInput,
    SessionSchema,
    SuperUserInput,
    SuperUserSchema,
)
from .api_kit import blp
from .manifest import ACTIVITY_MANAGE, READ


@blp.get("/centres/<int:centre_id>/activities")
@requires(READ)
@blp.response(200, ActivitySchema(many=True))
def list_activities(centre_id):
    """A centre's team activities, the latest start first, with sessions and super-users."""
    return activities.activity_bodies(activities.activities(centres.centre(centre_id)))


@blp.post("/centres/<int:centre_id>/activities")
@requires(ACTIVITY_MANAGE)
@blp.arguments(ActivityInput)
@blp.response(201, ActivitySchema)
def create_activity(data, centre_id):
    """Add a team activity to a centre (an IT course, a health course or another)."""
    created = activities.create_activity(centres.centre(centre_id), data)
    db.session.commit()
    return activities.activity_body(created)


@blp.get("/activities/<int:activity_id>")
@requires(READ)
@blp.response(200, ActivitySchema)
def read_activity(activity_id):
    """A team activity with its sessions (anonymous counts) and super-users."""
    return activities.activity_body(activities.activity(activity_id))


@blp.post("/activities/<int:activity_id>/sessions")
@requires(ACTIVITY_MANAGE)
@blp.arguments(SessionInput)
@blp.response(201, SessionSchema)
def add_session(data, activity_id):
    """Record a session held: its day and how many came (counts only)."""
    created = activities.add_session(activities.activity(activity_id), data)
    db.session.commit()
    return activities.session_body(created)


@blp.post("/activities/<int:activity_id>/super-users")
@requires(ACTIVITY_MANAGE)
@blp.arguments(SuperUserInput)
@blp.response(201, SuperUserSchema)
def add_super_user(data, activity_id):
    """Add a trained super-user (an alias or first name, and when trained)."""
    created = activities.add_super_user(activities.activity(activity_id), data)
    db.session.commit()
    return activities.super_user_body(created)
