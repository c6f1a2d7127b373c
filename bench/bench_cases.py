#!/usr/bin/env python
"""What the platform's layers cost on the case endpoints, with PostgreSQL holding many tenants.

Prints figures; asserts nothing about timing (this is not a test). See bench/README.md.

One run:
1. creates a throw-away database and the application role, migrates it with Alembic;
2. bulk-loads, as the superuser, N tenants (default 300) with staff, a unit, the `example`
   plugin enabled, persons and M cases (default 1,000,000) — one "big" tenant and one "small";
3. times, in-process with Flask's test client and interleaved so drift hits both alike:
   a page of 50 cases, one case, and opening a case — on the real app (tenancy, bearer token,
   membership, RLS, audit, plugins, marshmallow) and on a bare Flask + SQLAlchemy app that
   reads and writes the same rows with none of that;
4. counts the SQL statements per platform request (a page in the big tenant vs the small one);
5. drops the database (also on failure) unless --keep-db.

    .venv/bin/python bench/bench_cases.py                      # full size (loads in about 20 s)
    .venv/bin/python bench/bench_cases.py --cases 50000        # a quick run while developing
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform as stdlib_platform
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # for tests.plugins.example, tests.round_trips; appended, so the stdlib `platform` still wins

import psycopg  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.bare_app import bare_app  # noqa: E402
from bench.platform_app import platform_app  # noqa: E402
from tests.round_trips import RoundTripCounter  # noqa: E402

DEFAULT_SERVER = "postgresql+psycopg://root@127.0.0.1:5432/postgres"
APP_ROLE = "velferd_app_bench"
STAFF_ROLES = ("caseworker", "leader", "tenant_admin")  # user ids (tenant_id - 1) * 3 + 1, 2, 3
EXAMPLE_SETTINGS = '{"min_age": 16, "max_age": 23, "places": 10}'
EXAMPLE_STATES = ("referred", "assessed", "accepted", "declined", "closed")
GIVEN = ("Ada", "Bjørn", "Camilla", "Dag", "Eva", "Frode", "Gro", "Håkon", "Ingrid", "Jon",
         "Kari", "Lars", "Marit", "Nils", "Oda", "Per", "Rakel", "Sindre", "Tone", "Åse")
FAMILY = ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
          "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
          "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen",
          "Lund", "Sørensen")


# --------------------------------------------------------------------------- data set

@dataclass
class Plan:
    """How many cases and persons each tenant gets; tenant 1 is big, the last one small."""

    tenants: int
    cases: int
    sizes: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.tenants < 3:
            raise SystemExit("--tenants must be at least 3 (a big, a small and the rest)")
        big, small = max(self.cases // 20, 2_000), 200
        rest = self.cases - big - small
        if rest < self.tenants - 2:
            raise SystemExit("--cases is too small for that many tenants")
        rng = random.Random(300)
        weights = [rng.uniform(0.5, 1.5) for _ in range(self.tenants - 2)]
        middle = [int(rest * w / sum(weights)) for w in weights]
        middle[0] += rest - sum(middle)  # exact total
        self.sizes = [big, *middle, small]
        if max(self.persons(n) for n in self.sizes) >= 100_000:
            raise SystemExit("a tenant would get 100,000+ persons; the synthetic ids allow fewer")

    @staticmethod
    def persons(cases: int) -> int:
        return max(1, cases // 2)  # two cases per person on average

    @property
    def big_slug(self) -> str:
        return slug(1)

    @property
    def small_slug(self) -> str:
        return slug(self.tenants)


def slug(tenant_id: int) -> str:
    return f"t{tenant_id:03d}"


def organisation_numbers(count: int) -> list[str]:
    """Valid Norwegian organisation numbers (mod 11, weights 3 2 7 6 5 4 3 2), made up."""
    from velferd.identity import validate_organisation_number

    weights, found, n = (3, 2, 7, 6, 5, 4, 3, 2), [], 91_000_000
    while len(found) < count:
        first8, n = str(n), n + 1
        check = (11 - sum(w * int(d) for w, d in zip(weights, first8)) % 11) % 11
        if check != 10:
            found.append(validate_organisation_number(first8 + str(check), "NO"))
    return found


def load(owner_url: str, plan: Plan) -> dict[str, float]:
    """Bulk-load as the superuser (which bypasses RLS). FK triggers are skipped for the load
    (`session_replication_role = replica`): every reference is consistent by construction."""
    timings: dict[str, float] = {}
    conninfo = make_url(owner_url).set(drivername="postgresql").render_as_string(hide_password=False)

    @contextmanager
    def step(name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        timings[name] = time.perf_counter() - start

    with psycopg.connect(conninfo) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SET work_mem = '256MB'")
        with step("tenants, staff, units, plugins"):
            now = dt.datetime.now(dt.timezone.utc)
            with conn.cursor().copy(
                "COPY tenant (id, slug, name, country, locale, currency, time_zone, organisation_number, created_at) FROM STDIN"
            ) as copy:
                for i, orgnr in enumerate(organisation_numbers(plan.tenants), start=1):
                    copy.write_row((i, slug(i), f"Kommune {i:03d}", "NO", "nb", "NOK", "Europe/Oslo", orgnr, now))
            conn.execute("CREATE TEMP TABLE plan (tenant_id int, n_cases int, n_persons int, person_offset bigint)")
            offset = 0
            with conn.cursor().copy("COPY plan FROM STDIN") as copy:
                for i, n in enumerate(plan.sizes, start=1):
                    copy.write_row((i, n, plan.persons(n), offset))
                    offset += plan.persons(n)
            roles = ", ".join(f"({k}, '{r}')" for k, r in enumerate(STAFF_ROLES, start=1))
            conn.execute(f"""
                INSERT INTO app_user (id, email, name, password_hash, is_operator, active, created_at)
                SELECT (t.id - 1) * 3 + r.k, r.role || '@' || t.slug || '.bench', r.role || ' ' || t.slug,
                       NULL, false, true, now()
                FROM tenant t CROSS JOIN (VALUES {roles}) AS r(k, role)""")
            conn.execute(f"""
                INSERT INTO membership (id, user_id, roles, tenant_id, created_at)
                SELECT (t.id - 1) * 3 + r.k, (t.id - 1) * 3 + r.k, jsonb_build_array(r.role), t.id, now()
                FROM tenant t CROSS JOIN (VALUES {roles}) AS r(k, role)""")
            conn.execute("""
                INSERT INTO unit (id, name, kind, payer_kind, updated_at, tenant_id, created_at)
                SELECT t.id, 'Barneverntjenesten', 'child_welfare', 'internal', now(), t.id, now() FROM tenant t""")
            conn.execute(f"""
                INSERT INTO tenant_plugin (plugin, enabled, settings, changed_at, tenant_id)
                SELECT 'example', true, '{EXAMPLE_SETTINGS}'::jsonb, now(), t.id FROM tenant t""")
            conn.commit()
        with step("persons"):
            # Synthetic-looking Norwegian numbers: day, month + 80 (Skatteetaten's synthetic range),
            # year, then the person's sequence number in the tenant (5 digits) where a real number
            # has its individual number and check digits. Unique per tenant, never a real person's
            # number, and deliberately not checksum-valid: bulk rows are never parsed back.
            given = "ARRAY[" + ", ".join(f"'{n}'" for n in GIVEN) + "]"
            family = "ARRAY[" + ", ".join(f"'{n}'" for n in FAMILY) + "]"
            conn.execute(f"""
                INSERT INTO person (id, national_id, national_id_kind, birth_date, given_name, family_name,
                                    tenant_id, created_at)
                SELECT p.person_offset + g + 1,
                       lpad((1 + g % 28)::text, 2, '0') || (81 + (g / 28) % 12)::text
                         || lpad((60 + g % 45)::text, 2, '0') || lpad(g::text, 5, '0'),
                       'fnr', make_date(1960 + g % 45, 1 + (g / 28) % 12, 1 + g % 28),
                       ({given})[1 + g % {len(GIVEN)}], ({family})[1 + (g / {len(GIVEN)}) % {len(FAMILY)}],
                       p.tenant_id, timestamptz '2019-01-01 00:00+00' + (g % 1000) * interval '1 day'
                FROM plan p, generate_series(0, p.n_persons - 1) AS g""")
            conn.commit()
        with step("cases"):
            # Tenants' cases interleave in id order, as they would when opened over the years.
            states = "ARRAY[" + ", ".join(f"'{s}'" for s in EXAMPLE_STATES) + "]"
            conn.execute(f"""
                INSERT INTO case_file (person_id, plugin, workflow, state, assigned_to_id, referring_unit_id,
                                       updated_at, closed_at, tenant_id, created_at)
                SELECT c.person_id, 'example', 'example_intake', c.state, c.assigned_to_id, c.tenant_id,
                       c.at, CASE WHEN c.state = 'closed' THEN c.at END, c.tenant_id, c.at
                FROM (
                    SELECT p.tenant_id, p.person_offset + 1 + g % p.n_persons AS person_id,
                           ({states})[1 + g % {len(EXAMPLE_STATES)}] AS state,
                           CASE WHEN g % 3 = 0 THEN (p.tenant_id - 1) * 3 + 1 END AS assigned_to_id,
                           timestamptz '2020-01-01 00:00+00' + ((g + 0.5) / p.n_cases) * interval '2000 days' AS at,
                           (g + 0.5) / p.n_cases AS position
                    FROM plan p, generate_series(0, p.n_cases - 1) AS g
                ) AS c
                ORDER BY c.position, c.tenant_id""")
            conn.commit()
        with step("sequences"):
            for table in ("tenant", "app_user", "membership", "unit", "person"):
                conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            conn.commit()
    with step("vacuum analyze"), psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    return timings


# --------------------------------------------------------------------------- database lifecycle

@dataclass
class Database:
    name: str
    owner_url: str
    app_url: str


def create_database(server_url: str) -> Database:
    server = make_url(server_url)
    name = f"velferd_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
        if not conn.scalar(sa.text("select 1 from pg_roles where rolname = :r"), {"r": APP_ROLE}):
            conn.execute(sa.text(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS"))
    admin.dispose()
    owner = server.set(database=name).render_as_string(hide_password=False)
    app = server.set(database=name, username=APP_ROLE, password=None).render_as_string(hide_password=False)
    return Database(name, owner, app)


def reuse_database(server_url: str, name: str) -> Database:
    server = make_url(server_url)
    return Database(name, server.set(database=name).render_as_string(hide_password=False),
                    server.set(database=name, username=APP_ROLE, password=None).render_as_string(hide_password=False))


def drop_database(server_url: str, name: str) -> None:
    admin = sa.create_engine(make_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


# --------------------------------------------------------------------------- the two apps

def issue_bench_token(app: Flask, tenant_slug: str, user_id: int) -> str:
    """A bearer token made by the platform's own code, so it is hashed and scoped as in production."""
    from velferd.auth import issue_token
    from velferd.db import db
    from velferd.models import Tenant, User
    from velferd.tenancy import tenant_scope

    with app.app_context():
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == tenant_slug))
        with tenant_scope(tenant):
            _, token = issue_token(db.session.get(User, user_id), tenant, "bench", None)
            db.session.commit()
    return token


