#!/usr/bin/env python
"""What the web pages cost next to the API endpoints that read the same data, in one tenant
holding 1,000,000 cases — and again at 10,000, to show the time does not grow with the size.

Prints figures; asserts nothing about timing (this is not a test). See bench/README.md.

One run, per size:
1. a fresh database — a SQLite file by default, PostgreSQL when VELFERD_BENCH_DATABASE_URL
   names a superuser URL (a throw-away database and the app role, as bench_cases.py makes) —
   migrated with Alembic;
2. the municipality and its staff (a leader, caseworkers) made by the platform's own services
   (velferd.testing.make_municipality), the `example` programme enabled; then persons (one per
   two cases), the cases (a third unassigned, the rest spread over 20 caseworkers, a fifth closed)
   and a deadline on every tenth case (half of them overdue) bulk-inserted with
   INSERT … SELECT from a table of numbers;
3. medians of the server's time (the request handled in this process by Flask's test client)
   for the caseload page vs the API's case list, the case page vs the API's case read, and the
   dashboard vs the API's case list (its baseline: one page of data), interleaved so drift hits
   both alike; a logged-in browser session for the pages, a bearer token for the API.

    .venv/bin/python bench/bench_pages.py                     # 1,000,000 and 10,000 cases
    .venv/bin/python bench/bench_pages.py --sizes 20000       # a quick run while developing
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # for tests.plugins.example and bench.bench_cases

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402

STAFF = 20  # caseworkers holding the assigned cases
#: How each dialect writes a number as fixed-width text (the synthetic national ids).
PADDED = {"sqlite": "printf('%010d', n)", "postgresql": "lpad(n::text, 10, '0')"}


# --------------------------------------------------------------------------- database and app

@contextmanager
def database(workdir: Path, size: int) -> Iterator[tuple[str, str, dict]]:
    """(the app's URL, the owner's URL for bulk loading, extra app config), dropped afterwards."""
    server = os.environ.get("VELFERD_BENCH_DATABASE_URL")
    if not server:
        path = workdir / f"pages_{size}.sqlite3"
        for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        yield url, url, {}
        return
    from bench.bench_cases import APP_ROLE, create_database, drop_database

    made = create_database(server)
    try:
        yield made.app_url, made.owner_url, {"MIGRATION_DATABASE_URL": made.owner_url, "DB_APP_ROLE": APP_ROLE}
    finally:
        drop_database(server, made.name)


def make_app(url: str, extra: dict, instance: Path) -> Flask:
    from tests.plugins.example import ExamplePlugin
    from velferd.app import create_app
    from velferd.testing import test_config

    os.environ["VELFERD_INSTANCE_PATH"] = str(instance)
    return create_app(test_config(url, **extra), plugins=[ExamplePlugin()])


# --------------------------------------------------------------------------- data set

def seed(app: Flask, owner_url: str, size: int) -> dict[str, object]:
    """The municipality through the platform's services, then `size` cases in bulk as the owner
    (on PostgreSQL a superuser, so row-level security does not apply to the load)."""
    from velferd import tenants
    from velferd.db import UtcDateTime, db
    from velferd.tenancy import tenant_scope
    from velferd.testing import make_municipality

    town = make_municipality(app, "bergen", ("leader", "caseworker"), ("example",))
    with app.app_context(), tenant_scope(town.tenant):
        staff = [town.caseworker.user_id]
        for k in range(STAFF - 1):
            user = tenants.create_user(f"worker{k}@bergen.bench", f"Saksbehandler {k:02d}", None)
            tenants.add_member(user, ["caseworker"])
            db.session.flush()
            staff.append(user.id)
        db.session.commit()
    engine = sa.create_engine(owner_url)
    dialect = engine.dialect.name
    persons = max(1, size // 2)
    today = dt.date.today()
    stamp = sa.bindparam("at", dt.datetime(2024, 1, 1, tzinfo=dt.UTC), type_=UtcDateTime())
    timings = {}
    start = time.perf_counter()
    with engine.begin() as conn:
        if dialect == "sqlite":
            conn.exec_driver_sql("PRAGMA journal_mode = WAL")
            conn.exec_driver_sql("PRAGMA synchronous = OFF")
        conn.exec_driver_sql("CREATE TABLE bench_n (n INTEGER PRIMARY KEY)")
        if dialect == "sqlite":
            conn.exec_driver_sql(f"""WITH RECURSIVE g(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM g WHERE n < {size - 1})
                                     INSERT INTO bench_n SELECT n FROM g""")
        else:
            conn.exec_driver_sql(f"INSERT INTO bench_n SELECT generate_series(0, {size - 1})")
            conn.exec_driver_sql("SET session_replication_role = replica")  # FKs consistent by construction
        first_person = (conn.scalar(sa.text("SELECT max(id) FROM person")) or 0) + 1
        conn.execute(sa.text(f"""
            INSERT INTO person (id, national_id, national_id_kind, birth_date, given_name, family_name, tenant_id, created_at)
            SELECT :first + n, '9' || {PADDED[dialect]}, 'fnr', :born, 'Kari', 'Nordmann ' || n, :tenant, :at
            FROM bench_n WHERE n < :persons""").bindparams(stamp),
            {"first": first_person, "born": dt.date(1990, 1, 1), "tenant": town.tenant.id, "persons": persons})
        # two cases in three assigned, spread evenly over the staff; the third assigned to nobody
        staff_cases = f"CASE (n / 3) % {STAFF} " + " ".join(f"WHEN {k} THEN {uid}" for k, uid in enumerate(staff)) + " END"
        conn.execute(sa.text(f"""
            INSERT INTO case_file (person_id, plugin, workflow, state, assigned_to_id, updated_at, closed_at,
                                   tenant_id, created_at)
            SELECT :first + n % :persons, 'example', 'example_intake',
                   CASE WHEN n % 5 = 4 THEN 'closed' ELSE 'referred' END,
                   CASE WHEN n % 3 = 0 THEN NULL ELSE {staff_cases} END,
                   :at, CASE WHEN n % 5 = 4 THEN :at END, :tenant, :at
            FROM bench_n ORDER BY n""").bindparams(stamp),
            {"first": first_person, "persons": persons, "tenant": town.tenant.id})
        first_case = conn.scalar(sa.text("SELECT min(id) FROM case_file"))
        conn.execute(sa.text("""
            INSERT INTO deadline (case_id, kind, due_on, completed_at, tenant_id, created_at)
            SELECT :first + n, 'follow-up', CASE WHEN n % 20 = 0 THEN :past ELSE :future END, NULL, :tenant, :at
            FROM bench_n WHERE n % 10 = 0""").bindparams(stamp),
            {"first": first_case, "past": today - dt.timedelta(days=30), "future": today + dt.timedelta(days=30),
             "tenant": town.tenant.id})
        conn.exec_driver_sql("DROP TABLE bench_n")
        if dialect == "postgresql":
            conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('person', 'id'), (SELECT max(id) FROM person))")
    if dialect == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE)")
    timings["load"] = time.perf_counter() - start
    engine.dispose()
    with app.app_context(), tenant_scope(town.tenant):
        from velferd.models import Case
        middle_case = db.session.scalar(sa.select(Case.id).order_by(Case.id).offset(size // 2).limit(1))
    return {"town": town, "case_id": middle_case, "staff": staff, **timings}


# --------------------------------------------------------------------------- timing

def median_ms(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def measure(pairs: dict[str, tuple[Callable[[], object], Callable[[], object]]], iterations: int, warmup: int):
    """Each pair (page, API) interleaved, alternating which goes first; medians in ms."""
    results = {}
    for name, (page, api) in pairs.items():
        for _ in range(warmup):
            page(), api()
        page_times, api_times = [], []
        for i in range(iterations):
            order = ((page, page_times), (api, api_times)) if i % 2 == 0 else ((api, api_times), (page, page_times))
            for call, times in order:
                times.append(median_ms(call))
        results[name] = (statistics.median(page_times), statistics.median(api_times))
    return results


def checked(client, url: str, **kwargs) -> Callable[[], object]:
    def call():
        response = client.get(url, **kwargs)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code} {response.get_data(as_text=True)[:300]}")
        return response
    return call


def run(size: int, workdir: Path, iterations: int, warmup: int) -> dict:
    from velferd.migrate import upgrade
    from velferd.testing import PASSWORD

    with database(workdir, size) as (url, owner_url, extra):
        app = make_app(url, extra, workdir / f"instance_{size}")
        upgrade(app)
        seeded = seed(app, owner_url, size)
        town, case_id, staff = seeded["town"], seeded["case_id"], seeded["staff"]
        browser = app.test_client()
        browser.environ_base["HTTP_ACCEPT"] = "text/html"
        r = browser.post("/login", data={"email": town.leader.email, "password": PASSWORD})
        assert r.status_code in (302, 303), r.status_code
        api = app.test_client()
        headers = town.caseworker.headers
        list_api = checked(api, town.url("/cases?limit=200"), headers=headers)
        results = measure({
            "caseload page vs API case list": (checked(browser, "/t/bergen/cases"), list_api),
            "caseload, overdue, vs API ?overdue": (checked(browser, "/t/bergen/cases?overdue=1"),
                                                   checked(api, town.url("/cases?limit=200&overdue=true"),
                                                           headers=headers)),
            "caseload of one caseworker (open) vs list": (
                checked(browser, f"/t/bergen/cases?assigned_to={staff[3]}&open=1"), list_api),
            "case page vs API case read": (checked(browser, f"/t/bergen/cases/{case_id}"),
                                           checked(api, town.url(f"/cases/{case_id}"), headers=headers)),
            "dashboard vs API case list": (checked(browser, "/t/bergen/dashboard"), list_api),
        }, iterations, warmup)
        with app.app_context():
            from velferd.db import db
            dialect = db.engine.dialect.name
            db.engine.dispose()
        return {"load": seeded["load"], "results": results, "dialect": dialect}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000])
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--keep-in", metavar="FOLDER", help="leave the SQLite files in FOLDER (default: removed)")
    args = parser.parse_args()
    runs = {}
    with tempfile.TemporaryDirectory(prefix="velferd_bench_pages_") as temporary:
        folder = args.keep_in or temporary
        Path(folder).mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            runs[size] = run(size, Path(folder), args.iterations, args.warmup)
            print(f"{size:>9,} cases ({runs[size]['dialect']}): loaded in {runs[size]['load']:.1f} s", flush=True)
    print(f"\nmedian server time of {args.iterations} requests each, ms (load average {os.getloadavg()[0]:.1f})")
    print(f"{'':42} {'cases':>9} {'page':>8} {'API':>8} {'page/API':>9}")
    names = list(next(iter(runs.values()))["results"])
    for index, name in enumerate(names):
        for size, outcome in runs.items():
            page, api = list(outcome["results"].values())[index]
            label = name if size == args.sizes[0] else ""
            print(f"{label:42} {size:>9,} {page:8.1f} {api:8.1f} {page / api:9.2f}")


if __name__ == "__main__":
    main()
