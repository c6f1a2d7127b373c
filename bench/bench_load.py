#!/usr/bin/env python
"""Throughput and latency of the case endpoints under load, served as in production.

Prints figures; asserts nothing about timing (this is not a test). See bench/README.md.

bench_cases.py times one request at a time in-process; this bench serves the platform the way a
deployment does — gunicorn with `velferd.gunicorn_conf` (gthread workers, the app's JSON request
log, production settings, the start checks) — and drives it with wrk at a fixed number of open
connections for a fixed time. The bare app (bench/bare_app.py) is served by the same gunicorn
configuration with the same workers and threads, one server at a time so they never compete.
Besides requests/s and latency it reads from /proc the CPU each request cost the gunicorn workers
and the PostgreSQL backends: on a shared machine that figure moves far less than requests/s.

    apt-get install -y wrk                                   # the load generator (Debian's)
    .venv/bin/python bench/bench_load.py                     # 100,000 cases, 2 and 4 workers, c8 and c32
    .venv/bin/python bench/bench_load.py --cases 20000 --duration 3 --workers 2 --concurrency 8
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform as stdlib_platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # for bench.* and tests.*; appended, so the stdlib `platform` still wins

import sqlalchemy as sa  # noqa: E402

from bench.bench_cases import (  # noqa: E402
    APP_ROLE,
    DEFAULT_SERVER,
    Plan,
    create_database,
    drop_database,
    issue_bench_token,
    load,
    reuse_database,
    sample_ids,
)
from bench.platform_app import platform_app  # noqa: E402
from tests.celery_processes import free_port, wait_for  # noqa: E402
from tests.production_processes import Roles, ServerProcess, production_environ  # noqa: E402

LUA = ROOT / "bench" / "wrk" / "cases.lua"
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
APPS = {"platform": "bench.platform_app:from_environment()", "bare": "bench.bare_app:from_environment()"}
P99_TARGET_MS, P99_TARGET_CONCURRENCY, THROUGHPUT_TARGET = 100.0, 32, 2 / 3


@dataclasses.dataclass(frozen=True)
class Operation:
    """One of bench_cases' three operations: wrk's name for it (cases.lua), the ids it picks from."""

    name: str
    kind: str  # page | read | create
    ids: str  # key of bench_cases.sample_ids
    status: int


OPERATIONS = (
    Operation("page of 50 cases", "page", "after", 200),
    Operation("read one case", "read", "read", 200),
    Operation("create one case", "create", "person", 201),
)


@dataclasses.dataclass(frozen=True)
class Side:
    """How one server is addressed: the collection's path, and the bearer token (none for bare)."""

    name: str
    path: str
    token: str


@dataclasses.dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    non_2xx: int  # wrk counts statuses above 399
    socket_errors: int  # connect, read, write, timeout
    app_cpu_ms: float | None = None  # CPU of the gunicorn workers per request
    db_cpu_ms: float | None = None  # CPU of the PostgreSQL backends serving them per request

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


class CpuMeter:
    """CPU time spent by a server's gunicorn workers and by the PostgreSQL backends connected to
    the bench database, from /proc (Linux, PostgreSQL on this machine). On a shared machine the
    requests per second move with whatever else runs; the CPU one request costs moves far less,
    so its ratio says what the platform's layers cost even when the throughput figures are noisy.
    Backends are read through a connection of the meter's own, which it leaves out."""

    def __init__(self, server_pid: int, owner_url: str):
        self.server_pid = server_pid
        self.engine = sa.create_engine(owner_url, isolation_level="AUTOCOMMIT")
        self.conn = self.engine.connect()

    def close(self) -> None:
        self.conn.close()
        self.engine.dispose()

    def sample(self) -> tuple[dict[int, float], dict[int, float]]:
        children = Path(f"/proc/{self.server_pid}/task/{self.server_pid}/children")
        workers = [int(pid) for pid in children.read_text().split()] if children.exists() else []
        backends = self.conn.scalars(sa.text(
            "select pid from pg_stat_activity where datname = current_database() "
            "and backend_type = 'client backend' and pid <> pg_backend_pid()")).all()
        return {pid: cpu_seconds(pid) for pid in workers}, {pid: cpu_seconds(pid) for pid in backends}

    def measure(self, run, *args) -> Result:
        """`run(*args)`'s Result with the CPU per request it cost (None where /proc showed nothing)."""
        workers_before, backends_before = self.sample()
        result = run(*args)
        workers_after, backends_after = self.sample()

        def per_request(before: dict[int, float], after: dict[int, float]) -> float | None:
            spent = sum(seconds - (before.get(pid) or 0.0) for pid, seconds in after.items() if seconds is not None)
            return spent * 1000 / result.requests if result.requests and spent > 0 else None

        return dataclasses.replace(result, app_cpu_ms=per_request(workers_before, workers_after),
                                   db_cpu_ms=per_request(backends_before, backends_after))


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a process so far; None if it is gone or not on this machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (fields 14, 15)


