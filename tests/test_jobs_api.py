"""A tenant's admins see its jobs through the API and retry the failed ones; nobody else does."""

from __future__ import annotations

import sqlalchemy as sa

from tests.helpers import failed_job
from velferd.db import db
from velferd.models import AuditEvent
from velferd.tenancy import tenant_scope


def get(client, town, path="", role="tenant_admin", **query):
    return client.get(town.url(f"/jobs{path}"), query_string=query, headers=town.staff[role].headers)


def retry(client, town, job_id, role="tenant_admin"):
    return client.post(town.url(f"/jobs/{job_id}/retry"), headers=town.staff[role].headers)


def test_admins_list_and_read_jobs_newest_first_with_filters(app, client, bergen):
    failed_id = failed_job(app, bergen)
    ok = client.post(bergen.url("/x/example/jobs"), json={}, headers=bergen.caseworker.headers).json["id"]
    page = get(client, bergen).json
    assert [(j["id"], j["task"], j["state"]) for j in page["items"]] == [
        (ok, "example.remind", "succeeded"), (failed_id, "example.broken", "failed")]
    assert page["next_before_id"] is None
    assert [j["id"] for j in get(client, bergen, state="failed").json["items"]] == [failed_id]
    assert [j["id"] for j in get(client, bergen, task="example.remind").json["items"]] == [ok]
    first = get(client, bergen, limit=1).json
    assert [j["id"] for j in first["items"]] == [ok] and first["next_before_id"] == ok
    assert [j["id"] for j in get(client, bergen, limit=1, before_id=ok).json["items"]] == [failed_id]
    job = get(client, bergen, f"/{failed_id}").json
    assert (job["state"], job["attempts"], job["max_attempts"], job["error"]) == (
        "failed", 1, 1, "RuntimeError: the example service refuses this request")
    assert job["started_at"] and job["finished_at"] and "Traceback" not in str(job)


def test_retrying_a_failed_job_creates_a_new_job_that_points_at_it_and_is_audited(app, client, bergen):
    failed_id = failed_job(app, bergen)
    r = retry(client, bergen, failed_id)
    assert r.status_code == 202, r.json
    assert (r.json["retry_of_id"], r.json["task"], r.json["requested_by_id"]) == (
        failed_id, "example.broken", bergen.tenant_admin.user_id)
    assert r.json["id"] != failed_id and r.json["state"] == "failed"  # ran in-process: the service still refuses
    original = get(client, bergen, f"/{failed_id}").json
    assert (original["state"], original["attempts"], original["retry_of_id"]) == ("failed", 1, None)
    with app.app_context(), tenant_scope(bergen.tenant):
        audited = db.session.execute(sa.select(AuditEvent.record_id, AuditEvent.actor_id, AuditEvent.details)
                                     .where(AuditEvent.action == "job.retried")).all()
    assert [tuple(a) for a in audited] == [
        (str(r.json["id"]), bergen.tenant_admin.user_id, {"retry_of": failed_id, "task": "example.broken"})]


def test_only_a_failed_job_can_be_retried(app, client, bergen):
    ok = client.post(bergen.url("/x/example/jobs"), json={}, headers=bergen.caseworker.headers).json["id"]
    r = retry(client, bergen, ok)
    assert r.status_code == 409
    assert r.json["message"] == f"job {ok} is succeeded; only a failed job can be retried"


def test_bad_input_is_a_clear_4xx(app, client, bergen):
    assert get(client, bergen, "/999999").status_code == 404
    assert retry(client, bergen, 999999).status_code == 404
    r = get(client, bergen, state="exploded")
    assert r.status_code == 422 and "state" in str(r.json)
    r = get(client, bergen, limit=0)
    assert r.status_code == 422 and "limit" in str(r.json)
    r = get(client, bergen, colour="blue")
    assert r.status_code == 422 and "colour" in str(r.json)
    assert get(client, bergen, "/abc").status_code == 404
    assert get(client, bergen, f"/{2**40}").status_code == 404


def test_jobs_need_the_tenant_admin(app, client, bergen):
    failed_id = failed_job(app, bergen)
    for role in ("caseworker", "leader", "auditor", "finance"):
        r = get(client, bergen, role=role)
        assert r.status_code == 403 and "jobs:read" in r.json["message"]
        assert retry(client, bergen, failed_id, role=role).status_code == 403
    assert get(client, bergen).status_code == 200


def test_an_other_towns_job_is_not_found(app, client, bergen, alta):
    failed_id = failed_job(app, bergen)
    assert get(client, alta, f"/{failed_id}").status_code == 404
    assert retry(client, alta, failed_id).status_code == 404
    assert get(client, alta).json["items"] == []
