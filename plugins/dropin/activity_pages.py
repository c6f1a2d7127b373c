"""The pages of the team activities: "Team activities" (every centre's, with their sessions and
participants counted), a centre's activities (with the form that adds one) and an activity's page
(its sessions and super-users, and the forms that add them).

The forms post what the API's schemas load (`activity_schemas`, through the toolkit's
`attempt_form`) to the same services (`activities`), so a page refuses what the API refuses, with
the same reason. Reading needs READ, every form ACTIVITY_MANAGE. The pages show counts and
aliases only: an activity holds no one's identity.
"""

from __future__ import annotations

from velferd.toolkit import form_fields, gettext, has_permission, require_permission

from . import activities, centres
from .activity_schemas import ActivityInput, SessionInput, SuperUserInput
from .manifest import ACTIVITY_MANAGE, READ
from .page_kit import Refusal, attempt, blp, done, page

ACTIVITY_FORM, SESSION_FORM, SUPER_USER_FORM = "activity", "session", "super-user"
TEMPLATES = "dropin/activities/"


@blp.get("/activities")
def all_activities_page():
    """Every centre's team activities, the latest start first, with sessions and participants."""
    require_permission(READ)
    every_centre = centres.centres()
    names = {found.id: found.name for found in every_centre}
    listed = activities.activities()
    counted = activities.totals(listed)
    rows = [(one, names.get(one.centre_id, ""), *counted[one.id]) for one in listed]
    return page(TEMPLATES + "all.html", gettext("Team activities"), rows=rows, centres=every_centre)


def _centre_page(centre_id: int, failed: Refusal | None = None):
    require_permission(READ)
    found = centres.centre(centre_id)
    listed = activities.activities(found)
    counted = activities.totals(listed)
    rows = [(one, *counted[one.id]) for one in listed]
    return page(TEMPLATES + "centre.html", gettext("Team activities at %(name)s", name=found.name),
                failed.status if failed else 200, centre=found, rows=rows, failed=failed,
                may_manage=has_permission(ACTIVITY_MANAGE), fields=form_fields(ActivityInput),
                values=failed.values if failed else {}, errors=failed.errors if failed else {})


@blp.get("/centres/<int:centre_id>/activities")
def centre_activities_page(centre_id: int):
    """A centre's team activities and (for ACTIVITY_MANAGE) the form that adds one."""
    return _centre_page(centre_id)


@blp.post("/centres/<int:centre_id>/activities")
def create_activity(centre_id: int):
    """Add a team activity (the API's POST centres/<id>/activities)."""
    require_permission(ACTIVITY_MANAGE)
    found = centres.centre(centre_id)
    created, refused = attempt(ACTIVITY_FORM, ActivityInput, lambda data: activities.create_activity(found, data))
    if refused:
        return _centre_page(centre_id, refused)
    return done(gettext("The activity %(title)s is added.", title=created.title), "dropin_pages.activity_page",
                activity_id=created.id)


def _activity_page(activity_id: int, failed: Refusal | None = None):
    require_permission(READ)
    found = activities.activity(activity_id)
    owner = centres.centre(found.centre_id)
    sessions = activities.sessions_of(found)
    session = failed.of(SESSION_FORM) if failed else None
    helper = failed.of(SUPER_USER_FORM) if failed else None
    return page(TEMPLATES + "activity.html", found.title, failed.status if failed else 200, activity=found,
                centre=owner, sessions=sessions, total=sum(activities.participants(one) for one in sessions),
                super_users=activities.super_users_of(found), failed=failed,
                may_manage=has_permission(ACTIVITY_MANAGE), participants=activities.participants,
                session_fields=form_fields(SessionInput), super_user_fields=form_fields(SuperUserInput),
                session_values=session.values if session else {}, session_errors=session.errors if session else {},
                super_user_values=helper.values if helper else {},
                super_user_errors=helper.errors if helper else {})


@blp.get("/activities/<int:activity_id>")
def activity_page(activity_id: int):
    """An activity: what it covers, its sessions (counts), its super-users (aliases)."""
    return _activity_page(activity_id)


@blp.post("/activities/<int:activity_id>/sessions")
def add_session(activity_id: int):
    """Record a session (the API's POST activities/<id>/sessions)."""
    require_permission(ACTIVITY_MANAGE)
    found = activities.activity(activity_id)
    _, refused = attempt(SESSION_FORM, SessionInput, lambda data: activities.add_session(found, data))
    if refused:
        return _activity_page(activity_id, refused)
    return done(gettext("The session is recorded."), "dropin_pages.activity_page", activity_id=activity_id)


@blp.post("/activities/<int:activity_id>/super-users")
def add_super_user(activity_id: int):
    """Add a super-user (the API's POST activities/<id>/super-users)."""
    require_permission(ACTIVITY_MANAGE)
    found = activities.activity(activity_id)
    _, refused = attempt(SUPER_USER_FORM, SuperUserInput, lambda data: activities.add_super_user(found, data))
    if refused:
        return _activity_page(activity_id, refused)
    return done(gettext("The super-user is added."), "dropin_pages.activity_page", activity_id=activity_id)
