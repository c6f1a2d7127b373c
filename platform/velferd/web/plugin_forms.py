"""What a plugin's pages do with a form, so each plugin need not write it again: POST/redirect/GET
with a confirmation, and a refused form shown again with its status — the posted values loaded
with the API's own schema and handed to the API's own service, so a page never checks anything
the API does not. Exposed through ``velferd.toolkit`` (`Refusal`, `attempt_form`, `page_done`,
`page_response`, `tenant_url`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from marshmallow import ValidationError

from velferd.db import db
from velferd.errors import Conflict, ValidationFailed
from velferd.tenancy import current_tenant
from velferd.web.form_fields import error_summary, errors_by_input, form_fields, submitted_data


def tenant_url(endpoint: str, **values: Any) -> str:
    """`url_for` with the current tenant's slug."""
    return url_for(endpoint, tenant=current_tenant().slug, **values)


def page_done(confirmation: str, endpoint: str, **values: Any):
    """POST/redirect/GET: commit, flash the confirmation, then the page that shows the change."""
    db.session.commit()
    flash(confirmation)
    return redirect(tenant_url(endpoint, **values) + "#confirmation")


def page_response(template: str, title: str, status: int = 200, **values: Any):
    """A page rendered with its title and the HTTP status (422/409 for a refused form)."""
    return render_template(template, title=title, **values), status


class Refusal:
    """A refused form, for its page (a template reads it as ``failed``): the form's id, its values
    as typed, errors by input name ("" for the form itself) and the summary's links. A 422 with
    fields lays them out by input; any other refusal (409, or a 422 naming no input of the form)
    shows its message for the form as a whole. Nothing of the refused request stays written."""

    def __init__(self, form_id: str, error, described=(), values: Mapping[str, Any] | None = None):
        db.session.rollback()
        self.form_id, self.status, self.values = form_id, error.status, values or {}
        fields = getattr(error, "fields", None)
        self.errors = errors_by_input(list(described), fields) if error.status == 422 and fields else {}
        if not self.errors:
            self.errors = {"": [gettext(error.message)]}
        self.summary = error_summary(list(described), self.errors, form_id)

    def of(self, form_id: str) -> "Refusal | None":
        return self if self.form_id == form_id else None


def attempt_form(form_id: str, schema, work: Callable[[dict], Any], values: Mapping[str, Any] | None = None):
    """Load the posted form (or `values`) with `schema` and run `work(data)`: ``(result, None)``,
    or ``(None, Refusal)`` when the schema or the service refuses."""
    described = form_fields(schema)
    posted = request.form if values is None else values
    try:
        return work(schema().load(submitted_data(schema, posted))), None
    except ValidationError as error:
        failed = ValidationFailed("the form is invalid", error.normalized_messages())
        return None, Refusal(form_id, failed, described, posted)
    except (ValidationFailed, Conflict) as error:
        return None, Refusal(form_id, error, described, posted)
