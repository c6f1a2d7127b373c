"""Retention's periodic job, registered with the jobs registry on import (listed in
``velferd.jobs.registry.CORE_TASK_MODULES``).

``retention.propose`` runs nightly for every tenant and writes disposal proposals for what is due
on the tenant's own calendar (velferd.clock.tenant_today); it disposes of nothing itself. It is
idempotent: a record already in a pending proposal is not proposed again. It reads every record
of the tenant: no member's need-to-know scope applies to it.
"""

from __future__ import annotations

from typing import Any

from velferd.clock import tenant_today
from velferd.jobs.registry import core_beat_entry, core_task
from velferd.plugins.manager import registry
from velferd.plugins.specs import BeatEntry, TaskContext, TaskSpec
from velferd.retention.proposals import propose

PROPOSE = "retention.propose"


def propose_due(ctx: TaskContext) -> dict[str, Any]:
    made = propose(ctx.tenant, registry(), tenant_today(ctx.tenant), ctx.job.id)
    return {"proposals": [{"id": p.id, "rule": p.rule, "action": p.action, "records": len(p.record_ids)}
                          for p in made]}


core_task(TaskSpec(PROPOSE, propose_due, idempotent=True, max_attempts=3, backoff_seconds=300,
                   title="Propose disposals that are due (retention)"))
core_beat_entry(BeatEntry("retention-propose", PROPOSE, "15 3 * * *"))
