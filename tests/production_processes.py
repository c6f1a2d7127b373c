"""The production shape on this machine: the image's commands (`velferd.entrypoint`) as subprocesses.

A PostgreSQL database of its own with an owner and an app role (as `.ci/smoke-install` makes
them), ``migrate`` as the owner, then ``web`` (gunicorn), ``worker`` and ``beat`` serving as the
app role, on a Redis of the test's own and loopback ports. Each process's output goes to a file,
so a failing test can show every log (`ProductionShape.logs`).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.celery_processes import ROOT, free_port, wait_for


@dataclass
class Roles:
    """The URLs of a throw-away database: as its owner (migrations) and as the app role (servers)."""

    owner_url: str
    app_url: str
    app_role: str


@contextmanager
def database_with_roles(server_url: str) -> Iterator[Roles]:
    """A database owned by a NOSUPERUSER owner role, with a NOSUPERUSER NOBYPASSRLS app role;
    the database and both roles dropped afterwards."""
    name = f"velferd_prod_{uuid.uuid4().hex[:10]}"
    owner, app_role = f"{name}_owner", f"{name}_app"
    admin = sa.create_engine(make_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE ROLE {owner} LOGIN NOSUPERUSER"))
        conn.execute(sa.text(f"CREATE ROLE {app_role} LOGIN NOSUPERUSER NOBYPASSRLS"))
        conn.execute(sa.text(f"CREATE DATABASE {name} OWNER {owner}"))
    url = make_url(server_url).set(database=name, password=None)
    try:
        yield Roles(owner_url=url.set(username=owner).render_as_string(hide_password=False),
                    app_url=url.set(username=app_role).render_as_string(hide_password=False), app_role=app_role)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(sa.text(f"DROP ROLE IF EXISTS {app_role}"))
            conn.execute(sa.text(f"DROP ROLE IF EXISTS {owner}"))
        admin.dispose()


def production_environ(roles: Roles, redis_url: str, instance: Path, **settings: str) -> dict[str, str]:
    """The ``VELFERD_*`` environment a deployment gives every process: production mode, a random
    secret key, the app role's URL (the owner's only for ``migrate``), the broker, the instance folder.
    The machine's own ``VELFERD_*`` variables are left out, so nothing of the test run leaks in."""
    base = {key: value for key, value in os.environ.items() if not key.startswith("VELFERD_") and key != "PORT"}
    return {**base, "VELFERD_ENV": "production", "VELFERD_SECRET_KEY": secrets.token_urlsafe(48),
            "VELFERD_DATABASE_URL": roles.app_url, "VELFERD_MIGRATION_DATABASE_URL": roles.owner_url,
            "VELFERD_DB_APP_ROLE": roles.app_role, "VELFERD_REDIS_URL": redis_url,
            "VELFERD_INSTANCE_PATH": str(instance), "VELFERD_JOBS_EMBEDDED_SWEEP_INTERVAL_SECONDS": "0",
            **settings}


def run_command(environ: dict[str, str], *args: str, timeout: float = 120) -> str:
    """``python -m velferd.entrypoint ARGS`` to its end (``migrate``, ``velferd tenant create`` …),
    as an operator runs a one-off command in the image; its output, or AssertionError with it."""
    done = subprocess.run([sys.executable, "-m", "velferd.entrypoint", *args], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args[:3]} exited with {done.returncode}:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    return done.stdout


@dataclass
class ServerProcess:
    """One long-running command of the image (``web``, ``worker``, ``beat``) with its log in a file."""

    name: str
    log_path: Path
    process: subprocess.Popen = field(repr=False)

    @classmethod
    def start(cls, name: str, environ: dict[str, str], folder: Path, *args: str) -> ServerProcess:
        log_path = folder / f"{name}.log"
        with open(log_path, "w") as log:
            process = subprocess.Popen([sys.executable, "-m", "velferd.entrypoint", *args], cwd=ROOT, env=environ,
                                       stdout=log, stderr=subprocess.STDOUT)
        return cls(name, log_path, process)

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def running(self) -> bool:
        return self.process.poll() is None

    def wait_for_log(self, text: str, timeout: float = 90) -> None:
        def seen() -> bool:
            if not self.running():
                raise AssertionError(f"{self.name} exited with {self.process.returncode}:\n{self.log()[-3000:]}")
            return text in self.log()

        wait_for(seen, f"'{text}' in the log of {self.name}", timeout)

    def terminate(self, timeout: float = 60) -> int:
        """SIGTERM, as the kubelet sends it; the exit status (SIGKILL after `timeout`)."""
        if self.running():
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.wait(timeout=10)


def start_web(environ: dict[str, str], folder: Path, workers: int = 2) -> tuple[ServerProcess, str]:
    """gunicorn through the image's ``web`` command on a free loopback port, once /readyz says 200;
    returns the process and its base URL."""
    port = free_port()
    web = ServerProcess.start("web", {**environ, "VELFERD_BIND": f"127.0.0.1:{port}",
                                      "VELFERD_WEB_WORKERS": str(workers)}, folder, "web")
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        if not web.running():
            raise AssertionError(f"gunicorn exited with {web.process.returncode}:\n{web.log()[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=5) as response:
                return response.status == 200
        except OSError:  # refused, reset or timed out while the workers boot (URLError is an OSError)
            return False

    wait_for(ready, "gunicorn's /readyz to answer 200", timeout=90)
    return web, base


class ProductionShape:
    """The processes a test started, stopped together at its end, their logs for a failure message."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.processes: list[ServerProcess] = []

    def add(self, process: ServerProcess) -> ServerProcess:
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            process.terminate(timeout=30)

    def logs(self) -> str:
        """Every process's log, the last lines of each, for the failure message."""
        return "\n".join(f"----- {p.name} (pid {p.pid}) -----\n{p.log()[-4000:]}" for p in self.processes)
