"""The API of the buildings, flats, reservations and the occupancy board, on the plugin's
blueprint (/api/t/<tenant>/x/aftercare/...). Reading needs READ; buildings and flats are written
with HOUSING_MANAGE; a reservation needs ALLOCATE, or ALLOCATE_PARTNER_FLAT for the partner's
flat (checked by `occupancy.reserve`, since it depends on the flat)."""

from __future__ import annotations

from velferd.toolkit import ValidationFailed, current_tenant, db, get_owned, requires, tenant_today

from . import flats, occupancy
from .api_kit import blp
from .flat_schemas import (
    BoardQuery,
    BoardSchema,
    BuildingChanges,
    BuildingInput,
    BuildingSchema,
    CancelInput,
    FlatChanges,
    FlatInput,
    FlatQuery,
    FlatSchema,
    OccupancyPeriodSchema,
    ReservationInput,
    ReservationQuery,
)
from .manifest import HOUSING_MANAGE, READ
from .models import Flat

# --- buildings ------------------------------------------------------------------------------------


@blp.get("/buildings")
@requires(READ)
@blp.response(200, BuildingSchema(many=True))
def list_buildings():
    """The buildings with their flats."""
    return [flats.building_body(found) for found in flats.buildings()]


@blp.post("/buildings")
@requires(HOUSING_MANAGE)
@blp.arguments(BuildingInput)
@blp.response(201, BuildingSchema)
def create_building(data):
    """Add a building (its name unique in the municipality)."""
    created = flats.create_building(data)
    db.session.commit()
    return flats.building_body(created)


@blp.post("/buildings/alta")
@requires(HOUSING_MANAGE)
@blp.response(200, BuildingSchema)
def create_alta_building():
    """Alta's building as the project plan describes it (7 flats: 6 single units, 1 family flat, one
    at Finnmarkskollektivet's disposal). Idempotent: what exists is left as it is."""
    created = flats.alta_building(current_tenant())
    db.session.commit()
    return flats.building_body(created)


@blp.get("/buildings/<int:building_id>")
@requires(READ)
@blp.response(200, BuildingSchema)
def read_building(building_id):
    """A building and its flats."""
    return flats.building_body(flats.building(building_id))


@blp.patch("/buildings/<int:building_id>")
@requires(HOUSING_MANAGE)
@blp.arguments(BuildingChanges)
@blp.response(200, BuildingSchema)
def update_building(changes, building_id):
    """Change a building's name, owner, address or rooms."""
    updated = flats.update_building(flats.building(building_id), changes)
    db.session.commit()
    return flats.building_body(updated)


# --- flats ----------------------------------------------------------------------------------------

@blp.post("/buildings/<int:building_id>/flats")
@requires(HOUSING_MANAGE)
@blp.arguments(FlatInput)
@blp.response(201, FlatSchema)
def create_flat(data, building_id):
    """Add a flat to a building (its label unique in the building)."""
    created = flats.create_flat(flats.building(building_id), data)
    db.session.commit()
    return flats.flat_body(created)


@blp.get("/flats")
@requires(READ)
@blp.arguments(FlatQuery, location="query")
@blp.response(200, FlatSchema(many=True))
def list_flats(query):
    """Every flat, by building and label (inactive ones too)."""
    return [flats.flat_body(found) for found in flats.flats_of(query["building_id"], query["active_only"])]


@blp.get("/flats/<int:flat_id>")
@requires(READ)
@blp.response(200, FlatSchema)
def read_flat(flat_id):
    """One flat: its kind, entrance and who allocates it."""
    return flats.flat_body(flats.flat(flat_id))


@blp.patch("/flats/<int:flat_id>")
@requires(HOUSING_MANAGE)
@blp.arguments(FlatChanges)
@blp.response(200, FlatSchema)
def update_flat(changes, flat_id):
    """Change a flat; ``active: false`` takes it out of use (refused while lived in or reserved)."""
    updated = flats.update_flat(flats.flat(flat_id), changes)
    db.session.commit()
    return flats.flat_body(updated)


# --- reservations and the board -------------------------------------------------------------------

@blp.get("/reservations")
@requires(READ)
@blp.arguments(ReservationQuery, location="query")
@blp.response(200, OccupancyPeriodSchema(many=True))
def list_reservations(query):
    """The reservations covering the day `on`, or every reservation not yet ended."""
    return occupancy.reservations(query["on"])


@blp.post("/reservations")
@blp.arguments(ReservationInput)
@blp.response(201, OccupancyPeriodSchema)
def create_reservation(data):
    """Reserve a free flat for an open aftercare case until the resident moves in."""
    found = get_owned(Flat, data["flat_id"])
    if found is None:
        raise ValidationFailed(f"no flat {data['flat_id']}", {"flat_id": [f"no flat {data['flat_id']}"]})
    reserved = occupancy.reserve(found, data["case_id"], data["starts_on"], data.get("note"))
    db.session.commit()
    return reserved


@blp.post("/reservations/<int:occupancy_id>/cancel")
@blp.arguments(CancelInput)
@blp.response(200, OccupancyPeriodSchema)
def cancel_reservation(data, occupancy_id):
    """End a reservation (the flat is free from `on`, today if omitted); the same permission as
    reserving that flat."""
    period = occupancy.reservation(occupancy_id)
    occupancy.require_allocation(flats.flat(period.flat_id))
    cancelled = occupancy.cancel_reservation(occupancy_id, data["on"] or tenant_today(current_tenant()))
    db.session.commit()
    return cancelled


@blp.get("/occupancy")
@requires(READ)
@blp.arguments(BoardQuery, location="query")
@blp.response(200, BoardSchema)
def read_board(query):
    """The occupancy board on a day: every flat in use, free, reserved or occupied, by whom and
    since when, and an occupied flat's planned move-out and limit."""
    on = query["on"] or tenant_today(current_tenant())
    return {"on": on, "flats": [row.as_dict() for row in occupancy.board(on)]}
