"""The limit of a stay is never passed silently: the daily job raises a deadline for each of the
settings' warning days before it (once, however often it runs) and the limit itself turns overdue
when it passes; only a recorded, reasoned extension decision moves it — and an override of that
decision moves it back."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from velferd_aftercare import stays
from velferd_aftercare.stays import add_months

from tests.plugins.aftercare import stay_flows as flow
from velferd.db import db
from velferd.models import Deadline
from velferd.plugins.enablement import settings_for
from velferd.tenancy import tenant_scope


def raise_warnings(app, town, on: dt.date) -> int:
    """The daily job's part for the stays, run for the day `on` (as the scheduler would)."""
    with app.app_context(), tenant_scope(town.tenant):
        created = stays.raise_limit_warnings(town.tenant, settings_for(town.tenant, "aftercare"), on)
        db.session.commit()
        return created


def deadlines(app, town, case_id) -> list[tuple[str, str, bool]]:
    with app.app_context(), tenant_scope(town.tenant):
        return [(d.kind, d.due_on.isoformat(), d.completed_at is not None) for d in db.session.scalars(
            sa.select(Deadline).where(Deadline.case_id == case_id).order_by(Deadline.id))]


def extend(client, town, case_id, new_limit: dt.date, progress="some", reasons="Works three days a week.",
           role="aftercare_leader"):
    return client.post(town.url("/rules/aftercare/stay_extension/evaluations"),
                       json={"case_id": case_id, "inputs": {"new_limit_on": new_limit.isoformat(), "progress": progress,
                                                            "reasons": reasons}},
                       headers=town.staff[role].headers)


def test_the_warnings_are_raised_once_each_and_the_limit_is_a_deadline(app, client, alta):
    flats = flow.flats(client, alta)
    today = flow.today()
    case_id = flow.resident(client, alta, flats["1"], today)
    limit = add_months(today, 24)
    assert deadlines(app, alta, case_id) == [("aftercare.stay_limit", limit.isoformat(), False)]

    assert raise_warnings(app, alta, limit - dt.timedelta(days=91)) == 0
    assert raise_warnings(app, alta, limit - dt.timedelta(days=90)) == 1
    assert raise_warnings(app, alta, limit - dt.timedelta(days=90)) == 0  # a re-run raises nothing twice
    assert raise_warnings(app, alta, limit - dt.timedelta(days=29)) == 1
    assert raise_warnings(app, alta, limit + dt.timedelta(days=3)) == 0
    assert sorted(deadlines(app, alta, case_id)) == sorted([
        ("aftercare.stay_limit", limit.isoformat(), False), ("aftercare.stay_limit_90", limit.isoformat(), False),
        ("aftercare.stay_limit_30", limit.isoformat(), False)])
    warnings = flow.stay(client, alta, case_id)["warnings"]
    assert [(w["kind"], w["raised"]) for w in warnings] == [
        ("aftercare.stay_limit_90", True), ("aftercare.stay_limit_30", True), ("aftercare.stay_limit", True)]

    # the move-out answers them all
    r = flow.move(client, alta, case_id, "move_out", {"moved_out_on": today.isoformat(), "destination": "other"})
    assert r.status_code == 200, r.json
    assert all(done for _, _, done in deadlines(app, alta, case_id))
    assert raise_warnings(app, alta, limit) == 0


