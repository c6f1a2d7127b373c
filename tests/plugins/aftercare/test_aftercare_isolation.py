"""Alta's aftercare is Alta's. The issue's check: "Disabling the plugin for Alta hides it and stops
its job for Alta only; Bergen never sees any of it (isolation generated from the OpenAPI document,
RLS on every plugin table)."

- Kristiansand, which has aftercare too, replays every operation of ``/x/aftercare`` that names a
  record in its path with Alta's ids and gets 404 — the operations are read from
  ``/api/openapi.json``, so a new endpoint is covered the day it is added (and fails here, named,
  until it has a valid body below); whatever Kristiansand reads holds none of Alta's rows; a body
  field naming one of Alta's records (a flat, a case, a shift, a staff member, a decision) is refused.
- Bergen, which has not enabled it, gets 404 on every operation, the form and every page.
- Alta switching it off: its routes 404 and the next daily fan-out runs for Kristiansand only;
  switching it back on brings Alta's data back untouched.
- PostgreSQL: every ``aftercare_*`` table has row-level security enabled and forced, and the app's
  role reads none of Alta's rows in another town's scope.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from velferd_aftercare import daily

from tests.plugins.aftercare import stay_flows as flow
from tests.plugins.aftercare.records import X, every_record, ok
from tests.plugins.row_security import check_plugin_tables
from tests.web.conftest import BROWSER_ACCEPT
from tests.web.pages import log_in
from velferd.db import db
from velferd.jobs.fanout import fan_out
from velferd.models import JobRun
from velferd.tenancy import tenant_scope

ALTA_YEAR, OTHER_YEAR = 2009, 2010  # each town's budget year: a year is the key of a budget
PREFIX = "/api/t/{tenant}"


# --- the operations, from the OpenAPI document ---------------------------------------------------------

@dataclass(frozen=True)
class Operation:
    method: str
    template: str        # the path below /api/t/<tenant>, e.g. "/x/aftercare/flats/{flat_id}"
    params: tuple[str, ...]
    query: tuple[str, ...]  # required query parameters
    body: str | None     # the request body's schema name, if it has one

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


def operations(app) -> list[Operation]:
    """Every operation of the plugin's API in the app's OpenAPI document."""
    doc = app.test_client().get("/api/openapi.json").get_json()
    found = []
    for path, item in doc["paths"].items():
        if not path.startswith(f"{PREFIX}{X}"):
            continue
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            parameters = [*item.get("parameters", []), *op.get("parameters", [])]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            found.append(Operation(
                method.upper(), path.removeprefix(PREFIX),
                tuple(p["name"] for p in parameters if p["in"] == "path" and p["name"] != "tenant"),
                tuple(p["name"] for p in parameters if p["in"] == "query" and p.get("required")),
                body["$ref"].rsplit("/", 1)[1] if body else None))
    return sorted(found, key=str)


def body_fields(app) -> list[tuple[Operation, str]]:
    """(operation, field) for every request-body field that names a record (``…_id``/``…_ids``)."""
    schemas = app.test_client().get("/api/openapi.json").get_json()["components"]["schemas"]

    def walk(name):
        for field, spec in schemas[name].get("properties", {}).items():
            if field.endswith(("_id", "_ids")):
                yield field
            ref = spec.get("$ref") or spec.get("items", {}).get("$ref")
            if ref:
                yield from walk(ref.rsplit("/", 1)[1])

    return [(op, field) for op in operations(app) if op.body for field in walk(op.body)]


#: Path parameters that name a record of the town (another town's → 404); `year` names a budget.
RECORD_KEYS = re.compile(r"\w+_id$|year$")
#: Path parameters that name no record of one town: the number of a step on the town's own ladder
#: (steps 2–5 exist in every town; Kristiansand's step 3 is its own, and editing it leaves Alta's be).
OWN_LADDER = {"number"}
#: Reports of a calendar year (computed from the town's own flats and stays, its budget if any):
#: another town's year is just a year, so these are checked to hold none of Alta's rows instead.
YEAR_VIEWS = {"GET /x/aftercare/budget/{year}/occupancy"}


def is_keyed(op: Operation) -> bool:
    unknown = [p for p in op.params if not RECORD_KEYS.match(p) and p not in OWN_LADDER]
    assert not unknown, f"{op}: classify the path parameter(s) {unknown} in RECORD_KEYS or OWN_LADDER"
    return str(op) not in YEAR_VIEWS and any(RECORD_KEYS.match(p) for p in op.params)


def fill(template: str, ids: dict) -> str:
    """The path with the town's ids; ``{line_id}`` after ``financing``/``lines`` is that kind's."""
    segments = template.split("/")

    def value(index: int, name: str):
        return ids.get(f"{segments[index - 1]}:{name}", ids.get(name))

    return "/".join(str(value(i, s[1:-1])) if s.startswith("{") else s for i, s in enumerate(segments))


def valid_body(op: Operation, ids: dict) -> dict | None:
    """A body the town could send for its own records (`ids`), so only a foreign id in the path
    can stop the request. An operation with a body and none here fails, naming itself."""
    today, soon = flow.today(), flow.today() + dt.timedelta(days=2)
    bodies = {
        "PATCH /x/aftercare/buildings/{building_id}": {"address": "Storgata 1"},
        "POST /x/aftercare/buildings/{building_id}/flats": {"label": "8", "kind": "single"},
        "PATCH /x/aftercare/flats/{flat_id}": {"own_entrance": True},
        "POST /x/aftercare/reservations/{occupancy_id}/cancel": {"on": soon.isoformat()},
        "POST /x/aftercare/cases/{case_id}/breaches": {
            "occurred_on": (today - dt.timedelta(days=1)).isoformat(), "kind": "agreement",
            "description": "Missed the agreed meeting."},
        "POST /x/aftercare/cases/{case_id}/steps": {
            "decision_id": ids["decision_id"], "on": today.isoformat(),
            "lease": {"kind": "special", "signed_on": today.isoformat()}},
        "PUT /x/aftercare/cases/{case_id}/plan": {"contact_person_id": ids["contact_person_id"]},
        "POST /x/aftercare/cases/{case_id}/plan/goals": {"text": "Work training at Aksis"},
        "PATCH /x/aftercare/cases/{case_id}/plan/goals/{goal_id}": {"status": "in_progress"},
        "POST /x/aftercare/cases/{case_id}/plan/partners": {"partner": "aksis", "role": "Work training"},
        "POST /x/aftercare/cases/{case_id}/plan/participation": {
            "consulted_on": today.isoformat(), "method": "plan_meeting", "resident_said": "Fine by me"},
        "PUT /x/aftercare/cases/{case_id}/programme": {
            "granted_on": "2008-03-15", "starts_on": "2008-04-01", "ends_on": "2008-05-31"},
        "PUT /x/aftercare/cases/{case_id}/stay/consent": {"consent_on": today.isoformat()},
        "PUT /x/aftercare/cases/{case_id}/stay/rules-agreed": {"rules_agreed_on": today.isoformat()},
        "PUT /x/aftercare/cases/{case_id}/stay/treatment-ended": {"treatment_ended_on": today.isoformat()},
        "PATCH /x/aftercare/rota/pattern/{shift_id}": {"note": "Handover at the start"},
        "PATCH /x/aftercare/steps/{number}": {"rights": "A flat of one's own, a visitor until 23:00"},
        "POST /x/aftercare/budget/{year}/lines": {"kind": "supervision", "amount": "90000.00"},
        "POST /x/aftercare/budget/{year}/financing": {"source": "Gave", "kind": "other", "amount": "1000.00"},
        # the operations without a record in their path (for the body fields that name one)
        "POST /x/aftercare/reservations": {"flat_id": ids["free_flat_id"], "case_id": ids["waiting_case_id"],
                                           "starts_on": soon.isoformat()},
        "POST /x/aftercare/rota/assignments": {"works_on": ids["works_on"], "shift_id": ids["shift_id"],
                                               "user_id": ids["user_id"]},
    }
    if op.body is None:
        return None
    if str(op) not in bodies:
        pytest.fail(f"{op} has a body ({op.body}) and none here: add a valid one to valid_body")
    return bodies[str(op)]


#: The required query parameters of the reads.
QUERIES = {"GET /x/aftercare/g-table/on": {"on": "2008-06-01"},
           "GET /x/aftercare/stipend": {"birth_date": "1980-06-01", "on": "2008-06-01"}}


def send(client, town, op: Operation, path_ids: dict, body_ids: dict, body: dict | None = None):
    """`op` by `town`'s leader (who holds every aftercare permission but the partner's flat)."""
    query = QUERIES.get(str(op), {})
    missing = set(op.query) - set(query)
    assert not missing, f"{op}: add its required query parameters {missing} to QUERIES"
    return client.open(town.url(fill(op.template, path_ids)), method=op.method, query_string=query,
                       json=valid_body(op, body_ids) if body is None else body, headers=town.aftercare_leader.headers)


def reads(app, client, town, ids: dict, year: int | None = None) -> dict[str, object]:
    """Every GET of the plugin's API as `town` sees it with `ids` (the year views for `year`)."""
    seen = {}
    for op in operations(app):
        if op.method == "GET":
            r = send(client, town, op, {**ids, "year": year or ids["year"]} if str(op) in YEAR_VIEWS else ids, ids)
            assert r.status_code == 200, (str(op), r.json)
            seen[str(op)] = r.json
    return seen


