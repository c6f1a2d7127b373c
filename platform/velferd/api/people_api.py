"""Citizens. Lists mask the national id; reading one person is audited; a person is corrected
with a reason and the history kept (GDPR art. 16), never deleted here."""

from __future__ import annotations

from flask import Blueprint as FlaskBlueprint
from flask.views import MethodView
from flask_smorest import Blueprint

from velferd import people
from velferd.api.context import TENANT_PREFIX, tenant
from velferd.api.errors import error_response
from velferd.api.person_schemas import (
    Annotated,
    PersonCorrectedSchema,
    PersonCorrectionInputSchema,
    PersonCorrectionSchema,
    PersonDetailSchema,
    PersonRegisteredSchema,
    PersonRegistrationSchema,
)
from velferd.api.schemas import AuditEventSchema, PersonListItemSchema, PersonListQuery
from velferd.auth import requires
from velferd.db import db

blp = Blueprint("people", __name__, url_prefix=f"{TENANT_PREFIX}/persons", description="Citizens")

NOT_DELETED = ("persons are not deleted through the API: a person's records are retired (anonymised, "
               "deposited to the archive or deleted) by the municipality's retention rules; to correct "
               "wrong data, PATCH the person with a reason")


@blp.route("")
class People(MethodView):
    @requires("persons:read")
    @blp.arguments(PersonListQuery, location="query", unknown=None)  # Strict: 422 on a typo
    @blp.response(200, PersonListItemSchema(many=True))
    def get(self, query):
        """A page of persons (national ids masked), optionally by part of a name."""
        # audited per person shown (velferd.read_audit)
        return people.search_persons(limit=query["limit"], after_id=query["after_id"], name=query.get("q"))

    @requires("persons:write")
    @blp.arguments(PersonRegistrationSchema)
    @blp.response(201, PersonRegisteredSchema)
    def post(self, data):
        """Register a person by national id (fødselsnummer, D-number or CPR) and name. A person
        of the same name and birth date is flagged as a possible duplicate for review; the
        person is created all the same."""
        person, matches = people.register(tenant(), **data)
        db.session.commit()
        return Annotated(person, possible_duplicates=matches)


@blp.route("/<int:person_id>")
class OnePerson(MethodView):
    @requires("persons:read")
    @blp.response(200, PersonDetailSchema)
    def get(self, person_id):
        """One person with the full national id (the read is audited)."""
        person = people.read_person(person_id)
        db.session.commit()
        return person

    @requires("persons:write")
    @blp.arguments(PersonCorrectionInputSchema)
    @blp.response(200, PersonCorrectedSchema)
    def patch(self, data, person_id):
        """Correct a person (GDPR art. 16): names, contact details, or the national id (a
        D-number that became a fødselsnummer, a typo; birth date and kind follow it). Each
        changed field is kept in the person's correction history with the reason."""
        reason = data.pop("reason")
        person, corrections, matches = people.correct_person(tenant(), person_id, data, reason)
        db.session.commit()
        return Annotated(person, corrected_fields=[c.field for c in corrections], possible_duplicates=matches)


@requires("persons:write")
def refuse_deletion(person_id):
    return error_response(405, NOT_DELETED, headers={"Allow": "GET, HEAD, PATCH, OPTIONS"})


# Registered on Flask's own rule table, not flask-smorest's: the API does not offer DELETE, it
# only answers it with a sentence saying why (instead of a bare 405), so it is not documented.
FlaskBlueprint.add_url_rule(blp, "/<int:person_id>", "refuse_deletion", refuse_deletion, methods=["DELETE"])


@blp.get("/<int:person_id>/corrections")
@requires("persons:read")
@blp.response(200, PersonCorrectionSchema(many=True))
def person_corrections(person_id):
    """The person's correction history, oldest first: each changed field with its old and new
    value, the reason, who and when (the read is audited)."""
    return people.corrections_of(person_id)


@blp.get("/<int:person_id>/access-log")
@requires("audit:read")
@blp.response(200, AuditEventSchema(many=True))
def person_access_log(person_id):
    """Everything done with or seen of this person's records: for the auditor and for the
    citizen's right of access (GDPR art. 15)."""
    return people.access_log(person_id)
