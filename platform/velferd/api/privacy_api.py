"""The citizen's rights of access, answered by the privacy officer or auditor (``audit:read``):
the person's access log (who read or changed what, when) as JSON or PDF, and everything held
about them (GDPR art. 15) as one archive. Each answer is itself audited."""

from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from velferd import access_log, subject_export
from velferd.api.context import TENANT_PREFIX, tenant
from velferd.auth import requires
from velferd.db import db

blp = Blueprint("privacy", __name__, url_prefix=f"{TENANT_PREFIX}/persons",
                description="The citizen's access log and data export")

FILE_RESPONSE = {"200": {"description": "the file", "content": {}}}


class AccessLogReaderSchema(Schema):
    roles = fields.List(fields.String())
    role_names = fields.List(fields.String())
    units = fields.List(fields.String())
    name = fields.String(metadata={"description": "only where the municipality's policy names staff"})
    text = fields.String()


class AccessLogEntrySchema(Schema):
    id = fields.Integer()
    at = fields.String(metadata={"description": "UTC, ISO 8601"})
    local_time = fields.String(metadata={"description": "in the municipality's time zone"})
    kind = fields.String(metadata={"description": ", ".join(access_log.KINDS)})
    kind_text = fields.String()
    action = fields.String()
    record_type = fields.String()
    record_id = fields.String(allow_none=True)
    record_text = fields.String()
    view = fields.String(allow_none=True, metadata={"description": "the route or page that showed the records"})
    records = fields.Dict(allow_none=True, metadata={"description": "a list view's records of the person"})
    reason = fields.String(allow_none=True, metadata={"description": "a break of the glass: the stated reason"})
    who = fields.Nested(AccessLogReaderSchema)


class AccessLogSchema(Schema):
    person_id = fields.Integer()
    given_name = fields.String()
    family_name = fields.String()
    birth_date = fields.String()
    tenant = fields.String()
    tenant_name = fields.String()
    language = fields.String()
    time_zone = fields.String()
    generated_at = fields.String()
    staff_names = fields.Boolean()
    entries = fields.List(fields.Nested(AccessLogEntrySchema))


def _file(content: bytes, mimetype: str, filename: str) -> Response:
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@blp.get("/<int:person_id>/access-log.json")
@requires("audit:read")
@blp.response(200, AccessLogSchema)
def access_log_json(person_id):
    """The person's access log for the citizen, oldest first, in the municipality's language."""
    log = access_log.exported(tenant(), person_id, "json")
    db.session.commit()
    return log


@blp.get("/<int:person_id>/access-log.pdf")
@requires("audit:read")
@blp.doc(responses=FILE_RESPONSE)
def access_log_pdf(person_id):
    """The person's access log as PDF, in the municipality's language."""
    content = access_log.exported(tenant(), person_id, "pdf")
    db.session.commit()
    return _file(content, "application/pdf", f"access-log-{person_id}.pdf")


@blp.get("/<int:person_id>/export")
@requires("audit:read")
@blp.doc(responses=FILE_RESPONSE)
def export_person(person_id):
    """Everything held about the person (GDPR art. 15) as a zip: a JSON file per table, a manifest
    and a readable PDF. Found whatever the caller's need-to-know scope (velferd.subject_export)."""
    content, filename = subject_export.exported(tenant(), person_id)
    db.session.commit()
    return _file(content, "application/zip", filename)
