"""The rota: Alta's weekly pattern of shifts, a week's rota with who works each shift, the shifts
nobody is on, and the full-time equivalents (FTE, årsverk) the pattern adds up to.

The plan (8.0 Drift av ettervernsboligene): "Bemanning 5 ukedager med dag- og aftenvakt.
Lørdag/søndag 1 vakt fra 14.00-22-00. Natt dekkes ved hjemmevakter. Til sammen utlønnet ca. 3,5
årsverk." — and (1.0) "døgnkontinuerlig bemanning med hovedvekt på ettermiddag og helg".

The plan gives no times for the weekday shifts, so they are chosen here (and are data: a leader
changes them, `update_shift`): the day shift 08:00–16:00 and the evening shift 14:00–22:00, 8
hours each — the evening ends at 22:00 as the weekend shift does, and the two overlap 14:00–16:00,
which puts the weight on the afternoon the plan asks for. The nights are on-call from home
(hjemmevakt) from 22:00 to the next shift: to 08:00 before a weekday, to 14:00 before Saturday's and
Sunday's shift.

How it counts in FTE: the on-call nights are on-call, not hours worked — they are paid as an
on-call allowance out of the salaries line, and listed separately (hours per week) but count 0
in the FTE. FTE = hours worked per week / `FULL_TIME_WEEK` (37.5 h). Alta's default pattern
works 5 × (8 + 8) + 2 × 8 = 96 hours a week: 96 / 37.5 = **2.56 FTE**, against the plan's "ca.
3,5 årsverk". The plan's figure is what is paid out ("utlønnet"), which the shifts alone do not
make: five weeks' holiday (ferieloven and the collective agreement's fifth week) must be covered
by others (96 × 52/47 / 37.5 ≈ 2.83), and sick leave, the on-call allowance of 82 on-call hours a
week and the leader's own time (the plan's goal 7: "Ansette leder") come on top. The page shows
the figure and how it adds up, so the difference can be read and argued, not hidden.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import (
    Forbidden,
    InboxItem,
    User,
    ValidationFailed,
    acting_as,
    current_tenant,
    db,
    gettext,
    has_permission,
    lazy_gettext,
    require_owned,
    tenant_today,
    url_for,
)

from . import staff
from .manifest import ROTA_MANAGE
from .rota_models import (
    DAY,
    EVENING,
    ON_CALL,
    SHIFT_KINDS,
    WEEKEND,
    WORKED_KINDS,
    RotaAssignment,
    RotaShift,
    UncoveredShift,
)

#: The full-time week for the FTE: 37.5 hours, the ordinary working week of a full-time post in
#: the municipal sector (KS Hovedtariffavtalen, SFS 2213 Arbeidstid § 4; within the Working
#: Environment Act § 10-4's 40 hours). A rota with work on Sundays every third week would be 35.5
#: (§ 10-4 (4)); the brief fixes 37.5, so the figure is comparable with the plan's "årsverk".
FULL_TIME_WEEK = Decimal("37.5")
FULL_TIME_SOURCE = "37.5 hours a week: KS Hovedtariffavtalen, SFS 2213 § 4 (Working Environment Act § 10-4)"
#: the rota's page (rota_pages), where an inbox item leads
ROTA_ENDPOINT = "aftercare_pages.rota"
#: how many days ahead the daily job looks for shifts nobody is on
LOOK_AHEAD_DAYS = 14
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: the kinds as pages and the inbox name them (translated when drawn)
KIND_TITLES = {DAY: lazy_gettext("Day shift"), EVENING: lazy_gettext("Evening shift"),
               WEEKEND: lazy_gettext("Weekend shift"), ON_CALL: lazy_gettext("Night on-call from home")}

_T = dt.time
#: Alta's pattern (the module docstring says where each time comes from)
DEFAULT_PATTERN: tuple[tuple[int, str, dt.time, dt.time, str], ...] = (
    *((day, DAY, _T(8), _T(16), "weekday day shift (times chosen: the plan gives none)") for day in range(5)),
    *((day, EVENING, _T(14), _T(22), "weekday evening shift (times chosen: the plan gives none)")
      for day in range(5)),
    *((day, WEEKEND, _T(14), _T(22), "the plan: Lørdag/søndag 1 vakt fra 14.00-22-00") for day in (5, 6)),
    *((day, ON_CALL, _T(22), _T(14) if day in (4, 5) else _T(8), "the plan: Natt dekkes ved hjemmevakter")
      for day in range(7)),
)


# --- the pattern ------------------------------------------------------------------------------------

def pattern_of(tenant=None) -> list[RotaShift]:
    """The tenant's pattern, every shift, by weekday and start; Alta's default is created the first
    time it is needed (idempotent: only when the tenant has no shift at all)."""
    shifts = db.session.scalars(sa.select(RotaShift).order_by(RotaShift.weekday, RotaShift.starts_at)).all()
    if shifts:
        return list(shifts)
    for weekday, kind, starts_at, ends_at, note in DEFAULT_PATTERN:
        db.session.add(RotaShift(weekday=weekday, kind=kind, starts_at=starts_at, ends_at=ends_at, note=note))
    db.session.flush()
    return pattern_of(tenant)


def active_pattern(tenant=None) -> list[RotaShift]:
    return [shift for shift in pattern_of(tenant) if shift.active]


def shift_hours(shift: RotaShift) -> Decimal:
    """The shift's length in hours; a shift ending at or before its start runs past midnight."""
    start = shift.starts_at.hour * 60 + shift.starts_at.minute
    end = shift.ends_at.hour * 60 + shift.ends_at.minute
    minutes = end - start if end > start else end + 24 * 60 - start
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def fte(shifts: list[RotaShift]) -> dict[str, Any]:
    """The full-time equivalents of a week of `shifts` (the active ones), and how they add up:
    by kind, the shifts a week, their hours, whether they count as worked. FTE = hours worked /
    `FULL_TIME_WEEK`, rounded half up to 2 decimals (the exact quotient is kept too)."""
    rows = []
    for kind in SHIFT_KINDS:
        mine = [shift for shift in shifts if shift.kind == kind]
        if mine:
            rows.append({"kind": kind, "shifts_per_week": len(mine), "hours_per_week": sum(map(shift_hours, mine)),
                         "counts_as_worked": kind in WORKED_KINDS})
    worked = sum((row["hours_per_week"] for row in rows if row["counts_as_worked"]), Decimal(0))
    on_call = sum((row["hours_per_week"] for row in rows if not row["counts_as_worked"]), Decimal(0))
    exact = worked / FULL_TIME_WEEK
    return {"rows": rows, "worked_hours_per_week": worked, "on_call_hours_per_week": on_call,
            "full_time_week": FULL_TIME_WEEK, "full_time_source": FULL_TIME_SOURCE,
            "fte": exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "fte_exact": exact,
            "plan_fte": Decimal("3.5")}


