#!/usr/bin/env python
"""What the monthly invoice run costs with PostgreSQL holding many tenants.

Prints figures; asserts nothing about timing (this is not a test). See bench/README.md.

One run:
1. creates a throw-away database and the application role, migrates it with Alembic;
2. bulk-loads, as the superuser, N tenants (default 300), each with PAYERS payer units on the
   finance-export channel, the `example` plugin enabled, persons and P open placements in all
   (default 100,000 — cases of the example plugin referred by a paying unit, which its invoice
   line provider bills one month each);
3. times the baseline: the same invoice and line rows written with one INSERT … SELECT each into
   staging copies of the tables (same columns, indexes and defaults; no RLS, no foreign keys);
4. times the monthly run end to end for every tenant, in this process and one tenant after the
   other as a worker would run the fanned-out jobs: tenant scope and RLS, the plugin's provider,
   pricing, invoices written in batches (one transaction per BILLING_INVOICES_PER_TRANSACTION
   invoices, numbers taken per batch, lines through COPY and a staging table), the finance
   export file per run, the run record;
   With --steady-state, the month before is billed first (untimed) and the database analysed,
   as autovacuum would have done by then: the timed run then meets tables with history and
   statistics, as every monthly run after a deployment's first does. Without it the invoice
   tables are empty and were analysed empty, so PostgreSQL's cached foreign-key check on
   invoice_line → invoice keeps a sequential-scan plan for the whole run (the first run ever);
5. times the same run again (every period completed: nothing is written);
6. prints peak RSS, checks the invoices written match the baseline's, drops the database.

    .venv/bin/python bench/bench_invoices.py                         # full size
    .venv/bin/python bench/bench_invoices.py --placements 20000      # a quick run while developing
    .venv/bin/python bench/bench_invoices.py --steady-state          # a month after the first
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform as stdlib_platform
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # for tests.plugins.example; appended, so the stdlib `platform` still wins

import psycopg  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench_cases import (  # noqa: E402
    DEFAULT_SERVER,
    EXAMPLE_SETTINGS,
    create_database,
    drop_database,
    organisation_numbers,
    platform_app,
    slug,
)

PAYERS = 6
PRICE = "12500.00"  # tests.plugins.example.MONTHLY_PRICE


def sizes(tenants: int, placements: int) -> list[int]:
    rng = random.Random(300)
    weights = [rng.uniform(0.5, 1.5) for _ in range(tenants)]
    result = [max(1, int(placements * w / sum(weights))) for w in weights]
    result[0] += placements - sum(result)
    return result


def conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def load(owner_url: str, tenants: int, placements: int) -> float:
    started = time.perf_counter()
    with psycopg.connect(conninfo(owner_url)) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET synchronous_commit = off")
        now = dt.datetime.now(dt.timezone.utc)
        with conn.cursor().copy(
            "COPY tenant (id, slug, name, country, locale, currency, time_zone, organisation_number, created_at) FROM STDIN"
        ) as copy:
            for i, orgnr in enumerate(organisation_numbers(tenants), start=1):
                copy.write_row((i, slug(i), f"Kommune {i:03d}", "NO", "nb", "NOK", "Europe/Oslo", orgnr, now))
        conn.execute("CREATE TEMP TABLE plan (tenant_id int, n int, person_offset bigint)")
        offset = 0
        with conn.cursor().copy("COPY plan FROM STDIN") as copy:
            for i, n in enumerate(sizes(tenants, placements), start=1):
                copy.write_row((i, n, offset))
                offset += max(1, n // 2)
        conn.execute(f"""
            INSERT INTO unit (id, name, kind, organisation_number, payer_kind, delivery_channel, updated_at,
                              tenant_id, created_at)
            SELECT (t.id - 1) * {PAYERS} + k, 'Betaler ' || k, 'child_welfare', t.organisation_number, 'internal',
                   'finance_export', now(), t.id, now()
            FROM tenant t, generate_series(1, {PAYERS}) AS k""")
        conn.execute(f"""
            INSERT INTO tenant_plugin (plugin, enabled, settings, changed_at, tenant_id)
            SELECT 'example', true, '{EXAMPLE_SETTINGS}'::jsonb, now(), t.id FROM tenant t""")
        conn.execute("""
            INSERT INTO person (id, national_id, national_id_kind, birth_date, given_name, family_name, tenant_id, created_at)
            SELECT p.person_offset + g + 1, lpad((p.person_offset + g)::text, 11, '0'), 'fnr', date '2005-01-01',
                   'Ola', 'Nordmann', p.tenant_id, now()
            FROM plan p, generate_series(0, greatest(1, p.n / 2) - 1) AS g""")
        conn.execute(f"""
            INSERT INTO case_file (person_id, plugin, workflow, state, referring_unit_id, updated_at, tenant_id, created_at)
            SELECT p.person_offset + 1 + g % greatest(1, p.n / 2), 'example', 'example_intake', 'accepted',
                   (p.tenant_id - 1) * {PAYERS} + 1 + g % {PAYERS}, now(), p.tenant_id, now()
            FROM plan p, generate_series(0, p.n - 1) AS g""")
        for table in ("tenant", "unit", "person"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        conn.commit()
    with psycopg.connect(conninfo(owner_url), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    return time.perf_counter() - started


def baseline(owner_url: str, period_start: dt.date, period_end: dt.date) -> float:
    """The same invoice and line rows, one INSERT … SELECT each, in one transaction."""
    with psycopg.connect(conninfo(owner_url)) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_invoice_line, bench_invoice")
        # the copies share the real tables' id sequences (their defaults) and indexes
        conn.execute("CREATE TABLE bench_invoice (LIKE invoice INCLUDING DEFAULTS INCLUDING INDEXES)")
        conn.execute("CREATE TABLE bench_invoice_line (LIKE invoice_line INCLUDING DEFAULTS INCLUDING INDEXES)")
        conn.commit()
        started = time.perf_counter()
        params = {"start": period_start, "end": period_end, "price": PRICE}
        conn.execute("""
            INSERT INTO bench_invoice (kind, plugin, payer_unit_id, period_start, period_end, currency, status,
                                       number, issue_date, due_date, total, credited_total, payer_snapshot,
                                       seller_snapshot, vat_category, vat_rate, vat_exemption_reason,
                                       payment_terms_days, issued_at, tenant_id, created_at)
            SELECT 'invoice', c.plugin, u.id, %(start)s, %(end)s, t.currency, 'issued',
                   row_number() OVER (PARTITION BY c.tenant_id ORDER BY u.id), current_date, current_date + 30,
                   count(*) * %(price)s::numeric, 0,
                   jsonb_build_object('name', u.name, 'organisation_number', u.organisation_number, 'country', t.country,
                                      'payer_kind', u.payer_kind, 'delivery_channel', u.delivery_channel),
                   jsonb_build_object('name', t.name, 'organisation_number', t.organisation_number),
                   'O', 0, 'Utenfor merverdiavgiftsloven – kommunal tjenesteyting', 30, now(), c.tenant_id, now()
            FROM case_file c JOIN unit u ON u.id = c.referring_unit_id JOIN tenant t ON t.id = c.tenant_id
            WHERE c.plugin = 'example' AND c.closed_at IS NULL AND u.payer_kind IS NOT NULL
            GROUP BY c.tenant_id, c.plugin, u.id, t.id""", params)
        conn.execute("""
            INSERT INTO bench_invoice_line (invoice_id, position, description, quantity, unit_price, amount,
                                            period_start, period_end, case_id, case_reference, tenant_id)
            SELECT i.id, row_number() OVER (PARTITION BY i.id ORDER BY c.id), 'Follow-up ' || to_char(%(start)s::date, 'MM/YYYY'),
                   1, %(price)s::numeric, %(price)s::numeric, %(start)s, %(end)s, c.id, 'example/' || c.id, c.tenant_id
            FROM case_file c JOIN bench_invoice i
              ON i.tenant_id = c.tenant_id AND i.payer_unit_id = c.referring_unit_id AND i.plugin = c.plugin
            WHERE c.plugin = 'example' AND c.closed_at IS NULL""", params)
        conn.commit()
        elapsed = time.perf_counter() - started
        counts = conn.execute("SELECT (SELECT count(*) FROM bench_invoice), (SELECT count(*) FROM bench_invoice_line)").fetchone()
    print(f"baseline wrote {counts[0]:,} invoices and {counts[1]:,} lines", flush=True)
    return elapsed


def monthly_run(app, period: str) -> tuple[float, int]:
    """Every tenant's run, one after the other, as the worker would run the fanned-out jobs."""
    from velferd.billing.periods import billable_period
    from velferd.billing.run import run_period
    from velferd.db import db
    from velferd.models import Tenant
    from velferd.tenancy import tenant_scope

    with app.app_context():
        tenant_ids = db.session.scalars(sa.select(Tenant.id).order_by(Tenant.id)).all()
    created = 0
    started = time.perf_counter()
    for tenant_id in tenant_ids:
        with app.app_context():  # a fresh context and session per job, as in the worker
            tenant = db.session.get(Tenant, tenant_id)
            with tenant_scope(tenant):
                created += run_period(tenant, billable_period(tenant, period)).created
    return time.perf_counter() - started, created


