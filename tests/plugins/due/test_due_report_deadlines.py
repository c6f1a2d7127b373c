"""Reports every fourth month (guideline 2.3.3: «innsøkende instans rapport hver fjerde måned»):
every report owed is tracked, not only the next one."""

from __future__ import annotations

import datetime as dt

from .flows import X, eligible_case, get, move, ok, post, start_meeting, through_intake


def test_the_plan_records_its_goals_the_reports_are_written_against(client, bergen, units):
    case_id = eligible_case(client, bergen, units["barnevern"], dt.date(2006, 4, 4), "2025-06-02")
    through_intake(client, bergen, case_id, "2025-09-01", decided_on="2025-08-20")
    without_goals = {k: v for k, v in start_meeting("2025-09-01", "2025-09-20").items() if k != "goals"}
    r = move(client, bergen, case_id, "hold_start_meeting", without_goals)
    assert r.status_code == 422 and "goals" in str(r.json), r.json


def test_a_case_with_no_report_filed_for_a_year_has_three_open_deadlines(client, bergen, units):
    case_id = eligible_case(client, bergen, units["barnevern"], dt.date(2006, 4, 4), "2025-06-02")
    through_intake(client, bergen, case_id, "2025-09-01", decided_on="2025-08-20")
    ok(move(client, bergen, case_id, "hold_start_meeting", start_meeting("2025-09-01", "2025-09-20")))
    for day in ("2026-09-01", "2026-09-01"):  # the daily job, fired twice
        ok(post(client, bergen, f"{X}/reminders/run", {"on": day}, role="leader"))
    placement = ok(get(client, bergen, f"{X}/cases/{case_id}/placement"))
    assert placement["plan_goals"] == ["A flat of his own", "School three days a week"]
    deadlines = placement["deadlines"]
    assert [(d["due_on"], d["completed_at"]) for d in deadlines] == [
        ("2026-01-01", None), ("2026-05-01", None), ("2026-09-01", None)], deadlines
    overdue = ok(get(client, bergen, f"{X}/reminders", case_id=case_id))
    assert sorted((r["kind"], r["due_on"]) for r in overdue) == [
        ("overdue", "2026-01-01"), ("overdue", "2026-05-01"), ("reminder", "2026-09-01")]
