"""Plugin forms: list them, fetch one's JSON Schema to render it, submit it."""

from __future__ import annotations

from flask_smorest import Blueprint

from velferd import forms
from velferd.api.context import TENANT_PREFIX, tenant
from velferd.api.schemas import FormInfoSchema, SubmissionCreateSchema, SubmissionSchema
from velferd.auth import requires
from velferd.db import db
from velferd.errors import NotFound
from velferd.models import FormSubmission
from velferd.plugins.enablement import enabled_plugin_ids
from velferd.plugins.manager import registry
from velferd.tenancy import get_owned

blp = Blueprint("forms", __name__, url_prefix=f"{TENANT_PREFIX}/forms", description="Plugin forms")


@blp.get("")
@requires("forms:read")
@blp.response(200, FormInfoSchema(many=True))
def list_forms():
    """The forms of the plugins this tenant has enabled."""
    enabled = enabled_plugin_ids(tenant())
    return [
        {"plugin": plugin, "name": name, "version": spec.version, "title": spec.title or name}
        for (plugin, name), spec in sorted(registry().forms.items()) if plugin in enabled
    ]


@blp.get("/<plugin>/<name>")
@requires("forms:read")
@blp.response(200)
def form_schema(plugin, name):
    """The form's JSON Schema, with its version in ``x-form-version``."""
    return forms.json_schema(forms.form_spec(tenant(), plugin, name))


@blp.post("/<plugin>/<name>/submissions")
@blp.arguments(SubmissionCreateSchema)
@blp.response(201, SubmissionSchema)
def submit_form(data, plugin, name):
    """Validate and store a submission (422 naming each field that is wrong). The form's own
    permission is checked (default ``forms:submit``)."""
    submission = forms.submit(tenant(), plugin, name, data["data"], data["case_id"])
    db.session.commit()
    return submission


@blp.get("/submissions/<int:submission_id>")
@requires("forms:read")
@blp.response(200, SubmissionSchema)
def read_submission(submission_id):
    """One form submission, with the data as validated."""
    submission = get_owned(FormSubmission, submission_id)
    if submission is None:  # like cases, a disabled plugin's submissions stay readable
        raise NotFound(f"no form submission {submission_id}")
    return submission
