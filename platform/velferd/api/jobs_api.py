"""Background jobs of the tenant: what ran, when, how it ended, and retrying what failed."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import fields, validate

from velferd.api.context import TENANT_PREFIX, tenant
from velferd.api.schemas import Id, Strict
from velferd.auth import current_user, requires
from velferd.db import db
from velferd.jobs import admin
from velferd.models.jobs import JOB_STATES

blp = Blueprint("jobs", __name__, url_prefix=f"{TENANT_PREFIX}/jobs", description="Background jobs")


class JobListQuery(Strict):
    state = fields.String(validate=validate.OneOf(JOB_STATES))
    task = fields.String(validate=validate.Length(min=1, max=100))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    before_id = Id(metadata={"description": "return jobs with a smaller id (keyset paging, newest first)"})


class JobSchema(Strict):
    id = fields.Integer(dump_only=True)
    task = fields.String(dump_only=True)
    plugin = fields.String(dump_only=True, allow_none=True)
    kwargs = fields.Dict(dump_only=True)
    state = fields.String(dump_only=True, metadata={"enum": list(JOB_STATES)})
    attempts = fields.Integer(dump_only=True)
    max_attempts = fields.Integer(dump_only=True)
    idempotency_key = fields.String(dump_only=True, allow_none=True)
    requested_by_id = fields.Integer(dump_only=True, allow_none=True)
    retry_of_id = fields.Integer(dump_only=True, allow_none=True)
    request_id = fields.String(dump_only=True, allow_none=True, metadata={
        "description": "the id of the request (X-Request-ID) or schedule firing that asked for it: "
                       "the key to its lines in the logs"})
    created_at = fields.DateTime(dump_only=True)
    enqueued_at = fields.DateTime(dump_only=True, allow_none=True)
    started_at = fields.DateTime(dump_only=True, allow_none=True)
    heartbeat_at = fields.DateTime(dump_only=True, allow_none=True, metadata={
        "description": "last sign of life from the worker running it (renewed every few seconds while it runs)"})
    finished_at = fields.DateTime(dump_only=True, allow_none=True)
    next_attempt_at = fields.DateTime(dump_only=True, allow_none=True)
    error = fields.String(dump_only=True, allow_none=True)
    result = fields.Raw(dump_only=True, allow_none=True)


class JobPageSchema(Strict):
    items = fields.List(fields.Nested(JobSchema), dump_only=True)
    next_before_id = fields.Integer(dump_only=True, allow_none=True)


@blp.get("")
@requires("jobs:read")
@blp.arguments(JobListQuery, location="query", unknown=None)  # Strict: 422 on a typo
@blp.response(200, JobPageSchema)
def list_jobs(query):
    """The tenant's jobs, newest first; filter by state or task."""
    page = admin.list_jobs(**query)
    full = len(page) == query["limit"]
    return {"items": page, "next_before_id": page[-1].id if full else None}


@blp.get("/<int:job_id>")
@requires("jobs:read")
@blp.response(200, JobSchema)
def read_job(job_id):
    """One background job: state, attempts, result or error."""
    return admin.find_job(job_id)


@blp.post("/<int:job_id>/retry")
@requires("jobs:retry")
@blp.response(202, JobSchema)
def retry_job(job_id):
    """Run a failed job again: a new job (``retry_of_id`` names the failed one) is sent after
    this request commits. 409 unless the job failed."""
    retry = admin.retry_job(tenant(), job_id, current_user())
    db.session.commit()
    return retry