def update_shift(shift_id: int, changes: Mapping[str, Any]) -> RotaShift:
    """Change a shift's times, whether it is in use, or its note (`ShiftUpdateSchema` loaded)."""
    shift = require_owned(RotaShift, shift_id, "shift")
    for name in ("starts_at", "ends_at", "active", "note"):
        if name in changes:
            setattr(shift, name, changes[name])
    if shift.starts_at == shift.ends_at:
        raise ValidationFailed("a shift cannot start and end at the same time: ends_at",
                               {"ends_at": ["must differ from the start"]})
    db.session.flush()
    return shift


# --- a week's rota ----------------------------------------------------------------------------------

def week_start(day: dt.date) -> dt.date:
    """The Monday of `day`'s week (a rota week runs Monday to Sunday)."""
    return day - dt.timedelta(days=day.weekday())


def _assignments(start: dt.date, end: dt.date) -> dict[tuple[int, dt.date], RotaAssignment]:
    rows = db.session.scalars(sa.select(RotaAssignment).where(RotaAssignment.works_on >= start,
                                                              RotaAssignment.works_on < end)).all()
    return {(row.shift_id, row.works_on): row for row in rows}


def _names(user_ids) -> dict[int, str]:
    ids = set(user_ids)
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(ids))).all())


def slots(start: dt.date, end: dt.date, tenant=None) -> list[dict[str, Any]]:
    """Every shift of the pattern on every date in [start, end), in order, with who works it
    (`user_id`/`user_name` None: uncovered)."""
    by_weekday: dict[int, list[RotaShift]] = {}
    for shift in active_pattern(tenant):
        by_weekday.setdefault(shift.weekday, []).append(shift)
    taken = _assignments(start, end)
    names = _names(row.user_id for row in taken.values())
    listed = []
    day = start
    while day < end:
        for shift in by_weekday.get(day.weekday(), []):
            assignment = taken.get((shift.id, day))
            listed.append({"date": day, "shift_id": shift.id, "kind": shift.kind, "starts_at": shift.starts_at,
                           "ends_at": shift.ends_at, "hours": shift_hours(shift),
                           "assignment_id": assignment.id if assignment else None,
                           "user_id": assignment.user_id if assignment else None,
                           "user_name": names.get(assignment.user_id) if assignment else None,
                           "covered": assignment is not None})
        day += dt.timedelta(days=1)
    return listed


def week_rota(tenant, day: dt.date) -> dict[str, Any]:
    """The week (Monday to Sunday) holding `day`: each day's shifts with who works them, the
    uncovered ones, and the planned hours worked that week."""
    start = week_start(day)
    listed = slots(start, start + dt.timedelta(days=7), tenant)
    days = [{"date": start + dt.timedelta(days=offset),
             "shifts": [slot for slot in listed if slot["date"] == start + dt.timedelta(days=offset)]}
            for offset in range(7)]
    return {"week_start": start, "days": days, "uncovered": [slot for slot in listed if not slot["covered"]],
            "worked_hours": sum((slot["hours"] for slot in listed if slot["kind"] in WORKED_KINDS), Decimal(0))}


