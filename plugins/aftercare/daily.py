"""The plugin's daily job: what must not be missed tomorrow is raised today.

One task, fanned out by the core's scheduler to every tenant with aftercare enabled (a tenant
that switches the plugin off gets no run), at 05:30 in the tenant's zone. It raises, each part
idempotently, so a double fire or a retry raises nothing twice:

- the stay-limit warnings (the settings' ``warning_days`` before a stay's limit) and the limit
  itself as a deadline, overdue when it passes with no extension decision (`stays`);
- trial periods of the staircase's steps ending soon (`staircase`);
- shifts of the coming days that nobody is rostered on (`rota`).

The same run is available on demand (``POST /api/t/<tenant>/x/aftercare/daily/run``) for a day
given, so a leader can see at once what the job would raise.
"""

from __future__ import annotations

import datetime as dt

from velferd.toolkit import BeatEntry, TaskSpec, settings_for, tenant_today

from . import rota, staircase, stays
from .manifest import PLUGIN_ID

TASK = "aftercare.daily"


def run_daily(tenant, settings, today: dt.date) -> dict[str, int]:
    """Everything the daily job raises for `today`, by kind (how many were new)."""
    return {
        "stay_limit_warnings": stays.raise_limit_warnings(tenant, settings, today),
        "trial_period_warnings": staircase.raise_trial_period_warnings(tenant, settings, today),
        "uncovered_shifts": rota.flag_uncovered_shifts(tenant, settings, today),
    }


def daily_task(ctx, on: str | None = None) -> dict[str, int]:
    """The job (`TASK_SPEC`), in the tenant's transaction: today in the tenant's zone unless `on`."""
    today = dt.date.fromisoformat(on) if on else tenant_today(ctx.tenant)
    return run_daily(ctx.tenant, ctx.settings, today)


def run_now(tenant, today: dt.date) -> dict[str, int]:
    """The on-demand run, with the tenant's settings read now."""
    return run_daily(tenant, settings_for(tenant, PLUGIN_ID), today)


TASK_SPEC = TaskSpec(TASK, daily_task, idempotent=True, max_attempts=5, backoff_seconds=300,
                     title="Raise stay-limit warnings, trial periods ending and uncovered shifts")
BEAT_ENTRY = BeatEntry("aftercare-daily", TASK, "30 5 * * *", {})
