"""Odense's drop-in outreach is Odense's. The issue's checks: "The public schedule page shows no
personal data and no other tenant's centres. Disabling the plugin for Odense stops its job and
hides it for Odense only; Norwegian tenants are never offered it (countries); isolation generated
from the OpenAPI document; RLS on every plugin table; bad input is a 4xx naming the field."

- Aarhus, which has dropin too, replays every operation of ``/x/dropin`` that names a record in
  its path with Odense's ids and gets 404 — the operations are read from ``/api/openapi.json``, so
  a new endpoint is covered the day it is added (and fails here, named, until it has a valid body
  below); whatever Aarhus reads holds none of Odense's rows; a body field or query parameter
  naming one of Odense's records (a centre, a person, a case, a service, a staff member) is
  refused naming the field; its pages on Odense's records are 404, and so are Odense's centres on
  Aarhus's public pages, which show no one's name, e-mail, citizen code or note.
- Bergen, Norwegian, is never offered it: 404 on every operation, every page and the public pages.
- Odense switching it off: its routes, pages and public pages 404 and the weekly fan-out runs for
  Aarhus only; switching it back on brings Odense's data back untouched.
- Bad input, from the same document: every body field and query parameter with a value of the
  wrong type (a date that does not exist, a word or a fraction for a number, an id past the
  database's integers) and a field the operation lacks is a 4xx naming the field, never a 500; the
  plugin's schemas keep their own names in the document (none renamed for a clash with the core's).
- PostgreSQL: every ``dropin_*`` table has row-level security enabled and forced with the tenant
  policy, and the app's role reads no rows without a tenant and only its own town's with one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from velferd_dropin import weekly

from tests.plugins.dropin.records import X, every_record, mark, ok, this_monday
from tests.plugins.row_security import check_plugin_tables
from tests.web.conftest import BROWSER_ACCEPT
from tests.web.pages import log_in, text_of
from velferd.clock import tenant_today
from velferd.db import db
from velferd.jobs.fanout import fan_out
from velferd.models import JobRun
from velferd.tenancy import tenant_scope

PREFIX = "/api/t/{tenant}"
ROLE = "dropin_coordinator"  # holds every dropin permission


# --- the operations, from the OpenAPI document ---------------------------------------------------------

@dataclass(frozen=True)
class Operation:
    method: str
    template: str        # the path below /api/t/<tenant>, e.g. "/x/dropin/centres/{centre_id}"
    params: tuple[str, ...]
    query: tuple[str, ...]  # required query parameters
    record_query: tuple[str, ...]  # query parameters that name a record (``…_id``)
    body: str | None     # the request body's schema name, if it has one

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


def _document(app) -> dict:
    return app.test_client().get("/api/openapi.json").get_json()


def operations(app) -> list[Operation]:
    """Every operation of the plugin's API in the app's OpenAPI document."""
    found = []
    for path, item in _document(app)["paths"].items():
        if not path.startswith(f"{PREFIX}{X}"):
            continue
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            parameters = [*item.get("parameters", []), *op.get("parameters", [])]
            query = [p for p in parameters if p["in"] == "query"]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            found.append(Operation(
                method.upper(), path.removeprefix(PREFIX),
                tuple(p["name"] for p in parameters if p["in"] == "path" and p["name"] != "tenant"),
                tuple(p["name"] for p in query if p.get("required")),
                tuple(p["name"] for p in query if p["name"].endswith("_id")),
                body["$ref"].rsplit("/", 1)[1] if body else None))
    return sorted(found, key=str)


def body_fields(app) -> list[tuple[Operation, str]]:
    """(operation, field) for every request-body field that names a record (``…_id``/``…_ids``)."""
    schemas = _document(app)["components"]["schemas"]

    def walk(name):
        for field, spec in schemas[name].get("properties", {}).items():
            if field.endswith(("_id", "_ids")) and field not in NOT_RECORDS:
                yield field
            ref = spec.get("$ref") or spec.get("items", {}).get("$ref")
            if ref:
                yield from walk(ref.rsplit("/", 1)[1])

    return [(op, field) for op in operations(app) if op.body for field in walk(op.body)]


#: Fields named like a record's id that name none: the CPR number a consent registers the person with.
NOT_RECORDS = {"national_id"}
#: Path parameters that name a record of the town (another town's → 404).
RECORD_KEYS = re.compile(r"\w+_id$")


def is_keyed(op: Operation) -> bool:
    unknown = [p for p in op.params if not RECORD_KEYS.match(p)]
    assert not unknown, f"{op}: classify the path parameter(s) {unknown} in RECORD_KEYS"
    return bool(op.params)


def fill(template: str, ids: dict) -> str:
    """The path with the town's ids; a parameter is looked up as ``<segment>:<name>`` for the
    segments before it, nearest first (``implementation:meeting_id``), then as ``<name>``."""
    segments = template.split("/")

    def value(index: int, name: str):
        for before in reversed(segments[:index]):
            if f"{before}:{name}" in ids:
                return ids[f"{before}:{name}"]
        return ids[name]

    return "/".join(str(value(i, s[1:-1])) if s.startswith("{") else s for i, s in enumerate(segments))


def valid_body(op: Operation, ids: dict) -> dict | None:
    """A body the town could send for its own records (`ids`), so only a foreign id in the path
    can stop the request. An operation with a body and none here fails, naming itself."""
    monday = dt.date.fromisoformat(ids["week"])
    day = lambda n: (monday + dt.timedelta(days=n)).isoformat()  # noqa: E731
    bodies = {
        # the centres and their agreements
        "POST /x/dropin/centres": {"name": "Værestedet Broen", "ownership": "municipal"},
        "PATCH /x/dropin/centres/{centre_id}": {"address": "Nørregade 2"},
        "POST /x/dropin/centres/{centre_id}/agreements": {
            "parties": "The municipality and the centre", "starts_on": "2026-01-01",
            "municipality_provides": "An SKP worker", "centre_provides": "Coffee and a room"},
        "PATCH /x/dropin/agreements/{agreement_id}": {"centre_provides": "Coffee, a room and a phone"},
        # presence
        "POST /x/dropin/services": {"kind": "substance_abuse"},
        "PATCH /x/dropin/services/{service_id}": {"note": "Walk in, no appointment"},
        "POST /x/dropin/centres/{centre_id}/slots": {
            "service_id": ids["service_id"], "user_id": ids["user_id"], "weekday": "thursday",
            "starts": "13:00", "ends": "15:00", "valid_from": day(0)},
        "POST /x/dropin/slots/{slot_id}/cancellations": {"falls_on": day(15), "reason": "Training day"},
        "POST /x/dropin/slots/{slot_id}/end": {"valid_until": day(27)},
        "POST /x/dropin/centres/{centre_id}/holidays": {"starts_on": day(35), "ends_on": day(36),
                                                        "reason": "Christmas"},
        "POST /x/dropin/schedule/rebuild": {},
        # contacts and consent
        "POST /x/dropin/contacts": {"centre_id": ids["centre_id"], "person_id": ids["person_id"],
                                    "contact_on": ids["contact_on"], "help": ["personal_finances"], "service": "centre",
                                    "worker_role": "centre_staff"},
        "POST /x/dropin/consents": {"person_id": ids["person_id"], "given_on": ids["contact_on"],
                                    "scope": ["jobcentre"]},
        "POST /x/dropin/consents/{consent_id}/withdrawal": {"withdrawn_on": ids["contact_on"],
                                                            "reason": "No longer wants help"},
        # statutory meetings
        "POST /x/dropin/meetings": {
            "service": "case_processing", "administration": "jobcenter", "subject": "Follow-up",
            "meets_on": "2025-03-11", "meets_at": "11:00", "place": "centre", "centre_id": ids["centre_id"],
            "chosen_by_citizen": True, "case_id": ids["case_id"]},
        "POST /x/dropin/meetings/{meeting_id}/attendance": {"attendance": "attended"},
        # team activities
        "POST /x/dropin/centres/{centre_id}/activities": {"title": "Health", "kind": "health_course",
                                                          "starts_on": "2025-09-01"},
        "POST /x/dropin/activities/{activity_id}/sessions": {"held_on": "2025-09-09", "anonymous_count": 3},
        "POST /x/dropin/activities/{activity_id}/super-users": {"alias": "Bo", "trained_on": "2025-08-16"},
        # the implementation team
        "POST /x/dropin/implementation/members": {"name": "Jens Madsen", "organisation_kind": "centre",
                                                  "centre_id": ids["centre_id"], "role": "Volunteer"},
        "PATCH /x/dropin/implementation/members/{member_id}": {"role": "Chair", "centre_id": ids["centre_id"]},
        "POST /x/dropin/implementation/meetings": {"held_on": "2025-04-07", "agenda": "Status"},
        "PATCH /x/dropin/implementation/meetings/{meeting_id}": {"minutes": "All present"},
        "POST /x/dropin/implementation/working-groups": {"name": "Follow-up", "purpose": "Meetings at the centre",
                                                         "started_on": "2025-03-01"},
        "PATCH /x/dropin/implementation/working-groups/{group_id}": {"members": "Two caseworkers"},
        "POST /x/dropin/implementation/plan": {"topic": "Outreach", "audience": "centre_staff",
                                               "planned_on": "2025-05-01"},
        "PATCH /x/dropin/implementation/plan/{item_id}": {"done_on": "2025-04-02"},
        "POST /x/dropin/implementation/phases": {"kind": "development", "starts_on": "2025-04-01"},
        "PATCH /x/dropin/implementation/phases/{phase_id}": {"note": "Agreements signed"},
        # the evaluation
        "POST /x/dropin/costs": {"year": 2025, "service": "skp", "label": "SKP", "amount": "99999.99"},
        "PATCH /x/dropin/costs/{cost_id}": {"covers": "Salary incl. pension"},
        "POST /x/dropin/surveys/citizen": {"centre_id": ids["centre_id"], "answered_on": "2025-06-02",
                                           "trust": 4},
        "POST /x/dropin/surveys/staff": {"centre_id": ids["centre_id"], "answered_on": "2025-06-02",
                                         "roles_clear": 3},
    }
    if op.body is None:
        return None
    if str(op) not in bodies:
        pytest.fail(f"{op} has a body ({op.body}) and none here: add a valid one to valid_body")
    return bodies[str(op)]


def queries(town) -> dict[str, dict]:
    """The required query parameters of the reads (a period reaching today, the costs' year)."""
    period = {"start": "2025-01-01", "end": tenant_today(town.tenant).isoformat()}
    return {"GET /x/dropin/evaluation/reach": period, "GET /x/dropin/surveys": period,
            "GET /x/dropin/surveys/responses": period, "GET /x/dropin/evaluation": period,
            "GET /x/dropin/evaluation/cost-per-citizen": {"year": 2025}, "GET /x/dropin/costs": {"year": 2025}}


def send(client, town, op: Operation, path_ids: dict, body_ids: dict, body: dict | None = None,
         query: dict | None = None):
    """`op` by `town`'s coordinator, who holds every dropin permission."""
    query = {**queries(town).get(str(op), {}), **(query or {})}
    missing = set(op.query) - set(query)
    assert not missing, f"{op}: add its required query parameters {missing} to queries()"
    return client.open(town.url(fill(op.template, path_ids)), method=op.method, query_string=query,
                       json=valid_body(op, body_ids) if body is None else body, headers=town.staff[ROLE].headers)


def reads(app, client, town, ids: dict) -> dict[str, object]:
    """Every GET of the plugin's API as `town` sees it with `ids`."""
    seen = {}
    for op in operations(app):
        if op.method == "GET":
            r = send(client, town, op, ids, ids)
            assert r.status_code == 200, (str(op), r.status_code, r.json)
            seen[str(op)] = r.json
    return seen


def records(client, town) -> dict:
    """`every_record`, with the day the town's contacts were made (for the bodies above)."""
    ids = every_record(client, town)
    return {**ids, "contact_on": (tenant_today(town.tenant) - dt.timedelta(days=3)).isoformat()}


# --- pages ------------------------------------------------------------------------------------------

def page_routes(app) -> list[tuple[str, str]]:
    """(method, rule) of every staff page of the plugin, from the app's URL map."""
    return sorted((method, rule.rule) for rule in app.url_map.iter_rules()
                  if rule.rule.startswith(f"/t/<tenant>{X}") for method in rule.methods - {"HEAD", "OPTIONS"})


def page_path(rule: str, town, ids: dict) -> str:
    filled = rule.replace("<tenant>", town.slug)
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), filled)


