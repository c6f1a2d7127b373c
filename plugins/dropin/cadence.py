"""How often the implementation team meets, and the deadline that warns when the cadence slips.

The guide (../shared/seeds/003_dbb2a96da9dea517.txt, p. 15): "Mødehyppigheden er typisk særligt
høj i udviklingsfasen med møder minimum én gang hver anden måned", and (p. 16) "Møder i
implementeringsteamet skal prioriteres." So, **in the development phase only**, the team meets at
least every ``settings["implementation_meeting_days"]`` days (61 by default: two months):

- the next meeting is due that many days after the last one held, but never before the
  development phase's first day: with no meeting held at all, or the last one held more than
  that many days before the phase started, it is due on the phase's first day (a meeting in the
  preparation phase long before gives no more time than that);
- from `WARN_DAYS` (14) days before the due day up to and including it: a warning;
- after it: overdue;
- outside the development phase (before it starts, after it ends, or with no such phase planned):
  nothing — no status, no inbox item, no dashboard warning.

It reaches people twice: an inbox item for whoever holds IMPLEMENTATION_MANAGE (the core's
``WebPages.inbox``), and the leader dashboard's box (``DashboardWidget``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from velferd.toolkit import Forbidden, InboxItem, acting_as, gettext, has_permission, tenant_today, url_for

from . import implementation
from .implementation_models import DEVELOPMENT, RolloutPhase
from .manifest import IMPLEMENTATION_MANAGE
from .markers import N_

WARN_DAYS = 14
DEFAULT_DAYS = 61
TEAM_ENDPOINT = "dropin_pages.implementation_page"

OK, WARNING, OVERDUE = "ok", "warning", "overdue"
STATE_TEXTS = {OK: N_("On time"), WARNING: N_("Due soon"), OVERDUE: N_("Overdue")}
CADENCE_QUOTE = "Mødehyppigheden er typisk særligt høj i udviklingsfasen med møder minimum én gang hver anden måned."


@dataclass(frozen=True)
class Cadence:
    """The cadence on a day in the development phase: the last meeting held (None: none since the
    phase started or before), the day the next is due, the days left (negative: overdue) and the
    state (ok, warning, overdue)."""

    on: dt.date
    every_days: int
    phase: RolloutPhase
    last_meeting_on: dt.date | None
    due_on: dt.date
    days_left: int
    state: str


def meeting_days(settings: Mapping[str, Any] | None) -> int:
    return int((settings or {}).get("implementation_meeting_days") or DEFAULT_DAYS)


def development_phase(on: dt.date) -> RolloutPhase | None:
    """The development phase when `on` is in it (from its start up to and including its end)."""
    found = implementation.phase_of_kind(DEVELOPMENT)
    if found is None or on < found.starts_on or (found.ends_on is not None and on > found.ends_on):
        return None
    return found


def due_on(last_meeting: dt.date | None, phase_starts_on: dt.date, every_days: int) -> dt.date:
    """The last meeting + `every_days`, never before the phase's start (its start with none)."""
    if last_meeting is None:
        return phase_starts_on
    return max(last_meeting + dt.timedelta(days=every_days), phase_starts_on)


def state_of(on: dt.date, due: dt.date) -> str:
    if on > due:
        return OVERDUE
    return WARNING if on >= due - dt.timedelta(days=WARN_DAYS) else OK


def status(on: dt.date, settings: Mapping[str, Any] | None) -> Cadence | None:
    """The cadence on `on` in the tenant in scope; None outside the development phase."""
    phase = development_phase(on)
    if phase is None:
        return None
    every = meeting_days(settings)
    last = implementation.last_meeting_on(on)
    due = due_on(last, phase.starts_on, every)
    return Cadence(on, every, phase, last, due, (due - on).days, state_of(on, due))


def title_of(found: Cadence) -> str:
    if found.state == OVERDUE:
        return gettext("Implementation team: the next meeting is overdue (due %(day)s)", day=found.due_on.isoformat())
    return gettext("Implementation team: the next meeting is due by %(day)s", day=found.due_on.isoformat())


# --- the inbox and the dashboard ------------------------------------------------------------------

def _may_manage(user) -> bool:
    """Whether `user` holds IMPLEMENTATION_MANAGE here (the core's check, acting as them)."""
    try:
        with acting_as(user):
            return has_permission(IMPLEMENTATION_MANAGE)
    except Forbidden:  # not a member of this municipality
        return False


def inbox_items(tenant, user, settings) -> list[InboxItem]:
    """For whoever manages the team: one item when the next meeting is due within `WARN_DAYS`
    days or overdue, due on its day; nothing outside the development phase or while on time."""
    if user is None or not _may_manage(user):
        return []
    found = status(tenant_today(tenant), settings)
    if found is None or found.state == OK:
        return []
    return [InboxItem(title_of(found), found.due_on, url_for(TEAM_ENDPOINT, tenant=tenant.slug) + "#cadence",
                      overdue=found.state == OVERDUE)]


def widget(tenant, settings) -> dict[str, Any]:
    """The dashboard box: the cadence today (None outside the development phase) and the team page."""
    return {"cadence": status(tenant_today(tenant), settings), "state_texts": STATE_TEXTS,
            "team_url": url_for(TEAM_ENDPOINT, tenant=tenant.slug)}


def body(on: dt.date, settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """The cadence as the API shows it (`in_development` False and nothing else outside the phase)."""
    found = status(on, settings)
    if found is None:
        return {"on": on, "in_development": False, "every_days": None, "last_meeting_on": None, "due_on": None,
                "days_left": None, "state": None}
    return {"on": on, "in_development": True, "every_days": found.every_days,
            "last_meeting_on": found.last_meeting_on, "due_on": found.due_on, "days_left": found.days_left,
            "state": found.state}
