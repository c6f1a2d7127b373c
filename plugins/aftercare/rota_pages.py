"""The rota's page: a week with each shift and who works it (the uncovered ones said in words),
the form that puts a staff member on a shift, and the FTE the pattern adds up to — the API's
``GET rota/week``, ``POST rota/assignments``, ``DELETE rota/assignments/<id>`` and ``GET
rota/pattern`` (`rota.week_rota`, `rota.assign`, `rota.unassign`, `rota.fte`)."""

from __future__ import annotations

import datetime as dt

from velferd.toolkit import (
    ValidationError,
    ValidationFailed,
    current_tenant,
    current_user,
    form_fields,
    gettext,
    has_permission,
    lazy_gettext,
    request,
    require_permission,
    tenant_today,
)

from . import rota, staff
from .manifest import ROTA_MANAGE, ROTA_READ
from .operations_schemas import RotaAssignmentSchema, WeekQuery
from .page_kit import Refusal, attempt, blp, done, page

ASSIGN_FORM = "assign"
WEEK_FORM = "week"
WEEKDAY_TITLES = (lazy_gettext("Monday"), lazy_gettext("Tuesday"), lazy_gettext("Wednesday"),
                  lazy_gettext("Thursday"), lazy_gettext("Friday"), lazy_gettext("Saturday"), lazy_gettext("Sunday"))


def _times(slot_or_shift) -> str:
    start, end = (slot_or_shift["starts_at"], slot_or_shift["ends_at"]) if isinstance(slot_or_shift, dict) else (
        slot_or_shift.starts_at, slot_or_shift.ends_at)
    text = f"{start.strftime('%H:%M')}–{end.strftime('%H:%M')}"
    return text + (" " + gettext("(next day)") if end <= start else "")


def _rota_page(day: dt.date, refusal: Refusal | None = None, week_refusal: Refusal | None = None):
    require_permission(ROTA_READ)
    town = current_tenant()
    week = rota.week_rota(town, day)
    shifts = rota.active_pattern(town)
    may_manage = has_permission(ROTA_MANAGE)
    mine = refusal.of(ASSIGN_FORM) if refusal else None
    failed = refusal or week_refusal
    page_values = {
        "week": week, "fte": rota.fte(shifts), "kinds": rota.KIND_TITLES, "weekdays": WEEKDAY_TITLES,
        "times": _times, "may_manage": may_manage, "failed": failed,
        "previous_week": (week["week_start"] - dt.timedelta(days=7)).isoformat(),
        "next_week": (week["week_start"] + dt.timedelta(days=7)).isoformat(),
        "assign_fields": {field.key: field for field in form_fields(RotaAssignmentSchema)} if may_manage else {},
        "shift_choices": [(shift.id, f"{WEEKDAY_TITLES[shift.weekday]} – {rota.KIND_TITLES[shift.kind]} "
                                     f"{_times(shift)}") for shift in shifts],
        "staff": [(user.id, user.name) for user in staff.staff_members()] if may_manage else [],
        "assign_values": mine.values if mine else {"works_on": week["week_start"].isoformat()},
        "assign_errors": mine.errors if mine else {},
    }
    return page("aftercare/rota/week.html", gettext("Rota"), failed.status if failed else 200, **page_values)


@blp.get("/rota", endpoint="rota")
def rota_week():
    """The week of ``?week=`` (any day of it; default this week); its endpoint is
    ``aftercare_pages.rota`` (`rota.ROTA_ENDPOINT`: the menu and the inbox link to it)."""
    require_permission(ROTA_READ)
    try:
        day = WeekQuery().load({"week": request.args["week"]} if request.args.get("week") else {})["week"]
    except ValidationError as error:
        failed = ValidationFailed("the week is invalid", error.normalized_messages())
        return _rota_page(tenant_today(current_tenant()),
                          week_refusal=Refusal(WEEK_FORM, failed, form_fields(WeekQuery), request.args))
    return _rota_page(day or tenant_today(current_tenant()))


@blp.post("/rota/assignments")
def assign():
    """Put a staff member on a shift on a date, through the API's schema and service."""
    require_permission(ROTA_MANAGE)
    week_of = request.form.get("works_on") or ""

    def put_on_shift(data):
        rota.pattern_of(current_tenant())
        return rota.assign(data, current_user())

    assignment, refused = attempt(ASSIGN_FORM, RotaAssignmentSchema, put_on_shift)
    if refused:
        return _rota_page(_day_or_today(week_of), refused)
    return done(gettext("The staff member is on the shift."), rota.ROTA_ENDPOINT, week=assignment.works_on.isoformat())


@blp.post("/rota/assignments/<int:assignment_id>/remove")
def unassign(assignment_id: int):
    """Take a staff member off a shift (the shift is uncovered again)."""
    require_permission(ROTA_MANAGE)
    week_of = request.form.get("week") or ""
    rota.unassign(assignment_id)
    return done(gettext("The staff member is off the shift; it is uncovered."), rota.ROTA_ENDPOINT,
                week=_day_or_today(week_of).isoformat())


def _day_or_today(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return tenant_today(current_tenant())
