"""Plugin forms as a core service: JSON Schema for pages, validation and versioned storage."""

from __future__ import annotations

from typing import Any, Mapping

import marshmallow as ma
from apispec.ext.marshmallow import OpenAPIConverter

from velferd import audit
from velferd.auth import current_user, require_permission
from velferd.db import db
from velferd.errors import NotFound, ValidationFailed
from velferd.models import Case, FormSubmission, Tenant
from velferd.plugins.enablement import call_owner_hook, require_enabled
from velferd.plugins.manager import registry
from velferd.plugins.specs import FormSpec
from velferd.tenancy import get_owned

_converter = OpenAPIConverter(openapi_version="3.1.0", schema_name_resolver=lambda schema: None, spec=None)


def form_spec(tenant: Tenant, plugin: str, name: str) -> FormSpec:
    require_enabled(tenant, plugin)
    spec = registry().forms.get((plugin, name))
    if spec is None:
        raise NotFound(f"plugin '{plugin}' has no form '{name}'")
    return spec


def json_schema(spec: FormSpec) -> dict[str, Any]:
    """The form as JSON Schema (via apispec's marshmallow converter), for a page to render."""
    schema = _converter.schema2jsonschema(spec.schema)
    schema.update({"title": spec.title or spec.name, "x-form-version": spec.version})
    schema.setdefault("additionalProperties", False)
    return schema


def validate(spec: FormSpec, data: Mapping[str, Any]) -> dict[str, Any]:
    try:
        loaded = spec.schema(unknown=ma.RAISE).load(data)
    except ma.ValidationError as error:
        raise ValidationFailed.from_marshmallow(error, f"form '{spec.name}'") from None
    return spec.schema().dump(loaded)


def submit(tenant: Tenant, plugin: str, name: str, data: Mapping[str, Any], case_id: int | None) -> FormSubmission:
    spec = form_spec(tenant, plugin, name)
    require_permission(spec.permission)
    case = get_owned(Case, case_id) if case_id is not None else None
    if case_id is not None and (case is None or case.plugin != plugin):
        raise ValidationFailed("the form names a case that does not exist here", {"case_id": [f"no {plugin} case {case_id}"]})
    actor = current_user()
    submission = FormSubmission(
        plugin=plugin, form=name, form_version=spec.version, case_id=case_id,
        data=validate(spec, data), submitted_by_id=actor and actor.id,
    )
    db.session.add(submission)
    db.session.flush()
    audit.record("form.submitted", "form_submission", submission.id,
                 person_id=case.person_id if case else None, details={"form": f"{plugin}/{name}"})
    call_owner_hook("velferd_form_submitted", tenant, submission=submission, actor=actor)
    return submission
