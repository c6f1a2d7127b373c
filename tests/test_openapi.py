"""The OpenAPI document at /api/openapi.json is valid and true.

Valid: openapi-spec-validator accepts it. Complete: every operation (core and plugins) has an
operationId, a summary and its security. True: schemathesis generates requests for every
operation from the document and checks each live response — no 5xx, a documented status, a
documented content type, a body matching the documented schema (errors included) — as
Bergen's staff member holding every role, on the app in-process (WSGI). Bounded: a few
examples per operation, derandomized, no example database.
"""

from __future__ import annotations

import copy
import decimal
import re

import hypothesis
import schemathesis
from hypothesis import HealthCheck, given
from openapi_spec_validator import validate
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.all_plugins import all_plugins_database, every_plugin_world  # noqa: F401  (fixtures)

METHODS = ("get", "post", "put", "patch", "delete")
EXAMPLES_PER_OPERATION = 4
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
#: Operations that need no caller; every other one says it takes a bearer token or the session.
PUBLIC = {("post", "/api/auth/login"), ("post", "/api/auth/invitations/accept")}
#: Operations not exercised with generated data: they end the caller's own access.
DESTRUCTIVE = {("post", "/api/auth/logout"), ("post", "/api/auth/password")}


def operations(document):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method]


def test_the_document_is_valid_openapi(every_plugin_world):
    validate(every_plugin_world.document)


def test_no_two_schemas_share_a_name_across_the_bundled_plugins():
    """apispec renames a clashing schema with a warning ("Placement1"); a client generated from the
    document would then get names that change with the plugins installed."""
    import warnings

    from tests.all_plugins import BUNDLED_PLUGINS
    from tests.plugins.example import ExamplePlugin
    from velferd import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "LOAD_PLUGIN_ENTRY_POINTS": False},
                     plugins=[ExamplePlugin(), *BUNDLED_PLUGINS])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert app.test_client().get("/api/openapi.json").status_code == 200


def test_every_operation_has_an_operation_id_a_summary_and_its_security(every_plugin_world):
    document = every_plugin_world.document
    seen_ids = set()
    for method, path, operation in operations(document):
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), f"{where}: no summary (give the view a docstring)"
        assert operation.get("operationId"), where
        assert operation["operationId"] not in seen_ids, f"{where}: operationId {operation['operationId']} twice"
        seen_ids.add(operation["operationId"])
        expected = [] if (method, path) in PUBLIC else [{"bearer": []}, {"session": []}]
        assert operation.get("security") == expected, where
    assert len(seen_ids) > 80
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"] == {"type": "http", "scheme": "bearer"}


def test_errors_are_documented_as_the_api_sends_them(every_plugin_world):
    world = every_plugin_world
    document = world.document
    error = document["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"status", "error", "message", "fields"}
    r = world.client.post(world.town.url("/persons"), json={"given_name": "Ola"}, headers=world.town.every_role.headers)
    assert r.status_code == 422
    assert set(r.json) == {"status", "error", "message", "fields"}
    for method, path, operation in operations(document):
        assert operation["responses"]["default"] == {"$ref": "#/components/responses/DEFAULT_ERROR"}, path


def test_every_operation_documents_the_503_a_database_outage_answers(every_plugin_world):
    """tests/test_database_outage.py shows the 503 with Retry-After; a client reading the
    document must learn that it may come, and when to try again."""
    for method, path, operation in operations(every_plugin_world.document):
        unavailable = operation["responses"].get("503")
        assert unavailable is not None, f"{method.upper()} {path}: no 503 documented"
        assert "Retry-After" in unavailable["headers"], path
        assert unavailable["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_decimals_are_documented_as_the_strings_they_are(every_plugin_world):
    world = every_plugin_world
    properties = world.document["components"]["schemas"]["Invoice"]["properties"]
    assert properties["total"]["type"] == "string" and properties["total"]["format"] == "decimal"
    invoice = world.client.get(world.town.url(f"/invoices/{world.ids['invoice_id']}"),
                               headers=world.town.every_role.headers).json
    assert isinstance(invoice["total"], str)
    decimal.Decimal(invoice["total"])
    assert re.fullmatch(properties["total"]["pattern"], invoice["total"])


def test_transition_data_names_each_workflows_payload_schema(every_plugin_world):
    schemas = every_plugin_world.document["components"]["schemas"]
    data = schemas["Transition"]["properties"]["data"]
    refs = {option.get("$ref", "").rsplit("/", 1)[-1] for option in data["anyOf"]}
    assert {"due.StartMeetingPayload", "due.OfferPayload", "nav_split.NoData"} <= refs
    assert "hold_start_meeting" in data["description"]
    assert set(schemas["due.StartMeetingPayload"]["required"]) >= {"plan_type", "tasks"}


def _pinned(document, town, ids) -> dict:
    """The document with each path parameter pinned to one of Bergen's records, so generated
    requests reach real rows (and their real response bodies) instead of 404s."""
    document = copy.deepcopy(document)
    for path, item in document["paths"].items():
        names = {"name": ids["forms.name"] if "/forms/" in path else ids["rules.name"], "tenant": town.slug}
        for operation in [item, *(item[m] for m in METHODS if m in item)]:
            for parameter in operation.get("parameters", []):
                value = names.get(parameter["name"], ids.get(parameter["name"]))
                if parameter.get("in") == "path" and value is not None:
                    parameter["schema"] = {"type": parameter["schema"].get("type", "string"), "enum": [value]}
    return document


def test_live_responses_match_the_document(every_plugin_world):
    world = every_plugin_world
    schema = schemathesis.openapi.from_dict(_pinned(world.document, world.town, world.ids))
    schema.app = world.app
    headers = world.town.every_role.headers
    failures, exercised, statuses = [], 0, {}
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.lower(), operation.path) in DESTRUCTIVE | PUBLIC:
            continue
        exercised += 1

        @given(case=operation.as_strategy())
        @hypothesis.settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, database=None, deadline=None,
                             suppress_health_check=list(HealthCheck), phases=[hypothesis.Phase.generate])
        def check(case):
            response = case.call(headers=headers)
            statuses[response.status_code // 100] = statuses.get(response.status_code // 100, 0) + 1
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except Exception as error:  # one failing operation must not hide the others
            failures.append(f"{operation.method.upper()} {operation.path}: {str(error)[:1500]}")
    assert exercised > 80
    assert not failures, "\n\n".join(failures)
    print("responses by status class:", statuses)
    assert statuses.get(2, 0) > 50, statuses  # real bodies were checked, not only errors


def test_every_operation_that_declares_security_refuses_a_stranger(every_plugin_world):
    """The documented security is true: without a token or session nothing succeeds — a 401
    under a tenant (checked before the body), a 4xx elsewhere. Logging out with no session is
    a harmless no-op (204)."""
    world = every_plugin_world
    document = _pinned(world.document, world.town, world.ids)
    wrong = []
    for method, path, operation in operations(document):
        if not operation.get("security"):
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: _first_value(operation, document["paths"][path], m.group(1)), path)
        if (method, path) == ("post", "/api/auth/logout"):
            continue
        r = world.client.open(url, method=method.upper(), json={})
        if r.status_code != 401 and (path.startswith("/api/t/") or r.status_code < 400):
            wrong.append(f"{method.upper()} {path}: {r.status_code}")
    assert not wrong, wrong


def _first_value(operation, item, name) -> str:
    for parameter in [*item.get("parameters", []), *operation.get("parameters", [])]:
        if parameter["name"] == name and "enum" in parameter.get("schema", {}):
            return str(parameter["schema"]["enum"][0])
    return "1"