# --------------------------------------------------------------------------- measuring

def check(response, status: int, what: str):
    if response.status_code != status:
        raise RuntimeError(f"{what}: expected {status}, got {response.status_code}: {response.get_data(as_text=True)[:500]}")
    return response


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


@dataclass
class Operation:
    name: str
    platform: Callable[[int], object]
    bare: Callable[[int], object]
    status: int
    iterations: int
    times: dict[str, list[float]] = field(default_factory=lambda: {"platform": [], "bare": []})


def run_interleaved(op: Operation, warmup: int) -> None:
    for i in range(warmup):
        check(op.platform(i), op.status, f"{op.name} (platform, warm-up)")
        check(op.bare(i), op.status, f"{op.name} (bare, warm-up)")
    clock = time.perf_counter
    for i in range(op.iterations):
        order = (("platform", op.platform), ("bare", op.bare))
        for side, call in order if i % 2 == 0 else reversed(order):
            start = clock()
            response = call(warmup + i)
            op.times[side].append(clock() - start)
            check(response, op.status, f"{op.name} ({side})")


def sample_ids(database: Database, plan: Plan, count: int, seed: int = 1) -> dict[str, list[int]]:
    """Random case ids (for reads), page starts (each with at least 50 cases after it) and
    persons (for opening cases) in the big tenant."""
    rng = random.Random(seed)
    engine = sa.create_engine(database.owner_url)
    with engine.connect() as conn:
        cases = conn.scalars(sa.text("select id from case_file where tenant_id = 1 order by id")).all()
        persons = conn.scalars(sa.text("select id from person where tenant_id = 1")).all()
        small_cases = conn.scalars(sa.text(
            "select c.id from case_file c join tenant t on t.id = c.tenant_id where t.slug = :s order by c.id"
        ), {"s": plan.small_slug}).all()
        tenants = dict(conn.execute(sa.text("select slug, id from tenant where slug in (:a, :b)"),
                                    {"a": plan.big_slug, "b": plan.small_slug}).all())
    engine.dispose()
    return {
        "read": [rng.choice(cases) for _ in range(count)],
        "after": [rng.choice(cases[:-60]) for _ in range(count)],
        "person": [rng.choice(persons) for _ in range(count)],
        "small_after": [rng.choice([0, *small_cases[:-60]]) for _ in range(count)],
        "last_page_after": [cases[-51]],
        "big_id": [tenants[plan.big_slug]], "small_id": [tenants[plan.small_slug]],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--tenants", type=int, default=300)
    parser.add_argument("--iterations", type=int, default=300, help="timed reads and pages (creates: 2/3 of it)")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--server", default=os.environ.get("VELFERD_BENCH_DATABASE_URL", DEFAULT_SERVER),
                        help="a superuser URL on the PostgreSQL server (default %(default)s)")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--reuse-db", metavar="NAME",
                        help="measure on a database kept by an earlier --keep-db run with the same --cases/--tenants")
    args = parser.parse_args(argv)

    plan = Plan(args.tenants, args.cases)
    instance = tempfile.mkdtemp(prefix="velferd-bench-")
    os.environ["VELFERD_INSTANCE_PATH"] = instance  # keep the repository free of generated files
    database = reuse_database(args.server, args.reuse_db) if args.reuse_db else create_database(args.server)
    print(f"database {database.name}: {args.tenants} tenants, {args.cases:,} cases "
          f"(big {plan.big_slug}: {plan.sizes[0]:,}, small {plan.small_slug}: {plan.sizes[-1]:,})", flush=True)
    try:
        return run(args, plan, database)
    finally:
        if args.keep_db or args.reuse_db:
            print(f"kept: {database.owner_url} (use --reuse-db {database.name})")
        else:
            drop_database(args.server, database.name)
        shutil.rmtree(instance, ignore_errors=True)