# --- pages ------------------------------------------------------------------------------------------

def page_routes(app) -> list[tuple[str, str]]:
    """(method, rule) of every page of the plugin, from the app's URL map."""
    return sorted((method, rule.rule) for rule in app.url_map.iter_rules()
                  if rule.rule.startswith("/t/<tenant>/x/aftercare") for method in rule.methods - {"HEAD", "OPTIONS"})


def page_path(rule: str, town, ids: dict) -> str:
    filled = rule.replace("<tenant>", town.slug)
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids.get(m.group(1), "consent")), filled)


def browser(app, town, role="aftercare_leader"):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    assert log_in(client, town.staff[role].email).status_code == 302
    return client


# --- Kristiansand, with aftercare too ---------------------------------------------------------------

def test_another_town_with_aftercare_gets_404_for_every_operation_on_altas_records(app, client, alta, kristiansand):
    altas = every_record(client, alta, ALTA_YEAR)
    own = every_record(client, kristiansand, OTHER_YEAR)
    altas_view = reads(app, client, alta, altas)
    ops = operations(app)
    keyed = [op for op in ops if is_keyed(op)]
    assert len(keyed) >= 28, [str(op) for op in keyed]
    for op in keyed:
        r = send(client, kristiansand, op, altas, own)
        assert r.status_code == 404, (str(op), r.status_code, r.json)
    # its own ladder is its own: editing its step 3 leaves Alta's as it was
    for op in ops:
        if set(op.params) <= OWN_LADDER and op.params:
            r = send(client, kristiansand, op, altas, own)
            assert r.status_code == 200, (str(op), r.json)
    assert reads(app, client, alta, altas) == altas_view
    # the bodies were valid: with its own ids Kristiansand is let through (or told of a conflict)
    for op in keyed:
        r = send(client, kristiansand, op, own, own)
        assert r.status_code < 400 or r.status_code == 409, (str(op), r.status_code, r.json)
    # and its pages on Alta's records are 404 too
    pages = browser(app, kristiansand)
    for method, rule in page_routes(app):
        if re.search(r"<(?:int:)?\w+_id>|<int:year>", rule):
            r = pages.open(page_path(rule, kristiansand, altas), method=method, data={})
            assert r.status_code == 404, (method, rule, r.status_code)