def browser(app, town, role=ROLE):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    assert log_in(client, town.staff[role].email).status_code == 302
    return client


def visitor(app):
    """Anyone, not logged in, reading the public pages in English."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    assert client.post("/language", data={"lang": "en"}).status_code == 302
    return client


def public_paths(town, ids: dict) -> list[str]:
    return [f"/p/{town.slug}/dropin/", f"/p/{town.slug}/dropin/{ids['centre_slug']}",
            f"/p/{town.slug}/dropin/{ids['centre_slug']}?week={ids['week']}"]


# --- Aarhus, with dropin too ------------------------------------------------------------------------

def test_another_town_with_dropin_gets_404_for_every_operation_on_odenses_records(app, client, odense, aarhus):
    odenses = records(client, odense)
    own = records(client, aarhus)
    odenses_view = reads(app, client, odense, odenses)
    ops = operations(app)
    keyed = [op for op in ops if is_keyed(op)]
    assert len(keyed) >= 30, [str(op) for op in keyed]
    for op in keyed:
        r = send(client, aarhus, op, odenses, own)
        assert r.status_code == 404, (str(op), r.status_code, r.json)
    assert reads(app, client, odense, odenses) == odenses_view
    # the bodies were valid: with its own ids Aarhus is let through (or told of a conflict); the
    # deletions last, so the other operations find their record
    for op in sorted(keyed, key=lambda op: op.method == "DELETE"):
        r = send(client, aarhus, op, own, own)
        assert r.status_code < 400 or r.status_code == 409, (str(op), r.status_code, r.json)
    # and its pages on Odense's records are 404 too
    pages = browser(app, aarhus)
    keyed_pages = [(method, rule) for method, rule in page_routes(app) if re.search(r"<(?:int:)?\w+_id>", rule)]
    assert len(keyed_pages) >= 20, keyed_pages
    for method, rule in keyed_pages:
        r = pages.open(page_path(rule, aarhus, odenses), method=method, data={})
        assert r.status_code == 404, (method, rule, r.status_code)


def test_nothing_the_other_town_reads_holds_odenses_rows(app, client, odense, aarhus):
    own = records(client, aarhus)
    before = reads(app, client, aarhus, own)
    odenses = records(client, odense)
    assert reads(app, client, aarhus, own) == before
    assert odense.tenant.name not in str(before)
    # Odense's own pages show what Aarhus's must not
    odenses_pages = browser(app, odense)
    for path, odenses_text in (("/centres", f"Café {odense.tenant.name}"),
                               (f"/centres/{odenses['centre_id']}", mark(odense)),
                               (f"/activities/{odenses['activity_id']}", mark(odense)),
                               ("/implementation", mark(odense)), ("/meetings", mark(odense))):
        assert odenses_text in odenses_pages.get(f"/t/odense{X}{path}").text, path
    pages = browser(app, aarhus)
    gets = [rule for method, rule in page_routes(app) if method == "GET" and not rule.endswith(".csv")]
    assert len(gets) >= 15, gets
    for rule in gets:
        r = pages.get(page_path(rule, aarhus, own))
        assert r.status_code == 200, (rule, r.status_code)
        assert mark(odense) not in r.text and f"Café {odense.tenant.name}" not in r.text, rule


#: For each body field or query parameter that names a record: which of Odense's records to name in it.
ODENSES_RECORD_FOR = {"centre_id": "centre_id", "person_id": "person_id", "case_id": "case_id",
                      "service_id": "service_id", "user_id": "user_id"}


def names(fields: dict, field: str) -> bool:
    return field in fields or any(isinstance(v, dict) and names(v, field) for v in fields.values())


def test_a_body_field_naming_one_of_odenses_records_is_refused_naming_it(app, client, odense, aarhus):
    odenses = records(client, odense)
    own = records(client, aarhus)
    odenses_view = reads(app, client, odense, odenses)
    checked = []
    for op, field in body_fields(app):
        assert field in ODENSES_RECORD_FOR, f"{op}: add Odense's record for the body field {field!r}"
        r = send(client, aarhus, op, own, own)  # the body is valid with Aarhus's own records
        assert r.status_code < 400 or r.status_code == 409, (str(op), r.status_code, r.json)
        body = {**valid_body(op, own), field: odenses[ODENSES_RECORD_FOR[field]]}
        r = send(client, aarhus, op, own, own, body=body)
        assert r.status_code in (404, 422), (str(op), field, r.status_code, r.json)
        assert r.status_code == 404 or names(r.json["fields"], field), (str(op), field, r.json)
        checked.append((str(op), field))
    assert len(checked) >= 10, checked
    assert reads(app, client, odense, odenses) == odenses_view


def test_a_query_parameter_naming_one_of_odenses_records_shows_none_of_it(app, client, odense, aarhus):
    """A filter by Odense's centre or staff member is refused naming it, or finds nothing."""
    odenses = records(client, odense)
    own = records(client, aarhus)
    checked = []
    for op in operations(app):
        for param in op.record_query:
            assert param in ODENSES_RECORD_FOR, f"{op}: add Odense's record for the query parameter {param!r}"
            r = send(client, aarhus, op, own, own, query={param: odenses[ODENSES_RECORD_FOR[param]]})
            assert r.status_code in (200, 404, 422), (str(op), param, r.status_code, r.json)
            if r.status_code == 422:
                assert names(r.json["fields"], param), (str(op), param, r.json)
            assert odense.tenant.name not in str(r.json), (str(op), param, r.json)
            checked.append((str(op), param))
    assert len(checked) >= 5, checked


