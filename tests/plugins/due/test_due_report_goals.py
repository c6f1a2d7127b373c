"""Reports are written against the goals of the plan, and DUE's meetings record who took part.

Guideline 2.3.3: «innsøkende instans rapport hver fjerde måned, samt avslutningsrapport ved
avslutning av tiltaket. Det rapporteres i henhold til målsettingene i tiltaksplan eventuelt
individuelle plan.» Guideline 4.3: «Tiltaket starter med et oppstartsmøte hvor ungdom, DUE,
innsøkende instans og eventuelt andre interessenter deltar.»"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tests.helpers import row_counts

from .flows import (
    ASSESSED,
    PLAN_GOALS,
    START_PARTICIPANTS,
    X,
    eligible_case,
    file_report,
    get,
    meeting,
    move,
    ok,
    post,
    report,
    start_meeting,
    through_intake,
)

FLAT, SCHOOL = PLAN_GOALS


def _open_deadlines(placement: dict) -> list[str]:
    return [d["due_on"] for d in placement["deadlines"] if d["completed_at"] is None]


def test_a_report_that_leaves_out_a_plan_goal_is_422_naming_it_and_completes_nothing(app, client, bergen, running):
    from velferd_due.models import Report

    before = row_counts(app, Report)
    data = report("periodic", "2025-06-20", "achieved", "in_progress")
    data["goals"] = data["goals"][:1]  # only the flat
    r = file_report(client, bergen, running, data)
    assert r.status_code == 422, r.json
    assert list(r.json["fields"]) == ["goals"]
    assert SCHOOL in r.json["fields"]["goals"][0]
    placement = ok(get(client, bergen, f"{X}/cases/{running}/placement"))
    assert _open_deadlines(placement) == ["2025-07-01"]
    assert row_counts(app, Report) == before


def test_a_report_naming_a_goal_the_plan_lacks_is_422_at_its_place(client, bergen, running):
    data = report("periodic", "2025-06-20", "achieved", "in_progress")
    data["goals"].append({"goal": "A driving licence", "status": "in_progress"})
    r = file_report(client, bergen, running, data)
    assert r.status_code == 422, r.json
    assert list(r.json["fields"]) == ["goals.2"]
    assert "A driving licence" in r.json["fields"]["goals.2"][0]


def test_a_goal_reported_twice_or_with_an_unknown_status_is_422(client, bergen, running):
    twice = report("periodic", "2025-06-20", "achieved", "in_progress")
    twice["goals"].append({"goal": FLAT, "status": "dropped"})
    r = file_report(client, bergen, running, twice)
    assert r.status_code == 422 and "twice" in r.json["fields"]["goals.2"][0], r.json
    r = file_report(client, bergen, running, report("periodic", "2025-06-20", "achieved", "nearly there"))
    assert r.status_code == 422 and "status" in str(r.json["fields"]["goals"]), r.json
    r = file_report(client, bergen, running, {"kind": "periodic", "written_on": "2025-06-20",
                                               "goals": "Has a flat; school three days a week."})
    assert r.status_code == 422 and "goals" in r.json["fields"], r.json  # version 1's free text


def test_a_report_on_every_goal_completes_the_deadline_and_the_placement_shows_each_goal(client, bergen, running):
    r = file_report(client, bergen, running, report("periodic", "2025-06-20", "achieved", "in_progress"))
    assert r.status_code == 201, r.json
    placement = ok(get(client, bergen, f"{X}/cases/{running}/placement"))
    assert _open_deadlines(placement) == ["2025-11-01"]  # the first is done, the next one is open
    assert [(g["goal"], g["status"], g["reported_on"]) for g in placement["goals"]] == [
        (FLAT, "achieved", "2025-06-20"), (SCHOOL, "in_progress", "2025-06-20")]
    (filed,) = ok(get(client, bergen, f"{X}/cases/{running}/reports"))
    assert (filed["kind"], filed["written_on"], filed["submission_id"]) == ("periodic", "2025-06-20", r.json["id"])
    assert [(g["goal"], g["status"], g["note"]) for g in filed["goals"]] == [
        (FLAT, "achieved", "achieved as of 2025-06-20"), (SCHOOL, "in_progress", "in progress as of 2025-06-20")]

    # The next report: the placement shows the latest status of each goal.
    ok(file_report(client, bergen, running, report("periodic", "2025-10-25", "achieved", "achieved")), 201)
    placement = ok(get(client, bergen, f"{X}/cases/{running}/placement"))
    assert [(g["goal"], g["status"], g["reported_on"]) for g in placement["goals"]] == [
        (FLAT, "achieved", "2025-10-25"), (SCHOOL, "achieved", "2025-10-25")]


def test_a_report_is_checked_against_the_plan_in_force_when_it_is_filed(client, bergen, running):
    ok(file_report(client, bergen, running, report("periodic", "2025-06-20", "achieved", "in_progress")), 201)
    work = "Work training two days a week"
    revised = ok(client.put(bergen.url(f"{X}/cases/{running}/plan-goals"), json={"goals": [SCHOOL, work]},
                            headers=bergen.coordinator.headers))
    assert revised["plan_goals"] == [SCHOOL, work]

    old_plan = file_report(client, bergen, running, report("periodic", "2025-10-25", "achieved", "achieved"))
    assert old_plan.status_code == 422, old_plan.json
    assert FLAT in old_plan.json["fields"]["goals.0"][0] and work in old_plan.json["fields"]["goals"][0]
    ok(file_report(client, bergen, running, report("periodic", "2025-10-25", "achieved", "not_started",
                                                   goals=[SCHOOL, work])), 201)

    first, second = ok(get(client, bergen, f"{X}/cases/{running}/reports"))
    assert [g["goal"] for g in first["goals"]] == [FLAT, SCHOOL]  # as it was written
    assert [(g["goal"], g["status"]) for g in second["goals"]] == [(SCHOOL, "achieved"), (work, "not_started")]
    placement = ok(get(client, bergen, f"{X}/cases/{running}/placement"))
    assert [(g["goal"], g["status"]) for g in placement["goals"]] == [(SCHOOL, "achieved"), (work, "not_started")]


def test_a_new_plan_needs_goals_and_a_running_measure(client, bergen, units, running):
    url = bergen.url(f"{X}/cases/{running}/plan-goals")
    r = client.put(url, json={"goals": []}, headers=bergen.coordinator.headers)
    assert r.status_code == 422 and "goals" in r.json["fields"], r.json
    r = client.put(url, json={"goals": ["ok"]}, headers=bergen.coordinator.headers)
    assert r.status_code == 422 and "goals" in r.json["fields"], r.json
    r = client.put(url, json={"goals": [FLAT, f" {FLAT} "]}, headers=bergen.coordinator.headers)
    assert r.status_code == 422 and "twice" in r.json["fields"]["goals"][0], r.json  # never reportable once each
    referred = eligible_case(client, bergen, units["barnevern"], dt.date(2006, 4, 4), "2025-01-06")
    r = client.put(bergen.url(f"{X}/cases/{referred}/plan-goals"), json={"goals": [FLAT]},
                   headers=bergen.coordinator.headers)
    assert r.status_code == 409 and "referred" in r.json["message"], r.json


def test_the_final_report_is_written_against_the_goals_too(client, bergen, running):
    ok(move(client, bergen, running, "break_off", {"ended_on": "2025-05-10", "reason": "Moved to Oslo."}))
    data = report("final", "2025-06-01", "in_progress", "dropped")
    data["goals"] = data["goals"][1:]
    r = file_report(client, bergen, running, data)
    assert r.status_code == 422 and FLAT in r.json["fields"]["goals"][0], r.json
    ok(file_report(client, bergen, running, report("final", "2025-06-01", "in_progress", "dropped")), 201)
    (final,) = ok(get(client, bergen, f"{X}/cases/{running}/reports"))
    assert final["kind"] == "final"
    assert [d["completed_at"] is not None for d in ok(get(client, bergen, f"{X}/cases/{running}/placement"))
            ["deadlines"] if d["kind"] == "due_final_report"] == [True]


# --- who took part in DUE's meetings --------------------------------------------------------------

def _awaiting_start(client, bergen, units) -> int:
    case_id = eligible_case(client, bergen, units["barnevern"], dt.date(2006, 4, 4), "2025-01-06")
    through_intake(client, bergen, case_id, "2025-03-01", decided_on="2025-02-20")
    return case_id


def test_the_start_meeting_records_who_took_part_shown_on_the_placement_and_the_meetings(client, bergen, running):
    placement = ok(get(client, bergen, f"{X}/cases/{running}/placement"))
    assert [p["role"] for p in placement["start_meeting_participants"]] == ["youth", "coordinator", "referring_unit"]
    meetings = ok(get(client, bergen, f"/cases/{running}/meetings"))
    (start,) = [m for m in meetings if m["kind"] == "start_meeting"]
    assert start["participants"] == [{"role": p["role"], "name": p.get("name"), "unit": p.get("unit")}
                                     for p in START_PARTICIPANTS]


def test_a_start_meeting_without_the_referring_unit_needs_a_reason(client, bergen, units):
    case_id = _awaiting_start(client, bergen, units)
    without = [p for p in START_PARTICIPANTS if p["role"] != "referring_unit"]
    r = move(client, bergen, case_id, "hold_start_meeting",
             start_meeting("2025-03-01", "2025-03-20", participants=without))
    assert r.status_code == 422, r.json
    assert "referring unit" in r.json["fields"]["participants"][0], r.json
    assert ok(get(client, bergen, f"/cases/{case_id}"))["state"] == "awaiting_vedtak"

    ok(move(client, bergen, case_id, "hold_start_meeting", start_meeting(
        "2025-03-01", "2025-03-20", participants=without, absence_reason="The caseworker was ill; told by phone.")))
    (start,) = [m for m in ok(get(client, bergen, f"/cases/{case_id}/meetings")) if m["kind"] == "start_meeting"]
    assert [p["role"] for p in start["participants"]] == ["youth", "coordinator"]
    assert "The caseworker was ill" in start["minutes"]


def test_a_start_meeting_without_its_participants_is_422_naming_them(client, bergen, units):
    """Who took part is part of the start meeting's record (4.3): leaving it out is refused."""
    case_id = _awaiting_start(client, bergen, units)
    without = {key: value for key, value in start_meeting("2025-03-01", "2025-03-20").items()
               if key != "participants"}
    for data in (without, {**without, "participants": None},
                 {**without, "absence_reason": "Nobody could come."}):
        r = move(client, bergen, case_id, "hold_start_meeting", data)
        assert r.status_code == 422 and "participants" in r.json["fields"], r.json
    assert ok(get(client, bergen, f"/cases/{case_id}"))["state"] == "awaiting_vedtak"


