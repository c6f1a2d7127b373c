"""Two municipalities side by side: nothing of Bergen's can be reached from Alta.

The cases are generated from the OpenAPI document, so an endpoint is covered the day it is added:

* every operation under ``/api/t/{tenant}`` is replayed at Bergen's URL with each Alta token (403);
* every operation that takes a record's id is replayed at Alta's URL with Bergen's ids (404),
  and then by Bergen's own staff (2xx) to prove the request itself was fine;
* every list is read as Alta and must hold Alta's rows and no trace of Bergen's;
* every id in a request body is tried with Bergen's record (refused, naming the field).

An operation that the sample ids or the body table below cannot fill fails, saying what to add.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

import pytest
import sqlalchemy as sa

from tests.databases import clean_database_url, migrated_database, restore_snapshot, running_app, seeded_once
from tests.helpers import Municipality, Staff, populated_municipality, reloaded, synthetic_id
from tests.plugins.example import ExamplePlugin
from velferd import create_app
from velferd.db import Base, TenantOwned, db
from velferd.identity import mask_national_id
from velferd.models import AuditEvent
from velferd.tenancy import tenant_scope

PREFIX = "/api/t/{tenant}"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
#: Installed plugins and their forms and rules: the same names in every tenant, not tenant records;
#: and a run's export file number (1, 2, …), which only counts within the run its path names.
GLOBAL_NAMES = {"plugin", "plugin_id", "name", "sequence"}
#: Paging positions, not references to a record.
CURSORS = {"after_id", "before_id", "next_after_id", "next_before_id"}
#: ``*_id`` keys in responses that are no row reference (national ids are searched for as text).
NOT_REFERENCES = CURSORS | {"national_id", "person_national_id", "request_id"}  # request_id: a log key
#: Body fields whose sample is another parameter's (a unit id, a staff member's user id).
ALIASES = {"referring_unit_id": "unit_id", "assigned_to_id": "user_id", "payer_unit_id": "unit_id"}

#: A valid body for every operation that takes one, so that validation is never what stops a
#: request. Required ``*_id`` fields are filled from the sample ids of the tenant at hand.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/units"): {"name": "Oppfølgingstjenesten", "kind": "outreach"},
    ("PUT", "/units/{unit_id}"): {"name": "Renamed unit", "kind": "other"},
    ("POST", "/members"): {"email": "newcomer@example.test", "name": "Newcomer", "roles": ["caseworker"]},
    ("PUT", "/members/{membership_id}"): {"roles": ["caseworker", "leader"]},
    ("POST", "/tokens"): {"name": "script"},
    ("PATCH", "/plugins/{plugin_id}/settings"): {"places": 3},
    ("POST", "/persons"): {"national_id": synthetic_id(), "given_name": "Nils", "family_name": "Nilsen"},
    ("PATCH", "/persons/{person_id}"): {"given_name": "Karin", "reason": "Misspelt at registration"},
    ("POST", "/duplicates/{duplicate_id}/dismiss"): {"note": "Two people: checked with the school"},
    ("POST", "/duplicates/{duplicate_id}/link"): {},
    ("POST", "/duplicates/{duplicate_id}/merge"): {},
    ("POST", "/cases"): {"plugin": "example"},
    ("POST", "/cases/{case_id}/transitions"): {"transition": "assess"},
    ("PUT", "/cases/{case_id}/unit"): {},
    ("POST", "/cases/{case_id}/break-glass"): {"reason": "Covering for a colleague who is ill today."},
    ("PUT", "/members/{membership_id}/work"): {"unit_ids": []},
    ("POST", "/cases/{case_id}/journal"): {"text": "Called the school."},
    ("POST", "/cases/{case_id}/meetings"): {"kind": "network meeting", "starts_at": "2026-05-04T09:00:00+02:00"},
    ("POST", "/cases/{case_id}/deadlines"): {"kind": "report", "due_on": "2026-06-01"},
    ("POST", "/forms/{plugin}/{name}/submissions"): {"data": {
        "motivation": "Needs a flat after leaving care.", "criteria": ["needs_housing"], "age": 18}},
    ("POST", "/rules/{plugin}/{name}/evaluations"): {"inputs": {"age": 18, "criteria": ["needs_housing"]}},
    ("POST", "/decisions/{decision_id}/overrides"): {"outcome": "eligible", "reason": "A place became free."},
    ("POST", "/x/example/jobs"): {"task": "example.remind", "kwargs": {"note": "from the isolation test"}},
    ("POST", "/invoices/{invoice_id}/credit"): {"reason": "Billed the wrong month."},
    ("POST", "/invoice-runs"): {"period": f"{dt.date.today().replace(day=1) - dt.timedelta(days=1):%Y-%m}"},
    ("PUT", "/billing-profile"): {"payment_terms_days": 20},
    ("PUT", "/retention/rules/{name}"): {"years": 12},
    ("POST", "/retention/holds"): {"record_type": "case", "kind": "legal_hold", "reason": "Tilsynssak."},
}

#: The table whose rows a list's items are; None where the items are no tenant's rows.
LIST_ITEMS = {"": "tenant", "/units": "unit", "/members": "membership", "/members/invitations": "invitation",
              "/tokens": "api_token",
              "/persons": "person", "/cases": "case_file", "/audit": "audit_event", "/plugins": None, "/forms": None,
              "/jobs": "job_run", "/invoices": "invoice", "/invoice-runs": "invoice_run",
              "/retention/rules": None, "/retention/proposals": "retention_proposal",
              "/retention/holds": "retention_hold", "/retention/log": "retention_disposal",
              "/billing-profile": "billing_profile", "/access-reports": "access_grant",
              "/duplicates": "possible_duplicate"}
#: The table an ``*_id`` in a response points at.
REFERENCES = {"person_id": "person", "case_id": "case_file", "referring_unit_id": "unit", "unit_id": "unit",
              "reviewed_by_id": "app_user", "grant_id": "access_grant", "supersedes_id": "decision",
              "user_id": "app_user", "actor_id": "app_user", "assigned_to_id": "app_user",
              "submitted_by_id": "app_user", "decided_by_id": "app_user", "requested_by_id": "app_user",
              "retry_of_id": "job_run", "payer_unit_id": "unit", "credits_invoice_id": "invoice",
              "run_id": "invoice_run", "job_run_id": "job_run", "proposal_id": "retention_proposal",
              "placed_by_id": "app_user", "released_by_id": "app_user", "proposed_by_job_id": "job_run",
              "disposal_id": "retention_disposal", "candidate_id": "person", "same_as_id": "person",
              "merged_into_id": "person", "corrected_by_id": "app_user"}
#: The table an audit event's ``record_type`` names (None: its record_id is not a row id).
AUDIT_RECORD_TYPES = {"access_grant": "access_grant", "person": "person", "case": "case_file", "unit": "unit", "membership": "membership",
                      "invitation": "invitation",
                      "decision": "decision", "form_submission": "form_submission", "meeting": "meeting",
                      "deadline": "deadline", "tenant_plugin": None, "job_run": "job_run",
                      "invoice": "invoice", "invoice_run": "invoice_run", "billing_profile": "billing_profile",
                      "case_event": "case_event", "invoice_line": "invoice_line", "request": None,
                      "retention_proposal": "retention_proposal", "retention_hold": "retention_hold",
                      "retention_disposal": "retention_disposal", "retention_rule": None,
                      "reminder_mail": "reminder_mail",
                      "possible_duplicate": "possible_duplicate", "person_correction": "person_correction"}


# --- the operations, read from the OpenAPI document --------------------------------------------

def openapi_document(app) -> dict:
    r = app.test_client().get("/api/openapi.json")
    assert r.status_code == 200
    return r.get_json()


def tenant_operations(doc: dict) -> dict[tuple[str, str], dict]:
    """(METHOD, path below /api/t/{tenant}) → the operation, path-level parameters merged in."""
    operations = {}
    for path, item in doc["paths"].items():
        if path.startswith(PREFIX):
            for method in HTTP_METHODS:
                if method in item:
                    parameters = item.get("parameters", []) + item[method].get("parameters", [])
                    operations[(method.upper(), path[len(PREFIX):])] = {**item[method], "parameters": parameters}
    return operations


# Read once at collection time to generate the cases; checked against the app under test below.
DOC = openapi_document(create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "LOAD_PLUGIN_ENTRY_POINTS": False},
                                  plugins=[ExamplePlugin()]))
OPERATIONS = tenant_operations(DOC)


def params(operation: tuple[str, str], where: str) -> list[str]:
    return [p["name"] for p in OPERATIONS[operation]["parameters"] if p["in"] == where and p["name"] != "tenant"]


def record_params(operation) -> list[str]:
    """Path parameters that identify one tenant's record (anything but plugin, form and rule names)."""
    return [p for p in params(operation, "path") if p not in GLOBAL_NAMES]