def test_the_public_pages_show_no_personal_data_and_no_other_towns_centres(app, client, odense, aarhus):
    odenses = records(client, odense)
    own = records(client, aarhus)
    anyone = visitor(app)
    for path in public_paths(aarhus, own):
        r = anyone.get(path)
        assert r.status_code == 200, (path, r.status_code)
        text = text_of(r)
        assert f"Café {aarhus.tenant.name}" in text and odense.tenant.name not in text, path
        for staff in (*odense.staff.values(), *aarhus.staff.values()):
            assert staff.email not in r.text, (path, staff.email)
        # the staff's names ("dropin_outreach aarhus"), the citizen's code and name, the contact's note
        for personal in ("dropin_outreach", "dropin_coordinator", "RAVN", "Borger", f"A letter {mark(aarhus)}"):
            assert personal not in r.text, (path, personal)
    for path in (f"/p/aarhus/dropin/{odenses['centre_slug']}", f"/p/aarhus/dropin/{odenses['centre_slug']}"
                                                               f"?week={odenses['week']}"):
        assert anyone.get(path).status_code == 404, path


# --- bad input, from the OpenAPI document ---------------------------------------------------------------

#: Past the database's integer (PostgreSQL's 32 bits) and past any (SQLite's 64 bits): refused by the
#: schema or not found, never a database error.
TOO_BIG = (2**40, 2**63)