def test_a_start_meeting_plan_with_a_goal_twice_is_422(client, bergen, units):
    case_id = _awaiting_start(client, bergen, units)
    r = move(client, bergen, case_id, "hold_start_meeting",
             start_meeting("2025-03-01", "2025-03-20", goals=[FLAT, SCHOOL, FLAT]))
    assert r.status_code == 422 and FLAT in r.json["fields"]["goals"][0], r.json


def test_bad_start_meeting_participants_are_422(client, bergen, units):
    case_id = _awaiting_start(client, bergen, units)
    for participants, words in (([{"role": "youth"}, {"role": "aunt"}], "Must be one of"),
                                ([{"role": "youth", "national_id": "01010112345"}], "national_id"),
                                ([], "participants")):
        r = move(client, bergen, case_id, "hold_start_meeting",
                 start_meeting("2025-03-01", "2025-03-20", participants=participants))
        assert r.status_code == 422 and words in str(r.json["fields"]), (participants, r.json)


def test_the_transfer_shows_who_took_part_in_its_transfer_meeting(client, bergen, units, running):
    who = [{"role": "coordinator", "unit": "DUE"}, {"role": "referring_unit", "unit": "Barneverntjenesten Bergenhus"},
           {"role": "other_unit", "name": "Veileder", "unit": "NAV Fana"}]
    meeting(client, bergen, running, "transfer_meeting", "2025-04-22", participants=who)
    transfer = ok(post(client, bergen, f"{X}/cases/{running}/transfers", {
        "to_unit_id": units["nav_fana"], "effective_on": "2025-05-01", "units_agree": True, **ASSESSED}), 201)
    shown = ok(get(client, bergen, f"{X}/transfers/{transfer['id']}"))
    assert [(p["role"], p["unit"]) for p in shown["meeting_participants"]] == [
        ("coordinator", "DUE"), ("referring_unit", "Barneverntjenesten Bergenhus"), ("other_unit", "NAV Fana")]


def test_a_report_row_is_person_linked_through_its_case():
    from velferd_due.models import Report

    from velferd.toolkit import Case, person_link

    assert person_link(Report).target is Case
    assert isinstance(Report.__table__.c.goals.type, sa.JSON)


def test_the_report_form_served_asks_for_each_goal_with_its_status(client, bergen):
    schema = ok(get(client, bergen, "/forms/due/report"))
    assert schema["x-form-version"] == 2
    assert "goals" in schema["required"]
    item = schema["properties"]["goals"]["items"]
    assert set(item["required"]) == {"goal", "status"}
    assert item["properties"]["status"]["enum"] == ["achieved", "in_progress", "not_started", "dropped"]
