"""Fanning a periodic entry out: one job per tenant that should run it.

A plugin's entry goes to every tenant that has the plugin enabled (not blocked by the operator,
offered in its country); a core entry to every tenant. Each job's idempotency key is the entry
and the *scheduled* time in the tenant's zone, so a second fire of the same slot (a beat that
fired twice, a manual re-run) finds the first job and creates nothing.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from velferd.clock import tenant_zone
from velferd.db import db, utcnow
from velferd.jobs.dispatch import job_tenant
from velferd.jobs.outbox import enqueue
from velferd.jobs.registry import RegisteredBeatEntry, beat_entries
from velferd.jobs.schedules import SCHEDULE_ZONE, latest_scheduled_time
from velferd.log_context import bound, current_request_id, new_request_id
from velferd.models import JobRun, Tenant
from velferd.plugins.enablement import enabled_plugin_ids
from velferd.tenancy import tenant_scope
from velferd.redaction import redacting_logger

log = redacting_logger(__name__)
SLOT_FORMAT = "%Y-%m-%dT%H:%M"


class UnknownBeatEntry(LookupError):
    pass


def fan_out(entry_name: str, slot: str | None = None, now: dt.datetime | None = None) -> list[JobRun]:
    """Enqueue the entry's task for each tenant that should run it; returns the jobs (new or
    found). `slot` ("YYYY-MM-DDTHH:MM", schedule time) defaults to the entry's latest scheduled
    time at `now`, so a fan-out that runs a little late still lands in its own slot.

    The jobs of one fan-out share one request id (a new one, unless a request's is bound), so
    one firing of the schedule can be followed through every tenant's run in the logs."""
    registered = beat_entries().get(entry_name)
    if registered is None:
        raise UnknownBeatEntry(f"no periodic entry {entry_name!r}")
    scheduled = (dt.datetime.strptime(slot, SLOT_FORMAT).replace(tzinfo=SCHEDULE_ZONE) if slot
                 else latest_scheduled_time(registered.entry.schedule, now or utcnow()))
    with bound(request_id=current_request_id() or new_request_id()):
        return _enqueue_each(entry_name, registered, scheduled)


def _enqueue_each(entry_name: str, registered: RegisteredBeatEntry, scheduled: dt.datetime) -> list[JobRun]:
    jobs = []
    for tenant_id in db.session.scalars(sa.select(Tenant.id).order_by(Tenant.id)).all():
        tenant = job_tenant(tenant_id)  # detached: a tenant's failure rolls back, and must not expire the next
        try:
            with tenant_scope(tenant):
                if not _runs_for(tenant, registered):
                    db.session.commit()
                    continue
                local_slot = scheduled.astimezone(tenant_zone(tenant)).strftime(SLOT_FORMAT)
                job = enqueue(registered.entry.task, tenant=tenant, kwargs=dict(registered.entry.kwargs),
                              idempotency_key=f"{entry_name}:{local_slot}")
                db.session.commit()  # one tenant at a time: its job is sent after its own commit
                db.session.refresh(job)  # as it is now, read while its tenant is in scope
                jobs.append(job)
        except Exception:  # one tenant's trouble must not cost the others their run
            log.exception("fan-out of %s for tenant %s failed", entry_name, tenant.slug)
    return jobs


def _runs_for(tenant: Tenant, registered: RegisteredBeatEntry) -> bool:
    return registered.plugin is None or registered.plugin in enabled_plugin_ids(tenant)
