"""Bergen's DUE is Bergen's: another town that enabled DUE gets 404 for Bergen's records; a town
without it (or Bergen after disabling it) gets 404 for every route and no daily job; on
PostgreSQL the plugin's tables force row-level security. Also: the daily reminder job through the
core's fan-out, the price table, and the entry point."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import velferd_due
from velferd_due.calendar import add_months
from velferd_due.prices import PriceUnknown, part_of_month, price_for_year

from tests.conftest import _config
from velferd import create_app
from velferd.db import db
from velferd.jobs.fanout import fan_out
from velferd.models import JobRun
from velferd.tenancy import tenant_scope

from .flows import (
    ASSESSED,
    SETTLED,
    X,
    add_unit,
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

ENTRY = "due-report-reminders"


def bergens_records(client, town) -> dict:
    """One of everything DUE keeps, in `town`; the ids by URL parameter name."""
    barnevern, nav = add_unit(client, town, "barnevern"), add_unit(client, town, "nav_fana")
    case_id = eligible_case(client, town, barnevern, dt.date(2006, 4, 4), "2025-01-06")
    through_intake(client, town, case_id, "2025-03-01", decided_on="2025-02-20")
    ok(move(client, town, case_id, "hold_start_meeting", start_meeting("2025-03-01", "2025-03-20")))
    ok(client.put(town.url(f"{X}/cases/{case_id}/coordinator"), json={
        "user_id": town.coordinator.user_id, "assigned_on": "2025-03-01"}, headers=town.coordinator.headers))
    ok(post(client, town, f"{X}/absences", {"user_id": town.coordinator.user_id, "starts_on": "2025-04-01",
                                             "ends_on": "2025-04-02", "reason": "sickness"}, role="coordinator"), 201)
    meeting(client, town, case_id, "transfer_meeting", "2025-04-22")
    transfer = ok(post(client, town, f"{X}/cases/{case_id}/transfers", {
        "to_unit_id": nav, "effective_on": "2025-05-01", "units_agree": False, "disagreement": "Disputed.",
        **ASSESSED}), 201)
    ok(post(client, town, f"{X}/cases/{case_id}/extra-resources", {
        "description": "extra hours", "monthly_amount": "100.00", "starts_on": "2025-04-01", "ends_on": "2025-04-30",
        "approved_on": "2025-03-02"}, role="leader"), 201)
    ok(client.post(town.url(f"{X}/deflators/published"), headers=town.tenant_admin.headers))
    ok(post(client, town, f"{X}/reminders/run", {"on": "2025-07-01"}, role="leader"))
    return {"case_id": case_id, "transfer_id": transfer["id"], "year": 2017}


def due_operations(app) -> list[tuple[str, str]]:
    doc = app.test_client().get("/api/openapi.json").get_json()
    return sorted((method.upper(), path) for path, item in doc["paths"].items() if "/x/due" in path
                  for method in item if method in ("get", "post", "put", "delete"))


def fill(path: str, ids: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path.replace("/api/t/{tenant}", ""))


def valid_body(method: str, path: str, town) -> dict | None:
    """A body Alta could send for its own records, so only the foreign id can stop the request."""
    bodies = {
        "/vedtak": {"decided_on": "2025-02-20", "reference": "x"},
        "/coordinator": {"user_id": town.coordinator.user_id, "assigned_on": "2025-03-01"},
        "/transfers": {"to_unit_id": 1, "effective_on": "2025-05-01", "units_agree": True, **ASSESSED},
        "/decision": {"approve": True, "reason": "Taking it over.", **SETTLED},
        "/extra-resources": {"description": "extra hours", "monthly_amount": "100.00", "starts_on": "2025-04-01",
                             "ends_on": "2025-04-30", "approved_on": "2025-03-02"},
        "/plan-goals": {"goals": ["A flat of his own"]},
    }
    if method == "GET":
        return None
    return next(body for suffix, body in bodies.items() if path.endswith(suffix))


def test_another_town_with_due_finds_none_of_bergens_records(app, client, bergen, alta):
    ids = bergens_records(client, bergen)
    with_ids = [(m, p) for m, p in due_operations(app) if "_id}" in p]
    assert len(with_ids) >= 8
    for method, path in with_ids:
        r = client.open(alta.url(fill(path, ids)), method=method, json=valid_body(method, path, alta),
                        headers=alta.leader.headers)
        assert r.status_code == 404, (method, path, r.json)
    for path in ("/waiting-list", "/absences", "/reminders", "/coordination-flags?on=2025-04-01"):
        body = client.get(alta.url(f"{X}{path}"), headers=alta.leader.headers).get_json()
        assert body in ([], {"places": 20, "taken": 0, "free": 20, "entries": []}), (path, body)
    r = client.get(alta.url(f"{X}/transfers/{ids['transfer_id']}"), headers=alta.leader.headers)
    assert r.status_code == 404
    r = post(client, alta, f"{X}/transfers/{ids['transfer_id']}/decision",
             {"approve": True, "reason": "Taking it over.", **SETTLED}, role="leader")
    assert r.status_code == 404
    assert client.get(bergen.url(f"{X}/transfers/{ids['transfer_id']}"),
                      headers=bergen.leader.headers).json["status"] == "on_hold"
    assert client.get(bergen.url(f"{X}/waiting-list"), headers=alta.leader.headers).status_code == 403


def ran(app, town, slot: str) -> int:
    """How many reminder jobs of that slot `town` has, read in its own scope (as RLS requires)."""
    with app.app_context(), tenant_scope(town.tenant):
        return len(db.session.scalars(sa.select(JobRun).where(
            JobRun.task == "due.report_reminders", JobRun.idempotency_key == f"{ENTRY}:{slot}",
            JobRun.state == "succeeded")).all())


def test_disabling_due_hides_its_routes_and_stops_its_job_for_bergen_only(app, client, bergen, alta, kristiansand):
    ids = bergens_records(client, bergen)
    bergens_records(client, alta)
    with app.app_context():
        fan_out(ENTRY, slot="2025-07-02T07:00")
    assert [ran(app, town, "2025-07-02T07:00") for town in (bergen, alta, kristiansand)] == [1, 1, 0]

    r = client.delete(bergen.url("/plugins/due/enabled"), headers=bergen.tenant_admin.headers)
    assert r.status_code == 200, r.json
    for method, path in due_operations(app):
        r = client.open(bergen.url(fill(path, {**ids})), method=method, json={}, headers=bergen.leader.headers)
        assert r.status_code == 404, (method, path)
    assert client.get(bergen.url("/forms/due/referral"), headers=bergen.caseworker.headers).status_code == 404
    assert client.get(kristiansand.url(f"{X}/waiting-list"), headers=kristiansand.leader.headers).status_code == 404
    with app.app_context():
        fan_out(ENTRY, slot="2025-07-03T07:00")
    assert [ran(app, town, "2025-07-03T07:00") for town in (bergen, alta, kristiansand)] == [0, 1, 0]
    # Bergen's data is kept: switching DUE back on brings it back.
    ok(client.put(bergen.url("/plugins/due/enabled"), headers=bergen.tenant_admin.headers))
    assert ok(get(client, bergen, f"{X}/cases/{ids['case_id']}/placement"))["state"] == "started"


def test_the_daily_job_reminds_once_per_deadline_through_the_fan_out(app, client, bergen):
    ids = bergens_records(client, bergen)
    with app.app_context():
        fan_out(ENTRY, slot="2025-06-20T07:00")
        fan_out(ENTRY, slot="2025-06-20T07:00")  # a double fire: still one job
    assert ran(app, bergen, "2025-06-20T07:00") == 1
    # By hand on 1 July (in bergens_records): the report due that day got its reminder. The job runs
    # on the real today, long after: that report and every later one owed by now (every fourth
    # month) are flagged overdue — once each.
    reminders = ok(get(client, bergen, f"{X}/reminders", case_id=ids["case_id"]))
    today = dt.datetime.now(ZoneInfo("Europe/Oslo")).date()
    owed = [day for n in range(1, 40) if (day := add_months(dt.date(2025, 3, 1), 4 * n)) < today]
    assert [(r["kind"], r["due_on"]) for r in reminders][:2] == [("reminder", "2025-07-01"), ("overdue", "2025-07-01")]
    assert sorted(r["due_on"] for r in reminders if r["kind"] == "overdue") == [d.isoformat() for d in owed]
    with app.app_context():
        fan_out(ENTRY, slot="2025-06-21T07:00")
    assert len(ok(get(client, bergen, f"{X}/reminders", case_id=ids["case_id"]))) == len(reminders)


def test_the_price_rule_and_part_months():
    settings = {"base_year": 2016, "base_price": 17800}
    table = {2017: Decimal("2.5"), 2018: Decimal("2.6")}
    assert price_for_year(2016, settings, table) == Decimal("17800.00")
    assert price_for_year(2017, settings, table) == Decimal("18245.00")   # 17,800 × 1.025 = 18,245
    assert price_for_year(2018, settings, table) == Decimal("18719.00")   # 18,245 × 1.026 = 18,719.37 → 18,719
    with pytest.raises(PriceUnknown, match="needs the municipal deflator for 2019"):
        price_for_year(2020, settings, table)
    assert part_of_month(Decimal("18245.00"), 17, 31) == Decimal("10005.32")   # 10,005.3225… half up
    assert part_of_month(Decimal("100.00"), 1, 8) == Decimal("12.50")


def test_the_price_table_shows_who_entered_which_figure(client, bergen):
    table = ok(get(client, bergen, f"{X}/price-table", role="finance", until=2019))
    assert [(row["year"], row["price"]) for row in table] == [(2016, "17800.00"), (2017, None), (2018, None),
                                                             (2019, None)]
    assert "deflator for 2017" in table[1]["missing"]
    r = client.put(bergen.url(f"{X}/deflators/2017"), json={"percent": "2.5", "source": "x"},
                   headers=bergen.finance.headers)
    assert r.status_code == 403
    for body, field in [({"percent": "45", "source": "a source"}, "percent"), ({"percent": "2.5"}, "source")]:
        r = client.put(bergen.url(f"{X}/deflators/2017"), json=body, headers=bergen.tenant_admin.headers)
        assert r.status_code == 422 and field in r.json["fields"]
    ok(client.put(bergen.url(f"{X}/deflators/2017"), json={"percent": "2.5", "source": "entered by hand"},
                  headers=bergen.tenant_admin.headers))
    ok(client.post(bergen.url(f"{X}/deflators/published"), headers=bergen.tenant_admin.headers))
    table = {row["year"]: row for row in ok(get(client, bergen, f"{X}/price-table", role="finance", until=2020))}
    assert (table[2017]["price"], table[2017]["entered_by_id"]) == ("18245.00", bergen.tenant_admin.user_id)
    assert table[2020]["source"].startswith("Prop. 105 S (2019–2020)")
    assert table[2018]["price"] is None and "2018" in table[2019]["missing"]


@pytest.mark.postgres
def test_the_plugins_tables_force_row_level_security(client, bergen, alta, due_database):
    for town in (bergen, alta):
        case_id = bergens_records(client, town)["case_id"]
        ok(file_report(client, town, case_id, report("periodic", "2025-06-20", "achieved", "in_progress")), 201)
    owner, app_role = sa.create_engine(due_database.owner_url), sa.create_engine(due_database.app_url)
    try:
        with owner.connect() as conn:
            tables = conn.scalars(sa.text(
                "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where "
                "n.nspname = 'public' and c.relname like 'due_%' and c.relkind = 'r' and c.relrowsecurity "
                "and c.relforcerowsecurity")).all()
            policies = set(conn.scalars(sa.text("select tablename from pg_policies where tablename like 'due_%' "
                                                "and qual like '%velferd.tenant_id%'")))
            seeded = {t: conn.scalar(sa.text(f"select count(distinct tenant_id) from {t}")) for t in tables}
        assert len(tables) == len(velferd_due.models.Base.metadata.tables.keys() & set(tables)) == 11
        assert set(tables) == policies
        assert seeded == dict.fromkeys(tables, 2)
        with app_role.connect() as conn:
            assert {t: conn.scalar(sa.text(f"select count(*) from {t}")) for t in tables} == dict.fromkeys(tables, 0)
            conn.execute(sa.text("select set_config('velferd.tenant_id', :v, true)"), {"v": str(alta.tenant.id)})
            for table in tables:
                assert set(conn.scalars(sa.text(f"select distinct tenant_id from {table}"))) == {alta.tenant.id}
    finally:
        owner.dispose()
        app_role.dispose()


def test_the_entry_point_is_declared_and_loaded_when_entry_points_are_on():
    (entry,) = [e for e in importlib.metadata.entry_points(group="velferd.plugins") if e.name == "due"]
    assert entry.value == "velferd_due"
    app = create_app(_config("sqlite://", LOAD_PLUGIN_ENTRY_POINTS=True))
    registry = app.extensions["velferd.plugins"]
    assert registry.manifest("due").countries == ("NO",)
    assert ("due", "referral") in registry.forms and ("due", "eligibility") in registry.rules
    assert "due.report_reminders" in registry.tasks
    assert [p.name for p in registry.invoice_line_providers["due"]] == ["due_monthly"]