def test_nothing_the_other_town_reads_holds_altas_rows(app, client, alta, kristiansand):
    own = every_record(client, kristiansand, OTHER_YEAR)
    before = reads(app, client, kristiansand, own, year=ALTA_YEAR)
    altas = every_record(client, alta, ALTA_YEAR)
    assert reads(app, client, kristiansand, own, year=ALTA_YEAR) == before
    # Alta's own pages show what Kristiansand's must not
    altas_pages = browser(app, alta)
    for path, altas_text in [("/g-table", "by hand in Alta"),
                             (f"/cases/{altas['case_id']}/staircase", "overnight in Alta"),
                             (f"/cases/{altas['case_id']}/plan", "of my own in Alta")]:
        assert altas_text in altas_pages.get(f"/t/alta{X}{path}").text, path
    pages = browser(app, kristiansand)
    for method, rule in page_routes(app):
        if method == "GET" and not rule.endswith(".csv"):
            r = pages.get(page_path(rule, kristiansand, own))
            assert r.status_code == 200, (rule, r.status_code)
            for altas_text in ("by hand in Alta", "overnight in Alta", "of my own in Alta"):
                assert altas_text not in r.text, (rule, altas_text)


#: For each body field that names a record: which of Alta's records to name in it.
ALTAS_RECORD_FOR = {"flat_id": "free_flat_id", "case_id": "waiting_case_id", "shift_id": "shift_id",
                    "user_id": "user_id", "contact_person_id": "contact_person_id", "decision_id": "decision_id"}


