"""The plugin's weekly job: the published schedules rebuilt for the weeks ahead.

One task, fanned out by the core's scheduler to every municipality with dropin enabled (one that
switched the plugin off gets no run), on Mondays at 04:00 in the municipality's zone (the beat's
crontab is read in Europe/Oslo, the same clock as Europe/Copenhagen). It rebuilds every centre
(`schedule.rebuild_all`): this week and ``schedule_weeks_ahead`` more, so the weeks roll forward
without anyone touching them. Rebuilding is idempotent, so a double fire or a retry publishes
the same weeks.

The same run is available on demand (``POST /api/t/<tenant>/x/dropin/schedule/rebuild``).
"""

from __future__ import annotations

import datetime as dt

from velferd.toolkit import BeatEntry, TaskSpec, settings_for, tenant_today

from . import schedule
from .manifest import PLUGIN_ID

TASK = "dropin.weekly"


def weekly_task(ctx, on: str | None = None) -> dict[str, int]:
    """The job (`TASK_SPEC`), in the tenant's transaction: today in its zone unless `on`."""
    today = dt.date.fromisoformat(on) if on else tenant_today(ctx.tenant)
    return schedule.rebuild_all(ctx.settings, today)


def run_now(tenant, today: dt.date) -> dict[str, int]:
    """The on-demand run, with the municipality's settings read now."""
    return schedule.rebuild_all(settings_for(tenant, PLUGIN_ID), today)


TASK_SPEC = TaskSpec(TASK, weekly_task, idempotent=True, max_attempts=5, backoff_seconds=300,
                     title="Rebuild the drop-in centres' published schedules")
BEAT_ENTRY = BeatEntry("dropin-weekly", TASK, "0 4 * * 1", {})
