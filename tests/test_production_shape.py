"""The production shape on this machine: what the container image runs, started as it starts.

A PostgreSQL database of its own, migrated by the image's ``migrate`` command as the owner; the
tenant and its staff made by an operator's one-off commands (``velferd tenant create``, ``user
create``, ``user token``, ``plugins enable``); then ``web`` (gunicorn, two workers), ``worker`` and
``beat`` as separate processes connecting as the app role (bound by row-level security), on a
Redis of the test's own and an SMTP server on loopback. Everything after that goes over HTTP, as
Bergen's staff would: log in, register youths, take them through DUE's intake to ``started``, run
the month, and see the jobs done, the invoice e-mailed and the EHF file in the outbox. Then the
worker is stopped with SIGTERM (as the kubelet stops it) while the next month's run is under way
— it finishes the run in hand and exits 0 —, the month after is asked for while no worker is up,
and finishes once a new worker starts; every payer is billed once a month, numbered without a gap.

Marked ``faults`` (it stops processes, like the other fault tests): ``make test-faults``.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.celery_processes import free_port, start_redis, stop_redis, wait_for
from tests.databases import PG_URL
from tests.plugins.due.flows import UNITS, X, enter_deflators, open_case, referral, start_meeting
from tests.production_processes import (
    ProductionShape,
    ServerProcess,
    database_with_roles,
    production_environ,
    run_command,
    start_web,
)
from tests.smtp import SmtpServer
from velferd.testing import Municipality, Staff, synthetic_id

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.faults]

PASSWORD = "Fjordbris-og-regn-2026"
#: Two accounts, each with the roles one person holds in a small DUE team (``--role`` repeats):
#: every operator command starts a process, so there are as few as the flow needs.
ACCOUNTS = {"koordinator@bergen.test": ("caseworker", "coordinator"), "admin@bergen.test": ("tenant_admin", "finance")}
EHF_UNIT = {"name": "NAV Arna", "kind": "nav_office", "payer_kind": "external", "delivery_channel": "ehf",
            "organisation_number": "974600951", "buyer_reference": "NAV-ARNA-17", "address": "Postboks 1",
            "postal_code": "5804", "city": "Bergen"}
#: Payers of the month whose run the worker is stopped in: one youth each, finance-export channel.
MORE_PAYERS = 12


@dataclass
class Answer:
    """An HTTP response as the flows in tests/plugins/due read one (Flask's test client's shape)."""

    status_code: int
    json: dict | list | None
    headers: dict[str, str]


class HttpClient:
    """Requests over real HTTP to gunicorn, with the test client's ``get/post/put`` signature."""

    def __init__(self, base: str):
        self.base = base

    def request(self, method: str, path: str, json_body=None, headers=None, query_string=None) -> Answer:
        url = self.base + path
        if query_string:
            url += "?" + "&".join(f"{key}={value}" for key, value in query_string.items())
        data = None if json_body is None else json.dumps(json_body).encode()
        request = urllib.request.Request(url, data=data, method=method, headers={
            **({"Content-Type": "application/json"} if data is not None else {}), **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, body, answer_headers = response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            status, body, answer_headers = error.code, error.read(), dict(error.headers)
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = None
        return Answer(status, parsed, answer_headers)

    def get(self, path, headers=None, query_string=None):
        return self.request("GET", path, headers=headers, query_string=query_string)

    def post(self, path, json=None, headers=None):
        return self.request("POST", path, json_body=json if json is not None else {}, headers=headers)

    def put(self, path, json=None, headers=None):
        return self.request("PUT", path, json_body=json, headers=headers)


def ok(answer: Answer, status: int = 200):
    assert answer.status_code == status, (answer.status_code, answer.json)
    return answer.json


@pytest.fixture
def shape(tmp_path) -> Iterator[SimpleNamespace]:
    """Redis, SMTP, a migrated database, Bergen made by the operator, and web + worker + beat."""
    redis_port = free_port()
    redis_server = start_redis(redis_port, tmp_path)
    smtp = SmtpServer().start()
    processes = ProductionShape(tmp_path)
    try:
        with database_with_roles(PG_URL) as roles:
            environ = production_environ(
                roles, f"redis://127.0.0.1:{redis_port}/0", tmp_path / "instance", **smtp.environ,
                VELFERD_BILLING_INVOICES_PER_TRANSACTION="1", VELFERD_TRUSTED_PROXIES="1")
            run_command({**environ, "VELFERD_DATABASE_URL": roles.owner_url}, "migrate")
            town = operator_creates_bergen(environ)
            worker = processes.add(ServerProcess.start("worker-1", environ, tmp_path, "worker"))
            processes.add(ServerProcess.start("beat", environ, tmp_path, "beat"))
            web, base = start_web(environ, tmp_path, workers=2)
            processes.add(web)
            worker.wait_for_log("ready.")
            try:
                yield SimpleNamespace(environ=environ, town=town, client=HttpClient(base), smtp=smtp,
                                      processes=processes, folder=tmp_path, worker=worker, web=web)
            except BaseException:
                print(processes.logs())
                raise
            finally:
                processes.stop_all()
    finally:
        smtp.stop()
        stop_redis(redis_server)


def operator_creates_bergen(environ: dict[str, str]) -> Municipality:
    """What the operator does once per municipality, with the image's one-off commands."""
    velferd = lambda *args: run_command(environ, "velferd", *args)  # noqa: E731
    velferd("tenant", "create", "--slug", "bergen", "--name", "Bergen kommune", "--country", "NO",
            "--organisation-number", "964338531")
    velferd("plugins", "enable", "due", "--tenant", "bergen")
    town = Municipality(SimpleNamespace(slug="bergen", country="NO"))
    for email, roles in ACCOUNTS.items():
        velferd("user", "create", "--email", email, "--name", "Bergen DUE", "--password", PASSWORD,
                "--tenant", "bergen", *[option for role in roles for option in ("--role", role)])
        token = velferd("user", "token", "--email", email, "--tenant", "bergen").strip().splitlines()[-1]
        for role in roles:
            town.staff[role] = Staff(email, token, user_id=0)
    return town


def logged_in_user_id(client: HttpClient, email: str) -> int:
    """Log in with e-mail and password as a person does; the id of the session's user."""
    answer = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.json
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie  # production: the session cookie never goes over http
    session = cookie.split(";", 1)[0]
    me = ok(client.get("/api/auth/me", headers={"Cookie": session, "X-Forwarded-Proto": "https"}))
    assert me["email"] == email
    return me["id"]


def started_youth(client: HttpClient, town: Municipality, unit_id: int, born: dt.date,
                  legal_basis: str = "child_welfare_act") -> int:
    """A youth referred by `unit_id`, through DUE's intake to ``started`` (guideline 4.1–4.3)."""
    def post(path, body=None, role="caseworker", status=200):
        return ok(client.post(town.url(path), json=body or {}, headers=town.staff[role].headers), status)

    person = post("/persons", {"national_id": synthetic_id("NO", born), "given_name": "Ungdom",
                               "family_name": f"Født {born.isoformat()}"}, status=201)
    case_id = ok(open_case(client, town, person["id"], unit_id), 201)["id"]
    data = referral("2024-09-02", legal_basis=legal_basis)  # the unit's own act
    post("/forms/due/referral/submissions", {"case_id": case_id, "data": data}, status=201)
    decision = post("/rules/due/eligibility/evaluations", {"case_id": case_id, "inputs": {
        "referred_on": "2024-09-02", "criteria": data["criteria"]}}, status=201)
    assert decision["outcome"] == "eligible", decision
    move = lambda transition, payload=None: post(f"/cases/{case_id}/transitions", {  # noqa: E731
        "transition": transition, "data": payload or {}})
    move("invite")
    move("start_assessment")
    post("/forms/due/assessment/submissions", {"case_id": case_id, "data": {
        "right_measure": True, "needs": ["housing", "school"]}}, status=201)
    move("give_feedback")
    move("offer", {"start_on": "2024-10-15"})
    move("request_vedtak")
    post(f"{X}/cases/{case_id}/vedtak", {"decided_on": "2024-10-01", "reference": f"BV-2024/{case_id}"}, status=201)
    move("hold_start_meeting", start_meeting("2024-10-15", "2024-11-20"))
    case = ok(client.get(town.url(f"/cases/{case_id}"), headers=town.caseworker.headers))
    assert case["state"] == "started", case
    return case_id


def invoice_run(client: HttpClient, town: Municipality, period: str) -> dict:
    answer = client.post(town.url("/invoice-runs"), json={"period": period}, headers=town.finance.headers)
    assert answer.status_code == 202, answer.json
    return answer.json


def run_state(client: HttpClient, town: Municipality, period: str) -> str | None:
    runs = ok(client.get(town.url("/invoice-runs"), headers=town.finance.headers))
    return next((run["state"] for run in runs if run["period"] == period), None)


def invoices(client: HttpClient, town: Municipality, period: str) -> list[dict]:
    page = ok(client.get(town.url("/invoices"), headers=town.finance.headers,
                         query_string={"period": period, "limit": 200}))
    return page["items"]


def jobs(client: HttpClient, town: Municipality) -> list[dict]:
    return ok(client.get(town.url("/jobs"), headers=town.tenant_admin.headers, query_string={"limit": 200}))["items"]


def test_the_image_s_processes_serve_a_month_of_due_and_survive_a_worker_stopped_mid_run(shape):
    client, town = shape.client, shape.town
    assert logged_in_user_id(client, town.coordinator.email) > 0
    admin = town.tenant_admin.headers

    # Bergen's admin and finance officer set up prices and billing, as in the DUE guideline's tables.
    ok(client.post(town.url(f"{X}/deflators/published"), headers=admin))
    enter_deflators(client, town, {2017: "2.5", 2018: "2.6"})
    ok(client.put(town.url("/billing-profile"), json={
        "sender_email": "faktura@bergen.test", "bank_account": "52010612349", "address": "Postboks 7700",
        "postal_code": "5020", "city": "Bergen"}, headers=town.finance.headers))
    barnevern = ok(client.post(town.url("/units"), json=UNITS["barnevern"], headers=admin), 201)["id"]
    nav_arna = ok(client.post(town.url("/units"), json=EHF_UNIT, headers=admin), 201)["id"]
    started_youth(client, town, barnevern, dt.date(2005, 3, 14))
    started_youth(client, town, nav_arna, dt.date(2004, 6, 2), "health_and_care_services_act")

    # The month: the run is a job on the worker; its invoices are delivered by more jobs.
    requested = invoice_run(client, town, "2024-11")
    wait_for(lambda: run_state(client, town, "2024-11") == "completed", "November's run to complete", timeout=120)
    billed = invoices(client, town, "2024-11")
    assert sorted(invoice["number"] for invoice in billed) == [1, 2]
    (mail,) = shape.smtp.wait_for_messages(1, timeout=60)
    assert mail.message["To"] == UNITS["barnevern"]["invoice_email"]
    outbox = shape.folder / "instance" / "tenants"
    ehf_files = wait_for(lambda: list(outbox.glob("*/ehf-outbox/*.xml")), "the EHF file in the outbox", timeout=60)
    assert len(ehf_files) == 1 and b"NAV-ARNA-17" in ehf_files[0].read_bytes()
    def all_finished() -> list[dict] | None:
        listed = jobs(client, town)
        return listed if listed and all(job["state"] in ("succeeded", "failed") for job in listed) else None

    done = wait_for(all_finished, "every job to have finished", timeout=60)
    assert {job["state"] for job in done} == {"succeeded"}, done
    assert {"billing.monthly_run", "billing.deliver_invoice"} <= {job["task"] for job in done}
    # The request's id followed the run into the worker: one search of the logs finds both.
    (run_job,) = [job for job in done if job["task"] == "billing.monthly_run"]
    assert run_job["request_id"] and run_job["request_id"] in shape.web.log()
    worker_lines = [json.loads(line) for line in shape.worker.log().splitlines() if line.startswith("{")]
    assert any(line.get("type") == "job" and line.get("request_id") == run_job["request_id"]
               and line.get("state") == "succeeded" for line in worker_lines)
    assert requested["period"] == "2024-11"

    # December, with more payers: the worker is stopped (SIGTERM) while the run is under way.
    for n in range(MORE_PAYERS):
        unit = {**UNITS["utekontakten"], "name": f"Barnevern bydel {n:02d}", "kind": "child_welfare",
                "payer_kind": "internal", "delivery_channel": "finance_export", "organisation_number": "964338531"}
        unit_id = ok(client.post(town.url("/units"), json=unit, headers=admin), 201)["id"]
        started_youth(client, town, unit_id, dt.date(2003, 1, 1) + dt.timedelta(days=40 * n))
    invoice_run(client, town, "2024-12")
    wait_for(lambda: run_state(client, town, "2024-12") in ("running", "completed"), "December's run to start",
             interval=0.02)
    # Celery's warm shutdown: the task in hand is finished (or, past the pod's grace period, the
    # kubelet's SIGKILL ends it and the run resumes: tests/test_billing_kill.py), then exit 0.
    assert shape.worker.terminate(timeout=60) == 0
    wait_for(lambda: run_state(client, town, "2024-12") == "completed", "December's run, finished before exit")

    # January is asked for while no worker is up: it waits in the outbox and the broker.
    invoice_run(client, town, "2025-01")
    assert run_state(client, town, "2025-01") != "completed"
    waiting = [job for job in jobs(client, town) if job["task"] == "billing.monthly_run"][0]
    assert waiting["state"] in ("pending", "queued"), waiting
    replacement = shape.processes.add(ServerProcess.start("worker-2", shape.environ, shape.folder, "worker"))
    replacement.wait_for_log("ready.")
    wait_for(lambda: run_state(client, town, "2025-01") == "completed", "January's run after the restart",
             timeout=120)
    payers = 2 + MORE_PAYERS
    numbers = [invoice["number"] for period in ("2024-12", "2025-01") for invoice in invoices(client, town, period)]
    assert sorted(numbers) == list(range(3, 3 + 2 * payers))  # no gap, no number twice
    for period in ("2024-12", "2025-01"):
        assert len({invoice["payer_name"] for invoice in invoices(client, town, period)}) == payers  # each once