def named(fields: dict, field: str) -> bool:
    return field in fields or any(isinstance(v, dict) and named(v, field) for v in fields.values())


def test_a_body_field_naming_one_of_altas_records_is_refused(app, client, alta, kristiansand):
    altas = every_record(client, alta, ALTA_YEAR)
    own = every_record(client, kristiansand, OTHER_YEAR)
    checked = []
    for op, field in body_fields(app):
        assert field in ALTAS_RECORD_FOR, f"{op}: add Alta's record for the body field {field!r} to ALTAS_RECORD_FOR"
        body = {**valid_body(op, own), field: altas[ALTAS_RECORD_FOR[field]]}
        r = send(client, kristiansand, op, own, own, body=body)
        assert r.status_code in (404, 422), (str(op), field, r.status_code, r.json)
        assert r.status_code == 404 or named(r.json["fields"], field), (str(op), field, r.json)
        checked.append((str(op), field))
    assert len(checked) >= 6, checked
    # the core's routes that carry the plugin's fields: the move-in's flat, the step change's breaches
    case_id = flow.ready_for_intake(client, kristiansand, flow.months_before(flow.today(), 12), flow.today())
    r = flow.move(client, kristiansand, case_id, "move_in", {"flat_id": altas["flat_id"],
                                                             "moved_in_on": flow.today().isoformat()})
    # (the core's transition guard refuses it with the plugin's reason, a 409 like any move not allowed)
    assert r.status_code in (409, 422) and f"no flat {altas['flat_id']} here" in r.json["message"], r.json
    assert flow.stay(client, kristiansand, case_id)["flat_id"] is None
    inputs = {"direction": "down", "breach_ids": [altas["breach_id"]], "severity": "ordinary", "reasons": ["x"]}
    r = client.post(kristiansand.url("/rules/aftercare/step_change/evaluations"),
                    json={"case_id": own["case_id"], "inputs": inputs}, headers=kristiansand.aftercare_leader.headers)
    assert r.status_code == 422 and named(r.json["fields"], "breach_ids"), r.json


# --- Bergen, without aftercare ---------------------------------------------------------------------