def reference_query_params(operation) -> list[str]:
    return [p for p in params(operation, "query") if p.endswith("_id") and p not in CURSORS]


def body_schema(operation) -> dict | None:
    body = OPERATIONS[operation].get("requestBody")
    if body is None:
        return None
    schema = body["content"]["application/json"]["schema"]
    return DOC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema


def body_id_fields(operation) -> list[str]:
    schema = body_schema(operation) or {}
    return sorted(name for name, prop in schema.get("properties", {}).items()
                  if name.endswith("_id") and name not in NOT_REFERENCES and not prop.get("readOnly"))


def label(operation) -> str:
    method, path = operation
    return f"{method} {path or '/'}"


ALL_OPERATIONS = sorted(OPERATIONS)
RECORD_OPERATIONS = [op for op in ALL_OPERATIONS if record_params(op)]
LIST_OPERATIONS = [op for op in ALL_OPERATIONS if op[0] == "GET" and not params(op, "path")]
BODY_REFERENCES = [(op, field) for op in ALL_OPERATIONS for field in body_id_fields(op)]


# --- filling a request from a tenant's sample ids ----------------------------------------------

def sample(ids: dict, path: str, param: str):
    """The value for `param` in `path`: ``ids["forms.name"]`` before ``ids["name"]``."""
    resource = path.strip("/").split("/")[0]
    for key in (f"{resource}.{param}", ALIASES.get(param, param)):
        if key in ids:
            return ids[key]
    pytest.fail(f"no sample value for '{param}' in {path}: create such a record in populated_municipality "
                f"(tests/helpers.py) and return its id under '{param}'")


