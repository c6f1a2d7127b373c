"""Request and response schemas of the buildings, flats, reservations and the occupancy board
(marshmallow; in the OpenAPI document, and drawn as the pages' forms by the core's renderer).

Unknown fields are a 422 naming them; string lengths are the columns' (`column_limits`). The
rules that need the database (a unique label, a partner named) are `flats`' and `occupancy`'s.
"""

from __future__ import annotations

from velferd.toolkit import column_limits, fields, ma, validate

from .models import ALLOCATED_BY, FLAT_KINDS, Building, Flat
from .occupancy import STATUSES
from .stay_models import OCCUPANCY_KINDS, Occupancy
from .strict import Strict


def _text(required: bool = False, **metadata):
    """A trimmed-nonempty string (blank is refused, not stored)."""
    return fields.String(required=required, allow_none=not required, validate=validate.Length(min=1),
                         metadata=metadata)


# --- buildings ------------------------------------------------------------------------------------

@column_limits(Building)
class BuildingInput(Strict):
    name = _text(required=True, title="Name")
    owner = _text(required=True, title="Owner", description="Who owns the building and lets the flats "
                                                             "(Alta: Stiftelsen Utleieboliger)")
    address = _text(title="Address")
    common_room = fields.Boolean(load_default=False, metadata={"title": "Common room"})
    staff_room = fields.Boolean(load_default=False, metadata={"title": "Staff room"})


@column_limits(Building)
class BuildingChanges(Strict):
    """A building's changes: only the fields given change."""

    name = _text(title="Name")
    owner = _text(title="Owner")
    address = _text(title="Address")
    common_room = fields.Boolean(metadata={"title": "Common room"})
    staff_room = fields.Boolean(metadata={"title": "Staff room"})


class FlatSchema(ma.Schema):
    id = fields.Integer()
    building_id = fields.Integer()
    label = fields.String()
    kind = fields.String()
    own_entrance = fields.Boolean()
    allocated_by = fields.String()
    partner_name = fields.String(allow_none=True)
    active = fields.Boolean()


class BuildingSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    owner = fields.String()
    address = fields.String(allow_none=True)
    common_room = fields.Boolean()
    staff_room = fields.Boolean()
    flats = fields.List(fields.Nested(FlatSchema))


# --- flats ----------------------------------------------------------------------------------------

@column_limits(Flat)
class FlatInput(Strict):
    label = _text(required=True, title="Label", description="The flat's number or name, unique in its building")
    kind = fields.String(required=True, validate=validate.OneOf(FLAT_KINDS), metadata={"title": "Kind"})
    own_entrance = fields.Boolean(load_default=True, metadata={"title": "Own entrance"})
    allocated_by = fields.String(load_default="municipality", validate=validate.OneOf(ALLOCATED_BY),
                                 metadata={"title": "Allocated by"})
    partner_name = _text(title="Partner", description="Required when a partner allocates the flat "
                                                       "(Alta: Finnmarkskollektivet)")


@column_limits(Flat)
class FlatChanges(Strict):
    """A flat's changes: only the fields given change (`active` false takes it out of use)."""

    label = _text(title="Label")
    kind = fields.String(validate=validate.OneOf(FLAT_KINDS), metadata={"title": "Kind"})
    own_entrance = fields.Boolean(metadata={"title": "Own entrance"})
    allocated_by = fields.String(validate=validate.OneOf(ALLOCATED_BY), metadata={"title": "Allocated by"})
    partner_name = _text(title="Partner")
    active = fields.Boolean(metadata={"title": "In use"})


class FlatQuery(Strict):
    building_id = fields.Integer(load_default=None)
    active_only = fields.Boolean(load_default=False)


# --- reservations and the board -------------------------------------------------------------------

@column_limits(Occupancy)
class ReservationInput(Strict):
    """Reserve a flat for an aftercare case from a day, until the resident moves in."""

    flat_id = fields.Integer(required=True, metadata={"title": "Flat"})
    case_id = fields.Integer(required=True, metadata={"title": "Case"})
    starts_on = fields.Date(required=True, metadata={"title": "Reserved from"})
    note = fields.String(allow_none=True, validate=validate.Length(max=500), metadata={"title": "Note"})


class CancelInput(Strict):
    on = fields.Date(load_default=None, metadata={"title": "Free from", "description": "Today if omitted"})


class OccupancyPeriodSchema(ma.Schema):
    id = fields.Integer()
    flat_id = fields.Integer()
    case_id = fields.Integer(allow_none=True)
    kind = fields.String(metadata={"enum": list(OCCUPANCY_KINDS)})
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    note = fields.String(allow_none=True)


class ReservationQuery(Strict):
    on = fields.Date(load_default=None, metadata={"description": "The reservations covering this day; "
                                                                 "today if omitted"})


class BoardQuery(Strict):
    on = fields.Date(load_default=None, metadata={"description": "The day (YYYY-MM-DD); today if omitted"})


class BoardRowSchema(ma.Schema):
    flat_id = fields.Integer()
    building_id = fields.Integer()
    building_name = fields.String()
    label = fields.String()
    kind = fields.String()
    own_entrance = fields.Boolean()
    allocated_by = fields.String()
    partner_name = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(STATUSES)})
    occupancy_id = fields.Integer(allow_none=True)
    case_id = fields.Integer(allow_none=True)
    resident_name = fields.String(allow_none=True)
    since = fields.Date(allow_none=True)
    note = fields.String(allow_none=True)
    planned_move_out_on = fields.Date(allow_none=True)
    limit_on = fields.Date(allow_none=True)


class BoardSchema(ma.Schema):
    on = fields.Date()
    flats = fields.List(fields.Nested(BoardRowSchema))
