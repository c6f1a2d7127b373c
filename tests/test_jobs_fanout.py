"""Periodic entries fan out to the tenants that should run them, once per scheduled slot, and
each job runs as its tenant with the tenant's current settings (and, on PostgreSQL, the RLS
setting of its own transaction)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from tests.helpers import make_municipality
from velferd import tenants
from velferd.db import db
from velferd.jobs import registry
from velferd.jobs.celery_app import FAN_OUT, SWEEP, SWEEP_ENTRY, parse_crontab
from velferd.jobs.fanout import fan_out, latest_scheduled_time
from velferd.models import JobRun
from velferd.plugins import enablement
from velferd.plugins.hookspecs import hookimpl
from velferd.plugins.manager import PluginError
from velferd.plugins.specs import BeatEntry, TaskSpec
from velferd.tenancy import tenant_scope

OSLO = ZoneInfo("Europe/Oslo")
ENTRY = "example-daily"


@pytest.fixture
def three_towns(app, client, bergen):
    """Bergen enabled the example plugin; Alta enabled it and switched it off; Odense never did."""
    alta = make_municipality(app, "alta")
    assert client.delete(alta.url("/plugins/example/enabled"), headers=alta.tenant_admin.headers).status_code == 200
    odense = make_municipality(app, "odense", plugins=())
    return bergen, alta, odense


def jobs_by_town(app, *towns) -> dict[str, list[JobRun]]:
    found = {}
    for town in towns:
        with app.app_context(), tenant_scope(town.tenant):
            found[town.slug] = db.session.scalars(sa.select(JobRun).order_by(JobRun.id)).all()
            db.session.commit()
    return found


def test_a_plugins_entry_reaches_only_the_tenant_that_has_it_enabled_once_per_slot(app, client, three_towns):
    bergen, alta, odense = three_towns
    r = client.patch(bergen.url("/plugins/example/settings"), json={"places": 4}, headers=bergen.tenant_admin.headers)
    assert r.status_code == 200
    with app.app_context():
        (job,) = fan_out(ENTRY, slot="2026-03-29T07:00")
        assert fan_out(ENTRY, slot="2026-03-29T07:00")[0].id == job.id  # beat fired twice: still one job
    found = jobs_by_town(app, bergen, alta, odense)
    assert (found["alta"], found["odense"]) == ([], [])
    (job,) = found["bergen"]
    assert (job.task, job.state, job.idempotency_key) == ("example.remind", "succeeded", f"{ENTRY}:2026-03-29T07:00")
    assert job.result["tenant"] == "bergen"
    assert job.result["settings"]["places"] == 4  # re-read when it ran
    if app.config["DATABASE_URL"].startswith("postgresql"):
        assert job.result["rls_tenant_id"] == str(bergen.tenant.id)


def test_the_next_slot_is_a_new_job_and_a_blocked_plugin_gets_none(app, client, three_towns):
    bergen, alta, odense = three_towns
    with app.app_context():
        fan_out(ENTRY, slot="2026-03-29T07:00")
        fan_out(ENTRY, slot="2026-03-30T07:00")
        operator = tenants.create_user("operator@velferd.test", "Operator", is_operator=True)
        enablement.block("example", "security fix pending", operator)
        db.session.commit()
        assert fan_out(ENTRY, slot="2026-03-31T07:00") == []
    assert [j.idempotency_key for j in jobs_by_town(app, bergen)["bergen"]] == [
        f"{ENTRY}:2026-03-29T07:00", f"{ENTRY}:2026-03-30T07:00"]


def test_the_slot_is_the_latest_scheduled_time_in_europe_oslo():
    wednesday = dt.datetime(2026, 11, 25, 12, 30, tzinfo=dt.UTC)
    assert latest_scheduled_time("0 6 * * 1", wednesday) == dt.datetime(2026, 11, 23, 6, 0, tzinfo=OSLO)
    assert latest_scheduled_time("0 7 * * *", wednesday) == dt.datetime(2026, 11, 25, 7, 0, tzinfo=OSLO)
    just_before = dt.datetime(2026, 11, 25, 5, 59, tzinfo=dt.UTC)  # 06:59 in Oslo
    assert latest_scheduled_time("0 7 * * *", just_before) == dt.datetime(2026, 11, 24, 7, 0, tzinfo=OSLO)
    # summer time: 07:00 in Oslo is 05:00 UTC
    summer = dt.datetime(2026, 6, 1, 5, 0, tzinfo=dt.UTC)
    assert latest_scheduled_time("0 7 * * *", summer).astimezone(dt.UTC) == summer
    assert latest_scheduled_time("0 22 28-31 * *", wednesday) == dt.datetime(2026, 10, 31, 22, 0, tzinfo=OSLO)
    with pytest.raises(ValueError, match="5 fields"):
        parse_crontab("0 7 * *")


@pytest.fixture
def core_entry():
    """A core task and entry, registered as a core module would, and removed afterwards."""
    def stamp(ctx, **kwargs):
        return {"tenant": ctx.tenant.slug, "settings": dict(ctx.settings)}

    registry.core_task(TaskSpec("core.stamp", stamp))
    registry.core_beat_entry(BeatEntry("core-stamp-nightly", "core.stamp", "0 2 * * *"))
    yield "core-stamp-nightly"
    registry._core_tasks.pop("core.stamp")
    registry._core_beat_entries.pop("core-stamp-nightly")


def test_a_core_entry_reaches_every_tenant_with_no_plugin_settings(app, three_towns, core_entry):
    bergen, alta, odense = three_towns
    with app.app_context():
        assert len(fan_out(core_entry, slot="2026-05-05T02:00")) == 3
    for slug, (job,) in jobs_by_town(app, bergen, alta, odense).items():
        assert (job.task, job.plugin, job.state, job.result) == (
            "core.stamp", None, "succeeded", {"tenant": slug, "settings": {}})


def test_a_core_task_name_cannot_be_taken_twice(core_entry):
    with pytest.raises(PluginError, match="already registered"):
        registry.core_task(TaskSpec("core.stamp", lambda ctx: None))


def test_an_entry_must_name_a_task_of_its_own_plugin(app):
    from tests.plugins.example import ExamplePlugin
    from velferd import create_app

    class Scheduler(ExamplePlugin):
        @hookimpl
        def velferd_plugin(self):
            unknown_task = BeatEntry("example-daily", "example.unknown", "0 7 * * *")
            return replace(super().velferd_plugin(), beat_entries=[unknown_task])

    with pytest.raises(PluginError, match="example.unknown"):
        create_app({**app.config, "LOAD_PLUGIN_ENTRY_POINTS": False}, plugins=[Scheduler()])


def test_beat_uses_redbeat_with_a_lock_and_schedules_every_entry_and_the_sweeper(app, db_url, database):
    from tests.databases import app_config
    from tests.plugins.example import ExamplePlugin
    from velferd import create_app

    broker_app = create_app(app_config(db_url, database.owner_url or db_url, REDIS_URL="redis://127.0.0.1:1/0"),
                            plugins=[ExamplePlugin()])
    conf = broker_app.extensions["celery"].conf
    assert conf.beat_scheduler == "velferd.jobs.beat:ResilientRedBeatScheduler"  # redbeat, surviving outages
    assert conf.redbeat_redis_url == "redis://127.0.0.1:1/0" and conf.redbeat_lock_timeout == 300
    assert conf.timezone == "Europe/Oslo"
    schedule = conf.beat_schedule
    assert schedule[ENTRY]["task"] == FAN_OUT and schedule[ENTRY]["args"] == (ENTRY,)
    assert schedule[ENTRY]["schedule"] == parse_crontab("0 7 * * *")
    assert schedule[SWEEP_ENTRY] == {"task": SWEEP, "schedule": 30.0}
    tasks = broker_app.extensions["celery"].tasks
    assert tasks["velferd.run_idempotent_job"].acks_late and tasks["velferd.run_idempotent_job"].reject_on_worker_lost
    assert not tasks["velferd.run_job"].acks_late