def body_for(operation, ids: dict) -> dict | None:
    schema = body_schema(operation)
    if schema is None:
        return None
    if operation not in BODIES:
        pytest.fail(f"{label(operation)} takes a body: add a valid one to BODIES")
    body = dict(BODIES[operation])
    for field in set(schema.get("required", ())) & set(body_id_fields(operation)):
        body.setdefault(field, sample(ids, operation[1], field))
    missing = set(schema.get("required", ())) - body.keys()
    assert not missing, f"the body for {label(operation)} in BODIES lacks the required {sorted(missing)}"
    return body


def request(client, operation, town: Municipality, staff: Staff, path_ids: dict, body_ids: dict | None = None,
            body: dict | None = None, **extra):
    """Send `operation` to `town`'s URL with path values from `path_ids` and `body` (by default
    the valid body from BODIES, its ids from `body_ids`, else from `path_ids`)."""
    method, path = operation
    filled = re.sub(r"\{(\w+)\}", lambda m: str(sample(path_ids, path, m.group(1))), path)
    if body is None:
        body = body_for(operation, path_ids if body_ids is None else body_ids)
    return client.open(town.url(filled), method=method, json=body, headers=staff.headers, **extra)


# --- what a tenant owns ------------------------------------------------------------------------

def tenant_rows(app, town: Municipality) -> dict[str, dict[int, dict]]:
    """Every row `town` owns, table by table: read in its own scope (as row-level security requires)
    and filtered explicitly, so the yardstick does not lean on the tenancy code under test."""
    rows = {}
    with app.app_context(), tenant_scope(town.tenant):
        present = set(sa.inspect(db.engine).get_table_names())
        for mapper in Base.registry.mappers:
            model = mapper.class_
            # a plugin imported elsewhere in the session (its tests) adds models whose tables this
            # app's database need not have; the core's own are always read
            if issubclass(model, TenantOwned) and (model.__module__.startswith("velferd.")
                                                   or model.__tablename__ in present):
                rows[model.__tablename__] = {
                    obj.id: {attr.key: getattr(obj, attr.key) for attr in mapper.column_attrs}
                    for obj in db.session.scalars(sa.select(model).where(model.tenant_id == town.tenant.id))
                    if not is_refusal(obj)
                }
    return rows


