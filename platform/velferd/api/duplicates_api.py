"""The review of possible duplicate persons: a person of the same name and birth date as
another was flagged when registered or corrected; a reviewer dismisses, links or merges."""

from __future__ import annotations

from flask_smorest import Blueprint

from velferd import duplicates
from velferd.api.context import TENANT_PREFIX
from velferd.api.person_schemas import (
    Annotated,
    DismissSchema,
    DuplicateListQuery,
    LinkSchema,
    MergedSchema,
    MergeSchema,
    PossibleDuplicateReviewSchema,
    PossibleDuplicateSchema,
)
from velferd.auth import requires
from velferd.db import db

blp = Blueprint("duplicates", __name__, url_prefix=f"{TENANT_PREFIX}/duplicates",
                description="Possible duplicate persons, for review")


@blp.get("")
@requires("persons:write")
@blp.arguments(DuplicateListQuery, location="query", unknown=None)
@blp.response(200, PossibleDuplicateReviewSchema(many=True))
def list_duplicates(query):
    """A page of flags (open ones by default), each with both persons (national ids masked);
    the persons shown are audited (velferd.read_audit)."""
    return duplicates.list_flags(query["status"], limit=query["limit"], after_id=query["after_id"])


@blp.post("/<int:duplicate_id>/dismiss")
@requires("persons:write")
@blp.arguments(DismissSchema)
@blp.response(200, PossibleDuplicateSchema)
def dismiss_duplicate(data, duplicate_id):
    """Two people after all: the flag is closed with the note, both records stay as they are."""
    flag = duplicates.dismiss(duplicate_id, data["note"])
    db.session.commit()
    return flag


@blp.post("/<int:duplicate_id>/link")
@requires("persons:write")
@blp.arguments(LinkSchema)
@blp.response(200, PossibleDuplicateSchema)
def link_duplicate(data, duplicate_id):
    """The same person, both records kept: the flagged person's ``same_as_id`` names the other."""
    flag = duplicates.link(duplicate_id, data["note"])
    db.session.commit()
    return flag


@blp.post("/<int:duplicate_id>/merge")
@requires("persons:write")
@blp.arguments(MergeSchema)
@blp.response(200, MergedSchema)
def merge_duplicate(data, duplicate_id):
    """The same person, merged: every record of the one is moved to the other (the earlier
    record by default) in one transaction; the merged person is kept, marked ``merged_into_id``,
    and each moved table is written in the survivor's correction history."""
    flag, moved = duplicates.merge(duplicate_id, data["keep"], data["note"])
    db.session.commit()
    rows = [{"table": place.split(".")[0], "column": place.split(".")[1], "ids": ids} for place, ids in moved.items()]
    return Annotated(flag, moved=rows)
