"""The implementation team (implementeringsteam) and its work, kept as data: its members, its
meetings, its working groups, the shared competence-development plan and the roll-out's phases.

The guide (Socialstyrelsen/KORA, ../shared/seeds/003_dbb2a96da9dea517.txt) is where the rules
come from:

- who sits on the team: "I implementeringsteamet indgår repræsentanter fra kommunen, de
  involverede væresteder og det lokale udsatte-råd" — a member represents the municipality, a
  centre (which one: `centre_id`, required then and only then), the council of socially
  marginalised citizens, or another body (`implementation_models.ORGANISATION_KINDS`);
- the working groups: "Man kan med fordel nedsætte arbejdsgrupper, som løbende arbejder med at
  afklare rollefordelingen" — a name (unique in the municipality), a purpose, its members as text,
  when it started and, perhaps, ended (not before it started);
- the plan: "Kompetenceudviklingsaktiviteterne kan med fordel samles i en fælles
  kompetenceudviklingsplan [...] tage udgangspunkt både i fagligheden på værestederne og de
  fremskudte medarbejderes faglighed" — an item has a topic, whom it is for, when it is planned
  and when it was done (not in the future);
- the phases: preparation, development, operation, in that order and without overlapping (a
  phase starts after the one before it has ended); one of each kind (a second is a 409);
- the roll-out's length: "en fuld indkøring af samarbejdsmodellen [...] forventes at tage et til
  halvandet år under forudsætning af en kontinuerlig ledelsesopbakning". That is an expectation
  from three municipalities' experience, with a condition, not a rule — so a plan outside one to
  one and a half years is **warned about, not refused** (`rollout`): from the first phase's start
  to the start of operation (or, with no operation phase yet, the day after the development
  phase ends).

A meeting is one the team has *held*: its day is not in the future (the cadence counts from it,
`cadence`). Every write needs IMPLEMENTATION_MANAGE (checked by the API view and the page).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import Conflict, ValidationFailed, db, require_owned

from . import centres
from .implementation_models import (
    CENTRE,
    DEVELOPMENT,
    OPERATION,
    PHASE_KINDS,
    CompetenceItem,
    RolloutPhase,
    TeamMeeting,
    TeamMember,
    WorkingGroup,
)
from .markers import N_

MEMBER_FIELDS = ("name", "organisation_kind", "organisation", "centre_id", "role", "active")
MEETING_FIELDS = ("held_on", "agenda", "minutes", "decisions")
GROUP_FIELDS = ("name", "purpose", "members", "started_on", "ended_on")
PLAN_FIELDS = ("topic", "audience", "planned_on", "done_on")
PHASE_FIELDS = ("kind", "starts_on", "ends_on", "note")

#: the guide's expected length of a full roll-out, in months ("et til halvandet år")
ROLLOUT_MONTHS = (12, 18)
ROLLOUT_QUOTE = ("Erfaringen fra projektet er, at en fuld indkøring af samarbejdsmodellen omkring en styrket indsats "
                 "på værestederne forventes at tage et til halvandet år under forudsætning af en kontinuerlig "
                 "ledelsesopbakning.")
ROLLOUT_TOO_SHORT = N_("The roll-out is planned shorter than the one to one and a half years the guide expects.")
ROLLOUT_TOO_LONG = N_("The roll-out is planned longer than the one to one and a half years the guide expects.")


def today() -> dt.date:
    return centres.today()


# --- reading --------------------------------------------------------------------------------------

def members() -> list[TeamMember]:
    """The team's members, the active first, by organisation kind and name."""
    return list(db.session.scalars(sa.select(TeamMember).order_by(TeamMember.active.desc(), TeamMember.organisation_kind,
                                                                  TeamMember.name, TeamMember.id)))


def member(member_id: int) -> TeamMember:
    return require_owned(TeamMember, member_id, "team member")


def meetings() -> list[TeamMeeting]:
    """The team's meetings, the latest first."""
    return list(db.session.scalars(sa.select(TeamMeeting).order_by(TeamMeeting.held_on.desc(), TeamMeeting.id.desc())))


def meeting(meeting_id: int) -> TeamMeeting:
    return require_owned(TeamMeeting, meeting_id, "team meeting")


def last_meeting_on(on: dt.date) -> dt.date | None:
    """The day of the latest meeting held on or before `on`."""
    return db.session.scalar(sa.select(sa.func.max(TeamMeeting.held_on)).where(TeamMeeting.held_on <= on))


