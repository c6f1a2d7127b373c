"""Who lives in which flat, which flat is reserved and which is free — on any day.

The occupancy is kept as periods (`stay_models.Occupancy`), half-open: from `starts_on` (the first
night) up to `ends_on` (the day the flat is free again; None while it lasts). A flat is *occupied*
on a day a "living" period covers it, *reserved* on a day a "reserved" period covers it, else
*free*. The plan asks for exactly this overview: "who lives where since when, which flat is free,
which is reserved" — and the budget needs the empty days: "For å oppnå nødvendig fleksibilitet på
tjenesten må det budsjetteres med husleie for tomme leiligheter tilsvarende at 1 leilighet til
enhver tid står ledig" (`occupied_days`).

Who may reserve follows the plan's "Finnmarkskollektivet skal disponere en leilighet": a flat with
``allocated_by == "partner"`` is reserved by the partner (ALLOCATE_PARTNER_FLAT), the
municipality's flats by the housing's leader (ALLOCATE). Whether a person may move into the
partner flat (a year in treatment there) is the stays' rule (part A's move_in guard), not this one.

These functions write to the session and flush; the caller (an API view, a transition handler)
commits. Nothing here reads the clock: every day is given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from velferd.toolkit import (
    Case,
    Conflict,
    Forbidden,
    Person,
    ValidationFailed,
    acting_as,
    current_user,
    db,
    get_owned,
    has_permission,
    require_owned,
)

from .manifest import ALLOCATE, ALLOCATE_PARTNER_FLAT, PLUGIN_ID
from .models import Building, Flat
from .stay_models import LIVING, RESERVED, Occupancy, Stay

FREE = "free"
OCCUPIED = "occupied"
#: the board's statuses (RESERVED is the occupancy kind's own word)
STATUSES = (FREE, RESERVED, OCCUPIED)


# --- periods --------------------------------------------------------------------------------------

def _covers(on: dt.date):
    """The periods that include the night of `on`."""
    return sa.and_(Occupancy.starts_on <= on, sa.or_(Occupancy.ends_on.is_(None), Occupancy.ends_on > on))


def _not_over_by(on: dt.date):
    """The periods still running on `on` or starting later (they would overlap an open-ended one
    starting on `on`)."""
    return sa.or_(Occupancy.ends_on.is_(None), Occupancy.ends_on > on)


def _periods(*criteria) -> list[Occupancy]:
    return list(db.session.scalars(sa.select(Occupancy).where(*criteria).order_by(Occupancy.starts_on,
                                                                                    Occupancy.id)))


def _end(period: Occupancy, on: dt.date) -> None:
    """End a period on `on`; one that has not begun by then ends where it starts (no nights)."""
    period.ends_on = max(on, period.starts_on)


def _case_ref(case_id: int | None) -> str:
    return f"case {case_id}" if case_id is not None else "no case"


# --- moving in and out ----------------------------------------------------------------------------

def refusal_to_occupy(flat: Flat, case_id: int, on: dt.date) -> str | None:
    """Why case `case_id` cannot move into `flat` on `on`, or None when it can.

    Refused: a flat taken out of use; a flat someone lives in on that day or from a later day (a
    move-in is open-ended, so any living period not over by `on` is in the way); a flat reserved for
    another case on that day or from a later day; a case that already lives in another flat (it
    moves out of that one first — `vacate`). A flat reserved for this very case is free for it.
    """
    if not flat.active:
        return f"flat {flat.label} is not in use"
    for period in _periods(Occupancy.flat_id == flat.id, Occupancy.kind == LIVING, _not_over_by(on)):
        if period.case_id == case_id and period.starts_on <= on:
            return f"{_case_ref(case_id)} already lives in flat {flat.label} since {period.starts_on.isoformat()}"
        if period.starts_on <= on:
            return f"flat {flat.label} is occupied ({_case_ref(period.case_id)} lives there since " \
                   f"{period.starts_on.isoformat()})"
        return f"flat {flat.label} is occupied from {period.starts_on.isoformat()} ({_case_ref(period.case_id)})"
    for period in _periods(Occupancy.flat_id == flat.id, Occupancy.kind == RESERVED, _not_over_by(on),
                           sa.or_(Occupancy.case_id.is_(None), Occupancy.case_id != case_id)):
        since = "since" if period.starts_on <= on else "from"
        return f"flat {flat.label} is reserved for {_case_ref(period.case_id)} {since} {period.starts_on.isoformat()}"
    elsewhere = _periods(Occupancy.case_id == case_id, Occupancy.kind == LIVING, Occupancy.flat_id != flat.id,
                         _not_over_by(on))
    if elsewhere:
        other = db.session.get(Flat, elsewhere[0].flat_id)
        return f"{_case_ref(case_id)} still lives in flat {other.label if other else elsewhere[0].flat_id}; " \
               f"move out of it first"
    return None


def occupy(flat: Flat, case_id: int, on: dt.date) -> Occupancy:
    """Case `case_id` moves into `flat` on `on` (its first night there): a living period from `on`,
    open-ended. The case's reservation of this flat ends the same day. Conflict (409) with the
    reason of `refusal_to_occupy` when the flat is not free for it."""
    reason = refusal_to_occupy(flat, case_id, on)
    if reason is not None:
        raise Conflict(reason)
    for reservation in _periods(Occupancy.flat_id == flat.id, Occupancy.case_id == case_id,
                                Occupancy.kind == RESERVED, _not_over_by(on)):
        _end(reservation, on)
    period = Occupancy(flat_id=flat.id, case_id=case_id, kind=LIVING, starts_on=on, ends_on=None)
    db.session.add(period)
    db.session.flush()
    return period


def vacate(case_id: int, on: dt.date) -> None:
    """Case `case_id` moves out on `on`: its open living period ends, the flat is free from `on`.
    Nothing to end (the case lives nowhere) is not an error, so a repeated move-out does no harm;
    moving out before the day moved in is refused (422 naming ``moved_out_on``)."""
    for period in _periods(Occupancy.case_id == case_id, Occupancy.kind == LIVING, _not_over_by(on)):
        if period.starts_on > on:
            raise ValidationFailed(f"the move-out {on.isoformat()} is before the move-in {period.starts_on.isoformat()}",
                                   {"moved_out_on": [f"must be on or after {period.starts_on.isoformat()}"]})
        period.ends_on = on
    db.session.flush()


# --- reservations ---------------------------------------------------------------------------------

def reservation_for(case_id: int, flat_id: int, on: dt.date) -> Occupancy | None:
    """The reservation of flat `flat_id` for case `case_id` that covers `on`, or None."""
    found = _periods(Occupancy.flat_id == flat_id, Occupancy.case_id == case_id, Occupancy.kind == RESERVED,
                     _covers(on))
    return found[-1] if found else None


def reservation(occupancy_id: int) -> Occupancy:
    """One period of this tenant by id (404 "no reservation <id>" otherwise)."""
    return require_owned(Occupancy, occupancy_id, "reservation")


def reservations(on: dt.date | None = None) -> list[Occupancy]:
    """The reservations covering `on`, or (no day) every reservation not yet ended, by start."""
    return _periods(Occupancy.kind == RESERVED, _covers(on) if on is not None else Occupancy.ends_on.is_(None))


def allocation_permission(flat: Flat) -> str:
    """The permission that reserves or allocates `flat`: the partner's flat is the partner's to
    give ("Finnmarkskollektivet skal disponere en leilighet"), the others the municipality's."""
    return ALLOCATE_PARTNER_FLAT if flat.allocated_by == "partner" else ALLOCATE