def test_a_passed_limit_is_overdue_until_an_extension_decision_moves_it(app, client, alta):
    flats = flow.flats(client, alta)
    today = flow.today()
    moved_in = flow.months_before(today, 25)
    case_id = flow.resident(client, alta, flats["2"], moved_in)
    limit = add_months(moved_in, 24)
    shown = flow.stay(client, alta, case_id)
    assert shown["limit_on"] == limit.isoformat() and shown["limit_passed"] is True and shown["days_left"] < 0
    assert raise_warnings(app, alta, today) == 2  # both warnings, late but not silent
    r = client.get(alta.url("/cases?plugin=aftercare&overdue=true"), headers=alta.aftercare_leader.headers)
    assert r.status_code == 200, r.json
    listed = r.json["items"] if isinstance(r.json, dict) else r.json
    assert case_id in [case["id"] for case in listed]

    # no progress: the rule proposes a refusal, and the limit stays where it is
    r = extend(client, alta, case_id, add_months(limit, 6), progress="none")
    assert r.status_code == 201, r.json
    assert r.json["outcome"] == "refuse" and "requires progress" in r.json["reasons"][0]
    assert flow.stay(client, alta, case_id)["limit_on"] == limit.isoformat()
    # more than another full limit at once: refused
    r = extend(client, alta, case_id, add_months(limit, 25))
    assert r.json["outcome"] == "refuse" and "at most 24 months" in r.json["reasons"][0]

    # granted: the limit and its deadline move, the old warnings are answered, the journal says so
    new_limit = add_months(limit, 6)
    r = extend(client, alta, case_id, new_limit)
    assert r.status_code == 201 and r.json["outcome"] == "grant", r.json
    granted = r.json["id"]
    assert "Works three days a week." in " ".join(r.json["reasons"])
    shown = flow.stay(client, alta, case_id)
    assert shown["limit_on"] == new_limit.isoformat() and shown["limit_passed"] is False
    assert ("aftercare.stay_limit", new_limit.isoformat(), False) in deadlines(app, alta, case_id)
    assert all(done for kind, _, done in deadlines(app, alta, case_id) if kind != "aftercare.stay_limit")
    journal = client.get(alta.url(f"/cases/{case_id}/journal"), headers=alta.aftercare_leader.headers)
    assert journal.status_code == 200, journal.json
    entries = journal.json["items"] if isinstance(journal.json, dict) else journal.json
    moved = [e for e in entries if e["kind"] == "stay_limit_moved"]
    assert moved and moved[0]["data"] == {"from": limit.isoformat(), "to": new_limit.isoformat(),
                                          "decision_id": granted}

    # the leader overrides the grant: the limit goes back, overdue again
    r = client.post(alta.url(f"/decisions/{granted}/overrides"),
                    json={"outcome": "refuse", "reason": "The agreement with the home municipality fell through."},
                    headers=alta.aftercare_leader.headers)
    assert r.status_code == 201, r.json
    shown = flow.stay(client, alta, case_id)
    assert shown["limit_on"] == limit.isoformat() and shown["limit_passed"] is True
    # and an override into an outcome the rule does not know is refused, naming the field
    r = client.post(alta.url(f"/decisions/{granted}/overrides"), json={"outcome": "maybe", "reason": "?"},
                    headers=alta.aftercare_leader.headers)
    assert r.status_code == 422 and "outcome" in r.json["fields"]


def test_an_extension_needs_a_resident_a_later_date_and_the_leader(app, client, alta):
    flats = flow.flats(client, alta)
    today = flow.today()
    case_id = flow.resident(client, alta, flats["3"], today)
    limit = add_months(today, 24)
    r = extend(client, alta, case_id, limit)
    assert r.status_code == 422 and "new_limit_on" in r.json["fields"]
    r = client.post(alta.url("/rules/aftercare/stay_extension/evaluations"),
                    json={"case_id": case_id, "inputs": {"new_limit_on": "later", "progress": "lots"}},
                    headers=alta.aftercare_leader.headers)
    assert r.status_code == 422 and {"new_limit_on", "progress", "reasons"} <= set(r.json["fields"])
    r = extend(client, alta, case_id, add_months(limit, 3), role="aftercare_staff")
    assert r.status_code == 403 and "aftercare:decide" in r.json["message"]
    applicant = flow.new_case(client, alta)
    flow.apply(client, alta, applicant, flow.application(today))
    r = extend(client, alta, applicant, add_months(limit, 3))
    assert r.status_code == 409 and "only a resident's stay" in r.json["message"]
    assert flow.stay(client, alta, case_id)["limit_on"] == limit.isoformat()