def working_groups() -> list[WorkingGroup]:
    return list(db.session.scalars(sa.select(WorkingGroup).order_by(WorkingGroup.started_on.desc(), WorkingGroup.name)))


def working_group(group_id: int) -> WorkingGroup:
    return require_owned(WorkingGroup, group_id, "working group")


def plan_items() -> list[CompetenceItem]:
    """The competence-development plan, by the day planned."""
    return list(db.session.scalars(sa.select(CompetenceItem).order_by(CompetenceItem.planned_on, CompetenceItem.id)))


def plan_item(item_id: int) -> CompetenceItem:
    return require_owned(CompetenceItem, item_id, "plan item")


def phases() -> list[RolloutPhase]:
    """The roll-out's phases, in their order (preparation, development, operation)."""
    found = db.session.scalars(sa.select(RolloutPhase)).all()
    return sorted(found, key=lambda phase: PHASE_KINDS.index(phase.kind))


def phase(phase_id: int) -> RolloutPhase:
    return require_owned(RolloutPhase, phase_id, "phase")


def phase_of_kind(kind: str) -> RolloutPhase | None:
    return db.session.scalar(sa.select(RolloutPhase).where(RolloutPhase.kind == kind))


def body(found, names) -> dict[str, Any]:
    return {"id": found.id, **{name: getattr(found, name) for name in names}}


# --- the roll-out's length ------------------------------------------------------------------------

def add_months(day: dt.date, months: int) -> dt.date:
    """`day` `months` later; the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rollout(listed: list[RolloutPhase] | None = None) -> dict[str, Any]:
    """The planned roll-out: from the first phase's start to full operation (the operation phase's
    start, else the day after the development phase ends), and a warning when that is shorter than
    one year or longer than one and a half (`ROLLOUT_MONTHS`). None where the plan does not tell."""
    listed = phases() if listed is None else listed
    by_kind = {found.kind: found for found in listed}
    starts_on = min((found.starts_on for found in listed), default=None)
    full_on = None
    if OPERATION in by_kind:
        full_on = by_kind[OPERATION].starts_on
    elif DEVELOPMENT in by_kind and by_kind[DEVELOPMENT].ends_on:
        full_on = by_kind[DEVELOPMENT].ends_on + dt.timedelta(days=1)
    warning = None
    if starts_on and full_on:
        shortest, longest = (add_months(starts_on, months) for months in ROLLOUT_MONTHS)
        warning = ROLLOUT_TOO_SHORT if full_on < shortest else ROLLOUT_TOO_LONG if full_on > longest else None
    return {"starts_on": starts_on, "full_operation_on": full_on,
            "days": (full_on - starts_on).days if starts_on and full_on else None, "warning": warning}


# --- the rules ------------------------------------------------------------------------------------

def _not_before(later: dt.date | None, earlier: dt.date, field: str, what: str) -> None:
    if later is not None and later < earlier:
        raise ValidationFailed(f"{what} cannot end before it starts",
                               {field: [f"must not be before the start ({earlier.isoformat()})"]})


def _not_future(day: dt.date | None, field: str, what: str) -> None:
    if day is not None and day > today():
        raise ValidationFailed(f"{what} cannot be in the future", {field: ["must not be after today"]})


def _member_values(values: dict[str, Any]) -> dict[str, Any]:
    """A centre's member names the centre (its name is the organisation unless given); anyone
    else's names none and must name their organisation."""
    if values["organisation_kind"] == CENTRE:
        if values.get("centre_id") is None:
            raise ValidationFailed("a centre's representative names the centre",
                                   {"centre_id": ["choose the centre the member represents"]})
        found = centres.centre(values["centre_id"])
        values["organisation"] = values.get("organisation") or found.name
    else:
        if values.get("centre_id") is not None:
            raise ValidationFailed("only a centre's representative names a centre",
                                   {"centre_id": ["leave empty unless the member represents a centre"]})
        if not values.get("organisation"):
            raise ValidationFailed("the member's organisation is missing", {"organisation": ["name the organisation"]})
    return values


def _unique_group_name(name: str, except_id: int | None = None) -> None:
    taken = db.session.scalar(sa.select(WorkingGroup.id).where(WorkingGroup.name == name,
                                                               WorkingGroup.id != (except_id or 0)))
    if taken is not None:
        raise Conflict(f"there is already a working group named '{name}'", {"name": ["already used"]})