def require_allocation(flat: Flat, user=None) -> None:
    """403 saying which permission is missing, for the caller (or `user`, acting as them)."""
    permission = allocation_permission(flat)
    if user is not None and user is not current_user():
        with acting_as(user):
            allowed = has_permission(permission)
    else:
        allowed = has_permission(permission)
    if not allowed:
        whose = f"it is at {flat.partner_name or 'the partner'}'s disposal" if permission == ALLOCATE_PARTNER_FLAT \
            else "it is one of the municipality's flats"
        raise Forbidden(f"reserving flat {flat.label} needs the permission '{permission}' ({whose})")


def _aftercare_case(case_id: int) -> Case:
    """The tenant's open aftercare case `case_id`; 422 naming ``case_id`` otherwise."""
    case = get_owned(Case, case_id)
    if case is None:
        raise ValidationFailed(f"no case {case_id}", {"case_id": [f"no case {case_id}"]})
    if case.plugin != PLUGIN_ID:
        raise ValidationFailed(f"case {case_id} is not an aftercare case", {"case_id": ["not an aftercare case"]})
    if case.closed_at is not None:
        raise Conflict(f"case {case_id} is closed; a closed case gets no flat")
    return case


def reserve(flat: Flat, case_id: int, starts_on: dt.date, note: str | None = None, user=None) -> Occupancy:
    """Reserve `flat` for case `case_id` from `starts_on` until the resident moves in (`occupy`
    ends it) or it is cancelled. Needs ALLOCATE, or ALLOCATE_PARTNER_FLAT for the partner's flat
    (403 naming it). Refused (409): a flat out of use, a flat lived in or reserved from that day,
    a case that already has a flat reserved."""
    require_allocation(flat, user)
    if note is not None and len(note) > 500:
        raise ValidationFailed("the note is too long", {"note": ["at most 500 characters"]})
    _aftercare_case(case_id)
    if not flat.active:
        raise Conflict(f"flat {flat.label} is not in use")
    for period in _periods(Occupancy.flat_id == flat.id, _not_over_by(starts_on)):
        what = "lived in" if period.kind == LIVING else "reserved"
        raise Conflict(f"flat {flat.label} is {what} from {period.starts_on.isoformat()} "
                       f"({_case_ref(period.case_id)}) and cannot be reserved from {starts_on.isoformat()}")
    held = _periods(Occupancy.case_id == case_id, Occupancy.kind == RESERVED, _not_over_by(starts_on))
    if held:
        other = db.session.get(Flat, held[0].flat_id)
        raise Conflict(f"{_case_ref(case_id)} already has flat {other.label if other else held[0].flat_id} reserved; "
                       f"cancel that reservation first")
    period = Occupancy(flat_id=flat.id, case_id=case_id, kind=RESERVED, starts_on=starts_on, ends_on=None,
                       note=note or None)
    db.session.add(period)
    db.session.flush()
    return period


