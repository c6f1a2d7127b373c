"""Hostile input for every operation of the OpenAPI document — core, example, DUE and nav_split
alike — is refused with a 4xx JSON error and writes nothing.

Generated from the document, so an operation is covered the day it is added: every operation
with a JSON body gets bodies whose strings hold a NUL, a lone surrogate or one character more
than the field allows (or 100,000 when no limit is documented) — all strings at once, and each
string alone in an otherwise plausible body (so the hostile value is what must stop the
write) —, bodies with ``NaN`` and
``1e400`` for every property, and a body nested 100,000 deep; every string query parameter gets
a NUL (a 4xx) and an over-long value (anything but a 5xx: such a filter just matches nothing); every operation under a tenant is asked for at ``/api/t/%00``
without credentials. Runs on SQLite and, with ``VELFERD_TEST_DATABASE_URL``, on PostgreSQL
under row-level security (where these used to be 500s).
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator

from tests.all_plugins import all_plugins_database, every_plugin_world  # noqa: F401  (fixtures)
from tests.helpers import row_counts
from velferd.db import Base
from velferd.models import AuditEvent, LoginEvent

METHODS = ("get", "post", "put", "patch", "delete")
PATH_PARAMETER = re.compile(r"\{(\w+)\}")
NO_LIMIT_LENGTH = 100_000


def operations(document) -> Iterator[tuple[str, str, dict]]:
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def resolve(document, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def json_body_schema(document, operation) -> dict | None:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return resolve(document, content["application/json"]["schema"])


def fill_path(path: str, town, ids) -> str:
    def value(match):
        name = match.group(1)
        if name == "tenant":
            return town.slug
        return str(ids.get(name, ids.get("forms.name") if name == "name" else 1))
    return PATH_PARAMETER.sub(value, path)


def hostile_strings(document, schema: dict, make) -> dict[str, Any]:
    """Every string property of `schema` (one level) set to `make(property schema)`."""
    body = {}
    for name, prop in resolve(document, schema).get("properties", {}).items():
        prop = resolve(document, prop)
        if prop.get("readOnly"):
            continue
        if prop.get("type") == "string":
            body[name] = make(prop)
        elif prop.get("type") == "array" and resolve(document, prop.get("items", {})).get("type") == "string":
            body[name] = [make(resolve(document, prop["items"]))]
        elif prop.get("type") == "object":
            body[name] = {"note": make({})}
    return body


STRING_SAMPLES = {"date": "2026-01-15", "date-time": "2026-01-15T10:00:00+01:00", "email": "hostile@bergen.test",
                  "decimal": "1.00"}


def plausible(document, prop: dict, name: str, ids: dict) -> Any:
    """A value `prop` accepts (as far as its schema says): the base a hostile value is put in."""
    prop = resolve(document, prop)
    if "enum" in prop:
        return prop["enum"][0]
    kind = prop.get("type")
    if kind == "string":
        return STRING_SAMPLES.get(prop.get("format"), "x" * max(prop.get("minLength", 0), 3))
    if kind == "integer":
        return ids.get(name, max(prop.get("minimum", 1), 1))
    if kind == "number":
        return prop.get("minimum", 1)
    if kind == "boolean":
        return False
    if kind == "array":
        return [plausible(document, prop.get("items", {}), name, ids)] * max(prop.get("minItems", 0), 1)
    if kind == "object" and "properties" in prop:
        return plausible_body(document, prop, ids)
    return {}


def plausible_body(document, schema: dict, ids: dict) -> dict:
    schema = resolve(document, schema)
    return {name: plausible(document, prop, name, ids) for name, prop in schema.get("properties", {}).items()
            if name in schema.get("required", ()) and not resolve(document, prop).get("readOnly")}


def one_hostile_field_at_a_time(document, schema: dict, ids: dict) -> Iterator[dict]:
    """A plausible body with one string property at a time made hostile, so that the hostile
    value — not a missing field — is what must stop the request."""
    base = plausible_body(document, schema, ids)
    for name, prop in resolve(document, schema).get("properties", {}).items():
        prop = resolve(document, prop)
        if prop.get("type") == "string" and "enum" not in prop and not prop.get("readOnly"):
            for value in ("x\u0000y", "\ud800", over_long(prop)):
                yield {**base, name: value}


def over_long(prop: dict) -> str:
    return "x" * (prop["maxLength"] + 1 if "maxLength" in prop else NO_LIMIT_LENGTH)


def every_property(document, schema: dict, literal: str) -> str:
    names = [n for n, p in resolve(document, schema).get("properties", {}).items() if not p.get("readOnly")]
    return "{" + ", ".join(f"{json.dumps(n)}: {literal}" for n in names or ["value"]) + "}"


def hostile_requests(document, town, ids) -> Iterator[tuple[str, str, dict]]:
    """(method, url, test-client keyword arguments) for every hostile request."""
    for method, path, operation in operations(document):
        url = fill_path(path, town, ids)
        schema = json_body_schema(document, operation)
        if schema is not None:
            for make in (lambda p: "x\u0000y", lambda p: "\ud800", over_long):
                body = hostile_strings(document, schema, make)
                if body:
                    yield method, url, {"data": json.dumps(body), "content_type": "application/json"}
            for body in one_hostile_field_at_a_time(document, schema, ids):
                yield method, url, {"data": json.dumps(body), "content_type": "application/json"}
            for literal in ("NaN", "-Infinity", "1e400"):
                yield method, url, {"data": every_property(document, schema, literal), "content_type": "application/json"}
            yield method, url, {"data": "[" * 100_000 + "]" * 100_000, "content_type": "application/json"}
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "query" and resolve(document, parameter.get("schema", {})).get("type") == "string":
                yield method, url, {"query_string": {parameter["name"]: "\u0000"}}
                # a filter longer than any stored value matches nothing: a 200 is fine, a 5xx is not
                yield method, url, {"query_string": {parameter["name"]: "x" * 5000}, "may_succeed": True}
        if path.startswith("/api/t/{tenant}"):
            yield method, url.replace(f"/api/t/{town.slug}", "/api/t/%00", 1), {"anonymous": True}


#: Records of refused requests, kept by design: refused access (audit) and failed logins.
RECORDS_OF_REFUSALS = (AuditEvent, LoginEvent)


def snapshot(app) -> dict[str, int]:
    """Rows of every table but those that record refusals."""
    models = [m.class_ for m in Base.registry.mappers
              if m.class_ not in RECORDS_OF_REFUSALS and m.local_table is not None]
    return row_counts(app, *models)


def test_hostile_input_is_a_4xx_and_writes_nothing(every_plugin_world):
    app, client, town, ids, document = every_plugin_world
    headers = town.every_role.headers
    before = snapshot(app)
    seen, failures = 0, []
    for method, url, kwargs in hostile_requests(document, town, ids):
        anonymous, may_succeed = kwargs.pop("anonymous", False), kwargs.pop("may_succeed", False)
        r = client.open(url, method=method, headers={} if anonymous else headers, **kwargs)
        seen += 1
        described = f"{method} {url} {str(kwargs)[:120]}"
        if may_succeed and r.status_code < 400:
            continue
        if not 400 <= r.status_code < 500:
            failures.append(f"{described}: {r.status_code} {r.get_data(as_text=True)[:300]}")
        elif not (r.is_json and {"status", "error", "message"} <= set(r.json)):
            failures.append(f"{described}: not a JSON error: {r.get_data(as_text=True)[:200]}")
    assert not failures, "\n".join(failures)
    assert seen > 300
    assert snapshot(app) == before