def bad_values(spec: dict) -> list:
    """Values the field's declared type refuses (none for free text, which any string fits)."""
    kind, form = spec.get("type"), spec.get("format")
    if spec.get("enum"):
        return ["nonsense"]
    return {("string", "date"): ["2025-02-30", "yesterday"], ("string", "decimal"): ["abc"],
            ("integer", None): ["many", *TOO_BIG], ("boolean", None): ["perhaps"],
            ("array", None): ["not a list"]}.get((kind, form), [])


def refused_naming(r, field: str) -> bool:
    """A 422 naming the field, or — for a field naming a record — a 404 for the record."""
    if r.status_code == 404 and field.endswith("_id"):
        return True
    return r.status_code == 422 and names(r.json.get("fields", {}), field)


def refusals(app, client, town, ids: dict, values) -> tuple[list, list]:
    """Every body field and query parameter of the plugin's operations sent with each of
    `values(spec)`, an operation at a time: (what was checked, what was not refused naming it)."""
    document = _document(app)
    schemas, paths = document["components"]["schemas"], document["paths"]
    checked, wrong = [], []
    for op in operations(app):
        sent = []
        if op.body:
            base = valid_body(op, ids)
            sent += [(field, bad, {"body": {**base, field: bad}})
                     for field, spec in schemas[op.body].get("properties", {}).items() for bad in values(spec)]
        declared = paths[f"{PREFIX}{op.template}"][op.method.lower()].get("parameters", [])
        sent += [(p["name"], bad, {"query": {p["name"]: bad}})
                 for p in declared if p["in"] == "query" for bad in values(p.get("schema", {}))]
        for field, bad, how in sent:
            r = send(client, town, op, ids, ids, **how)
            if not refused_naming(r, field):
                wrong.append((str(op), field, bad, r.status_code, (r.json or {}).get("message")))
            checked.append((str(op), field))
    return checked, wrong


