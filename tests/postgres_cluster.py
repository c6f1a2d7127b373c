"""A PostgreSQL cluster of a test's own, on a free loopback port, that the test may stop,
crash and start again; the machine's shared cluster (port 5432) is never touched.

``initdb`` and ``pg_ctl`` run as the ``postgres`` system user (PostgreSQL refuses to run as
root) in a folder of their own under the system's temporary directory, with trust
authentication on loopback only, and the cluster is stopped and removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.celery_processes import free_port
from tests.databases import APP_ROLE, Database, app_config
from velferd import create_app
from velferd.migrate import upgrade

PG_BIN = Path(os.environ.get("VELFERD_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
SYSTEM_USER = "postgres"
SUPERUSER = "postgres"


def _as_postgres(*command: str) -> list[str]:
    return list(command) if os.geteuid() != 0 else ["runuser", "-u", SYSTEM_USER, "--", *command]


class PostgresCluster:
    """One throw-away cluster: `start()`, `stop()` (``fast``, or ``immediate`` for a crash), `remove()`."""

    def __init__(self) -> None:
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="velferd-pg-"))
        self.data = self.folder / "data"
        if os.geteuid() == 0:
            shutil.chown(self.folder, SYSTEM_USER, SYSTEM_USER)
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "-A", "trust", "--no-sync")

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}?connect_timeout=2"

    def start(self) -> "PostgresCluster":
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"),
                  "-w", "-t", "60", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def remove(self) -> None:
        subprocess.run(_as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"),
                       capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, *command: str) -> None:
        result = subprocess.run(_as_postgres(*command), capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{Path(command[0]).name} failed: {result.stdout}{result.stderr}")


@pytest.fixture
def own_cluster():
    """A started cluster of the test's own, removed afterwards whatever the test did to it."""
    cluster = PostgresCluster().start()
    try:
        yield cluster
    finally:
        cluster.remove()


def migrated_on(cluster: PostgresCluster) -> Database:
    """A `velferd` database on `cluster`, migrated as its owner, with the app role under RLS."""
    admin = sa.create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text("CREATE DATABASE velferd"))
        connection.execute(sa.text(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS"))
    admin.dispose()
    owner_url, app_url = cluster.url("velferd"), cluster.url("velferd", APP_ROLE)
    upgrade(create_app(app_config(app_url, owner_url)))
    return Database(app_url=app_url, owner_url=owner_url, backend="postgresql")
