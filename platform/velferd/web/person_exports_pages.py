"""The citizen's documents, downloaded from the auditor's access-log page with the session: the
person's access log as PDF and JSON, and everything held about them (GDPR art. 15) as a zip.

Thin routes over the API's services (velferd.api.privacy_api): the same permission
(``audit:read``), the same documents (`access_log.exported`, `subject_export.exported`) and the
same audit rows (``person.access_log_exported``, ``person.exported``), and, being GETs under
``/t/<tenant>/``, the same structural read audit (velferd.read_audit). The JSON is the API's
`AccessLogSchema`, so a file saved from the page and one fetched by a script are the same.

Like the API, they find the person's rows whatever the caller's need-to-know scope: the auditor
answers the citizen for the whole municipality (velferd.subject_export).
"""

from __future__ import annotations

import json

from flask import Response

from velferd import access_log, subject_export
from velferd.api.context import tenant
from velferd.api.privacy_api import AccessLogSchema
from velferd.auth import require_permission
from velferd.db import db
from velferd.web.blueprint import blp


def _download(content: bytes, mimetype: str, filename: str) -> Response:
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@blp.get("/t/<tenant>/persons/<int:person_id>/access-log.pdf")
def person_access_log_pdf(person_id: int):
    """The person's access log as the citizen reads it, in the municipality's language."""
    require_permission("audit:read")
    content = access_log.exported(tenant(), person_id, "pdf")
    db.session.commit()
    return _download(content, "application/pdf", f"access-log-{person_id}.pdf")


@blp.get("/t/<tenant>/persons/<int:person_id>/access-log.json")
def person_access_log_json(person_id: int):
    """The same log, machine-readable (the API's shape)."""
    require_permission("audit:read")
    log = AccessLogSchema().dump(access_log.exported(tenant(), person_id, "json"))
    db.session.commit()
    return _download(json.dumps(log, ensure_ascii=False, indent=2).encode(), "application/json",
                     f"access-log-{person_id}.json")


@blp.get("/t/<tenant>/persons/<int:person_id>/export.zip")
def person_export(person_id: int):
    """Everything held about the person (GDPR art. 15): a JSON file per table, a manifest and a
    readable PDF, in one zip."""
    require_permission("audit:read")
    content, filename = subject_export.exported(tenant(), person_id)
    db.session.commit()
    return _download(content, "application/zip", filename)