def cancel_reservation(occupancy_id: int, on: dt.date) -> Occupancy:
    """End reservation `occupancy_id` on `on` (the flat is free from that day). 404 for no such
    period of this tenant; 409 for a living period or a reservation already over."""
    period = reservation(occupancy_id)
    if period.kind != RESERVED:
        raise Conflict(f"occupancy {occupancy_id} is not a reservation (someone lives there: move them out instead)")
    if period.ends_on is not None and period.ends_on <= on:
        raise Conflict(f"reservation {occupancy_id} already ended on {period.ends_on.isoformat()}")
    _end(period, on)
    db.session.flush()
    return period


def release_reservations(case_id: int, on: dt.date) -> int:
    """End every reservation the case still holds on `on` (a declined or withdrawn application
    must not keep a flat from the next applicant); how many were ended."""
    held = _periods(Occupancy.case_id == case_id, Occupancy.kind == RESERVED, _not_over_by(on))
    for period in held:
        _end(period, on)
    db.session.flush()
    return len(held)


# --- the board ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BoardRow:
    """One flat on the board on a day. `case_id`/`resident_name`/`since` for a reserved or occupied
    flat; `planned_move_out_on`/`limit_on` from the stay, for an occupied one when known."""

    flat_id: int
    building_id: int
    building_name: str
    label: str
    kind: str
    own_entrance: bool
    allocated_by: str
    partner_name: str | None
    status: str
    occupancy_id: int | None = None
    case_id: int | None = None
    resident_name: str | None = None
    since: dt.date | None = None
    note: str | None = None
    planned_move_out_on: dt.date | None = None
    limit_on: dt.date | None = None

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def board(on: dt.date) -> list[BoardRow]:
    """Every active flat on `on`, by building and label: free, reserved or occupied, by whom and
    since when (a flat lived in and also reserved shows as occupied)."""
    flats = db.session.execute(
        sa.select(Flat, Building).join(Building, Building.id == Flat.building_id)
        .where(Flat.active.is_(True)).order_by(Building.name, Flat.label, Flat.id)
    ).all()
    flat_ids = [flat.id for flat, _ in flats]
    current: dict[int, Occupancy] = {}
    for period in _periods(Occupancy.flat_id.in_(flat_ids), _covers(on)) if flat_ids else []:
        held = current.get(period.flat_id)
        if held is None or (period.kind == LIVING and held.kind != LIVING) or \
                (period.kind == held.kind and period.starts_on >= held.starts_on):
            current[period.flat_id] = period
    case_ids = {period.case_id for period in current.values() if period.case_id is not None}
    names: dict[int, str] = {}
    stays: dict[int, Stay] = {}
    if case_ids:
        # the persons are loaded as rows, so the core's read audit records whom the board showed
        for case_id, person in db.session.execute(
                sa.select(Case.id, Person).join(Person, Person.id == Case.person_id).where(Case.id.in_(case_ids))):
            names[case_id] = person.full_name
        stays = {stay.case_id: stay for stay in db.session.scalars(sa.select(Stay).where(Stay.case_id.in_(case_ids)))}
    rows = []
    for flat, building in flats:
        period = current.get(flat.id)
        base = dict(flat_id=flat.id, building_id=building.id, building_name=building.name, label=flat.label,
                    kind=flat.kind, own_entrance=flat.own_entrance, allocated_by=flat.allocated_by,
                    partner_name=flat.partner_name)
        if period is None:
            rows.append(BoardRow(**base, status=FREE))
            continue
        stay = stays.get(period.case_id) if period.kind == LIVING else None
        rows.append(BoardRow(
            **base, status=OCCUPIED if period.kind == LIVING else RESERVED, occupancy_id=period.id,
            case_id=period.case_id, resident_name=names.get(period.case_id), since=period.starts_on, note=period.note,
            planned_move_out_on=stay.planned_move_out_on if stay else None, limit_on=stay.limit_on if stay else None,
        ))
    return rows