def test_bergen_without_aftercare_gets_404_on_every_operation_the_form_and_every_page(app, client, alta, bergen):
    altas = every_record(client, alta, ALTA_YEAR)
    for op in operations(app):
        r = client.open(bergen.url(fill(op.template, altas)), method=op.method, json={},
                        headers=bergen.aftercare_leader.headers)
        assert r.status_code == 404, (str(op), r.status_code)
    submission, evaluation = {"case_id": altas["case_id"], "data": {}}, {"case_id": altas["case_id"], "inputs": {}}
    for method, path, body in [("GET", "/forms/aftercare/application", None),
                               ("POST", "/forms/aftercare/application/submissions", submission),
                               ("POST", "/rules/aftercare/step_change/evaluations", evaluation),
                               ("POST", "/rules/aftercare/stay_extension/evaluations", evaluation)]:
        r = client.open(bergen.url(path), method=method, json=body, headers=bergen.aftercare_leader.headers)
        assert r.status_code == 404, (method, path, r.status_code)
    pages = browser(app, bergen)
    routes = page_routes(app)
    assert len(routes) >= 30
    for method, rule in routes:
        r = pages.open(page_path(rule, bergen, altas), method=method, data={})
        assert r.status_code == 404, (method, rule, r.status_code)


# --- switching it off ---------------------------------------------------------------------------------

def daily_runs(app, town, slot: str) -> int:
    """How many daily jobs of that slot `town` has that succeeded, read in its own scope."""
    with app.app_context(), tenant_scope(town.tenant):
        return len(db.session.scalars(sa.select(JobRun).where(
            JobRun.task == daily.TASK, JobRun.idempotency_key == f"{daily.BEAT_ENTRY.name}:{slot}",
            JobRun.state == "succeeded")).all())


def test_disabling_aftercare_for_alta_hides_it_and_stops_its_job_for_alta_only(app, client, alta, kristiansand,
                                                                                bergen):
    altas = every_record(client, alta, ALTA_YEAR)
    every_record(client, kristiansand, OTHER_YEAR)
    with app.app_context():
        fan_out(daily.BEAT_ENTRY.name, slot="2026-03-02T05:30")
    towns = (alta, kristiansand, bergen)
    assert [daily_runs(app, town, "2026-03-02T05:30") for town in towns] == [1, 1, 0]
    altas_view = reads(app, client, alta, altas)

    ok(client.delete(alta.url("/plugins/aftercare/enabled"), headers=alta.tenant_admin.headers))
    for op in operations(app):
        r = client.open(alta.url(fill(op.template, altas)), method=op.method, json={},
                        headers=alta.aftercare_leader.headers)
        assert r.status_code == 404, (str(op), r.status_code)
    assert client.get(alta.url("/forms/aftercare/application"), headers=alta.aftercare_staff.headers).status_code == 404
    pages = browser(app, alta)
    for method, rule in page_routes(app):
        assert pages.open(page_path(rule, alta, altas), method=method, data={}).status_code == 404, (method, rule)
    # Kristiansand still has it
    assert client.get(kristiansand.url(f"{X}/flats"), headers=kristiansand.aftercare_staff.headers).status_code == 200
    with app.app_context():
        fan_out(daily.BEAT_ENTRY.name, slot="2026-03-03T05:30")
    assert [daily_runs(app, town, "2026-03-03T05:30") for town in towns] == [0, 1, 0]

    # Alta's data is kept: switching it back on brings it back as it was
    ok(client.put(alta.url("/plugins/aftercare/enabled"), headers=alta.tenant_admin.headers))
    assert reads(app, client, alta, altas) == altas_view
    with app.app_context():
        fan_out(daily.BEAT_ENTRY.name, slot="2026-03-04T05:30")
    assert [daily_runs(app, town, "2026-03-04T05:30") for town in towns] == [1, 1, 0]


# --- PostgreSQL: row-level security ---------------------------------------------------------------------

@pytest.mark.postgres
def test_every_aftercare_table_forces_row_level_security(client, alta, kristiansand, bergen, aftercare_database):
    every_record(client, alta, ALTA_YEAR)
    every_record(client, kristiansand, OTHER_YEAR)
    check_plugin_tables(aftercare_database, "aftercare_", with_rows=(alta, kristiansand), without_rows=(bergen,),
                        at_least=20)