def test_bad_input_is_a_4xx_naming_the_field_for_every_operation(app, client, odense):
    """Every body field and query parameter of the plugin's operations with a value of the wrong
    type (a date that does not exist, a word for a number, an id past the database's integers…)
    is refused naming it — never a 500; so is a field the operation does not have."""
    own = records(client, odense)
    checked, wrong = refusals(app, client, odense, own, bad_values)
    assert not wrong, "\n".join(map(str, wrong))
    assert len(checked) >= 150, len(checked)
    for op in operations(app):
        if op.body:
            r = send(client, odense, op, own, own, body={**valid_body(op, own), "colour": "red"})
            assert refused_naming(r, "colour"), (str(op), r.status_code, r.json)


def test_a_fraction_where_a_whole_number_belongs_is_refused_naming_the_field(app, client, odense):
    """1.5 participants, a score of 4.5 or centre 1.5 is refused, not cut down to a whole number."""
    own = records(client, odense)
    checked, wrong = refusals(app, client, odense, own, lambda spec: [1.5] if spec.get("type") == "integer" else [])
    assert not wrong, "\n".join(map(str, wrong))
    assert len(checked) >= 20, len(checked)


def test_the_plugins_schemas_keep_their_own_names_in_the_openapi_document(app):
    """A schema named like one of the core's is renamed by flask-smorest ("Meeting1"), so the
    document names the plugin's response after something it is not."""
    doc = _document(app)
    names_used = set()
    for path, item in doc["paths"].items():
        if path.startswith(f"{PREFIX}{X}"):
            names_used |= set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(item)))
    renamed = sorted(name for name in names_used if re.search(r"\D\d+$", name) and name.rstrip("0123456789")
                     in doc["components"]["schemas"])
    assert renamed == [], renamed


