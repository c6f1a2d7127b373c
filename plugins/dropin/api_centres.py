"""The API of the centres and their cooperation agreements, on the plugin's blueprint
(/api/t/<tenant>/x/dropin/...). Reading needs READ; writing needs CENTRES_MANAGE."""

from __future__ import annotations

from velferd.toolkit import db, requires

from . import centres
from .api_kit import blp
from .centre_schemas import (
    AgreementChanges,
    AgreementInput,
    AgreementSchema,
    CentreChanges,
    CentreInput,
    CentreQuery,
    CentreSchema,
)
from .manifest import CENTRES_MANAGE, READ


@blp.get("/centres")
@requires(READ)
@blp.arguments(CentreQuery, location="query")
@blp.response(200, CentreSchema(many=True))
def list_centres(query):
    """The drop-in centres, by name: whether each has an agreement in force on the day (`on`, today
    if omitted), when it is to be renewed, and a flag on a centre without a private room."""
    return [centres.centre_body(found, query["on"]) for found in centres.centres()]


@blp.post("/centres")
@requires(CENTRES_MANAGE)
@blp.arguments(CentreInput)
@blp.response(201, CentreSchema)
def create_centre(data):
    """Add a drop-in centre (private or municipal; its name and slug unique in the municipality)."""
    created = centres.create_centre(data)
    db.session.commit()
    return centres.centre_body(created)


@blp.get("/centres/<int:centre_id>")
@requires(READ)
@blp.arguments(CentreQuery, location="query")
@blp.response(200, CentreSchema)
def read_centre(query, centre_id):
    """A drop-in centre with its cooperation agreements, and whether one is in force on the day."""
    return centres.centre_body(centres.centre(centre_id), query["on"])


@blp.patch("/centres/<int:centre_id>")
@requires(CENTRES_MANAGE)
@blp.arguments(CentreChanges)
@blp.response(200, CentreSchema)
def update_centre(changes, centre_id):
    """Change a centre's name, ownership, address, slug, private room or whether it is active."""
    updated = centres.update_centre(centres.centre(centre_id), changes)
    db.session.commit()
    return centres.centre_body(updated)


@blp.get("/centres/<int:centre_id>/agreements")
@requires(READ)
@blp.arguments(CentreQuery, location="query")
@blp.response(200, AgreementSchema(many=True))
def list_agreements(query, centre_id):
    """A centre's cooperation agreements, the latest start first, each in force on the day or not."""
    found = centres.centre(centre_id)
    return [centres.agreement_body(one, query["on"]) for one in centres.agreements_of(found)]


@blp.post("/centres/<int:centre_id>/agreements")
@requires(CENTRES_MANAGE)
@blp.arguments(AgreementInput)
@blp.response(201, AgreementSchema)
def create_agreement(data, centre_id):
    """Add a cooperation agreement to a centre: the parties, what each provides, its dates (the end
    not before the start, the renewal not after the end)."""
    created = centres.create_agreement(centres.centre(centre_id), data)
    db.session.commit()
    return centres.agreement_body(created)


@blp.patch("/agreements/<int:agreement_id>")
@requires(CENTRES_MANAGE)
@blp.arguments(AgreementChanges)
@blp.response(200, AgreementSchema)
def update_agreement(changes, agreement_id):
    """Change a cooperation agreement; its dates are checked as they will be."""
    updated = centres.update_agreement(centres.agreement(agreement_id), changes)
    db.session.commit()
    return centres.agreement_body(updated)