# --- counting -------------------------------------------------------------------------------------

def living_periods(flat_ids, start: dt.date, end: dt.date) -> dict[int, list[Occupancy]]:
    """The living periods of `flat_ids` that overlap [start, end), by flat — one query, so a
    year's months can be counted from them without asking again per flat and month."""
    found: dict[int, list[Occupancy]] = {flat_id: [] for flat_id in flat_ids}
    if not found or end <= start:
        return found
    for period in _periods(Occupancy.flat_id.in_(list(found)), Occupancy.kind == LIVING, Occupancy.starts_on < end,
                           _not_over_by(start)):
        found[period.flat_id].append(period)
    return found


def nights_lived(periods: list[Occupancy], start: dt.date, end: dt.date) -> int:
    """The days of [start, end) covered by `periods` (overlapping periods are counted once)."""
    if end <= start:
        return 0
    spans = sorted((max(period.starts_on, start), min(period.ends_on or end, end)) for period in periods)
    days, reached = 0, start
    for begin, finish in spans:
        begin = max(begin, reached)
        if finish > begin:
            days += (finish - begin).days
            reached = finish
    return days


def occupied_days(flat_id: int, start: dt.date, end: dt.date) -> int:
    """The days of [start, end) on which someone lived in flat `flat_id` — the budget's empty-flat
    months are the days in the month less these."""
    return nights_lived(living_periods([flat_id], start, end)[flat_id], start, end)
