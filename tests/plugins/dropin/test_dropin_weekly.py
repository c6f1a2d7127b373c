"""The weekly job ("dropin.weekly", Mondays 04:00 in the municipality's zone): the core's fan-out
runs it for every municipality with dropin enabled, once per slot, and not for one that switched
it off; it rolls the published weeks forward (this week and `schedule_weeks_ahead` more)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from velferd_dropin import weekly
from velferd_dropin.presence_models import PublishedWeek

from tests.plugins.dropin.test_presence import add_centre, add_service, add_slot, this_monday
from velferd.db import db
from velferd.jobs.fanout import fan_out
from velferd.models import JobRun
from velferd.tenancy import tenant_scope


def runs(app, town, slot: str) -> list[JobRun]:
    with app.app_context(), tenant_scope(town.tenant):
        found = db.session.scalars(sa.select(JobRun).where(
            JobRun.task == weekly.TASK, JobRun.idempotency_key == f"{weekly.BEAT_ENTRY.name}:{slot}")).all()
        db.session.commit()
        return found


def published(app, town) -> list[dt.date]:
    with app.app_context(), tenant_scope(town.tenant):
        weeks = db.session.scalars(sa.select(PublishedWeek.week_of).order_by(PublishedWeek.week_of)).all()
        db.session.commit()
        return list(weeks)


def test_the_beat_entry_is_mondays_at_four():
    assert (weekly.BEAT_ENTRY.task, weekly.BEAT_ENTRY.schedule) == ("dropin.weekly", "0 4 * * 1")


def test_the_weekly_job_runs_for_odense_and_not_for_a_town_that_switched_it_off(app, client, odense, aarhus):
    centre = add_centre(client, odense)
    add_slot(client, odense, centre["id"], add_service(client, odense)["id"], odense.dropin_outreach.user_id)
    add_centre(client, aarhus)
    r = client.delete(aarhus.url("/plugins/dropin/enabled"), headers=aarhus.tenant_admin.headers)
    assert r.status_code == 200, r.json
    with app.app_context():
        fan_out(weekly.BEAT_ENTRY.name, slot="2026-03-02T04:00")
        fan_out(weekly.BEAT_ENTRY.name, slot="2026-03-02T04:00")  # the beat fired twice: one job
    (job,) = runs(app, odense, "2026-03-02T04:00")
    assert job.state == "succeeded", job.error
    assert job.result == {"centres": 1, "weeks": 5}
    assert runs(app, aarhus, "2026-03-02T04:00") == []
    monday = this_monday(odense)
    assert published(app, odense) == [monday + dt.timedelta(days=7 * n) for n in range(5)]
    assert published(app, aarhus) == []


def test_the_job_rolls_the_weeks_forward_and_keeps_the_past(app, client, odense):
    centre = add_centre(client, odense)
    add_slot(client, odense, centre["id"], add_service(client, odense)["id"], odense.dropin_outreach.user_id)
    monday = this_monday(odense)
    later = monday + dt.timedelta(days=14)
    r = client.post(odense.url("/x/dropin/schedule/rebuild"), headers=odense.dropin_coordinator.headers,
                    json={"on": later.isoformat()})
    assert r.status_code == 200 and (r.json["centres"], r.json["weeks"]) == (1, 5)
    assert published(app, odense) == [monday + dt.timedelta(days=7 * n) for n in range(7)]
    r = client.patch(odense.url("/plugins/dropin/settings"), headers=odense.tenant_admin.headers,
                     json={"schedule_weeks_ahead": 1})
    assert r.status_code == 200, r.json
    r = client.post(odense.url("/x/dropin/schedule/rebuild"), headers=odense.dropin_coordinator.headers, json={})
    assert (r.json["centres"], r.json["weeks"]) == (1, 2)
    assert published(app, odense) == [monday, monday + dt.timedelta(days=7)]


def test_a_rebuild_reads_a_centres_slots_once_not_once_a_week(app, client, odense):
    centre = add_centre(client, odense)
    add_slot(client, odense, centre["id"], add_service(client, odense)["id"], odense.dropin_outreach.user_id)
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        r = client.post(odense.url("/x/dropin/schedule/rebuild"), headers=odense.dropin_coordinator.headers, json={})
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert r.status_code == 200 and r.json["weeks"] == 5, r.json
    reads = {table: sum(1 for one in statements if one.lstrip().upper().startswith("SELECT") and f"FROM {table} " in one)
             for table in ("dropin_slot", "dropin_holiday", "dropin_cancellation")}
    # the slots and their cancellations once; the holidays once for the closed days, once for the sessions
    assert reads == {"dropin_slot": 1, "dropin_holiday": 2, "dropin_cancellation": 1}, reads
