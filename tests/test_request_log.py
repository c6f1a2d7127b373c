"""One JSON line per request and per job, tied together by the request id, naming nobody.

The lines are read as an operator's log collector reads them: formatted by the processes' own
formatter (`velferd.log_format.JsonFormatter`), one JSON object per line.
"""

from __future__ import annotations

import io
import json
import logging

import pytest

from tests.helpers import add_person
from velferd.log_config import JOB_LOGGER, REQUEST_LOGGER
from velferd.log_format import JsonFormatter
from velferd.testing import synthetic_id


@pytest.fixture
def log_lines():
    """The request and job lines written during the test, parsed; also any velferd warning."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    velferd = logging.getLogger("velferd")  # the request and job loggers propagate to it
    loggers = [logging.getLogger(name) for name in (REQUEST_LOGGER, JOB_LOGGER, "velferd")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.INFO)
    velferd.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        velferd.removeHandler(handler)
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def request_lines(lines, path_part: str = "") -> list[dict]:
    return [line for line in lines if line.get("type") == "request" and path_part in line["path"]]


def test_a_request_line_names_route_tenant_user_status_and_duration_but_no_query(client, bergen, log_lines):
    person = add_person(client, bergen)
    r = client.get(bergen.url(f"/persons/{person['id']}"), query_string={"q": "Nordmann"},
                   headers=bergen.caseworker.headers)
    assert r.status_code == 200
    (line,) = request_lines(log_lines(), f"/persons/{person['id']}")
    assert line["route"].endswith("/persons/<int:person_id>")
    assert (line["method"], line["status"], line["tenant"], line["user_id"]) == (
        "GET", 200, "bergen", bergen.caseworker.user_id)
    assert line["duration_ms"] >= 0 and line["level"] == "info" and line["logger"] == REQUEST_LOGGER
    assert line["request_id"] == r.headers["X-Request-ID"]
    text = json.dumps(log_lines())
    assert "Nordmann" not in text and person["national_id"] not in text and "?" not in line["path"]


def test_every_request_has_its_own_id_unless_the_proxy_gave_a_sound_one(client, bergen, log_lines):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    assert client.get("/healthz", headers={"X-Request-ID": "edge-7f3a"}).headers["X-Request-ID"] == "edge-7f3a"
    for forged in ("x\"} {\"forged\": 1", "a" * 201, f"cpr-{synthetic_id('DK')}"):
        answered = client.get("/healthz", headers={"X-Request-ID": forged}).headers["X-Request-ID"]
        assert answered != forged and len(answered) == 32
    lines = request_lines(log_lines())
    assert [line["request_id"] for line in lines[:3]] == [first.headers["X-Request-ID"],
                                                          second.headers["X-Request-ID"], "edge-7f3a"]
    assert "forged" not in json.dumps(lines)


def test_an_unknown_route_and_an_error_are_lines_too(client, bergen, log_lines):
    client.get("/no-such-page", headers={"X-Request-ID": "edge-404"})
    client.post(bergen.url("/persons"), json={"national_id": "not a number"}, headers=bergen.caseworker.headers)
    lines = request_lines(log_lines())
    assert [(line["route"], line["status"], line["request_id"]) for line in lines][0] == (None, 404, "edge-404")
    assert lines[1]["status"] == 422 and lines[1]["tenant"] == "bergen"


def test_a_job_line_carries_the_id_of_the_request_that_enqueued_it(client, bergen, log_lines):
    r = client.post(bergen.url("/x/example/jobs"), json={}, headers=bergen.caseworker.headers)
    assert r.status_code == 202, r.json
    request_id = r.headers["X-Request-ID"]
    (job_line,) = [line for line in log_lines() if line.get("type") == "job"]
    assert (job_line["task"], job_line["state"], job_line["attempt"], job_line["job_id"]) == (
        "example.remind", "succeeded", 1, r.json["id"])
    assert (job_line["request_id"], job_line["tenant"]) == (request_id, "bergen")
    assert job_line["duration_ms"] >= 0 and job_line["logger"] == JOB_LOGGER
    (request_line,) = request_lines(log_lines(), "/x/example/jobs")
    assert request_line["request_id"] == request_id  # the request's own id again after the job ran inside it
    job = client.get(bergen.url(f"/jobs/{r.json['id']}"), headers=bergen.tenant_admin.headers).json
    assert (job["state"], job["request_id"]) == ("succeeded", request_id)  # what an admin quotes to the operator


def test_a_failing_job_logs_its_traceback_under_the_request_s_id(
        client, bergen, log_lines):
    r = client.post(bergen.url("/x/example/jobs"), json={"task": "example.broken"}, headers=bergen.caseworker.headers)
    lines = [line for line in log_lines() if line.get("job_id") == r.json["id"]]
    failure = next(line for line in lines if line["level"] == "error")
    assert "RuntimeError: the example service refuses this request" in failure["message"]  # redacting_logger folds the traceback in
    assert {line["request_id"] for line in lines} == {r.headers["X-Request-ID"]}
    assert lines[-1]["type"] == "job" and lines[-1]["state"] == "failed"


def test_the_formatter_redacts_national_ids_tokens_and_hashes_wherever_they_reach_a_line():
    national_id = synthetic_id("NO")
    logger = logging.getLogger("velferd.tests.redaction")
    record = logger.makeRecord(logger.name, logging.WARNING, __file__, 1, "looked up %s with %s", (
        national_id, "vf.bergen.abcdefghijklmnop"), None, extra={"log_fields": {"path": f"/x/{national_id}"}})
    try:
        raise ValueError(f"Key (tenant_id, national_id)=(1, {national_id}) already exists")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line and national_id not in line and "abcdefghijklmnop" not in line
    entry = json.loads(line)
    assert entry["message"] == "looked up [redacted] with [redacted]" and entry["path"] == "/x/[redacted]"
    assert "already exists" in entry["exception"]


def test_the_jobs_of_one_firing_of_the_schedule_share_one_request_id_and_the_next_gets_another(
        app, bergen, alta, log_lines):
    from velferd.jobs.fanout import fan_out

    with app.app_context():
        first = {job.request_id for job in fan_out("example-daily", slot="2026-12-01T06:00")}
        second = {job.request_id for job in fan_out("example-daily", slot="2026-12-02T06:00")}
    assert len(first) == 1 and len(second) == 1 and first != second and None not in first
    job_lines = [line for line in log_lines() if line.get("type") == "job"]
    assert {(line["tenant"], line["request_id"]) for line in job_lines} == {
        (town, request_id) for town in ("bergen", "alta") for request_id in first | second}