def require_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is not installed: `apt-get install -y wrk` (Debian/Ubuntu), `brew install wrk` (macOS)")
    return found


def run_wrk(wrk: str, base: str, side: Side, op: Operation, ids_file: Path, connections: int,
            seconds: float, threads: int) -> Result:
    """One bounded wrk run: `connections` kept open for `seconds`, at most `threads` client threads."""
    command = [wrk, "-t", str(max(1, min(threads, connections))), "-c", str(connections), "-d", f"{seconds:g}s",
               "--timeout", "10s", "-s", str(LUA), base + "/", "--", op.kind, side.path, str(ids_file)]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "BENCH_TOKEN": side.token},
                          timeout=seconds + 60)
    line = next((line for line in done.stdout.splitlines() if line.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk exited with {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    figures = {key: int(value) for key, value in (item.split("=") for item in line.split()[1:])}
    return Result(figures["requests"], figures["duration_us"] / 1e6, figures["p50_us"] / 1000,
                  figures["p99_us"] / 1000, figures["status"],
                  figures["connect"] + figures["read"] + figures["write"] + figures["timeout"])


def one_request(base: str, side: Side, op: Operation, some_id: int) -> tuple[int, str]:
    """The operation once, as wrk sends it: its status and the start of its body."""
    url, body = base + side.path, None
    if op.kind == "page":
        url += f"?limit=50&after_id={some_id}"
    elif op.kind == "read":
        url += f"/{some_id}"
    else:
        body = json.dumps({"person_id": some_id, "plugin": "example"}).encode()
    headers = {"Content-Type": "application/json"} if body else {}
    if side.token:
        headers["Authorization"] = f"Bearer {side.token}"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers), timeout=10) as response:
            return response.status, response.read(300).decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(300).decode(errors="replace")


def checkpoint(owner_url: str) -> None:
    """Write the freshly loaded pages out now, so the first server measured does not share the
    disk with the checkpoint the bulk load would otherwise trigger during its runs."""
    engine = sa.create_engine(owner_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("CHECKPOINT"))
    engine.dispose()


def start_server(side: str, workers: int, environ: dict[str, str], folder: Path, probe) -> tuple[ServerProcess, str]:
    """gunicorn with the production configuration on a free loopback port, serving `side`'s app;
    ready once `probe(base)` (one real request) answers as expected. The log goes to `folder`."""
    port = free_port()
    log_path = folder / f"{side}-{workers}-workers.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [GUNICORN, "-c", "python:velferd.gunicorn_conf", APPS[side]], cwd=ROOT, stdout=log,
            stderr=subprocess.STDOUT,
            env={**environ, "VELFERD_BIND": f"127.0.0.1:{port}", "VELFERD_WEB_WORKERS": str(workers)})
    server = ServerProcess(f"{side} ({workers} workers)", log_path, process)
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        if not server.running():
            raise RuntimeError(f"gunicorn ({side}) exited with {process.returncode}:\n{server.log()[-3000:]}")
        try:
            return probe(base)
        except OSError:  # refused or reset while the workers boot
            return False

    try:
        wait_for(ready, f"gunicorn ({side}) to answer", timeout=90)
    except BaseException:
        server.terminate(timeout=30)
        raise
    return server, base


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--tenants", type=int, default=300)
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4], help="gunicorn workers (default 2 4)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32],
                        help="open connections (default 8 32)")
    parser.add_argument("--duration", type=float, default=10, help="seconds per measured run (default 10)")
    parser.add_argument("--warmup", type=float, default=3,
                        help="seconds of load per operation after a server starts, not measured (default 3)")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk's client threads (default 2)")
    parser.add_argument("--server", default=os.environ.get("VELFERD_BENCH_DATABASE_URL", DEFAULT_SERVER),
                        help="a superuser URL on the PostgreSQL server (default %(default)s)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0",
                        help="VELFERD_REDIS_URL of the served platform, as in production (default %(default)s)")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--reuse-db", metavar="NAME",
                        help="measure on a database kept by an earlier --keep-db run with the same --cases/--tenants")
    args = parser.parse_args(argv)

    wrk = require_wrk()
    plan = Plan(args.tenants, args.cases)
    folder = Path(tempfile.mkdtemp(prefix="velferd-bench-load-"))  # instance folder, id lists, server logs
    os.environ["VELFERD_INSTANCE_PATH"] = str(folder / "instance")
    database = reuse_database(args.server, args.reuse_db) if args.reuse_db else create_database(args.server)
    print(f"database {database.name}: {args.tenants} tenants, {args.cases:,} cases "
          f"(big {plan.big_slug}: {plan.sizes[0]:,})", flush=True)
    try:
        return run(args, wrk, plan, database, folder)
    finally:
        if args.keep_db or args.reuse_db:
            print(f"kept: {database.owner_url} (use --reuse-db {database.name})")
        else:
            drop_database(args.server, database.name)
        shutil.rmtree(folder, ignore_errors=True)