def written(owner_url: str, period_start: dt.date) -> tuple[int, int, str, str]:
    """What the timed run wrote (the timed period only: --steady-state billed the month before too)."""
    with psycopg.connect(conninfo(owner_url)) as conn:
        return conn.execute("""
            SELECT (SELECT count(*) FROM invoice WHERE period_start = %(start)s),
                   (SELECT count(*) FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
                     WHERE i.period_start = %(start)s),
                   (SELECT sum(total)::text FROM invoice WHERE period_start = %(start)s),
                   (SELECT sum(total)::text FROM bench_invoice)""", {"start": period_start}).fetchone()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--placements", type=int, default=100_000)
    parser.add_argument("--tenants", type=int, default=300)
    parser.add_argument("--server", default=os.environ.get("VELFERD_BENCH_DATABASE_URL", DEFAULT_SERVER))
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--steady-state", action="store_true",
                        help="bill the month before first (untimed) and ANALYZE, as in any month after the first")
    args = parser.parse_args(argv)

    instance = tempfile.mkdtemp(prefix="velferd-bench-")
    os.environ["VELFERD_INSTANCE_PATH"] = instance  # export files; keep the repository clean
    database = create_database(args.server)
    today = dt.date.today()
    period_end = today.replace(day=1) - dt.timedelta(days=1)
    period = f"{period_end:%Y-%m}"
    print(f"database {database.name}: {args.tenants} tenants, {PAYERS} payers each, "
          f"{args.placements:,} placements, period {period}", flush=True)
    try:
        from velferd.migrate import upgrade

        app = platform_app(database)
        upgrade(app)
        print(f"loaded in {load(database.owner_url, args.tenants, args.placements):.1f} s", flush=True)
        if args.steady_state:
            before = f"{period_end.replace(day=1) - dt.timedelta(days=1):%Y-%m}"
            print(f"steady state: billed {before} first in {monthly_run(app, before)[0]:.1f} s, then ANALYZE",
                  flush=True)
            with psycopg.connect(conninfo(database.owner_url), autocommit=True) as conn:
                conn.execute("ANALYZE")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        base = baseline(database.owner_url, period_end.replace(day=1), period_end)
        first, created = monthly_run(app, period)
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        again, created_again = monthly_run(app, period)
        invoices, lines, total, base_total = written(database.owner_url, period_end.replace(day=1))
        exports = sum(1 for _ in Path(instance).rglob(f"invoices-{period}-*.csv"))

        print()
        state = "steady state (a month billed before)" if args.steady_state else "first run on empty invoice tables"
        print(f"Velferd monthly invoice run — {args.tenants} tenants, {args.placements:,} placements, on PostgreSQL, "
              f"{state}")
        print(f"Python {sys.version.split()[0]}, {stdlib_platform.system()} {stdlib_platform.machine()}, "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; in-process, tenants one after another")
        print()
        header = f"{'what':<44} {'seconds':>9} {'ratio':>8}  target"
        print(header)
        print("-" * len(header))
        print(f"{'baseline: INSERT … SELECT (invoices + lines)':<44} {base:>9.2f} {'1.00x':>8}")
        print(f"{'monthly run, end to end':<44} {first:>9.2f} {first / base:>7.2f}x  "
              f"<= 3x baseline: {'met' if first <= 3 * base else 'NOT met'}")
        print(f"{'monthly run again (nothing to do)':<44} {again:>9.2f} {again / first:>7.3f}x  "
              f"< 0.1x first run: {'met' if again < 0.1 * first else 'NOT met'}")
        print()
        print(f"first run created {created:,} invoices ({invoices:,} in the table, {lines:,} lines, "
              f"{exports} export files); the second created {created_again}")
        print(f"sum of invoice totals: run {total}, baseline {base_total} "
              f"({'equal' if total == base_total else 'DIFFERENT'})")
        print(f"per invoice: {first / max(created, 1) * 1000:.1f} ms; per line: {first / max(lines, 1) * 1e6:.0f} µs")
        print(f"peak RSS of the process (the worker's role here): {rss_after:.0f} MB "
              f"(before the run: {rss_before:.0f} MB)")
        with app.app_context():
            from velferd.db import db

            db.engine.dispose()
    finally:
        if args.keep_db:
            print(f"kept: {database.owner_url}")
        else:
            drop_database(args.server, database.name)
        shutil.rmtree(instance, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