def is_refusal(row) -> bool:
    """A refused request is audited in the tenant of its URL (tests/test_read_audit.py): the
    one row a refusal adds, and no change to the tenant's records."""
    return isinstance(row, AuditEvent) and row.action == "access.refused"


def owned_ids(app, town: Municipality) -> dict[str, set]:
    """The ids of `town`'s rows per table, its tenant row and its staff's user ids included."""
    rows = tenant_rows(app, town)
    ids = {table: set(by_id) for table, by_id in rows.items()}
    ids["tenant"] = {town.tenant.id}
    ids["app_user"] = {m["user_id"] for m in rows["membership"].values()}
    return ids


def dicts_in(value):
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from dicts_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from dicts_in(v)


def references_to(body, owned: dict[str, set]) -> list[str]:
    """Every ``*_id`` (and audited record) in a response that points at one of `owned`'s rows."""
    found = []
    for d in dicts_in(body):
        for key, value in d.items():
            if key == "record_id" and "record_type" in d:
                if d["record_type"] not in AUDIT_RECORD_TYPES:
                    pytest.fail(f"audit record_type '{d['record_type']}': add its table to AUDIT_RECORD_TYPES")
                table = AUDIT_RECORD_TYPES[d["record_type"]]
                if table and value is not None and int(value) in owned[table]:
                    found.append(f"{d['record_type']} {value}")
            elif key.endswith("_id") and key not in NOT_REFERENCES:
                if key not in REFERENCES:
                    pytest.fail(f"responses carry '{key}': add the table it points at to REFERENCES")
                if value in owned[REFERENCES[key]]:
                    found.append(f"{key}={value}")
    return found


def items_of(body) -> list:
    if isinstance(body, dict):
        return body["items"] if "items" in body else [body]
    return body


class Towns(NamedTuple):
    bergen: Municipality
    alta: Municipality
    bergen_ids: dict
    alta_ids: dict


def populated_towns(app, client) -> Towns:
    bergen, bergen_ids = populated_municipality(app, client, "bergen")
    alta, alta_ids = populated_municipality(app, client, "alta")
    return Towns(bergen, alta, bergen_ids, alta_ids)


seeded_towns = seeded_once(populated_towns, ExamplePlugin)  # the two towns, seeded once for the module


@pytest.fixture
def towns(app, seeded_towns) -> Towns:
    """Bergen and Alta populated (`populated_towns`) in this test's own database, which it may change."""
    snapshot, seeded = seeded_towns
    restore_snapshot(snapshot, app)
    return Towns(reloaded(app, seeded.bergen), reloaded(app, seeded.alta), dict(seeded.bergen_ids),
                 dict(seeded.alta_ids))


@pytest.fixture(scope="module")
def unchanging_towns(tmp_path_factory):
    """One app and one pair of populated towns, in a database of their own, shared by the cases
    that change nothing — every request refused, or a list read — each of which asserts as much.
    (Seeding two towns for each of those cases was most of the suite's time on PostgreSQL.)"""
    folder = tmp_path_factory.mktemp("unchanging_towns")
    with migrated_database(folder, "velferd_isolation") as database:
        with running_app(database, clean_database_url(database, folder), [ExamplePlugin()], folder / "instance") as app:
            yield app, populated_towns(app, app.test_client())


# --- the generated cases -----------------------------------------------------------------------

def test_the_generated_cases_cover_every_operation_the_app_serves(app):
    assert set(tenant_operations(openapi_document(app))) == set(OPERATIONS)
    assert ("GET", "/x/example/cases/{case_id}/summary") in RECORD_OPERATIONS  # a plugin's own route
    assert {"/units", "/persons", "/cases", "/audit", "/members", "/tokens", "/forms", "/plugins"} <= {
        path for _, path in LIST_OPERATIONS}


def test_every_operation_can_be_replayed_with_sample_ids_and_a_valid_body(towns):
    for operation in ALL_OPERATIONS:
        for param in params(operation, "path") + reference_query_params(operation) + body_id_fields(operation):
            sample(towns.bergen_ids, operation[1], param)
        body_for(operation, towns.bergen_ids)
    for operation in LIST_OPERATIONS:
        list_items_table(operation)


