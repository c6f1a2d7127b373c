"""The buildings and their flats, kept as data: what a flat is, who owns the building and who may
allocate each flat.

The plan describes Alta's building: "Alta kommune [...] etablerer i mars 2009 totalt 7 leiligheter
som skal driftes av Helse- og sosial i samarbeid med Stiftelsen Utleieboliger. Bygget består av 6
enkle boenheter og en familieleilighet. Finnmarkskollektivet skal disponere en leilighet. Bygget
består i tillegg av fellesrom og personalrom. Det er egne innganger til alle leilighetene."
The target group adds who the partner's flat is for: "Finnmarksklinikken disponerer en leilighet
til beboere som har vært inne til behandling hos dem i ett år" (the plan names the clinic there,
Finnmarkskollektivet elsewhere; the flat is recorded as Finnmarkskollektivet's, its `partner_name`
can be changed). The plan does not call the foundation the *owner* in so many words ("i samarbeid
med", "avtaler mellom beboere og boligeier"); DOMAIN.md does, and so does `ALTA_OWNER`.
That is one tenant's building; another municipality (or Alta later) may have others, so none of
it is a constant: `alta_building` writes it as rows, once.

Every write needs HOUSING_MANAGE (checked by the API view and the page). The functions take the
loaded data (the schemas in `flat_schemas` validate the shape); the rules of the domain are here:
a label is unique in its building, a building's name in the tenant; a partner's flat names the
partner; a flat someone lives in (or is reserved for someone) is not taken out of use.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import Conflict, ValidationFailed, current_tenant, db, require_owned, tenant_today

from .models import ALLOCATED_BY, FLAT_KINDS, Building, Flat
from .stay_models import LIVING, Occupancy

ALTA_BUILDING = "Ettervernsboligene"
ALTA_OWNER = "Stiftelsen Utleieboliger"
PARTNER = "Finnmarkskollektivet"
#: 6 single units and 1 family flat, one of the single units at Finnmarkskollektivet's disposal
ALTA_FLATS = (
    *(dict(label=str(number), kind="single", allocated_by="municipality") for number in range(1, 6)),
    dict(label="6", kind="single", allocated_by="partner", partner_name=PARTNER),
    dict(label="7", kind="family", allocated_by="municipality"),
)

BUILDING_FIELDS = ("name", "owner", "address", "common_room", "staff_room")
FLAT_FIELDS = ("label", "kind", "own_entrance", "allocated_by", "partner_name", "active")


# --- reading --------------------------------------------------------------------------------------

def buildings() -> list[Building]:
    return list(db.session.scalars(sa.select(Building).order_by(Building.name, Building.id)))


def flats_of(building_id: int | None = None, active_only: bool = False) -> list[Flat]:
    """The flats (of one building), by building and label."""
    query = sa.select(Flat).join(Building, Building.id == Flat.building_id).order_by(Building.name, Flat.label)
    if building_id is not None:
        query = query.where(Flat.building_id == building_id)
    if active_only:
        query = query.where(Flat.active.is_(True))
    return list(db.session.scalars(query))


def building(building_id: int) -> Building:
    return require_owned(Building, building_id, "building")


def flat(flat_id: int) -> Flat:
    return require_owned(Flat, flat_id, "flat")


def building_body(found: Building) -> dict[str, Any]:
    return {"id": found.id, **{name: getattr(found, name) for name in BUILDING_FIELDS},
            "flats": [flat_body(one) for one in flats_of(found.id)]}


def flat_body(found: Flat) -> dict[str, Any]:
    return {"id": found.id, "building_id": found.building_id, **{name: getattr(found, name) for name in FLAT_FIELDS}}


# --- the rules ------------------------------------------------------------------------------------

def _unique_name(name: str, except_id: int | None = None) -> None:
    clash = db.session.scalar(sa.select(Building.id).where(Building.name == name, Building.id != (except_id or 0)))
    if clash is not None:
        raise Conflict(f"there is already a building named '{name}'", {"name": ["already used by another building"]})


def _unique_label(building_id: int, label: str, except_id: int | None = None) -> None:
    clash = db.session.scalar(sa.select(Flat.id).where(Flat.building_id == building_id, Flat.label == label,
                                                       Flat.id != (except_id or 0)))
    if clash is not None:
        raise Conflict(f"the building already has a flat labelled '{label}'",
                       {"label": ["already used by another flat in this building"]})


def _check_flat(values: Mapping[str, Any]) -> None:
    """The kind and who allocates it; a partner's flat names the partner, the municipality's none."""
    if values["kind"] not in FLAT_KINDS:
        raise ValidationFailed(f"a flat's kind is one of {', '.join(FLAT_KINDS)}", {"kind": ["unknown kind"]})
    if values["allocated_by"] not in ALLOCATED_BY:
        raise ValidationFailed(f"a flat is allocated by one of {', '.join(ALLOCATED_BY)}",
                               {"allocated_by": ["unknown allocator"]})
    if values["allocated_by"] == "partner" and not (values.get("partner_name") or "").strip():
        raise ValidationFailed("a flat allocated by a partner names the partner",
                               {"partner_name": ["required when the flat is allocated by a partner"]})


def _in_use(flat_id: int) -> Occupancy | None:
    """A period not over today (lived in or reserved, now or from a later day): the flat is in use."""
    today = tenant_today(current_tenant())
    return db.session.scalar(sa.select(Occupancy).where(
        Occupancy.flat_id == flat_id, sa.or_(Occupancy.ends_on.is_(None), Occupancy.ends_on > today))
        .order_by(Occupancy.starts_on).limit(1))


# --- writing --------------------------------------------------------------------------------------

def create_building(data: Mapping[str, Any]) -> Building:
    _unique_name(data["name"])
    created = Building(name=data["name"], owner=data["owner"], address=data.get("address"),
                       common_room=bool(data.get("common_room", False)), staff_room=bool(data.get("staff_room", False)))
    db.session.add(created)
    db.session.flush()
    return created


def update_building(found: Building, changes: Mapping[str, Any]) -> Building:
    if "name" in changes and changes["name"] != found.name:
        _unique_name(changes["name"], found.id)
    for name in BUILDING_FIELDS:
        if name in changes:
            setattr(found, name, changes[name])
    db.session.flush()
    return found


def create_flat(in_building: Building, data: Mapping[str, Any]) -> Flat:
    values = {"own_entrance": True, "allocated_by": "municipality", "partner_name": None, "active": True, **data}
    _check_flat(values)
    _unique_label(in_building.id, values["label"])
    created = Flat(building_id=in_building.id, label=values["label"], kind=values["kind"],
                   own_entrance=values["own_entrance"], allocated_by=values["allocated_by"],
                   partner_name=_partner_name(values), active=values["active"])
    db.session.add(created)
    db.session.flush()
    return created


def update_flat(found: Flat, changes: Mapping[str, Any]) -> Flat:
    """Change a flat; taking it out of use is refused while someone lives in it or it is reserved
    (409 saying who and since when) — move them out or cancel the reservation first."""
    values = {**{name: getattr(found, name) for name in FLAT_FIELDS}, **changes}
    _check_flat(values)
    if values["label"] != found.label:
        _unique_label(found.building_id, values["label"], found.id)
    if found.active and not values["active"]:
        period = _in_use(found.id)
        if period is not None:
            what = "someone lives there" if period.kind == LIVING else "it is reserved"
            raise Conflict(f"flat {found.label} cannot be taken out of use: {what} (case {period.case_id}, since "
                           f"{period.starts_on.isoformat()})", {"active": [f"{what}"]})
    for name in FLAT_FIELDS:
        setattr(found, name, values[name])
    found.partner_name = _partner_name(values)
    db.session.flush()
    return found


def _partner_name(values: Mapping[str, Any]) -> str | None:
    """Only a partner's flat keeps a partner's name (a flat given back to the municipality loses it)."""
    if values["allocated_by"] != "partner":
        return None
    return (values.get("partner_name") or "").strip() or None


def alta_building(tenant=None) -> Building:
    """Alta's building as the plan describes it — 7 flats, 6 single units and 1 family flat, each
    with its own entrance, one at Finnmarkskollektivet's disposal; owner Stiftelsen Utleieboliger;
    a common room and a staff room. Idempotent: the building (by name) and each flat (by label)
    are created only when missing, and nothing that exists is changed. `tenant` is for the caller's
    clarity; the rows are written in the tenant in scope."""
    found = db.session.scalar(sa.select(Building).where(Building.name == ALTA_BUILDING))
    if found is None:
        found = create_building({"name": ALTA_BUILDING, "owner": ALTA_OWNER, "address": None,
                                 "common_room": True, "staff_room": True})
    labels = set(db.session.scalars(sa.select(Flat.label).where(Flat.building_id == found.id)))
    for spec in ALTA_FLATS:
        if spec["label"] not in labels:
            create_flat(found, {**spec, "own_entrance": True})
    return found