# --- Bergen, Norwegian: never offered ----------------------------------------------------------------

def test_bergen_is_never_offered_dropin_and_gets_404_everywhere(app, client, odense, bergen):
    odenses = records(client, odense)
    r = client.put(bergen.url("/plugins/dropin/enabled"), headers=bergen.tenant_admin.headers)
    assert r.status_code == 404 and "not offered in NO" in r.json["message"], r.json
    ops = operations(app)
    assert len(ops) >= 50, len(ops)
    for op in ops:
        r = client.open(bergen.url(fill(op.template, odenses)), method=op.method, json={},
                        query_string=queries(bergen).get(str(op), {}), headers=bergen.staff[ROLE].headers)
        assert r.status_code == 404, (str(op), r.status_code)
    pages = browser(app, bergen)
    routes = page_routes(app)
    assert len(routes) >= 40, len(routes)
    for method, rule in routes:
        r = pages.open(page_path(rule, bergen, odenses), method=method, data={})
        assert r.status_code == 404, (method, rule, r.status_code)
    anyone = visitor(app)
    for path in public_paths(bergen, odenses):
        assert anyone.get(path).status_code == 404, path


# --- switching it off ---------------------------------------------------------------------------------

def weekly_runs(app, town, slot: str) -> int:
    """How many weekly jobs of that slot `town` has that succeeded, read in its own scope."""
    with app.app_context(), tenant_scope(town.tenant):
        found = len(db.session.scalars(sa.select(JobRun).where(
            JobRun.task == weekly.TASK, JobRun.idempotency_key == f"{weekly.BEAT_ENTRY.name}:{slot}",
            JobRun.state == "succeeded")).all())
        db.session.commit()
        return found