@pytest.mark.parametrize("operation", ALL_OPERATIONS, ids=label)
def test_every_alta_token_is_refused_at_bergen(unchanging_towns, operation):
    app, towns = unchanging_towns
    client = app.test_client()
    before = tenant_rows(app, towns.bergen)
    for role, staff in towns.alta.staff.items():
        r = request(client, operation, towns.bergen, staff, towns.bergen_ids)
        assert r.status_code == 403, f"Alta's {role} got {r.status_code} from Bergen: {r.json}"
    assert tenant_rows(app, towns.bergen) == before


@pytest.mark.parametrize("operation", RECORD_OPERATIONS, ids=label)
def test_bergens_ids_are_not_found_from_alta(app, client, towns, operation):
    for param in record_params(operation):
        assert sample(towns.bergen_ids, operation[1], param) != sample(towns.alta_ids, operation[1], param)
    bergen_ids_at_alta = {**towns.alta_ids, **{p: towns.bergen_ids[p] for p in record_params(operation)}}
    before = tenant_rows(app, towns.bergen), tenant_rows(app, towns.alta)

    r = request(client, operation, towns.alta, towns.alta.every_role, bergen_ids_at_alta, towns.alta_ids)
    assert r.status_code == 404, r.json
    assert (tenant_rows(app, towns.bergen), tenant_rows(app, towns.alta)) == before

    # The very same request by Bergen's own staff succeeds: it was the tenant that stopped Alta.
    r = request(client, operation, towns.bergen, towns.bergen.every_role, towns.bergen_ids)
    assert 200 <= r.status_code < 300, r.json


def list_items_table(operation) -> str | None:
    if operation[1] not in LIST_ITEMS:
        pytest.fail(f"{label(operation)} lists something: say in LIST_ITEMS which table its items are")
    return LIST_ITEMS[operation[1]]


@pytest.mark.parametrize("operation", LIST_OPERATIONS, ids=label)
def test_alta_lists_only_alta_rows(unchanging_towns, operation):
    app, towns = unchanging_towns
    client = app.test_client()
    table = list_items_table(operation)
    bergen, alta = owned_ids(app, towns.bergen), owned_ids(app, towns.alta)
    national_id = towns.bergen_ids["national_id"]
    bergen_words = ["bergen", national_id, mask_national_id(national_id)]
    queries = [{}]
    if reference_query_params(operation):  # e.g. /cases?person_id=<Bergen's person>
        queries.append({p: sample(towns.bergen_ids, operation[1], p) for p in reference_query_params(operation)})

    for query in queries:
        r = request(client, operation, towns.alta, towns.alta.every_role, towns.alta_ids, query_string=query)
        assert r.status_code == 200, r.json
        text = r.get_data(as_text=True).lower()
        assert [word for word in bergen_words if word.lower() in text] == []
        assert references_to(r.json, bergen) == []
        if table is not None:
            assert {item["id"] for item in items_of(r.json)} <= alta[table]
        if not query:
            assert items_of(r.json), "Alta sees its own rows"


@pytest.mark.parametrize("operation,field", BODY_REFERENCES, ids=lambda v: v if isinstance(v, str) else label(v))
def test_a_request_body_cannot_point_at_bergens_records(app, client, towns, operation, field):
    def body_naming(town_ids: dict) -> dict:
        return {**body_for(operation, towns.alta_ids), field: sample(town_ids, operation[1], field)}

    before = tenant_rows(app, towns.bergen), tenant_rows(app, towns.alta)
    r = request(client, operation, towns.alta, towns.alta.every_role, towns.alta_ids, body=body_naming(towns.bergen_ids))
    assert r.status_code in (404, 422), r.json
    if r.status_code == 422:
        assert field in r.json.get("fields", {}), r.json
    assert (tenant_rows(app, towns.bergen), tenant_rows(app, towns.alta)) == before

    r = request(client, operation, towns.alta, towns.alta.every_role, towns.alta_ids, body=body_naming(towns.alta_ids))
    assert 200 <= r.status_code < 300, f"Alta's own {field} must be accepted: {r.json}"


# --- the same, told as stories ----------------------------------------------------------------

