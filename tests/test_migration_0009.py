"""Migration 0009 on a database that lived before it: a run exported before 0007 gets its
finance export file (so finance can list and download it, and every exported document is in
it), a credit note made before 0007 joins the run of the invoice it credits, and the existing
credit notes are told apart by who made them — all checked as finance reads them after the
upgrade. The database is migrated to 0006 and seeded with that era's SQL, then upgraded.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.databases import PG_URL
from velferd import create_app
from velferd.migrate import upgrade

BEFORE_0007 = "0006_billing_facts"
NOW = "2025-10-01 06:00:00+00:00"

SEED = [
    "INSERT INTO tenant (id, slug, name, country, locale, currency, time_zone, organisation_number, created_at) "
    "VALUES (1, 'bergen', 'Bergen kommune', 'NO', 'nb', 'NOK', 'Europe/Oslo', '964338531', :now)",
    "INSERT INTO unit (id, tenant_id, name, kind, payer_kind, updated_at, created_at) "
    "VALUES (1, 1, 'Barnevernstjenesten', 'service', 'municipal', :now, :now), "
    "(2, 1, 'NAV Bergenhus', 'service', 'state', :now, :now)",
    # September's run, exported twice (its second file had the credit note); October's never exported
    "INSERT INTO invoice_run (id, tenant_id, period_start, period_end, state, plugins, started_at, finished_at, "
    "invoice_count, held_count, export_count, export_path, created_at) VALUES "
    "(1, 1, '2025-09-01', '2025-09-30', 'completed', '[\"due\"]', :now, :now, 2, 0, 2, "
    "'finance_export/1/invoices-2025-09-run1-2.csv', :now), "
    "(2, 1, '2025-10-01', '2025-10-31', 'completed', '[\"due\"]', :now, :now, 0, 0, 0, NULL, :now)",
]
INVOICE = ("INSERT INTO invoice (id, tenant_id, kind, plugin, payer_unit_id, period_start, period_end, currency, "
           "status, number, total, credited_total, run_id, credits_invoice_id, credit_reason, exported_at, created_at) "
           "VALUES (:id, 1, :kind, 'due', :payer, '2025-09-01', '2025-09-30', 'NOK', :status, :number, :total, "
           ":credited, :run_id, :credits, :reason, :exported, :now)")
DOCUMENTS = [
    dict(id=1, payer=1, kind="invoice", status="issued", number=1, total="23515.00", credited="10000.00", run_id=1,
         credits=None, reason=None, exported=NOW),
    dict(id=2, payer=2, kind="invoice", status="issued", number=2, total="47030.00", credited="0.00", run_id=1,
         credits=None, reason=None, exported=NOW),
    # credit notes before 0007: no run of their own
    dict(id=3, payer=1, kind="credit_note", status="issued", number=3, total="10000.00", credited="0.00", run_id=None,
         credits=1, reason="Absent ten days, agreed with the payer.", exported=NOW),
    dict(id=4, payer=2, kind="credit_note", status="issued", number=4, total="0.00", credited="0.00", run_id=None,
         credits=2, reason="due case 7, monthly 2025-09-01/2025-09-30: no longer owed as registered now",
         exported=None),
]


def seeded_before_0007(url: str, tmp_path: Path, **config):
    app = create_app({"LOAD_PLUGIN_ENTRY_POINTS": False, **config})
    upgrade(app, BEFORE_0007)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("select set_config('velferd.tenant_id', '1', true)"))
        for statement in SEED:
            connection.execute(sa.text(statement), {"now": NOW})
        for document in DOCUMENTS:
            connection.execute(sa.text(INVOICE), {**document, "now": NOW})
    upgrade(app)
    return engine


def read(engine, query: str) -> list[tuple]:
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("select set_config('velferd.tenant_id', '1', true)"))
        return [tuple(row) for row in connection.execute(sa.text(query))]


def assert_backfilled(engine) -> None:
    files = read(engine, "select id, run_id, sequence, path, document_count, net_total from finance_export_file")
    assert [row[1:5] for row in files] == [(1, 2, "finance_export/1/invoices-2025-09-run1-2.csv", 3)]
    assert Decimal(str(files[0][5])) == Decimal("23515.00") + Decimal("47030.00") - Decimal("10000.00")
    assert read(engine, "select id, run_id, export_file_id, credit_origin from invoice order by id") == [
        (1, 1, files[0][0], None), (2, 1, files[0][0], None),
        (3, 1, files[0][0], "finance"),
        (4, 1, None, "catch_up"),  # not exported yet: the run's next file takes it
    ]


def test_a_run_exported_before_0007_gets_its_file_and_credit_notes_their_run_and_origin(tmp_path):
    path = tmp_path / "velferd.sqlite3"
    assert_backfilled(seeded_before_0007(f"sqlite:///{path}", tmp_path, SQLITE_PATH=str(path)))


@pytest.fixture
def empty_postgres_url():
    """A database of its own, empty (the shared test databases are migrated to the heads)."""
    server = make_url(PG_URL)
    name = f"velferd_0009_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        sa.create_engine(server).dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="PostgreSQL: the backfill runs under each tenant's row-level security")
def test_the_backfill_on_postgresql_under_row_level_security(tmp_path, empty_postgres_url):
    engine = seeded_before_0007(empty_postgres_url, tmp_path, DATABASE_URL=empty_postgres_url)
    try:
        assert_backfilled(engine)
    finally:
        engine.dispose()