def run(args, wrk: str, plan: Plan, database, folder: Path) -> int:
    from velferd.db import db
    from velferd.migrate import upgrade

    app = platform_app(database)
    if not args.reuse_db:
        started = time.perf_counter()
        upgrade(app)
        load(database.owner_url, plan)
        checkpoint(database.owner_url)
        print(f"migrated and loaded in {time.perf_counter() - started:.1f} s", flush=True)
    token = issue_bench_token(app, plan.big_slug, 1)  # the caseworker of the big tenant
    with app.app_context():
        db.engine.dispose()  # this process serves nothing: no connection held during the runs
    ids = sample_ids(database, plan, 5000)
    files = {}
    for key in ("after", "read", "person"):
        files[key] = folder / f"{key}.txt"
        files[key].write_text("".join(f"{n}\n" for n in ids[key]))
    sides = {"platform": Side("platform", f"/api/t/{plan.big_slug}/cases", token),
             "bare": Side("bare", f"/bare/t/{ids['big_id'][0]}/cases", "")}
    environ = production_environ(Roles(database.owner_url, database.app_url, APP_ROLE), args.redis,
                                 folder / "instance", BARE_APP_DATABASE_URL=database.owner_url)

    def probe(side: Side, op: Operation):
        def answered(base: str) -> bool:
            status, body = one_request(base, side, op, ids[op.ids][0])
            if status != op.status:
                raise RuntimeError(f"{op.name} ({side.name}): expected {op.status}, got {status}: {body}")
            return True
        return answered

    load_before = os.getloadavg()
    results: dict[tuple[str, int, int, str], Result] = {}
    for round_, workers in enumerate(args.workers):
        order = ("platform", "bare") if round_ % 2 == 0 else ("bare", "platform")  # drift hits both alike
        for side in (sides[name] for name in order):
            server, base = start_server(side.name, workers, environ, folder, probe(side, OPERATIONS[1]))
            meter = CpuMeter(server.pid, database.owner_url)
            try:
                for op in OPERATIONS:
                    probe(side, op)(base)
                    run_wrk(wrk, base, side, op, files[op.ids], max(args.concurrency), args.warmup, args.wrk_threads)
                    for connections in args.concurrency:
                        result = meter.measure(run_wrk, wrk, base, side, op, files[op.ids], connections,
                                               args.duration, args.wrk_threads)
                        results[(op.name, workers, connections, side.name)] = result
                        print(f"  {side.name:<8} {workers} workers  c{connections:<3} {op.name:<17} "
                              f"{result.per_second:8.0f} req/s  p99 {result.p99_ms:7.1f} ms  "
                              f"errors {result.errors}", flush=True)
            finally:
                meter.close()
                server.terminate(timeout=30)
    report(args, plan, results, load_before, environ.get("VELFERD_WEB_THREADS", "4"))
    return 0


