"""A bad deploy fails fast: the web app (velferd.wsgi), the worker and beat (velferd.worker)
refuse to start, in one line naming what is wrong, on a database whose schema is behind (an old
revision, a plugin's branch never migrated), empty, unreachable or refusing the login; and
`velferd db upgrade` says in one line why it cannot connect.

Entry modules are run as their servers run them: a fresh ``python`` process that imports them
(exit status 3 is gunicorn's "worker failed to boot", so its master halts instead of respawning).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.databases import PG_URL
from velferd import create_app
from velferd.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]
UNREACHABLE = "postgresql+psycopg://velferd_app:pw@127.0.0.1:1/velferd?connect_timeout=2"
NO_SUCH_ROLE = "postgresql+psycopg://velferd_nobody:wrong-password@127.0.0.1:5432/postgres?connect_timeout=2"


def clean_env(**settings: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("VELFERD_")}
    return {**env, **settings}


def start(module: str, tmp_path: Path, **settings: str) -> subprocess.CompletedProcess:
    """Import a server entry module in a process of its own, as gunicorn or celery would."""
    env = clean_env(VELFERD_INSTANCE_PATH=str(tmp_path / "instance"), **settings)
    return subprocess.run([sys.executable, "-c", f"import {module}"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)


def assert_refused(result: subprocess.CompletedProcess, *phrases: str) -> str:
    assert result.returncode == 3, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("velferd: not starting: ")
    for phrase in phrases:
        assert phrase in lines[0]
    assert "password" not in lines[0].replace("password authentication", "")
    return lines[0]


def sqlite_at(tmp_path: Path, revision: str = "heads", plugins_installed: bool = False) -> str:
    path = tmp_path / "velferd.sqlite3"
    upgrade(create_app({"SQLITE_PATH": str(path), "LOAD_PLUGIN_ENTRY_POINTS": plugins_installed}), revision)
    return str(path)


@pytest.mark.parametrize("module", ["velferd.wsgi", "velferd.worker"])
def test_a_server_refuses_a_database_at_an_old_revision_naming_the_pending_branch(tmp_path, module):
    path = sqlite_at(tmp_path, "0001_core")
    line = assert_refused(start(module, tmp_path, VELFERD_SQLITE_PATH=path, VELFERD_LOAD_PLUGIN_ENTRY_POINTS="false",
                                VELFERD_REDIS_URL="redis://127.0.0.1:1/0"),
                          "not up to date", "branch velferd up to", "run `velferd db upgrade` first")
    assert "0001_core" not in line.split("pending:")[1]


def test_a_server_refuses_a_database_where_an_installed_plugins_branch_was_never_migrated(tmp_path):
    """Migrated without the plugins, served with them (DUE and nav_split are installed here)."""
    path = sqlite_at(tmp_path, plugins_installed=False)
    line = assert_refused(start("velferd.wsgi", tmp_path, VELFERD_SQLITE_PATH=path), "branch due up to",
                          "branch nav_split up to")
    assert "branch velferd" not in line


def test_a_server_starts_on_a_database_at_every_head(tmp_path):
    path = sqlite_at(tmp_path, plugins_installed=True)
    result = start("velferd.wsgi", tmp_path, VELFERD_SQLITE_PATH=path)
    assert result.returncode == 0, result.stderr


def test_a_server_refuses_an_empty_database_and_creates_no_file(tmp_path):
    assert_refused(start("velferd.wsgi", tmp_path), "no database at", "run `velferd db upgrade` first")
    assert not (tmp_path / "instance" / "velferd.sqlite3").exists()
    (tmp_path / "instance" / "velferd.sqlite3").touch()
    assert_refused(start("velferd.wsgi", tmp_path), "has no tables yet")


@pytest.mark.parametrize("module", ["velferd.wsgi", "velferd.worker"])
def test_a_server_refuses_a_database_it_cannot_reach(tmp_path, module):
    assert_refused(start(module, tmp_path, VELFERD_DATABASE_URL=UNREACHABLE, VELFERD_REDIS_URL="redis://127.0.0.1:1/0"),
                   "cannot connect to the database", "port 1 failed: Connection refused")


def test_the_worker_refuses_to_start_without_a_broker(tmp_path):
    path = sqlite_at(tmp_path)
    assert_refused(start("velferd.worker", tmp_path, VELFERD_SQLITE_PATH=path, VELFERD_LOAD_PLUGIN_ENTRY_POINTS="false"),
                   "no broker configured")


def test_a_bad_setting_is_one_line_too(tmp_path):
    assert_refused(start("velferd.wsgi", tmp_path, VELFERD_TOKEN_DAYS="abc"), "VELFERD_TOKEN_DAYS")


@pytest.mark.postgres
def test_a_server_refuses_a_login_the_database_refuses(tmp_path):
    assert_refused(start("velferd.wsgi", tmp_path, VELFERD_DATABASE_URL=NO_SUCH_ROLE),
                   "cannot connect to the database", 'role "velferd_nobody" does not exist')


@pytest.mark.postgres
def test_the_app_role_reads_the_schema_revision_and_the_servers_start(tmp_path, database):
    """The app role owns nothing and may not write alembic_version, but may read it."""
    settings = dict(VELFERD_DATABASE_URL=database.app_url, VELFERD_LOAD_PLUGIN_ENTRY_POINTS="false",
                    VELFERD_REDIS_URL="redis://127.0.0.1:1/0")
    for module in ("velferd.wsgi", "velferd.worker"):
        result = start(module, tmp_path, **settings)
        assert result.returncode == 0, result.stderr


def velferd(*args: str, tmp_path: Path, **settings: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).parent / "velferd"
    return subprocess.run([str(script), *args], cwd=tmp_path, env=clean_env(**settings),
                          capture_output=True, text=True, timeout=120)


def assert_one_line_error(result: subprocess.CompletedProcess, *phrases: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    for phrase in phrases:
        assert phrase in line


def test_db_upgrade_that_cannot_reach_the_owners_database_says_so_in_one_line(tmp_path):
    assert_one_line_error(velferd("db", "upgrade", tmp_path=tmp_path, VELFERD_MIGRATION_DATABASE_URL=UNREACHABLE),
                          "cannot connect to the database as the schema owner", "Connection refused")


@pytest.mark.postgres
def test_db_upgrade_with_a_login_the_database_refuses_says_so_in_one_line(tmp_path):
    assert PG_URL
    assert_one_line_error(velferd("db", "upgrade", tmp_path=tmp_path, VELFERD_MIGRATION_DATABASE_URL=NO_SUCH_ROLE),
                          "cannot connect to the database as the schema owner", "velferd_nobody")


@pytest.mark.parametrize("command", ["worker", "beat"])
def test_celery_worker_and_beat_refuse_a_database_behind_in_one_line(tmp_path, command):
    path = sqlite_at(tmp_path, "0001_core")
    env = clean_env(VELFERD_INSTANCE_PATH=str(tmp_path / "instance"), VELFERD_SQLITE_PATH=path,
                    VELFERD_LOAD_PLUGIN_ENTRY_POINTS="false", VELFERD_REDIS_URL="redis://127.0.0.1:1/0")
    celery = Path(sys.executable).with_name("celery")
    result = subprocess.run([str(celery), "-A", "velferd.worker", command], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert_refused(result, "branch velferd up to", "run `velferd db upgrade` first")


@pytest.mark.postgres
def test_the_app_role_may_read_but_not_change_the_schema_revision(database):
    import sqlalchemy as sa

    engine = sa.create_engine(database.app_url)
    try:
        with engine.connect() as connection:
            assert connection.scalars(sa.text("select version_num from alembic_version")).all()
            with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                connection.execute(sa.text("update alembic_version set version_num = version_num"))
    finally:
        engine.dispose()


def test_a_database_a_newer_version_migrated_is_served_during_a_rolling_deploy(tmp_path):
    """A revision this version does not know was written by a newer one (a rolling deploy, a
    rollback): migrations keep the previous version working, so it starts and stays ready."""
    import sqlite3

    from velferd.migrate import current_heads

    path = sqlite_at(tmp_path)
    core_head = next(h for h in current_heads(create_app({"SQLITE_PATH": path, "LOAD_PLUGIN_ENTRY_POINTS": False})))
    with sqlite3.connect(path) as connection:
        connection.execute("update alembic_version set version_num = '9999_from_the_future' where version_num = ?",
                           (core_head,))
    result = start("velferd.wsgi", tmp_path, VELFERD_SQLITE_PATH=path, VELFERD_LOAD_PLUGIN_ENTRY_POINTS="false")
    assert result.returncode == 0, result.stderr
    app = create_app({"SQLITE_PATH": path, "LOAD_PLUGIN_ENTRY_POINTS": False})
    assert app.test_client().get("/readyz").json == {"status": "ok", "database": "ok", "schema": "ok"}
