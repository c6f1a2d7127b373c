"""The OpenAPI document says what the API really does (checked by tests/test_openapi.py with
openapi-spec-validator and schemathesis against live responses).

flask-smorest's defaults are corrected in one place:

- errors are documented as the body velferd.api.errors really sends, ``{status, error,
  message, fields}``, not flask-smorest's ``{code, status}``;
- every operation has an ``operationId`` (from its Flask endpoint), a summary (its docstring's
  first line) and its ``security``: a bearer token or the session cookie, unless the view
  declares otherwise with ``@blp.doc(security=[])`` (logging in);
- ``Decimal`` fields are strings (Flask's JSON writes a Decimal as a string, and money must not
  pass through a float), with their range in words instead of a ``minimum`` that would have to
  be a number;
- a transition's ``data`` lists the payload schema each workflow's transitions declare.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from apispec import APISpec, BasePlugin
from flask_smorest import Api
from marshmallow import fields

from velferd.plugins.manager import PluginRegistry

AUTHENTICATED = [{"bearer": []}, {"session": []}]
#: Any operation may meet a database that cannot be reached (velferd.database_outage).
DATABASE_UNAVAILABLE = {
    "description": "The database cannot be reached for now; try again after Retry-After seconds",
    "headers": {"Retry-After": {"description": "seconds to wait before trying again", "schema": {"type": "integer"}}},
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
DECIMAL_PATTERN = r"^-?\d+(\.\d+)?$"
HTTP_METHODS = ("get", "put", "post", "patch", "delete")


class ErrorSchema(ma.Schema):
    """Every error the API answers with (velferd.api.errors.error_response)."""

    status = fields.Integer(required=True, metadata={"description": "the HTTP status, again"})
    error = fields.String(required=True, metadata={"description": "the status's name"})
    message = fields.String(required=True, metadata={"description": "what is wrong, in a sentence a person can act on"})
    field_errors = fields.Dict(data_key="fields", keys=fields.String(), metadata={
        "description": "for a refused input: each offending field (a dotted path inside JSON) and what is wrong with it"})


class TransitionData(fields.Dict):
    """``data`` of a case transition: documented with the payload schemas the workflows declare."""


class VelferdApi(Api):
    """flask-smorest's Api, documenting blueprints when the document is first asked for.

    Writing the document (apispec deep-copies every schema of 270 routes) was a quarter of an
    app's start-up, paid by every worker, CLI command and test app that never serves it. The
    routes are registered at once, as before; `spec.to_dict` — which /api/openapi.json and
    ``flask openapi`` both call — first documents the blueprints in the order they came."""

    ERROR_SCHEMA = ErrorSchema

    def _init_spec(self, *args, **kwargs) -> None:
        super()._init_spec(*args, **kwargs)
        self._undocumented: list[tuple[Any, str, Any]] = []
        written = self.spec.to_dict

        def to_dict() -> dict:
            self._document_registered()
            return written()

        self.spec.to_dict = to_dict

    def register_blueprint(self, blp, *, parameters=None, **options) -> None:
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def _document_registered(self) -> None:
        while self._undocumented:
            blp, name, parameters = self._undocumented.pop(0)
            blp.register_views_in_doc(self, self._app, self.spec, name=name, parameters=parameters)
            self.spec.tag({"name": name, "description": blp.description})


class OperationFacts(BasePlugin):
    """Gives every operation an ``operationId`` (its Flask endpoint, with the method when the
    endpoint serves several), its ``security`` (token or session) unless the view declared
    its own, and the 503 with ``Retry-After`` that a database outage answers. Summaries come from the views' docstrings; tests/test_openapi.py requires one."""

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        several = len([m for m in operations if m in HTTP_METHODS]) > 1
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            operation.setdefault("operationId", f"{rule.endpoint}.{method}" if several else rule.endpoint)
            operation.setdefault("security", AUTHENTICATED)
            operation.setdefault("responses", {}).setdefault("503", DATABASE_UNAVAILABLE)


def _decimal_as_string(self, field: fields.Field, ret: dict, **kwargs) -> dict:
    if not isinstance(field, fields.Decimal):
        return {}
    low, high = ret.pop("minimum", None), ret.pop("maximum", None)
    bounds = [f"at least {low}" if low is not None else "", f"at most {high}" if high is not None else ""]
    described = " and ".join(b for b in bounds if b)
    description = ret.get("description") or field.metadata.get("description", "")
    if described:
        description = f"{description} ({described})" if description else described.capitalize()
    changes: dict[str, Any] = {"type": "string", "format": "decimal", "pattern": DECIMAL_PATTERN}
    if description:
        changes["description"] = description
    ret.update(changes)
    return changes


def _transition_data(payloads: dict[str, tuple[str, list[str]]]):
    """The attribute function documenting `TransitionData` with the declared payload schemas:
    `payloads` maps component name → (plugin, its transitions using it)."""

    def transition_data(self, field: fields.Field, ret: dict, **kwargs) -> dict:
        if not isinstance(field, TransitionData):
            return {}
        uses = "; ".join(f"{name}: {plugin}'s {', '.join(names)}" for name, (plugin, names) in sorted(payloads.items()))
        changes = {
            "description": "What the transition needs, per the case's workflow (" + uses + "). "
                           "A transition declaring no payload takes any JSON object.",
            "anyOf": [{"$ref": f"#/components/schemas/{name}"} for name in sorted(payloads)]
                     + [{"type": "object", "description": "a transition without a declared payload"}],
        }
        ret.update(changes)
        ret.pop("additionalProperties", None)
        ret.pop("type", None)
        return changes

    return transition_data


def make_api(app) -> VelferdApi:
    return VelferdApi(app, spec_kwargs={"extra_plugins": [OperationFacts()]})


def document_plugins(api: VelferdApi, plugins: PluginRegistry) -> None:
    """Register each declared transition payload as a component and teach the converter the
    Decimal and transition-data rules. Called before any blueprint is registered."""
    spec: APISpec = api.spec
    payloads: dict[str, tuple[str, list[str]]] = {}
    for plugin_id, workflow in sorted(plugins.workflows.items()):
        for transition in workflow.transitions:
            if transition.payload is None:
                continue
            name = f"{plugin_id}.{transition.payload.__name__}"
            if name not in payloads:
                payloads[name] = (plugin_id, [])
                spec.components.schema(name, schema=transition.payload)
            payloads[name][1].append(transition.name)
    converter = api.ma_plugin.converter
    converter.add_attribute_function(_decimal_as_string)
    converter.add_attribute_function(_transition_data(payloads))
