"""No national id, password hash or bearer token reaches a log line or a stored error text —
not even when a real database statement carrying one fails (SQLAlchemy would print the bound
parameters, PostgreSQL quotes the offending key), nor when a background job fails with one in
its exception."""

from __future__ import annotations

import datetime as dt
import logging
import random

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from tests.databases import running_app
from tests.helpers import add_person, make_municipality
from velferd.db import db
from velferd.identity import synthetic_national_id
from velferd.jobs import enqueue
from velferd.models import JobRun, Person
from velferd.plugins.enablement import set_enabled
from velferd.plugins.hookspecs import hookimpl
from velferd.plugins.specs import Manifest, Plugin, TaskSpec
from velferd.redaction import redact
from velferd.tenancy import tenant_scope

NATIONAL_ID = synthetic_national_id(dt.date(2003, 4, 5), "NO", random.Random(9))
CPR = synthetic_national_id(dt.date(1999, 1, 2), "DK", random.Random(9))
PASSWORD_HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("correct horse battery")


def register_again(ctx, national_id: str) -> None:
    """A task that inserts a person already registered: a unique violation on flush, whose
    error text carries the national id (parameters, and PostgreSQL's DETAIL line)."""
    db.session.add(Person(national_id=national_id, national_id_kind="fnr", birth_date=dt.date(2003, 4, 5),
                          given_name="Ola", family_name="Igjen"))
    db.session.flush()


def leak_secrets(ctx, token: str, password_hash: str) -> None:
    raise RuntimeError(f"the service refused token {token} for hash {password_hash}")


class LeakyPlugin:
    """A plugin whose jobs fail with personal data and secrets in their errors."""

    __name__ = "LeakyPlugin"

    @hookimpl
    def velferd_plugin(self):
        return Plugin(Manifest(id="leaky", title="Leaky", version="1.0"),
                      tasks=[TaskSpec("leaky.register_again", register_again, max_attempts=1),
                             TaskSpec("leaky.leak_secrets", leak_secrets, max_attempts=1)])


@pytest.fixture
def leaky_app(database, db_url, example_plugin, tmp_path):
    with running_app(database, db_url, [example_plugin, LeakyPlugin()], tmp_path / "instance") as app:
        yield app


def _failed_job(app, town, task: str, **kwargs) -> JobRun:
    with app.app_context(), tenant_scope(town.tenant):
        set_enabled(town.tenant, "leaky", True, None)
        db.session.commit()
        job = enqueue(task, tenant=town.tenant, kwargs=kwargs)
        db.session.commit()
        job = db.session.get(JobRun, job.id)
        assert job.state == "failed", job.error
        return job


def test_a_failed_insert_in_a_job_logs_and_stores_no_national_id(leaky_app, caplog):
    client = leaky_app.test_client()
    bergen = make_municipality(leaky_app, "bergen")
    add_person(client, bergen, national_id=NATIONAL_ID)
    caplog.set_level(logging.DEBUG)

    job = _failed_job(leaky_app, bergen, "leaky.register_again", national_id=NATIONAL_ID)

    assert "IntegrityError" in job.error  # the error is still useful...
    assert NATIONAL_ID not in job.error  # ...without the number
    assert "IntegrityError" in caplog.text
    assert NATIONAL_ID not in caplog.text


def test_a_failed_job_logs_and_stores_no_token_or_password_hash(leaky_app, caplog):
    bergen = make_municipality(leaky_app, "bergen")
    password_hash = PASSWORD_HASH
    caplog.set_level(logging.DEBUG)

    job = _failed_job(leaky_app, bergen, "leaky.leak_secrets", token=bergen.caseworker.token,
                      password_hash=password_hash)

    assert "the service refused token" in job.error
    for secret in (bergen.caseworker.token, password_hash):
        assert secret not in job.error
        assert secret not in caplog.text


def test_an_unexpected_database_error_in_a_request_logs_no_national_id(app, client, caplog):
    """The 500 handler logs the traceback (chained DBAPI error included), redacted."""

    def failing_view():
        db.session.execute(sa.text("insert into no_such_table (national_id) values (:national_id)"),
                           {"national_id": NATIONAL_ID})

    app.add_url_rule("/test-only/failing-insert", view_func=failing_view)
    caplog.set_level(logging.DEBUG)

    r = client.get("/test-only/failing-insert")

    assert r.status_code == 500
    assert "incident" in r.json["message"]
    assert "no_such_table" in caplog.text  # the operator still sees which statement failed
    assert NATIONAL_ID not in caplog.text
    assert NATIONAL_ID not in r.get_data(as_text=True)


@pytest.mark.parametrize("logger", ["celery.app.trace", "velferd.jobs.sweeper", "velferd.jobs.fanout",
                                    "velferd.jobs.outbox", "velferd.billing.run"])
def test_logs_of_exceptions_raised_elsewhere_are_redacted(app, caplog, logger):
    """Celery logs a task's exception itself ("Task … raised unexpected: …"); the outbox, the
    sweeper, the fan-out and the invoice run log exceptions from the database or a plugin."""
    from velferd.jobs.celery_app import make_celery

    make_celery(app)
    caplog.set_level(logging.DEBUG)
    try:
        raise RuntimeError(f"lookup of {NATIONAL_ID} failed")
    except RuntimeError as error:
        logging.getLogger(logger).error("Task x raised unexpected: %r", error, exc_info=True)

    assert "raised unexpected" in caplog.text
    assert NATIONAL_ID not in caplog.text


@pytest.mark.parametrize("text", [NATIONAL_ID, f"{NATIONAL_ID[:6]} {NATIONAL_ID[6:]}", CPR,
                                  f"{CPR[:6]}-{CPR[6:]}", "vf.bergen.AbCdEf0123456789_-xyz",
                                  "vi.bergen.AbCdEf0123456789_-xyz", PASSWORD_HASH])
def test_redact_removes_national_ids_tokens_and_hashes(text):
    assert text not in redact(f"Key (tenant_id, national_id)=(1, {text}) already exists")
    assert "already exists" in redact(f"{text} already exists")


def test_redact_keeps_other_numbers():
    assert redact("invoice 2026-000123 of 1503 12 34567, organisation 964338531") == \
        "invoice 2026-000123 of 1503 12 34567, organisation 964338531"
