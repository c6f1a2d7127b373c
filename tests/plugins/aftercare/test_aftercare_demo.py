"""`make demo` shows Alta's aftercare housing at work: the building with residents on steps 2, 3
and 4, one moved down after a breach and one near the limit with its warning raised, people before
intake in each phase, one moved out to a home of their own in Alta, an individual plan and a
qualification programme, this week's rota with the one shift nobody is on, and the 2009 budget —
seeded once however often the demo runs. Checked as the housing's leader would: the API and the
pages, logged in with the demo's own login."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa

from tests.web.conftest import BROWSER_ACCEPT
from tests.web.pages import log_in
from velferd import demo
from velferd.auth import issue_token
from velferd.clock import tenant_today
from velferd.db import db
from velferd.models import AuditEvent, Case, Deadline, Decision, Tenant, User
from velferd.tenancy import tenant_scope
from velferd.testing import Municipality, Staff

ALTA = next(town for town in demo.TENANTS if town.slug == "alta")
X = "/x/aftercare"
LEADER = demo.staff_email("alta", "aftercare_leader")


def counts(app) -> dict[str, int]:
    with app.app_context():
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "alta"))
        with tenant_scope(tenant):
            return {name: db.session.scalar(sa.select(sa.func.count()).select_from(model)
                                            .where(*([model.plugin == "aftercare"] if name != "deadlines" else [])))
                    for name, model in (("cases", Case), ("decisions", Decision), ("deadlines", Deadline))}


def seeded(app) -> tuple[list[str], Municipality]:
    """The demo seeded twice (as `make demo` run again would), and Alta with a token of the demo's
    housing leader."""
    with app.app_context():
        lines = list(demo.seed([ALTA]))
    first = counts(app)
    with app.app_context():
        lines += list(demo.seed([ALTA]))
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "alta"))
        with tenant_scope(tenant):
            leader = db.session.scalar(sa.select(User).where(User.email == LEADER))
            _, token = issue_token(leader, tenant, "demo test", dt.timedelta(days=1))
            db.session.commit()
            town = Municipality(tenant, {"aftercare_leader": Staff(LEADER, token, leader.id)})
    assert counts(app) == first
    return lines, town


def get(client, town: Municipality, path: str):
    r = client.get(town.url(f"{X}{path}"), headers=town.aftercare_leader.headers)
    assert r.status_code == 200, (path, r.json)
    return r.json


def test_the_demo_seeds_alta_once_with_a_resident_on_each_step_and_each_phase(app, client):
    lines, town = seeded(app)
    assert any("(aftercare)" in line for line in lines)
    assert counts(app)["cases"] == 7

    by_state = {}
    for entry in get(client, town, "/stays"):
        by_state.setdefault(entry["state"], []).append(entry)
    assert {state: len(found) for state, found in by_state.items()} == {
        "applied": 1, "assessment": 1, "awaiting_intake": 1, "living": 3, "moved_out": 1}
    assert by_state["applied"][0]["home_municipality"] == "Hammerfest"
    moved_out = get(client, town, f"/cases/{by_state['moved_out'][0]['case_id']}/stay")
    assert moved_out["destination"] == "own_home_alta"
    assessed = get(client, town, f"/cases/{by_state['assessment'][0]['case_id']}/stay")
    assert assessed["consent_on"] is not None

    board = get(client, town, "/occupancy")
    statuses = {row["label"]: row["status"] for row in board["flats"]}
    assert statuses == {"1": "occupied", "2": "occupied", "3": "occupied", "4": "free", "5": "reserved",
                        "6": "free", "7": "free"}

    residents = [entry["case_id"] for entry in by_state["living"]]
    ladders = {case_id: get(client, town, f"/cases/{case_id}/staircase") for case_id in residents}
    steps = {case_id: ladder["current"]["step"] for case_id, ladder in ladders.items()}
    assert sorted(steps.values()) == [2, 3, 4]
    moved_down = next(ladder for ladder in ladders.values() if ladder["breaches"])
    assert moved_down["current"]["step"] == 3
    assert [entry["step"] for entry in moved_down["history"]] == [3, 4, 3, 2]
    assert moved_down["breaches"][0]["decision_id"] == moved_down["current"]["decision"]["id"]
    assert all(entry["lease"]["kind"] == "special" and entry["decision"]["reasons"]
               for ladder in ladders.values() for entry in ladder["history"] if entry["decision"])

    near = next(case_id for case_id, step in steps.items() if step == 4)
    stay = get(client, town, f"/cases/{near}/stay")
    assert 0 < stay["days_left"] <= 90
    assert {w["kind"]: w["raised"] for w in stay["warnings"]}["aftercare.stay_limit_90"] is True

    planned = next(case_id for case_id, step in steps.items() if step == 2)
    plan = get(client, town, f"/cases/{planned}/plan")
    assert plan["contact_person"]["name"]
    assert {p["partner"] for p in plan["partners"]} == {"nav", "red_cross"}
    assert plan["goals"] and plan["participation"]
    programme = get(client, town, f"/cases/{planned}/programme")
    assert programme["starts_on"] <= programme["ends_on"]


def test_the_demo_has_the_2009_budget_and_this_weeks_rota_with_one_shift_uncovered(app, client):
    _, town = seeded(app)
    budget = get(client, town, "/budget/2009")
    assert Decimal(budget["cost_total"]) == Decimal("2000000") == Decimal(budget["financing_total"])
    assert budget["balanced"] is True

    week = get(client, town, "/rota/week")
    assert len(week["uncovered"]) == 1
    assert week["uncovered"][0]["kind"] == "weekend"
    with app.app_context():
        today = tenant_today(town.tenant)
    flagged = get(client, town, f"/rota/uncovered?from={today.isoformat()}&days=14")
    assert [slot["date"] for slot in flagged] == [week["uncovered"][0]["date"]]

    with app.app_context(), tenant_scope(town.tenant):
        actors = set(db.session.scalars(sa.select(AuditEvent.actor_id).where(AuditEvent.action == "form.submitted")))
        worker = db.session.scalar(sa.select(User.id).where(User.email == demo.staff_email("alta", "aftercare_staff")))
    assert actors == {worker}


def test_the_demo_leader_sees_the_board_the_rota_and_the_budget_on_the_pages(app):
    seeded(app)
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    assert log_in(browser, LEADER, demo.DEMO_PASSWORD).status_code == 302
    assert browser.post("/language", data={"lang": "en"}).status_code == 302
    board = browser.get("/t/alta/x/aftercare/board")
    assert board.status_code == 200
    assert "Free: 3. Reserved: 1. Occupied: 3." in board.get_data(as_text=True)
    week = browser.get("/t/alta/x/aftercare/rota")
    assert week.status_code == 200
    assert "1 shift this week has nobody on it." in week.get_data(as_text=True)
    assert browser.get("/t/alta/x/aftercare/budget").status_code == 200
