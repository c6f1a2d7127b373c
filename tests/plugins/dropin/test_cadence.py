"""The implementation team's meeting cadence: in the development phase the team meets at least
every 61 days ("Mødehyppigheden er typisk særligt høj i udviklingsfasen med møder minimum én gang
hver anden måned"): the last meeting on 2026-01-10 makes the next due on 2026-03-12, a warning
from 14 days before (2026-02-26) up to that day, overdue after; nothing outside the phase; the
setting changes the days; the inbox and the dashboard show it to whoever manages the team."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from velferd_dropin import cadence
from velferd_dropin.implementation_models import TeamMeeting

from tests.plugins.dropin.pages import X, text_of
from velferd.db import db
from velferd.tenancy import tenant_scope

D = dt.date


def post(client, town, path, body, role="dropin_coordinator"):
    return client.post(town.url(f"{X}/implementation{path}"), headers=town.staff[role].headers, json=body)


def phase(client, town, kind, starts_on, ends_on=None):
    r = post(client, town, "/phases", {"kind": kind, "starts_on": starts_on, "ends_on": ends_on})
    assert r.status_code == 201, r.json
    return r.json


def meeting(client, town, held_on):
    r = post(client, town, "/meetings", {"held_on": held_on, "agenda": "Rollefordeling"})
    assert r.status_code == 201, r.json
    return r.json


def cadence_on(client, town, on):
    r = client.get(town.url(f"{X}/implementation/cadence?on={on}"), headers=town.dropin_outreach.headers)
    assert r.status_code == 200, r.json
    return r.json


def test_the_next_meeting_is_due_61_days_after_the_last(client, odense):
    phase(client, odense, "development", "2026-01-01", "2026-12-31")
    meeting(client, odense, "2026-01-10")
    states = {on: (body["due_on"], body["state"], body["days_left"])
              for on in ("2026-02-25", "2026-02-26", "2026-03-12", "2026-03-13")
              for body in [cadence_on(client, odense, on)]}
    assert states == {"2026-02-25": ("2026-03-12", "ok", 15), "2026-02-26": ("2026-03-12", "warning", 14),
                      "2026-03-12": ("2026-03-12", "warning", 0), "2026-03-13": ("2026-03-12", "overdue", -1)}
    body = cadence_on(client, odense, "2026-03-13")
    assert (body["in_development"], body["every_days"], body["last_meeting_on"]) == (True, 61, "2026-01-10")


def test_the_pure_function_gives_the_same_dates(app, client, odense):
    phase(client, odense, "development", "2026-01-01")
    with app.app_context(), tenant_scope(odense.tenant):
        assert cadence.status(D(2026, 1, 5), {}).due_on == D(2026, 1, 1)  # no meeting yet: due at the start
        assert cadence.status(D(2026, 1, 5), {}).state == "overdue"
        db.session.add(TeamMeeting(held_on=D(2026, 1, 10), agenda="Første møde"))
        db.session.flush()
        found = cadence.status(D(2026, 3, 1), {"implementation_meeting_days": 61})
        assert (found.last_meeting_on, found.due_on, found.state) == (D(2026, 1, 10), D(2026, 3, 12), "warning")
        assert cadence.status(D(2026, 1, 20), {"implementation_meeting_days": 30}).due_on == D(2026, 2, 9)
        # a meeting before the phase gives no more time than the phase's start
        assert cadence.due_on(D(2025, 6, 1), D(2026, 1, 1), 61) == D(2026, 1, 1)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TeamMeeting)) == 1
        db.session.rollback()


def test_nothing_outside_the_development_phase(client, odense):
    phase(client, odense, "preparation", "2025-06-01", "2025-12-31")
    assert cadence_on(client, odense, "2025-09-01")["in_development"] is False  # no development phase yet
    phase(client, odense, "development", "2026-01-01", "2026-12-31")
    phase(client, odense, "operation", "2027-01-01")
    meeting(client, odense, "2026-01-10")
    for on in ("2025-12-31", "2027-01-01", "2027-06-01"):
        body = cadence_on(client, odense, on)
        assert (body["in_development"], body["due_on"], body["state"]) == (False, None, None), on
    assert cadence_on(client, odense, "2026-12-31")["state"] == "overdue"


def test_the_setting_changes_the_cadence(client, odense):
    r = client.patch(odense.url("/plugins/dropin/settings"), headers=odense.tenant_admin.headers,
                     json={"implementation_meeting_days": 30})
    assert r.status_code == 200, r.json
    phase(client, odense, "development", "2026-01-01")
    meeting(client, odense, "2026-01-10")
    assert cadence_on(client, odense, "2026-01-20")["due_on"] == "2026-02-09"


def odense_today(town):
    from velferd.clock import tenant_today

    return tenant_today(town.tenant)


def test_the_inbox_and_the_dashboard_warn_whoever_manages_the_team(client, odense, browse):
    today = odense_today(odense)
    phase(client, odense, "development", (today - dt.timedelta(days=100)).isoformat())
    meeting(client, odense, (today - dt.timedelta(days=70)).isoformat())  # due 9 days ago
    coordinator = browse(odense, "dropin_coordinator")
    inbox = text_of(coordinator.get(f"/t/{odense.slug}/tasks"))
    assert "Implementation team: the next meeting is overdue" in inbox
    assert "Implementation team:" not in text_of(browse(odense, "dropin_outreach").get(f"/t/{odense.slug}/tasks"))
    dashboard = coordinator.get(f"/t/{odense.slug}/dashboard")
    assert dashboard.status_code == 200 and "Overdue" in text_of(dashboard)
    assert f'href="/t/{odense.slug}{X}/implementation"' in dashboard.text

    meeting(client, odense, (today - dt.timedelta(days=50)).isoformat())  # due in 11 days: a warning
    inbox = text_of(coordinator.get(f"/t/{odense.slug}/tasks"))
    due = (today + dt.timedelta(days=11)).isoformat()
    assert f"Implementation team: the next meeting is due by {due}" in inbox
    meeting(client, odense, today.isoformat())  # on time: no item
    assert "Implementation team:" not in text_of(coordinator.get(f"/t/{odense.slug}/tasks"))