def test_disabling_dropin_for_odense_hides_it_and_stops_its_job_for_odense_only(app, client, odense, aarhus,
                                                                               bergen):
    odenses = records(client, odense)
    own = records(client, aarhus)
    towns = (odense, aarhus, bergen)
    with app.app_context():
        fan_out(weekly.BEAT_ENTRY.name, slot="2026-03-02T04:00")
    assert [weekly_runs(app, town, "2026-03-02T04:00") for town in towns] == [1, 1, 0]
    odenses_view = reads(app, client, odense, odenses)
    anyone = visitor(app)
    odenses_public = {path: text_of(anyone.get(path)) for path in public_paths(odense, odenses)}

    ok(client.delete(odense.url("/plugins/dropin/enabled"), headers=odense.tenant_admin.headers))
    for op in operations(app):
        r = client.open(odense.url(fill(op.template, odenses)), method=op.method, json={},
                        query_string=queries(odense).get(str(op), {}), headers=odense.staff[ROLE].headers)
        assert r.status_code == 404, (str(op), r.status_code)
    pages = browser(app, odense)
    for method, rule in page_routes(app):
        assert pages.open(page_path(rule, odense, odenses), method=method, data={}).status_code == 404, (method, rule)
    for path in public_paths(odense, odenses):
        assert anyone.get(path).status_code == 404, path
    # Aarhus still has it
    assert reads(app, client, aarhus, own)
    for path in public_paths(aarhus, own):
        assert anyone.get(path).status_code == 200, path
    with app.app_context():
        fan_out(weekly.BEAT_ENTRY.name, slot="2026-03-09T04:00")
    assert [weekly_runs(app, town, "2026-03-09T04:00") for town in towns] == [0, 1, 0]

    # Odense's data is kept: switching it back on brings it back as it was
    ok(client.put(odense.url("/plugins/dropin/enabled"), headers=odense.tenant_admin.headers))
    assert reads(app, client, odense, odenses) == odenses_view
    assert {path: text_of(anyone.get(path)) for path in public_paths(odense, odenses)} == odenses_public
    with app.app_context():
        fan_out(weekly.BEAT_ENTRY.name, slot="2026-03-16T04:00")
    assert [weekly_runs(app, town, "2026-03-16T04:00") for town in towns] == [1, 1, 0]
    assert this_monday(odense).isoformat() == odenses["week"]


# --- PostgreSQL: row-level security ---------------------------------------------------------------------

@pytest.mark.postgres
def test_every_dropin_table_forces_row_level_security(client, odense, aarhus, bergen, dropin_database):
    records(client, odense)
    records(client, aarhus)
    check_plugin_tables(dropin_database, "dropin_", with_rows=(odense, aarhus), without_rows=(bergen,), at_least=20)
