"""A worker killed (SIGKILL) in the middle of an invoice run: running it again yields exactly one
invoice per payer and period, numbered 1..N without a gap.

Real parts only: a ``celery worker`` subprocess on the real Redis broker (a queue of its own),
the real PostgreSQL as the row-level-security-bound application role, and ``kill -9``.
"""

from __future__ import annotations

import os
import signal

import pytest
import sqlalchemy as sa

from tests.billing_towns import last_month
from tests.celery_processes import start_worker, unique_queue, wait_for
from tests.conftest import REDIS_URL
from tests.databases import app_config
from tests.helpers import make_municipality
from tests.many_payers import add_payers
from tests.plugins.example import ExamplePlugin
from velferd import create_app
from velferd.db import db
from velferd.models import Invoice, InvoiceRun
from velferd.tenancy import tenant_scope

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
PAYERS = 250
CASES_PER_PAYER = 8
INVOICES_PER_TRANSACTION = 5
WORKER_PLUGINS = ["tests.plugins.example:ExamplePlugin"]


@pytest.fixture
def broker_config(db_url, database, tmp_path, monkeypatch):
    monkeypatch.setenv("VELFERD_INSTANCE_PATH", str(tmp_path / "instance"))  # the worker's too
    # small batches, so the kill lands between two committed batches of the run
    return app_config(db_url, database.owner_url, REDIS_URL=REDIS_URL, CELERY_QUEUE=unique_queue(),
                      BILLING_INVOICES_PER_TRANSACTION=INVOICES_PER_TRANSACTION)


@pytest.fixture
def broker_app(broker_config):
    app = create_app(broker_config, plugins=[ExamplePlugin()])
    yield app
    with app.app_context():
        db.engine.dispose()


def many_payers(app, client, town) -> None:
    """PAYERS units on the finance-export channel, each referring CASES_PER_PAYER open cases."""
    add_payers(app, client, town, [{"name": f"Payer {n:03d}", "delivery_channel": "finance_export"}
                                   for n in range(PAYERS)], CASES_PER_PAYER)


def invoice_numbers(app, town) -> list[int | None]:
    with app.app_context(), tenant_scope(town.tenant):
        return db.session.scalars(sa.select(Invoice.number).order_by(Invoice.id)).all()


def test_a_run_killed_midway_and_run_again_bills_each_payer_once_without_gaps(broker_app, broker_config, tmp_path):
    client = broker_app.test_client()
    town = make_municipality(broker_app, "bergen")
    many_payers(broker_app, client, town)
    period = last_month()

    worker = start_worker(broker_config, WORKER_PLUGINS, tmp_path / "worker-1.log")
    try:
        r = client.post(town.url("/invoice-runs"), json={"period": period}, headers=town.finance.headers)
        assert r.status_code == 202, r.json
        written = wait_for(lambda: 0 < len(invoice_numbers(broker_app, town)) < PAYERS // 2,
                           "the run to have written some but not all invoices", interval=0.02)
        os.kill(worker.pid, signal.SIGKILL)
        worker.process.wait(timeout=10)
    finally:
        worker.stop()
    partial = invoice_numbers(broker_app, town)
    assert written and 0 < len(partial) < PAYERS, "killed in the middle"
    with broker_app.app_context(), tenant_scope(town.tenant):
        assert db.session.scalar(sa.select(InvoiceRun.state)) == "running"

    worker = start_worker(broker_config, WORKER_PLUGINS, tmp_path / "worker-2.log")
    try:
        r = client.post(town.url("/invoice-runs"), json={"period": period}, headers=town.finance.headers)
        assert r.status_code == 202, r.json

        def completed():
            with broker_app.app_context(), tenant_scope(town.tenant):
                return db.session.scalar(sa.select(InvoiceRun.state)) == "completed"

        wait_for(completed, "the second run to complete", timeout=120)
    finally:
        worker.stop()

    with broker_app.app_context(), tenant_scope(town.tenant):
        invoices = db.session.scalars(sa.select(Invoice)).all()
        run = db.session.scalar(sa.select(InvoiceRun))
    assert len(invoices) == PAYERS
    assert len({(i.plugin, i.payer_unit_id, i.period_start) for i in invoices}) == PAYERS
    assert sorted(i.number for i in invoices) == list(range(1, PAYERS + 1))
    assert {i.status for i in invoices} == {"sent"}  # all in the finance export, once
    assert (run.invoice_count, run.export_count) == (PAYERS, 1)
