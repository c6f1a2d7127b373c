"""Citizens. Lists mask the national id; reading one person is audited."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from velferd import people
from velferd.api.context import TENANT_PREFIX, tenant
from velferd.api.schemas import (
    AuditEventSchema,
    PersonCreateSchema,
    PersonListItemSchema,
    PersonListQuery,
    PersonSchema,
)
from velferd.auth import requires
from velferd.db import db

blp = Blueprint("people", __name__, url_prefix=f"{TENANT_PREFIX}/persons", description="Citizens")


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
    @blp.arguments(PersonCreateSchema)
    @blp.response(201, PersonSchema)
    def post(self, data):
        """Register a person by national id (fødselsnummer, D-number or CPR) and name."""
        person = people.register_person(tenant(), **data)
        db.session.commit()
        return person


@blp.get("/<int:person_id>")
@requires("persons:read")
@blp.response(200, PersonSchema)
def read_person(person_id):
    """One person with the full national id (the read is audited)."""
    person = people.read_person(person_id)
    db.session.commit()
    return person


@blp.get("/<int:person_id>/access-log")
@requires("audit:read")
@blp.response(200, AuditEventSchema(many=True))
def person_access_log(person_id):
    """Everything done with or seen of this person's records: for the auditor and for the
    citizen's right of access (GDPR art. 15)."""
    return people.access_log(person_id)
