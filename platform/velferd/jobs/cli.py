"""``velferd jobs …``: the operator's view of background jobs.

``list`` and ``retry`` act inside one tenant's scope (as a request would); ``sweep`` and
``fan-out`` walk every tenant one at a time, as the scheduler does.
"""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from velferd.command_helpers import fail_clearly, tenant_by_slug, tenant_option
from velferd.db import db
from velferd.jobs import admin
from velferd.models.jobs import JOB_STATES
from velferd.tenancy import tenant_scope


@click.group("jobs")
def jobs_group():
    """Background jobs: list, retry, sweep the outbox, fire a periodic entry."""


def _when(value) -> str:
    return value.isoformat(timespec="seconds") if value else "-"


@jobs_group.command("list")
@tenant_option
@click.option("--state", type=click.Choice(JOB_STATES), help="only jobs in this state")
@click.option("--task", help="only jobs of this task, e.g. billing.deliver_invoice")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000), help="at most this many jobs")
@with_appcontext
def jobs_list(slug, state, task, limit):
    """The tenant's jobs, newest first: id, task, state, attempts, finished, error."""
    tenant = tenant_by_slug(slug)
    with tenant_scope(tenant):
        for job in admin.list_jobs(state=state, task=task, limit=limit):
            click.echo(f"{job.id}\t{job.task}\t{job.state}\t{job.attempts}/{job.max_attempts}\t"
                       f"{_when(job.finished_at)}\t{job.error or ''}")
        db.session.commit()


@jobs_group.command("retry")
@click.argument("job_id", type=click.IntRange(1, 2**31 - 1))
@tenant_option
@with_appcontext
@fail_clearly
def jobs_retry(job_id, slug):
    """Run a failed job again (a new job pointing at the failed one)."""
    tenant = tenant_by_slug(slug)
    with tenant_scope(tenant):
        retry = admin.retry_job(tenant, job_id, None)
        db.session.commit()
        click.echo(f"job {job_id} retried as job {retry.id} ({retry.state})")


@jobs_group.command("sweep")
@click.option("--pending-after", type=click.FloatRange(0), default=None,
              help="seconds a pending job must have waited (default: JOBS_SWEEP_PENDING_AFTER_SECONDS)")
@with_appcontext
def jobs_sweep(pending_after):
    """Send the jobs that never reached a worker (or, without a broker, run them here), recover
    those whose worker died, and ask for the deliveries nobody will make — as beat does."""
    from velferd.jobs.sweeper import sweep

    click.echo(f"sent {sweep(pending_after=pending_after)} job(s)")


@jobs_group.command("fan-out")
@click.argument("entry_name")
@click.option("--slot", help="the scheduled time, YYYY-MM-DDTHH:MM in Europe/Oslo (default: the latest)")
@with_appcontext
def jobs_fan_out(entry_name, slot):
    """Fire a periodic entry now, as the scheduler would (a slot already fired creates nothing)."""
    from velferd.jobs.fanout import UnknownBeatEntry, fan_out

    try:
        jobs = fan_out(entry_name, slot=slot)
    except UnknownBeatEntry as error:
        raise click.BadParameter(str(error), param_hint="ENTRY_NAME") from None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--slot") from None
    click.echo(json.dumps([{"tenant_id": j.tenant_id, "job_id": j.id, "key": j.idempotency_key} for j in jobs]))
