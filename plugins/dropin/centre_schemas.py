"""Request and response schemas of the centres and their cooperation agreements (marshmallow; in
the OpenAPI document, and drawn as the pages' forms by the core's renderer).

Unknown fields are a 422 naming them; string lengths are the columns' (`column_limits`). The
rules that need the database or two fields (a unique name and slug, the agreement's dates in
order) are `centres`'. Response schemas are named Centre…/Agreement… so they do not clash with
another plugin's in the OpenAPI document.
"""

from __future__ import annotations

from velferd.toolkit import Id, column_limits, fields, ma, validate

from .centres import SLUG_PATTERN
from .models import OWNERSHIPS, Agreement, Centre
from .strict import Strict


def _text(required: bool = False, **metadata):
    """A nonempty string (blank is refused, not stored)."""
    return fields.String(required=required, allow_none=not required, validate=validate.Length(min=1),
                         metadata=metadata)


_SLUG = dict(title="Address name (slug)",
             description="Lower-case letters, digits and hyphens; the address of the centre's public schedule. "
                         "Made from the name when left out")
_ROOM = dict(title="Private room for confidential talks",
             description="The model needs one: a room the outreach workers can use for confidential talks")


def _slug(**extra):
    return fields.String(validate=validate.Regexp(SLUG_PATTERN, error="Use lower-case letters, digits and hyphens."),
                         metadata=_SLUG, **extra)


# --- centres --------------------------------------------------------------------------------------

@column_limits(Centre)
class CentreInput(Strict):
    name = _text(required=True, title="Name")
    ownership = fields.String(required=True, validate=validate.OneOf(OWNERSHIPS),
                              metadata={"title": "Ownership", "description": "A private or a municipal centre"})
    address = _text(title="Address")
    slug = _slug(load_default=None, allow_none=True)
    private_room = fields.Boolean(load_default=False, metadata=_ROOM)
    active = fields.Boolean(load_default=True, metadata={"title": "Active"})


@column_limits(Centre)
class CentreChanges(Strict):
    """A centre's changes: only the fields given change."""

    name = _text(title="Name")
    ownership = fields.String(validate=validate.OneOf(OWNERSHIPS), metadata={"title": "Ownership"})
    address = _text(title="Address")
    slug = _slug()
    private_room = fields.Boolean(metadata=_ROOM)
    active = fields.Boolean(metadata={"title": "Active"})


class CentreQuery(Strict):
    on = fields.Date(load_default=None, metadata={"title": "Day", "description": "The day the agreements are "
                                                                                 "in force or not; today if omitted"})


# --- agreements -----------------------------------------------------------------------------------

@column_limits(Agreement)
class AgreementInput(Strict):
    """A cooperation agreement (samarbejdsaftale) between the municipality and the centre."""

    parties = _text(required=True, title="Parties", description="Who made the agreement")
    municipality_provides = _text(required=True, title="The municipality provides")
    centre_provides = _text(required=True, title="The centre provides")
    starts_on = fields.Date(required=True, metadata={"title": "Starts on"})
    ends_on = fields.Date(allow_none=True, metadata={"title": "Ends on", "description": "Not before the start; "
                                                                                        "empty if it runs on"})
    renew_by = fields.Date(allow_none=True, metadata={"title": "Renew by", "description": "Not after the end"})


@column_limits(Agreement)
class AgreementChanges(Strict):
    """An agreement's changes: only the fields given change (the dates are checked as they will be)."""

    parties = _text(title="Parties")
    municipality_provides = _text(title="The municipality provides")
    centre_provides = _text(title="The centre provides")
    starts_on = fields.Date(metadata={"title": "Starts on"})
    ends_on = fields.Date(allow_none=True, metadata={"title": "Ends on"})
    renew_by = fields.Date(allow_none=True, metadata={"title": "Renew by"})


class AgreementSchema(ma.Schema):
    id = fields.Integer(strict=True)
    centre_id = Id(strict=True)
    parties = fields.String()
    municipality_provides = fields.String()
    centre_provides = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    renew_by = fields.Date(allow_none=True)
    in_force = fields.Boolean(metadata={"description": "In force on the day asked about (today if not)"})


class CentreSchema(ma.Schema):
    id = fields.Integer(strict=True)
    name = fields.String()
    ownership = fields.String(metadata={"enum": list(OWNERSHIPS)})
    address = fields.String(allow_none=True)
    slug = fields.String()
    private_room = fields.Boolean()
    active = fields.Boolean()
    on = fields.Date(metadata={"description": "The day the flags below are for"})
    agreement_in_force = fields.Boolean()
    agreement_id = Id(strict=True, allow_none=True, metadata={"description": "The agreement in force that day"})
    renew_by = fields.Date(allow_none=True, metadata={"description": "When the agreement in force is to be renewed"})
    private_room_needed = fields.Boolean(metadata={"description": "True when the centre has no private room, "
                                                                  "which the model needs"})
    flag = fields.String(allow_none=True)
    agreements = fields.List(fields.Nested(AgreementSchema))