def _check_phases(changed: dict[str, Any], except_id: int | None) -> None:
    """The phases in their order do not overlap: each starts after the one before has ended (or,
    when that one has no end yet, after it started)."""
    _not_before(changed.get("ends_on"), changed["starts_on"], "ends_on", "a phase")
    others = [found for found in phases() if found.id != (except_id or 0)]
    if any(found.kind == changed["kind"] for found in others):
        raise Conflict(f"the roll-out already has a {changed['kind']} phase", {"kind": ["already planned"]})
    rank, start, end = PHASE_KINDS.index(changed["kind"]), changed["starts_on"], changed.get("ends_on")
    for found in others:
        if PHASE_KINDS.index(found.kind) < rank:  # `found` comes first: this one starts after it
            clash, field = start <= (found.ends_on or found.starts_on), "starts_on"
        else:  # this one comes first: it ends before `found` starts
            clash, field = found.starts_on <= (end or start), "ends_on" if end else "starts_on"
        if clash:
            runs = found.starts_on.isoformat() + ("–" + found.ends_on.isoformat() if found.ends_on else " on")
            raise ValidationFailed(f"the phases overlap: the {found.kind} phase runs {runs}",
                                   {field: [f"overlaps the {found.kind} phase ({runs}); the phases follow "
                                            "each other in order"]})


# --- writing --------------------------------------------------------------------------------------

def _saved(record):
    db.session.add(record)
    db.session.flush()
    return record


def _changed(found, names, changes: Mapping[str, Any], check) -> Any:
    values = {**{name: getattr(found, name) for name in names}, **changes}
    values = check(values) or values
    for name in names:
        setattr(found, name, values.get(name))
    db.session.flush()
    return found


def create_member(data: Mapping[str, Any]) -> TeamMember:
    values = _member_values({"active": True, **data})
    return _saved(TeamMember(**{name: values.get(name) for name in MEMBER_FIELDS}))


def update_member(found: TeamMember, changes: Mapping[str, Any]) -> TeamMember:
    """Change a member; one who no longer represents a centre no longer names it."""
    changes = dict(changes)
    if changes.get("organisation_kind", CENTRE) != CENTRE and "centre_id" not in changes:
        changes["centre_id"] = None
    return _changed(found, MEMBER_FIELDS, changes, _member_values)


def _check_meeting(values):
    _not_future(values["held_on"], "held_on", "a meeting held")


def create_meeting(data: Mapping[str, Any]) -> TeamMeeting:
    _check_meeting(data)
    return _saved(TeamMeeting(**{name: data.get(name) for name in MEETING_FIELDS}))


def update_meeting(found: TeamMeeting, changes: Mapping[str, Any]) -> TeamMeeting:
    return _changed(found, MEETING_FIELDS, changes, _check_meeting)


def create_working_group(data: Mapping[str, Any]) -> WorkingGroup:
    _not_before(data.get("ended_on"), data["started_on"], "ended_on", "a working group")
    _unique_group_name(data["name"])
    return _saved(WorkingGroup(**{name: data.get(name) for name in GROUP_FIELDS}))


def update_working_group(found: WorkingGroup, changes: Mapping[str, Any]) -> WorkingGroup:
    def check(values):
        _not_before(values.get("ended_on"), values["started_on"], "ended_on", "a working group")
        if values["name"] != found.name:
            _unique_group_name(values["name"], found.id)
    return _changed(found, GROUP_FIELDS, changes, check)


def _check_item(values):
    _not_future(values.get("done_on"), "done_on", "an item done")


def create_plan_item(data: Mapping[str, Any]) -> CompetenceItem:
    _check_item(data)
    return _saved(CompetenceItem(**{name: data.get(name) for name in PLAN_FIELDS}))


def update_plan_item(found: CompetenceItem, changes: Mapping[str, Any]) -> CompetenceItem:
    return _changed(found, PLAN_FIELDS, changes, _check_item)


def create_phase(data: Mapping[str, Any]) -> RolloutPhase:
    _check_phases(dict(data), None)
    return _saved(RolloutPhase(**{name: data.get(name) for name in PHASE_FIELDS}))


def update_phase(found: RolloutPhase, changes: Mapping[str, Any]) -> RolloutPhase:
    return _changed(found, PHASE_FIELDS, changes, lambda values: _check_phases(values, found.id))
