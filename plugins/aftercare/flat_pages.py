"""The pages of the flats part: the occupancy board (a day's flats, free, reserved or occupied, and
the form to reserve a free flat for an open aftercare case) and the buildings and flats with their
add and edit forms.

The forms post what the API's schemas load (`flat_schemas`, through the core's `submitted_data`)
to the same services (`flats`, `occupancy`), so a page refuses what the API refuses, with the same
reason: a 422 names its inputs, a 409/403 says why, the page drawn again with what was typed.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from velferd.toolkit import (
    Case,
    Person,
    ValidationError,
    ValidationFailed,
    VelferdError,
    current_tenant,
    current_user,
    db,
    form_fields,
    get_owned,
    gettext,
    has_permission,
    request,
    require_permission,
    submitted_data,
    tenant_today,
    url_for,
)

from . import flats, occupancy
from .flat_schemas import BoardQuery, BuildingChanges, BuildingInput, FlatChanges, FlatInput, ReservationInput
from .manifest import ALLOCATE, ALLOCATE_PARTNER_FLAT, HOUSING_MANAGE, PLUGIN_ID, READ
from .models import Flat
from .page_kit import Refusal, blp, done, page

BOARD = "aftercare_pages.board"
FLATS = "aftercare_pages.flats_page"
DAY_FORM, RESERVE_FORM, CANCEL_FORM = "board-day", "reserve", "cancel"
BUILDING_FORM, ALTA_FORM = "building", "alta-building"


def _flat_form(building_id: int) -> str:
    return f"flat-{building_id}"


def _refused(form_id: str, error, schema) -> Refusal:
    """A refused form, its values as posted: marshmallow's messages are a 422 naming the inputs."""
    if isinstance(error, ValidationError):
        error = ValidationFailed("the form is invalid", error.normalized_messages())
    return Refusal(form_id, error, form_fields(schema) if schema else (), request.form)


# --- the occupancy board --------------------------------------------------------------------------

def _open_cases() -> list[tuple[int, str]]:
    """The open aftercare cases to reserve a flat for, as (id, "case N – name"), by id; a case
    holding a reservation already is left out (`occupancy.reserve` would refuse it)."""
    holding = {period.case_id for period in occupancy.reservations()}
    rows = db.session.execute(sa.select(Case.id, Person).join(Person, Person.id == Case.person_id)
                              .where(Case.plugin == PLUGIN_ID, Case.closed_at.is_(None)).order_by(Case.id))
    return [(case_id, gettext("Case %(id)s – %(name)s", id=case_id, name=person.full_name))
            for case_id, person in rows if case_id not in holding]


def _shown_on(today: dt.date) -> dt.date:
    """The day the board showed when its form was posted (a hidden input), else today."""
    try:
        return dt.date.fromisoformat(request.form.get("shown_on", ""))
    except ValueError:
        return today


def _board_page(on: dt.date, failed: Refusal | None = None, day_text: str | None = None):
    rows = occupancy.board(on)
    may = {ALLOCATE: has_permission(ALLOCATE), ALLOCATE_PARTNER_FLAT: has_permission(ALLOCATE_PARTNER_FLAT)}
    reservable = [row for row in rows if row.status == occupancy.FREE
                  and may[ALLOCATE_PARTNER_FLAT if row.allocated_by == "partner" else ALLOCATE]]
    reserve_failed = failed.of(RESERVE_FORM) if failed else None
    return page("aftercare/flats/board.html", gettext("Occupancy board"), failed.status if failed else 200,
                on=on, day_text=day_text if day_text is not None else on.isoformat(), rows=rows, failed=failed,
                day_errors=failed.errors if failed and failed.of(DAY_FORM) else {},
                reservable=reservable, cases=_open_cases() if reservable else [],
                may_cancel=may, reserve_values=reserve_failed.values if reserve_failed else {"starts_on": on.isoformat()},
                reserve_errors=reserve_failed.errors if reserve_failed else {},
                cancel_errors=failed.errors if failed and failed.of(CANCEL_FORM) else {})


@blp.get("/board")
def board():
    """The flats on a day (today unless `on`): who lives where since when, what is reserved, what is free."""
    require_permission(READ)
    today = tenant_today(current_tenant())
    try:
        query = BoardQuery().load(request.args)
    except ValidationError as error:
        failed = _refused(DAY_FORM, error, BoardQuery)
        return _board_page(today, failed, day_text=request.args.get("on", ""))
    return _board_page(query["on"] or today)


@blp.post("/board/reservations")
def reserve():
    """Reserve a free flat for an open aftercare case (the API's POST reservations)."""
    require_permission(READ)
    today = tenant_today(current_tenant())
    try:
        data = ReservationInput().load(submitted_data(ReservationInput, request.form))
        flat = get_owned(Flat, data["flat_id"])
        if flat is None:
            raise ValidationFailed("no such flat", {"flat_id": [gettext("Choose a flat that is free.")]})
        occupancy.reserve(flat, data["case_id"], data["starts_on"], data.get("note"), current_user())
    except (ValidationError, VelferdError) as error:
        return _board_page(_shown_on(today), _refused(RESERVE_FORM, error, ReservationInput))
    return done(gettext("Flat %(label)s is reserved for case %(id)s.", label=flat.label, id=data["case_id"]),
                BOARD, on=data["starts_on"].isoformat())