def report(args, plan: Plan, results: dict, load_before: tuple[float, float, float], threads: str) -> None:
    print()
    print(f"Velferd case endpoints under load vs bare Flask + SQLAlchemy — {args.tenants} tenants, "
          f"{args.cases:,} cases (requests in {plan.big_slug}, {plan.sizes[0]:,} cases)")
    print(f"Python {sys.version.split()[0]}, {stdlib_platform.system()} {stdlib_platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after; "
          f"gunicorn gthread, {threads} threads per worker; wrk on the same "
          f"machine, {args.duration:g} s per run")
    print(f"targets: platform p99 < {P99_TARGET_MS:.0f} ms at c{P99_TARGET_CONCURRENCY}, "
          f"platform req/s >= {THROUGHPUT_TARGET:.2f} x bare; times in ms; errors = non-2xx + socket errors")
    print()
    header = (f"{'operation':<17} {'w':>2} {'c':>3} | {'platform/s':>10} {'p50':>6} {'p99':>6} {'err':>4} | "
              f"{'bare/s':>7} {'p50':>6} {'p99':>6} {'err':>4} | {'ratio':>5} {'p99 target':>10} {'req/s target':>12}")
    print(header)
    print("-" * len(header))
    problems = []
    for op in OPERATIONS:
        for workers in args.workers:
            for connections in args.concurrency:
                p, b = results[(op.name, workers, connections, "platform")], results[(op.name, workers, connections, "bare")]
                ratio = p.per_second / b.per_second
                p99_target = ("met" if p.p99_ms < P99_TARGET_MS else "NOT met") \
                    if connections == P99_TARGET_CONCURRENCY else "-"
                print(f"{op.name:<17} {workers:>2} {connections:>3} | {p.per_second:>10.0f} {p.p50_ms:>6.1f} "
                      f"{p.p99_ms:>6.1f} {p.errors:>4} | {b.per_second:>7.0f} {b.p50_ms:>6.1f} {b.p99_ms:>6.1f} "
                      f"{b.errors:>4} | {ratio:>5.2f} {p99_target:>10} "
                      f"{'met' if ratio >= THROUGHPUT_TARGET else 'NOT met':>12}")
                for side, r in (("platform", p), ("bare", b)):
                    if r.errors:
                        problems.append(f"  {op.name}, {workers} workers, c{connections}, {side}: "
                                        f"{r.non_2xx} non-2xx, {r.socket_errors} socket errors of {r.requests}")
    print()
    print("CPU per request in ms (the gunicorn workers, the PostgreSQL backends; less noisy than req/s):")
    header = (f"{'operation':<17} {'w':>2} {'c':>3} | {'platform app':>12} {'db':>6} {'sum':>6} | "
              f"{'bare app':>8} {'db':>6} {'sum':>6} | {'ratio':>5}")
    print(header)
    print("-" * len(header))
    for op in OPERATIONS:
        for workers in args.workers:
            for connections in args.concurrency:
                p, b = results[(op.name, workers, connections, "platform")], results[(op.name, workers, connections, "bare")]
                p_sum, b_sum = cpu_sum(p), cpu_sum(b)
                print(f"{op.name:<17} {workers:>2} {connections:>3} | {ms(p.app_cpu_ms):>12} {ms(p.db_cpu_ms):>6} "
                      f"{ms(p_sum):>6} | {ms(b.app_cpu_ms):>8} {ms(b.db_cpu_ms):>6} {ms(b_sum):>6} | "
                      f"{p_sum / b_sum if p_sum and b_sum else float('nan'):>5.2f}")
    if problems:
        print()
        print("errors (a run with errors is not a valid figure):")
        print("\n".join(problems))



def cpu_sum(result: Result) -> float | None:
    if result.app_cpu_ms is None or result.db_cpu_ms is None:
        return None
    return result.app_cpu_ms + result.db_cpu_ms


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


if __name__ == "__main__":
    sys.exit(main())
