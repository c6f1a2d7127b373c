"""An operator's Prometheus scrapes /metrics: off unless configured, then only with the token
or from an allowed network; request counts by route template, the jobs, the outbox and the
invoice runs across tenants — and the counts of several gunicorn workers add up."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.celery_processes import free_port
from tests.databases import running_app
from tests.helpers import failed_job
from velferd import create_app
from velferd.config import ConfigurationError
from velferd.db import db, utcnow
from velferd.metrics import networks
from velferd.migrate import upgrade
from velferd.models import InvoiceRun, JobRun
from velferd.tenancy import tenant_scope

TOKEN = "synthetic-scraper-token-for-tests"
SCRAPER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def app(db_url, database, example_plugin, tmp_path):
    """The suite's app, with a metrics token configured (`bergen` and the others build on it)."""
    with running_app(database, db_url, [example_plugin], tmp_path / "instance", METRICS_TOKEN=TOKEN) as app:
        yield app


def samples(response) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape, keyed by name and sorted labels."""
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type.startswith("text/plain; version=")  # the Prometheus text format
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True))
            for sample in family.samples}


def scrape(client):
    return samples(client.get("/metrics", headers=SCRAPER))


def requests_of(scraped, route: str, method: str, status: str) -> float:
    labels = (("method", method), ("route", route), ("status", status))
    return scraped.get(("velferd_http_requests_total", labels), 0.0)


def test_metrics_are_off_by_default(database, db_url, example_plugin, tmp_path):
    with running_app(database, db_url, [example_plugin], tmp_path / "off") as app:
        r = app.test_client().get("/metrics", headers=SCRAPER)
    assert r.status_code == 404 and r.json["status"] == 404


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-the-token"}, {"Authorization": TOKEN}])
def test_a_scraper_without_the_token_is_refused(client, headers):
    r = client.get("/metrics", headers=headers)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert r.json["error"] == "Unauthorized" and TOKEN not in r.get_data(as_text=True)


def test_an_allowed_network_needs_no_token_and_others_still_do(app, client):
    app.config["METRICS_NETWORKS"] = networks("10.0.0.0/8, 192.0.2.7")
    inside = client.get("/metrics", environ_base={"REMOTE_ADDR": "10.20.30.40"})
    outside = client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.8"})
    assert samples(inside)[("velferd_database_up", ())] == 1
    assert outside.status_code == 401


def test_a_bad_allowed_network_stops_the_start_naming_the_variable(tmp_path):
    with pytest.raises(ConfigurationError, match="VELFERD_METRICS_ALLOWED_NETWORKS"):
        create_app({"SQLITE_PATH": str(tmp_path / "x.sqlite3"), "LOAD_PLUGIN_ENTRY_POINTS": False,
                    "METRICS_ALLOWED_NETWORKS": "10.0.0.0/8, 10.0.0.0/33"})


def test_requests_are_counted_by_route_template_never_by_path(client, bergen):
    before = scrape(client)
    for _ in range(3):
        assert client.get(bergen.url("/jobs/987654"), headers=bergen.tenant_admin.headers).status_code == 404
    client.get("/no-such-page/987654")
    client.open("/no-such-page", method="BREW987654")
    after = scrape(client)
    route = next(labels for name, labels in after if name == "velferd_http_requests_total"
                 and dict(labels)["route"].endswith("/jobs/<int:job_id>"))
    route = dict(route)["route"]
    assert requests_of(after, route, "GET", "404") - requests_of(before, route, "GET", "404") == 3
    assert requests_of(after, "unmatched", "GET", "404") - requests_of(before, "unmatched", "GET", "404") == 1
    assert requests_of(after, "unmatched", "other", "404") - requests_of(before, "unmatched", "other", "404") == 1
    assert after[("velferd_http_request_duration_seconds_count",
                  (("method", "GET"), ("route", route), ("status", "404")))] >= 3
    labels = {value for _, pairs in after for _, value in pairs}
    assert not any("987654" in value or "bergen" in value for value in labels)
    assert not any(name == "velferd_http_requests_total" and dict(pairs)["route"] == "/metrics"
                   for name, pairs in after)


def test_jobs_show_up_under_their_task_and_state_across_tenants(app, client, bergen, alta):
    failed_job(app, bergen)
    failed_job(app, alta)
    assert client.post(bergen.url("/x/example/jobs"), json={}, headers=bergen.caseworker.headers).status_code == 202
    scraped = scrape(client)
    assert scraped[("velferd_job_runs", (("state", "failed"), ("task", "example.broken")))] == 2
    assert scraped[("velferd_job_runs", (("state", "succeeded"), ("task", "example.remind")))] == 1
    assert scraped[("velferd_outbox_oldest_pending_age_seconds", ())] == 0


def test_an_old_pending_job_gives_the_outbox_its_age(app, client, bergen):
    with app.app_context(), tenant_scope(bergen.tenant):
        db.session.add(JobRun(task="example.remind", kwargs={}, state="pending",
                              created_at=utcnow() - dt.timedelta(hours=1)))
        db.session.commit()
    scraped = scrape(client)
    assert scraped[("velferd_outbox_oldest_pending_age_seconds", ())] >= 3600
    assert scraped[("velferd_job_runs", (("state", "pending"), ("task", "example.remind")))] == 1


def test_invoice_runs_show_up_by_state(app, client, bergen, alta):
    for town, state in ((bergen, "completed"), (alta, "failed")):
        with app.app_context(), tenant_scope(town.tenant):
            db.session.add(InvoiceRun(period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 10, 31), state=state))
            db.session.commit()
    scraped = scrape(client)
    assert scraped[("velferd_invoice_runs", (("state", "completed"),))] == 1
    assert scraped[("velferd_invoice_runs", (("state", "failed"),))] == 1


def test_a_database_that_cannot_be_read_is_a_gauge_not_a_failed_scrape(tmp_path):
    """The database "file" is a folder: every connection fails, as in an outage."""
    app = create_app({"SQLITE_PATH": str(tmp_path), "LOAD_PLUGIN_ENTRY_POINTS": False, "METRICS_TOKEN": TOKEN,
                      "JOBS_EMBEDDED_SWEEP_INTERVAL_SECONDS": 0})
    scraped = scrape(app.test_client())
    assert scraped[("velferd_database_up", ())] == 0
    assert not any(name.startswith(("velferd_job_runs", "velferd_invoice_runs")) for name, _ in scraped)


# --- several gunicorn workers, one scrape ------------------------------------------------------

def http_get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_the_counts_of_two_gunicorn_workers_add_up(tmp_path):
    """Each worker is replaced after 10 requests (gunicorn's max_requests), so the 40 requests are
    answered by at least four processes, three of them gone by the scrape: their counts still add up."""
    database = tmp_path / "velferd.sqlite3"
    upgrade(create_app({"SQLITE_PATH": str(database), "LOAD_PLUGIN_ENTRY_POINTS": False}), "heads")
    (tmp_path / "prometheus").mkdir()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {key: value for key, value in os.environ.items() if not key.startswith("VELFERD_") and key != "PORT"}
    env.update(VELFERD_INSTANCE_PATH=str(tmp_path / "instance"), VELFERD_SQLITE_PATH=str(database),
               VELFERD_BIND=f"127.0.0.1:{port}", VELFERD_WEB_WORKERS="2", VELFERD_WEB_THREADS="2",
               VELFERD_LOAD_PLUGIN_ENTRY_POINTS="false", VELFERD_JOBS_EMBEDDED_SWEEP_INTERVAL_SECONDS="0",
               VELFERD_METRICS_TOKEN=TOKEN, PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"),
               GUNICORN_CMD_ARGS="--max-requests 10")
    with open(tmp_path / "server.log", "w") as log:
        server = subprocess.Popen([sys.executable, "-m", "velferd.entrypoint", "web"], cwd=tmp_path, env=env,
                                  stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 20
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not answer within 20 s"
            try:
                if http_get(base + "/healthz")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        for number in range(40):
            assert http_get(f"{base}/no-such-page/{number}")[0] == 404
        status, text = http_get(base + "/metrics", SCRAPER)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert status == 200, (tmp_path / "server.log").read_text()
    counted = [sample for family in text_string_to_metric_families(text) for sample in family.samples
               if sample.name == "velferd_http_requests_total"]
    assert sum(sample.value for sample in counted) == 40
    assert {sample.labels["route"] for sample in counted} == {"unmatched"}
    assert len(list((tmp_path / "prometheus").glob("counter_*.db"))) >= 4  # one file per process that counted
    assert "Traceback" not in (tmp_path / "server.log").read_text()  # child_exit ran cleanly for each