def uncovered(start: dt.date, end: dt.date, tenant=None) -> list[dict[str, Any]]:
    """The shifts in [start, end) nobody is rostered on."""
    return [slot for slot in slots(start, end, tenant) if not slot["covered"]]


def assign(data: Mapping[str, Any], actor: User | None) -> RotaAssignment:
    """Roster `user_id` on `shift_id` on `works_on` (`RotaAssignmentSchema` loaded); one already on that
    shift that day is replaced. Refused (422 naming the field): a shift not in the pattern or not
    in use, a date on another weekday than the shift's, someone who is not of the staff."""
    shift = db.session.get(RotaShift, data["shift_id"])
    if shift is None or shift.tenant_id != current_tenant().id or not shift.active:
        raise ValidationFailed("no such shift in the rota's pattern: shift_id",
                               {"shift_id": ["is not a shift of the pattern in use"]})
    works_on = data["works_on"]
    if works_on.weekday() != shift.weekday:
        raise ValidationFailed("the shift is on another weekday: shift_id",
                               {"shift_id": [f"is a {WEEKDAYS[shift.weekday]} shift; {works_on.isoformat()} is a "
                                             f"{WEEKDAYS[works_on.weekday()]}"]})
    staff.staff_member(data["user_id"], "user_id")
    assignment = db.session.scalar(sa.select(RotaAssignment).where(RotaAssignment.shift_id == shift.id,
                                                                   RotaAssignment.works_on == works_on))
    if assignment is None:
        assignment = RotaAssignment(shift_id=shift.id, works_on=works_on)
        db.session.add(assignment)
    assignment.user_id = data["user_id"]
    assignment.assigned_by_id = actor.id if actor is not None else None
    db.session.flush()
    return assignment


def unassign(assignment_id: int) -> None:
    """Take a staff member off a shift (it is uncovered again)."""
    db.session.delete(require_owned(RotaAssignment, assignment_id, "rota assignment"))
    db.session.flush()


# --- the daily job and the inbox ---------------------------------------------------------------------

def flag_uncovered_shifts(tenant, settings, today: dt.date) -> int:
    """The daily job's part: record every shift of the next `LOOK_AHEAD_DAYS` days (today
    included) with nobody on it, once (a second run, or a retry, records nothing new). Returns how
    many were new."""
    end = today + dt.timedelta(days=LOOK_AHEAD_DAYS)
    flagged = set(db.session.execute(sa.select(UncoveredShift.shift_id, UncoveredShift.works_on).where(
        UncoveredShift.works_on >= today, UncoveredShift.works_on < end)).all())
    new = 0
    for slot in uncovered(today, end, tenant):
        if (slot["shift_id"], slot["date"]) not in flagged:
            db.session.add(UncoveredShift(shift_id=slot["shift_id"], works_on=slot["date"], flagged_on=today))
            new += 1
    db.session.flush()
    return new


def flagged_uncovered(today: dt.date) -> list[dict[str, Any]]:
    """The shifts the daily job flagged, from `today` on, that nobody has been put on since."""
    rows = db.session.scalars(sa.select(UncoveredShift).where(UncoveredShift.works_on >= today)
                              .order_by(UncoveredShift.works_on)).all()
    if not rows:
        return []
    taken = _assignments(min(row.works_on for row in rows), max(row.works_on for row in rows) + dt.timedelta(days=1))
    shifts = {shift.id: shift for shift in pattern_of()}
    return [{"date": row.works_on, "shift": shifts[row.shift_id]} for row in rows
            if (row.shift_id, row.works_on) not in taken and row.shift_id in shifts and shifts[row.shift_id].active]


def _may_manage(user: User) -> bool:
    """Whether `user` holds ROTA_MANAGE here — the core's permission check, acting as them, so it
    holds outside their own request too (the daily reminder mail)."""
    try:
        with acting_as(user):
            return has_permission(ROTA_MANAGE)
    except Forbidden:  # not a member of this municipality
        return False


def inbox_items(tenant, user, settings) -> list[InboxItem]:
    """For who manages the rota: one item per flagged shift still uncovered, due on its date."""
    if user is None or not _may_manage(user):
        return []
    items = []
    for flagged in flagged_uncovered(tenant_today(tenant)):
        shift, day = flagged["shift"], flagged["date"]
        title = gettext("Uncovered shift: %(shift)s %(start)s–%(end)s", shift=str(KIND_TITLES[shift.kind]),
                        start=shift.starts_at.strftime("%H:%M"), end=shift.ends_at.strftime("%H:%M"))
        items.append(InboxItem(title, day, url_for(ROTA_ENDPOINT, tenant=tenant.slug, week=week_start(day).isoformat())))
    return items
