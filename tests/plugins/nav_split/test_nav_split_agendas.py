"""Queues and weekly agendas for Rusfaglig Forum, cooperation meetings and leader level; outcomes
as decisions; overrides; follow-up separate from coordination; the weekly job as data."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from velferd_nav_split.agendas import TASK, build_weekly_agendas_task
from velferd_nav_split.models import Agenda

from velferd.db import db
from velferd.jobs import enqueue
from velferd.jobs.fanout import fan_out
from velferd.models import JobRun
from velferd.tenancy import tenant_scope

from .flows import X, allocation, assess, build, evaluate, kartlegging, move, oslo_today, record_outcome, submit

FORUM_CASE = kartlegging(work_line_realistic="unclear", substance_use=True, from_other_municipality=True)


def queue(client, town, role="forvaltning", **query):
    r = client.get(town.url(f"{X}/queue"), query_string=query, headers=town.staff[role].headers)
    assert r.status_code == 200, r.json
    return r.json


def forum_case(client, town):
    case, decision = assess(client, town, FORUM_CASE)
    assert move(client, town, case["id"], "refer_forum").json["state"] == "queued_forum"
    return case, decision


def test_a_forum_case_is_queued_put_on_the_weeks_agenda_once_and_decided(client, kristiansand):
    case, _ = forum_case(client, kristiansand)
    (item,) = queue(client, kristiansand)
    assert (item["case_id"], item["kind"], item["status"], item["agenda_id"]) == (case["id"], "rusfaglig_forum",
                                                                                  "queued", None)
    wednesday = "2026-11-25"
    first = build(client, kristiansand, wednesday)
    assert first.status_code == 200, first.json
    assert [(a["kind"], a["week_start"]) for a in first.json] == [
        ("rusfaglig_forum", "2026-11-23"), ("cooperation_meeting", "2026-11-23"), ("leader_level", "2026-11-23")]
    forum = first.json[0]
    assert [(i["case_id"], i["status"]) for i in forum["items"]] == [(case["id"], "scheduled")]

    second = build(client, kristiansand, "2026-11-23")  # the job runs twice: still one agenda per kind and week
    assert [a["id"] for a in second.json] == [a["id"] for a in first.json]
    listed = client.get(kristiansand.url(f"{X}/agendas"), query_string={"week_start": "2026-11-29"},
                        headers=kristiansand.forum_leader.headers).json
    assert len(listed) == 3

    # NAV cannot be appointed while the decision sends the case to the Forum
    r = move(client, kristiansand, case["id"], "appoint_nav")
    assert r.status_code == 409 and "says Rusfaglig Forum, not NAV" in r.json["message"]

    r = record_outcome(client, kristiansand, case["id"], item["id"], "livsmestring",
                       "Low-threshold follow-up at home; no work line within two years.")
    assert r.status_code == 201, r.json
    assert r.json["outcome"] == "livsmestring"
    assert r.json["reasons"] == [
        "Rusfaglig Forum in the week of 2026-11-23 concluded: Low-threshold follow-up at home; no work line "
        "within two years.", "The coordinator is appointed in Livsmestring."]
    agenda = client.get(kristiansand.url(f"{X}/agendas/{forum['id']}"), headers=kristiansand.forvaltning.headers).json
    assert [(i["status"], i["outcome_decision_id"]) for i in agenda["items"]] == [("decided", r.json["id"])]
    assert queue(client, kristiansand) == []
    moved = move(client, kristiansand, case["id"], "appoint_livsmestring")
    assert moved.status_code == 200, moved.json
    assert allocation(client, kristiansand, case["id"]).json["appointment"]["coordinator_unit"] == "livsmestring"
    # an item is decided once
    again = record_outcome(client, kristiansand, case["id"], item["id"], "nav")
    assert again.status_code == 409


def test_a_meeting_outcome_needs_a_scheduled_item_of_that_case_and_an_outcome_the_meeting_may_decide(
        client, kristiansand):
    case, _ = forum_case(client, kristiansand)
    (item,) = queue(client, kristiansand)
    r = record_outcome(client, kristiansand, case["id"], item["id"], "nav")
    assert r.status_code == 409 and "queued" in r.json["message"]  # not on an agenda yet
    build(client, kristiansand)
    other, _ = assess(client, kristiansand, kartlegging())
    r = record_outcome(client, kristiansand, other["id"], item["id"], "nav")
    assert r.status_code == 422 and "case_id" in r.json["fields"]
    r = record_outcome(client, kristiansand, case["id"], item["id"], "leader_level")
    assert r.status_code == 422 and "outcome" in r.json["fields"]
    r = record_outcome(client, kristiansand, case["id"], 999999, "nav")
    assert r.status_code == 422 and "agenda_item_id" in r.json["fields"]
    r = record_outcome(client, kristiansand, case["id"], item["id"], "nav", role="spesialteam")
    assert r.status_code == 403 and "nav_split:agenda:decide" in r.json["message"]


def test_cooperation_meeting_then_leader_level(client, kristiansand):
    case, _ = assess(client, kristiansand, kartlegging(units_disagree=True))
    assert move(client, kristiansand, case["id"], "refer_cooperation").status_code == 200
    coop = build(client, kristiansand).json[1]
    (item,) = coop["items"]
    r = record_outcome(client, kristiansand, case["id"], item["id"], "leader_level", "Still no agreement.",
                       role="forvaltning")
    assert r.status_code == 201 and r.json["reasons"][1] == "The units did not agree: the case is taken to leader level."
    assert move(client, kristiansand, case["id"], "escalate").json["state"] == "escalated_leader"
    assert [i["kind"] for i in queue(client, kristiansand)] == ["leader_level"]
    assert [i["kind"] for i in queue(client, kristiansand, kind="cooperation_meeting")] == []


def test_forvaltning_overrides_the_rule_with_a_reason_and_appoints_from_the_override(client, kristiansand):
    case, decision = assess(client, kristiansand, kartlegging(work_line_realistic="unclear"))
    assert move(client, kristiansand, case["id"], "appoint_livsmestring").status_code == 409
    url = kristiansand.url(f"/decisions/{decision['id']}/overrides")
    body = {"outcome": "livsmestring", "reason": "The GP confirms a long-term need for home follow-up."}
    assert client.post(url, json=body, headers=kristiansand.caseworker.headers).status_code == 403
    r = client.post(url, json={**body, "outcome": "somewhere"}, headers=kristiansand.forvaltning.headers)
    assert r.status_code == 422 and "outcome" in r.json["fields"]
    r = client.post(url, json=body, headers=kristiansand.forvaltning.headers)
    assert r.status_code == 201, r.json
    assert r.json["reasons"] == ["Overridden by forvaltning kristiansand: " + body["reason"]]
    assert move(client, kristiansand, case["id"], "appoint_livsmestring").json["state"] == "allocated_livsmestring"
    assert allocation(client, kristiansand, case["id"]).json["appointment"]["decision_id"] == r.json["id"]


def test_livsmestring_follows_up_at_home_while_nav_coordinates_and_nav_decides_social_assistance(client, kristiansand):
    case, _ = assess(client, kristiansand, kartlegging(has_job=True))
    follow = kristiansand.url(f"{X}/cases/{case['id']}/follow-up")
    r = client.put(follow, json={"follow_up_unit": "livsmestring"}, headers=kristiansand.forvaltning.headers)
    assert r.status_code == 409  # nobody appointed yet
    move(client, kristiansand, case["id"], "appoint_nav")
    changes = {"follow_up_unit": "livsmestring", "follow_up_at_home": True, "social_assistance": True,
               "financial_caseworker": "Kari Økonomi (NAV)"}
    assert client.put(follow, json=changes, headers=kristiansand.rusteam.headers).status_code == 403
    r = client.put(follow, json=changes, headers=kristiansand.forvaltning.headers)
    assert r.status_code == 200, r.json
    got = allocation(client, kristiansand, case["id"], role="nav_financial_caseworker").json["appointment"]
    assert {k: got[k] for k in ("coordinator_unit", "nav_team", "follow_up_unit", "follow_up_at_home",
                                "social_assistance", "financial_caseworker_unit", "financial_caseworker")} == {
        "coordinator_unit": "nav", "nav_team": "job_under_30", "follow_up_unit": "livsmestring",
        "follow_up_at_home": True, "social_assistance": True, "financial_caseworker_unit": "nav",
        "financial_caseworker": "Kari Økonomi (NAV)"}
    r = client.put(follow, json={"follow_up_unit": "fylkesmannen"}, headers=kristiansand.forvaltning.headers)
    assert r.status_code == 422 and "follow_up_unit" in r.json["fields"]


@pytest.mark.parametrize("data, field", [
    ({"work_line_realistic": "maybe"}, "work_line_realistic"),
    ({"purposes": ["fun"]}, "purposes"),
    ({"taken_over_by_nav": True}, "taken_over_by_nav"),
    ({"date_of_birth": "14.03.2005"}, "date_of_birth"),
    ({"has_job": None}, "has_job"),
    ({"shoe_size": 44}, "shoe_size"),
], ids=["work-line", "purpose", "taken-over-without-move", "date-format", "job-missing", "unknown"])
def test_a_bad_kartlegging_is_422_naming_the_field(client, kristiansand, data, field):
    from .flows import new_case

    case = new_case(client, kristiansand)
    body = {k: v for k, v in kartlegging(**data).items() if v is not None}
    for send in (submit, evaluate):
        r = send(client, kristiansand, case["id"], body)
        assert r.status_code == 422, r.json
        assert field in str(r.json["fields"]), r.json


def test_a_date_of_birth_after_the_decision_date_is_422(client, kristiansand):
    case, _ = assess(client, kristiansand, kartlegging())
    tomorrow = (oslo_today() + dt.timedelta(days=1)).isoformat()
    r = evaluate(client, kristiansand, case["id"], kartlegging(date_of_birth=tomorrow))
    assert r.status_code == 422 and "date_of_birth" in r.json["fields"]


def test_agenda_routes_need_the_plugins_roles(client, kristiansand):
    assert build(client, kristiansand, role="caseworker").status_code == 403
    assert build(client, kristiansand, role="spesialteam").status_code == 403
    r = client.get(kristiansand.url(f"{X}/queue"), headers=kristiansand.caseworker.headers)
    assert r.status_code == 403 and "nav_split:agenda:read" in r.json["message"]
    assert build(client, kristiansand, "2026-13-01").status_code == 422


def test_the_weekly_job_is_declared_as_data_and_its_task_is_idempotent(app, kristiansand):
    registry = app.extensions["velferd.plugins"]
    (entry,) = registry.beat_entries["nav_split"]
    assert (entry.task, entry.schedule) == (TASK, "0 6 * * 1")
    assert registry.tasks[TASK].run is build_weekly_agendas_task and registry.tasks[TASK].idempotent
    assert kristiansand.tenant.time_zone == "Europe/Oslo"
    with app.app_context(), tenant_scope(kristiansand.tenant):
        first = enqueue(TASK, tenant=kristiansand.tenant, kwargs={"week_start": "2026-11-26"})
        again = enqueue(TASK, tenant=kristiansand.tenant, kwargs={"week_start": "2026-11-23"})
        db.session.commit()  # both run in-process after the commit (no broker in this suite)
        first, again = db.session.get(JobRun, first.id), db.session.get(JobRun, again.id)
        assert (first.state, again.state) == ("succeeded", "succeeded")
        assert len(first.result) == 3 and again.result == first.result


def test_the_fan_out_builds_kristiansands_agendas_and_none_for_a_town_without_nav_split(app, client,
                                                                                       kristiansand, bergen):
    case, _ = forum_case(client, kristiansand)
    with app.app_context():
        (job,) = fan_out("nav_split-weekly-agendas", slot="2026-11-23T06:00")
        assert job.tenant_id == kristiansand.tenant.id
        assert fan_out("nav_split-weekly-agendas", slot="2026-11-23T06:00")[0].id == job.id  # fired twice: one job
    (item,) = queue(client, kristiansand)
    assert (item["case_id"], item["status"]) == (case["id"], "scheduled") and item["agenda_id"] is not None
    for town, expected in ((kristiansand, 1), (bergen, 0)):
        with app.app_context(), tenant_scope(town.tenant):
            jobs = db.session.scalars(sa.select(JobRun)).all()
            assert [(j.task, j.state, j.idempotency_key) for j in jobs] == [
                (TASK, "succeeded", "nav_split-weekly-agendas:2026-11-23T06:00")] * expected
            assert len(db.session.scalars(sa.select(Agenda)).all()) == 3 * expected


@pytest.mark.postgres
def test_two_builds_of_the_same_week_at_once_make_one_agenda_per_kind(app, kristiansand):
    """The second build waits on the unique (kind, week) index until the first commits, then takes
    the first's agendas instead of failing."""
    import threading
    import time

    from velferd_nav_split.agendas import build_weekly_agendas

    first_flushed, results, errors = threading.Event(), {}, []

    def build_in_thread(name, hold_seconds):
        try:
            with app.app_context(), tenant_scope(kristiansand.tenant):
                results[name] = [agenda.id for agenda in build_weekly_agendas(kristiansand.tenant, dt.date(2026, 11, 23))]
                if hold_seconds:
                    first_flushed.set()
                    time.sleep(hold_seconds)  # the second build is now blocked on our uncommitted rows
                db.session.commit()
        except Exception as error:  # surfaced below
            errors.append(error)
            first_flushed.set()

    first = threading.Thread(target=build_in_thread, args=("first", 0.5))
    first.start()
    assert first_flushed.wait(10)
    second = threading.Thread(target=build_in_thread, args=("second", 0))
    second.start()
    first.join(10)
    second.join(10)
    assert errors == []
    assert results["first"] == results["second"]
    with app.app_context(), tenant_scope(kristiansand.tenant):
        assert db.session.scalar(sa.select(sa.func.count(Agenda.id))) == 3