def run(args, plan: Plan, database: Database) -> int:
    from velferd.db import db
    from velferd.migrate import upgrade

    started = time.perf_counter()
    app = platform_app(database)
    migrated = load_total = 0.0
    if not args.reuse_db:
        upgrade(app)
        migrated = time.perf_counter() - started
        load_timings = load(database.owner_url, plan)
        load_total = time.perf_counter() - started
        print(f"migrated in {migrated:.1f} s, loaded in {load_total - migrated:.1f} s "
              f"({', '.join(f'{k} {v:.1f} s' for k, v in load_timings.items())})", flush=True)

    big_token = issue_bench_token(app, plan.big_slug, 1)  # the caseworker of tenant 1
    # its tenant admin, also a caseworker (a tenant admin alone may not read cases): the scope of
    # the widest role, the whole municipality, so no need-to-know criteria
    owner = sa.create_engine(database.owner_url)
    with owner.begin() as conn:
        conn.execute(sa.text("""UPDATE membership SET roles = '["caseworker", "tenant_admin"]' WHERE user_id = 3"""))
    owner.dispose()
    admin_token = issue_bench_token(app, plan.big_slug, 3)
    small_token = issue_bench_token(app, plan.small_slug, (plan.tenants - 1) * 3 + 1)
    creates = max(1, args.iterations * 2 // 3)
    ids = sample_ids(database, plan, args.warmup + max(args.iterations, creates))
    big, small = ids["big_id"][0], ids["small_id"][0]
    bare, bare_engine = bare_app(database)
    pc, bc = app.test_client(), bare.test_client()
    auth = {"Authorization": f"Bearer {big_token}"}
    small_auth = {"Authorization": f"Bearer {small_token}"}
    admin_auth = {"Authorization": f"Bearer {admin_token}"}
    round_trips = RoundTripCounter()

    def platform_page(i, slug_=plan.big_slug, headers=auth, after=None):
        after = ids["after"][i] if after is None else after
        return pc.get(f"/api/t/{slug_}/cases?limit=50&after_id={after}", headers=headers)

    operations = [
        Operation(
            "page of 50 cases",
            platform_page,
            lambda i: bc.get(f"/bare/t/{big}/cases?limit=50&after_id={ids['after'][i]}"),
            200, args.iterations,
        ),
        Operation(
            "read one case",
            lambda i: pc.get(f"/api/t/{plan.big_slug}/cases/{ids['read'][i]}", headers=auth),
            lambda i: bc.get(f"/bare/t/{big}/cases/{ids['read'][i]}"),
            200, args.iterations,
        ),
        Operation(
            "create one case",
            lambda i: pc.post(f"/api/t/{plan.big_slug}/cases", headers=auth,
                              json={"person_id": ids["person"][i], "plugin": "example"}),
            lambda i: bc.post(f"/bare/t/{big}/cases", json={"person_id": ids["person"][i], "plugin": "example"}),
            201, creates,
        ),
        # is the time of a page independent of the tenant's size and of where the page is?
        Operation(
            "  same, small tenant",
            lambda i: platform_page(i, plan.small_slug, small_auth, ids["small_after"][i]),
            lambda i: bc.get(f"/bare/t/{small}/cases?limit=50&after_id={ids['small_after'][i]}"),
            200, max(1, args.iterations // 3),
        ),
        Operation(  # the same page without need to know's criteria: what they cost
            "  same, tenant admin",
            lambda i: platform_page(i, headers=admin_auth),
            lambda i: bc.get(f"/bare/t/{big}/cases?limit=50&after_id={ids['after'][i]}"),
            200, max(1, args.iterations // 3),
        ),
        Operation(
            "  same, big's last",
            lambda i: platform_page(i, after=ids["last_page_after"][0]),
            lambda i: bc.get(f"/bare/t/{big}/cases?limit=50&after_id={ids['last_page_after'][0]}"),
            200, max(1, args.iterations // 3),
        ),
    ]
    operations = operations[:1] + operations[3:] + operations[1:3]  # pages first, creates last
    for op in operations:
        run_interleaved(op, args.warmup)

    # round trips per request
    counts: list[tuple[str, int, int | None]] = []
    listings: dict[str, list[str]] = {}

    def count(name: str, platform_call, bare_call=None) -> None:
        with round_trips.counting() as seen:
            check(platform_call(), 201 if "create" in name else 200, name)
        listings[name] = list(seen)
        bare_n = None
        if bare_call is not None:
            with round_trips.counting() as bare_seen:
                check(bare_call(), 201 if "create" in name else 200, name)
            bare_n = len(bare_seen)
            listings[f"bare: {name}"] = list(bare_seen)
        counts.append((name, len(seen), bare_n))

    first_small = pc.get(f"/api/t/{plan.small_slug}/cases?limit=50", headers=small_auth).get_json()
    count(f"page of 50, big tenant ({plan.sizes[0]:,} cases)", lambda: platform_page(0),
          lambda: bc.get(f"/bare/t/{big}/cases?limit=50&after_id={ids['after'][0]}"))
    count("page of 50, big tenant, last page", lambda: platform_page(0, after=ids["last_page_after"][0]))
    count(f"page of 50, small tenant ({plan.sizes[-1]:,} cases)",
          lambda: platform_page(0, plan.small_slug, small_auth, first_small["items"][0]["id"] - 1),
          lambda: bc.get(f"/bare/t/{small}/cases?limit=50"))
    count("read one case", lambda: pc.get(f"/api/t/{plan.big_slug}/cases/{ids['read'][0]}", headers=auth),
          lambda: bc.get(f"/bare/t/{big}/cases/{ids['read'][0]}"))
    count("create one case", lambda: pc.post(f"/api/t/{plan.big_slug}/cases", headers=auth,
                                              json={"person_id": ids["person"][0], "plugin": "example"}),
          lambda: bc.post(f"/bare/t/{big}/cases", json={"person_id": ids["person"][0], "plugin": "example"}))

    report(args, plan, operations, counts, listings, load_total - migrated)
    with app.app_context():
        db.engine.dispose()
    bare_engine.dispose()
    return 0


def report(args, plan, operations, counts, listings, load_seconds) -> None:
    ms = 1000.0
    print()
    print(f"Velferd case endpoints vs bare Flask + SQLAlchemy — {args.tenants} tenants, {args.cases:,} cases")
    print(f"Python {sys.version.split()[0]}, {stdlib_platform.system()} {stdlib_platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; in-process test client; "
          f"times in ms (extra = platform - bare); target: ratio <= 1.5")
    print()
    header = (f"{'operation':<20} {'n':>5} {'platform med':>13} {'p95':>8} {'bare med':>10} {'p95':>8} "
              f"{'extra':>7} {'ratio':>7}  target")
    print(header)
    print("-" * len(header))
    for op in operations:
        p, b = op.times["platform"], op.times["bare"]
        ratio = statistics.median(p) / statistics.median(b)
        print(f"{op.name:<20} {len(p):>5} {statistics.median(p) * ms:>13.2f} {percentile(p, 0.95) * ms:>8.2f} "
              f"{statistics.median(b) * ms:>10.2f} {percentile(b, 0.95) * ms:>8.2f} "
              f"{(statistics.median(p) - statistics.median(b)) * ms:>7.2f} {ratio:>6.2f}x  "
              f"{'met' if ratio <= 1.5 else 'NOT met'}")
    print()
    print("Round trips to PostgreSQL per request (each message psycopg or velferd.driver_sql sends and")
    print("waits for: statements, BEGIN, COMMIT, ROLLBACK, a ping; RoundTripCounter)")
    for name, n, bare_n in counts:
        print(f"  {name:<46} platform {n:>3}" + (f"   bare {bare_n:>3}" if bare_n is not None else ""))
    big_n = next(n for name, n, _ in counts if name.startswith("page of 50, big tenant ("))
    small_n = next(n for name, n, _ in counts if name.startswith("page of 50, small"))
    print(f"  constant per page regardless of tenant size: {'yes' if big_n == small_n else 'NO'}"
          f" ({big_n} in the big tenant, {small_n} in the small one)")
    print()
    for name in ("read one case", "bare: read one case", "create one case", "bare: create one case"):
        print(f"  {'' if name.startswith('bare') else 'platform: '}{name}:")
        for statement in listings[name]:
            print(f"    {statement}")
    print()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {rss_mb:.0f} MB; data load: {load_seconds:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