@blp.post("/board/reservations/<int:occupancy_id>/cancel")
def cancel_reservation(occupancy_id: int):
    """End a reservation today: the flat is free again."""
    require_permission(READ)
    today = tenant_today(current_tenant())
    try:
        period = occupancy.reservation(occupancy_id)
        occupancy.require_allocation(flats.flat(period.flat_id))
        occupancy.cancel_reservation(occupancy_id, today)
    except VelferdError as error:
        return _board_page(_shown_on(today), _refused(CANCEL_FORM, error, None))
    return done(gettext("The reservation is cancelled."), BOARD, on=today.isoformat())


# --- buildings and flats --------------------------------------------------------------------------

def _flats_page(failed: Refusal | None = None):
    require_permission(READ)
    buildings = [(building, flats.flats_of(building.id)) for building in flats.buildings()]
    building_failed = failed.of(BUILDING_FORM) if failed else None
    return page("aftercare/flats/flats.html", gettext("Flats"), failed.status if failed else 200,
                buildings=buildings, failed=failed, may_manage=has_permission(HOUSING_MANAGE),
                building_fields=form_fields(BuildingInput), flat_fields=form_fields(FlatInput),
                building_values=building_failed.values if building_failed else {},
                building_errors=building_failed.errors if building_failed else {},
                flat_form=_flat_form, alta_errors=failed.errors if failed and failed.of(ALTA_FORM) else {})


@blp.get("/flats")
def flats_page():
    """The buildings and their flats: kind, own entrance, who allocates it, in use or not."""
    return _flats_page()


@blp.post("/buildings")
def create_building():
    require_permission(HOUSING_MANAGE)
    try:
        created = flats.create_building(BuildingInput().load(submitted_data(BuildingInput, request.form)))
    except (ValidationError, VelferdError) as error:
        return _flats_page(_refused(BUILDING_FORM, error, BuildingInput))
    return done(gettext("The building %(name)s is added.", name=created.name), FLATS)


@blp.post("/buildings/alta")
def create_alta_building():
    """Alta's building as the project plan describes it (idempotent)."""
    require_permission(HOUSING_MANAGE)
    created = flats.alta_building(current_tenant())
    return done(gettext("The building %(name)s and its flats are set up.", name=created.name), FLATS)


@blp.post("/buildings/<int:building_id>/flats")
def create_flat(building_id: int):
    require_permission(HOUSING_MANAGE)
    building = flats.building(building_id)
    try:
        created = flats.create_flat(building, FlatInput().load(submitted_data(FlatInput, request.form)))
    except (ValidationError, VelferdError) as error:
        return _flats_page(_refused(_flat_form(building_id), error, FlatInput))
    return done(gettext("Flat %(label)s is added.", label=created.label), FLATS)


def _edit_page(template: str, title: str, record, schema, values, failed: Refusal | None = None):
    require_permission(HOUSING_MANAGE)
    return page(template, title, failed.status if failed else 200, record=record, failed=failed,
                fields=form_fields(schema), values=failed.values if failed else values,
                errors=failed.errors if failed else {})


def _flat_values(found: Flat) -> dict:
    values = {"label": found.label, "kind": found.kind, "allocated_by": found.allocated_by,
              "partner_name": found.partner_name or ""}
    values.update({name: "on" for name in ("own_entrance", "active") if getattr(found, name)})
    return values


@blp.get("/flats/<int:flat_id>")
def edit_flat(flat_id: int):
    found = flats.flat(flat_id)
    return _edit_page("aftercare/flats/flat.html", gettext("Flat %(label)s", label=found.label), found, FlatChanges,
                      _flat_values(found))


@blp.post("/flats/<int:flat_id>")
def update_flat(flat_id: int):
    require_permission(HOUSING_MANAGE)
    found = flats.flat(flat_id)
    try:
        flats.update_flat(found, FlatChanges().load(submitted_data(FlatChanges, request.form)))
    except (ValidationError, VelferdError) as error:
        failed = _refused("flat", error, FlatChanges)
        found = flats.flat(flat_id)
        return _edit_page("aftercare/flats/flat.html", gettext("Flat %(label)s", label=found.label), found,
                          FlatChanges, {}, failed)
    return done(gettext("Flat %(label)s is saved.", label=found.label), FLATS)


def _building_values(found) -> dict:
    values = {"name": found.name, "owner": found.owner, "address": found.address or ""}
    values.update({name: "on" for name in ("common_room", "staff_room") if getattr(found, name)})
    return values


@blp.get("/buildings/<int:building_id>")
def edit_building(building_id: int):
    found = flats.building(building_id)
    return _edit_page("aftercare/flats/building.html", found.name, found, BuildingChanges, _building_values(found))


@blp.post("/buildings/<int:building_id>")
def update_building(building_id: int):
    require_permission(HOUSING_MANAGE)
    found = flats.building(building_id)
    try:
        flats.update_building(found, BuildingChanges().load(submitted_data(BuildingChanges, request.form)))
    except (ValidationError, VelferdError) as error:
        failed = _refused("building", error, BuildingChanges)
        found = flats.building(building_id)
        return _edit_page("aftercare/flats/building.html", found.name, found, BuildingChanges, {}, failed)
    return done(gettext("The building %(name)s is saved.", name=found.name), FLATS)


def board_widget(tenant, settings) -> dict:
    """The leader dashboard's box: today's flats by status, each figure linking to the board."""
    rows = occupancy.board(tenant_today(tenant))
    counts = {status: sum(1 for row in rows if row.status == status) for status in occupancy.STATUSES}
    return {"counts": counts, "board_url": url_for("aftercare_pages.board", tenant=tenant.slug)}