def test_bergens_case_read_from_alta_is_not_found_and_leaves_no_audit_trail_in_bergen(client, towns):
    case_id = towns.bergen_ids["case_id"]

    def readers_of_the_case() -> list[int]:
        events = client.get(towns.bergen.url("/audit?action=case.read"), headers=towns.bergen.auditor.headers).json
        return [e["actor_id"] for e in events if e["record_id"] == str(case_id)]

    before = readers_of_the_case()
    assert client.get(towns.alta.url(f"/cases/{case_id}"), headers=towns.alta.caseworker.headers).status_code == 404
    assert client.get(towns.bergen.url(f"/cases/{case_id}"), headers=towns.alta.caseworker.headers).status_code == 403
    assert readers_of_the_case() == before

    assert client.get(towns.bergen.url(f"/cases/{case_id}"), headers=towns.bergen.caseworker.headers).status_code == 200
    assert readers_of_the_case() == [towns.bergen.caseworker.user_id, *before]  # newest first


def test_alta_cannot_rename_bergens_unit(client, towns):
    unit_id = towns.bergen_ids["unit_id"]
    rename = {"name": "Alta har overtatt", "kind": "other"}
    for town, expected in ((towns.bergen, 403), (towns.alta, 404)):
        r = client.put(town.url(f"/units/{unit_id}"), json=rename, headers=towns.alta.tenant_admin.headers)
        assert r.status_code == expected, r.json

    unit = client.get(towns.bergen.url(f"/units/{unit_id}"), headers=towns.bergen.tenant_admin.headers).json
    assert (unit["name"], unit["kind"]) == ("Bergen barnevern", "child_welfare")


def test_alta_cannot_write_in_bergens_case_journal(client, towns):
    case_id = towns.bergen_ids["case_id"]
    journal = towns.bergen.url(f"/cases/{case_id}/journal")
    before = client.get(journal, headers=towns.bergen.caseworker.headers).json
    for town, expected in ((towns.bergen, 403), (towns.alta, 404)):
        r = client.post(town.url(f"/cases/{case_id}/journal"), json={"text": "Planted note"},
                        headers=towns.alta.caseworker.headers)
        assert r.status_code == expected, r.json

    assert client.get(journal, headers=towns.bergen.caseworker.headers).json == before
    assert "Planted note" not in str(before)


def test_alta_cannot_revoke_bergens_token(client, towns):
    token_id = towns.bergen_ids["token_id"]
    for town, expected in ((towns.bergen, 403), (towns.alta, 404)):
        r = client.delete(town.url(f"/tokens/{token_id}"), headers=towns.alta.every_role.headers)
        assert r.status_code == expected, r.json

    tokens = client.get(towns.bergen.url("/tokens"), headers=towns.bergen.every_role.headers).json
    assert token_id in [t["id"] for t in tokens]


def test_an_alta_token_relabelled_with_bergens_slug_is_unknown_in_bergen(client, towns):
    secret = towns.alta.caseworker.token.split(".", 2)[2]
    forged = {"Authorization": f"Bearer vf.bergen.{secret}"}
    r = client.get(towns.bergen.url(f"/cases/{towns.bergen_ids['case_id']}"), headers=forged)
    assert r.status_code == 401, r.json


def test_an_alta_login_session_is_refused_by_bergen(client, towns):
    r = client.post("/api/auth/login", json={"email": towns.alta.caseworker.email, "password": "correct horse battery"})
    assert r.status_code == 200, r.json
    assert client.get(towns.alta.url(f"/cases/{towns.alta_ids['case_id']}")).status_code == 200
    r = client.get(towns.bergen.url(f"/cases/{towns.bergen_ids['case_id']}"))
    assert r.status_code == 403, r.json


def test_bergens_plugin_settings_are_not_altas(client, towns):
    r = client.patch(towns.bergen.url("/plugins/example/settings"), json={"places": 3},
                     headers=towns.bergen.tenant_admin.headers)
    assert r.status_code == 200, r.json

    alta_admin = towns.alta.tenant_admin.headers
    assert client.get(towns.alta.url("/plugins/example"), headers=alta_admin).json["settings"]["places"] == 10
    assert [p["settings"]["places"] for p in client.get(towns.alta.url("/plugins"), headers=alta_admin).json] == [10]
    assert client.get(towns.bergen.url("/plugins/example"),
                      headers=towns.bergen.tenant_admin.headers).json["settings"]["places"] == 3
