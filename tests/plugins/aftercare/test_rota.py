"""The rota: Alta's pattern from the plan (weekdays a day and an evening shift, Saturday and Sunday
one shift 14:00–22:00, nights on-call from home) and the FTE it adds up to; a week's rota with who
works each shift and the uncovered one said in words; the daily job flagging a shift nobody is on
once however often it runs, and the leader's inbox listing it; bad input a 422 naming the field;
Bergen (no aftercare) 404."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from velferd_aftercare import rota
from velferd_aftercare.rota_models import UncoveredShift

from tests.plugins.aftercare.pages import page, text_of
from tests.plugins.aftercare.test_occupancy import X, in_town
from velferd.clock import tenant_today
from velferd.db import db

MONDAY = dt.date(2026, 3, 2)


def pattern(client, town, role="aftercare_staff") -> dict:
    r = client.get(town.url(f"{X}/rota/pattern"), headers=town.staff[role].headers)
    assert r.status_code == 200, r.json
    return r.json


def shift_ids(client, town) -> dict[tuple[int, str], int]:
    return {(shift["weekday"], shift["kind"]): shift["id"] for shift in pattern(client, town)["shifts"]}


def cover(app, town, start: dt.date, days: int, user_id: int, leave_out=()) -> None:
    """Everyone's shifts of `days` days from `start` worked by `user_id`, but those in `leave_out`
    ((date, kind) pairs)."""
    with in_town(app, town):
        for slot in rota.slots(start, start + dt.timedelta(days=days)):
            if (slot["date"], slot["kind"]) not in leave_out:
                rota.assign({"works_on": slot["date"], "shift_id": slot["shift_id"], "user_id": user_id}, None)


def test_the_default_pattern_is_the_plans_and_adds_up_to_2_56_fte(client, alta):
    body = pattern(client, alta)
    shifts = body["shifts"]
    assert len(shifts) == 19  # 5 day + 5 evening + 2 weekend + 7 nights on-call
    weekend = [s for s in shifts if s["kind"] == "weekend"]
    assert {(s["weekday"], s["starts_at"], s["ends_at"]) for s in weekend} == {(5, "14:00", "22:00"),
                                                                               (6, "14:00", "22:00")}
    friday_night = next(s for s in shifts if s["kind"] == "on_call" and s["weekday"] == 4)
    assert (friday_night["starts_at"], friday_night["ends_at"], friday_night["hours"]) == ("22:00", "14:00", "16.00")
    fte = body["fte"]
    assert fte["worked_hours_per_week"] == "96.00"  # 5 × (8 + 8) + 2 × 8
    assert fte["on_call_hours_per_week"] == "82.00"  # listed, not worked
    assert fte["full_time_week"] == "37.50"
    assert fte["fte"] == "2.56"
    assert {row["kind"]: row["counts_as_worked"] for row in fte["rows"]} == {
        "day": True, "evening": True, "weekend": True, "on_call": False}
    assert len(pattern(client, alta)["shifts"]) == 19  # created once


def test_a_week_with_one_uncovered_shift_lists_it_and_the_page_says_so(app, client, alta, browse):
    cover(app, alta, MONDAY, 7, alta.aftercare_staff.user_id, leave_out={(MONDAY + dt.timedelta(days=2), "evening")})
    r = client.get(alta.url(f"{X}/rota/week?week=2026-03-05"), headers=alta.aftercare_staff.headers)
    assert r.status_code == 200, r.json
    assert r.json["week_start"] == "2026-03-02"
    assert [(s["date"], s["kind"]) for s in r.json["uncovered"]] == [("2026-03-04", "evening")]
    assert r.json["worked_hours"] == "96.00"

    text = text_of(browse(alta, "aftercare_staff").get(page(alta, "/rota?week=2026-03-02")))
    assert "1 shift this week has nobody on it." in text
    assert text.count("Not covered: nobody is on this shift") == 1
    assert "2.56 full-time equivalents" in text
    assert "Put a staff member on a shift" not in text  # staff read; the leader assigns


def test_the_daily_job_flags_an_uncovered_shift_once_and_the_leaders_inbox_lists_it(app, client, alta, browse):
    with app.app_context():
        today = tenant_today(alta.tenant)
    gap = today + dt.timedelta(days=3)
    cover(app, alta, today, rota.LOOK_AHEAD_DAYS, alta.aftercare_staff.user_id, leave_out={(gap, "on_call")})
    with in_town(app, alta):
        assert rota.flag_uncovered_shifts(alta.tenant, {}, today) == 1
    with in_town(app, alta):
        assert rota.flag_uncovered_shifts(alta.tenant, {}, today) == 0
        flagged = db.session.scalars(sa.select(UncoveredShift)).all()
        assert [(row.works_on, row.flagged_on) for row in flagged] == [(gap, today)]

    inbox = text_of(browse(alta, "aftercare_leader").get(f"/t/{alta.slug}/tasks"))
    assert "Uncovered shift: Night on-call from home 22:00–" in inbox
    assert "Uncovered shift" not in text_of(browse(alta, "aftercare_staff").get(f"/t/{alta.slug}/tasks"))

    # put someone on it: the flag stays as the record, the inbox item goes
    with in_town(app, alta):
        slot = next(s for s in rota.slots(gap, gap + dt.timedelta(days=1)) if s["kind"] == "on_call")
        rota.assign({"works_on": gap, "shift_id": slot["shift_id"], "user_id": alta.aftercare_leader.user_id}, None)
    assert "Uncovered shift" not in text_of(browse(alta, "aftercare_leader").get(f"/t/{alta.slug}/tasks"))


def test_the_leader_puts_someone_on_a_shift_and_takes_them_off_through_the_page(app, client, alta, browse):
    ids = shift_ids(client, alta)
    leader = browse(alta, "aftercare_leader")
    r = leader.post(page(alta, "/rota/assignments"), data={
        "works_on": "2026-03-07", "shift_id": str(ids[(5, "weekend")]), "user_id": str(alta.aftercare_staff.user_id)})
    assert r.status_code == 302, r.text
    week = client.get(alta.url(f"{X}/rota/week?week=2026-03-02"), headers=alta.aftercare_leader.headers).json
    saturday = next(s for s in week["days"][5]["shifts"] if s["kind"] == "weekend")
    assert saturday["user_id"] == alta.aftercare_staff.user_id
    text = text_of(leader.get(page(alta, "/rota?week=2026-03-02")))
    assert f"Take {saturday['user_name']} off the shift" in text

    r = leader.post(page(alta, f"/rota/assignments/{saturday['assignment_id']}/remove"), data={"week": "2026-03-02"})
    assert r.status_code == 302
    week = client.get(alta.url(f"{X}/rota/week?week=2026-03-02"), headers=alta.aftercare_leader.headers).json
    assert not next(s for s in week["days"][5]["shifts"] if s["kind"] == "weekend")["covered"]


def test_bad_input_is_a_422_naming_the_field(app, client, alta, browse):
    headers = alta.aftercare_leader.headers
    ids = shift_ids(client, alta)
    url = alta.url(f"{X}/rota/assignments")
    r = client.post(url, headers=headers, json={})
    assert r.status_code == 422
    assert {"works_on", "shift_id", "user_id"} <= set(r.json["fields"])
    r = client.post(url, headers=headers, json={"works_on": "2026-03-02", "shift_id": ids[(5, "weekend")],
                                                "user_id": alta.aftercare_staff.user_id})
    assert r.status_code == 422 and "shift_id" in r.json["fields"]  # a Saturday shift on a Monday
    r = client.post(url, headers=headers, json={"works_on": "2026-03-02", "shift_id": 999999,
                                                "user_id": alta.aftercare_staff.user_id})
    assert r.status_code == 422 and "shift_id" in r.json["fields"]
    r = client.post(url, headers=headers, json={"works_on": "2026-03-02", "shift_id": ids[(0, "day")],
                                                "user_id": 999999})
    assert r.status_code == 422 and "user_id" in r.json["fields"]
    r = client.post(url, headers=headers, json={"works_on": "9999-12-31", "shift_id": ids[(0, "day")],
                                                "user_id": alta.aftercare_staff.user_id, "extra": 1})
    assert r.status_code == 422 and {"works_on", "extra"} <= set(r.json["fields"])
    r = client.patch(alta.url(f"{X}/rota/pattern/{ids[(0, 'day')]}"), headers=headers,
                     json={"starts_at": "8 o'clock", "ends_at": "08:00"})
    assert r.status_code == 422 and "starts_at" in r.json["fields"]
    r = client.patch(alta.url(f"{X}/rota/pattern/{ids[(0, 'day')]}"), headers=headers, json={"ends_at": "08:00"})
    assert r.status_code == 422 and "ends_at" in r.json["fields"]
    r = client.get(alta.url(f"{X}/rota/week?week=notaday"), headers=headers)
    assert r.status_code == 422 and "week" in r.json["fields"]
    r = client.post(url, headers=alta.aftercare_staff.headers, json={})
    assert r.status_code == 403

    leader = browse(alta, "aftercare_leader")
    r = leader.post(page(alta, "/rota/assignments"), data={"works_on": "2026-03-02", "shift_id": "",
                                                           "user_id": str(alta.aftercare_staff.user_id)})
    assert r.status_code == 422
    assert 'href="#assign-field-shift-id"' in r.text
    r = leader.post(page(alta, "/rota/assignments"), data={
        "works_on": "2026-03-02", "shift_id": str(ids[(6, "weekend")]), "user_id": str(alta.aftercare_staff.user_id)})
    assert r.status_code == 422
    assert "is a Sunday shift; 2026-03-02 is a Monday" in text_of(r)
    assert leader.get(page(alta, "/rota?week=2026-13-01")).status_code == 422


def test_a_shifts_times_are_changed_and_the_fte_follows(client, alta):
    ids = shift_ids(client, alta)
    r = client.patch(alta.url(f"{X}/rota/pattern/{ids[(0, 'day')]}"), headers=alta.aftercare_leader.headers,
                     json={"starts_at": "09:00"})
    assert r.status_code == 200, r.json
    assert (r.json["starts_at"], r.json["hours"]) == ("09:00", "7.00")
    assert pattern(client, alta)["fte"]["worked_hours_per_week"] == "95.00"


def test_bergen_without_aftercare_gets_404(client, bergen, browse):
    assert client.get(bergen.url(f"{X}/rota/pattern"), headers=bergen.aftercare_leader.headers).status_code == 404
    assert client.post(bergen.url(f"{X}/rota/assignments"), headers=bergen.aftercare_leader.headers,
                       json={}).status_code == 404
    browser = browse(bergen, "aftercare_leader")
    assert browser.get(page(bergen, "/rota")).status_code == 404
    assert browser.post(page(bergen, "/rota/assignments"), data={}).status_code == 404
