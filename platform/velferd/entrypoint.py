"""The container image's entry point: one image, and its command says which process it is.

::

    python -m velferd.entrypoint web       # gunicorn -c python:velferd.gunicorn_conf velferd.wsgi:app
    python -m velferd.entrypoint worker    # celery -A velferd.worker worker  (the jobs)
    python -m velferd.entrypoint beat      # celery -A velferd.worker beat    (exactly one: the scheduler)
    python -m velferd.entrypoint migrate   # velferd db upgrade               (as the schema owner)
    python -m velferd.entrypoint velferd tenant list   # any `velferd` command, for an operator
    python -m velferd.entrypoint --dry-run worker      # print the command line as JSON, run nothing

Words after the command are passed on (``worker --concurrency 8``). An unknown command is exit
status 2 with the list of known ones on stderr, as a command line's usage error is.

The chosen program *replaces* this process (``os.execv``): it is the container's PID 1 and gets
the kubelet's SIGTERM itself — gunicorn then finishes its requests (``graceful_timeout``), a
Celery worker its tasks (a warm shutdown). Both reap their own children. Nothing is wrapped in a
shell, so no shell swallows the signal.

The programs are the ones installed beside this Python (``/opt/venv/bin`` in the image), so the
command runs what the wheel installed whatever ``PATH`` says.

- ``worker``: ``--concurrency`` is ``VELFERD_WORKER_CONCURRENCY`` (default 2), never Celery's
  default of the CPU count: in a container that is the node's, not the pod's limit. The queue is
  the app's ``task_default_queue`` (``VELFERD_CELERY_QUEUE``), which a worker consumes by default.
- ``beat``: the scheduler is the one the Celery app names (``beat_scheduler``: redbeat's, made to
  outlive Redis outages, `velferd.jobs.beat`); the schedule and its lock live in Redis. Celery
  still takes a local ``--schedule`` file name, pointed into the writable instance folder so a
  read-only root file system never trips it. Run one replica; a second waits on redbeat's lock.
- ``migrate``: ``velferd db upgrade`` connects with ``VELFERD_MIGRATION_DATABASE_URL`` (the
  owner) where it is set; web, worker and beat connect as the app role.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

#: Exit status of a command line that was used wrongly (as argparse and click use it).
USAGE_ERROR = 2
DEFAULT_WORKER_CONCURRENCY = 2


class UsageError(Exception):
    """The command line (or a setting it reads) cannot be run: exit status 2 with this message."""


def _program(name: str) -> str:
    """A console script installed beside this interpreter (``/opt/venv/bin/gunicorn``)."""
    return str(Path(sys.executable).with_name(name))


def _instance_path() -> str:
    return os.environ.get("VELFERD_INSTANCE_PATH") or os.path.abspath("instance")


def _worker_concurrency() -> str:
    text = os.environ.get("VELFERD_WORKER_CONCURRENCY", "").strip() or str(DEFAULT_WORKER_CONCURRENCY)
    if not text.isdigit() or int(text) < 1:
        raise UsageError(f"VELFERD_WORKER_CONCURRENCY must be a whole number of at least 1, not {text!r}")
    return text


def web() -> list[str]:
    return [_program("gunicorn"), "-c", "python:velferd.gunicorn_conf", "velferd.wsgi:app"]


def worker() -> list[str]:
    return [_program("celery"), "-A", "velferd.worker", "worker", "--loglevel", "INFO",
            "--concurrency", _worker_concurrency()]


def beat() -> list[str]:
    return [_program("celery"), "-A", "velferd.worker", "beat", "--loglevel", "INFO",
            "--schedule", os.path.join(_instance_path(), "celerybeat-schedule")]


def migrate() -> list[str]:
    return [_program("velferd"), "db", "upgrade"]


def velferd() -> list[str]:
    return [_program("velferd")]


COMMANDS: dict[str, Callable[[], list[str]]] = {
    "web": web, "worker": worker, "beat": beat, "migrate": migrate, "velferd": velferd,
}


def command_line(args: Sequence[str]) -> list[str]:
    """The program and arguments `args` (the container's command) select."""
    if not args:
        raise UsageError("no command given")
    name, *rest = args
    if name not in COMMANDS:
        raise UsageError(f"unknown command {name!r}")
    return [*COMMANDS[name](), *rest]


def usage() -> str:
    return ("usage: python -m velferd.entrypoint [--dry-run] {" + ",".join(COMMANDS) + "} [ARGS...]\n"
            "  web: gunicorn (velferd.gunicorn_conf); worker: the Celery worker; beat: the scheduler (one only);\n"
            "  migrate: velferd db upgrade; velferd: any velferd command")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    dry_run = bool(args) and args[0] == "--dry-run"
    if dry_run:
        args = args[1:]
    if args and args[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    try:
        command = command_line(args)
    except UsageError as error:
        print(f"velferd.entrypoint: {error}\n{usage()}", file=sys.stderr, flush=True)
        return USAGE_ERROR
    if dry_run:
        print(json.dumps(command))
        return 0
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)
    return 0  # not reached: execv replaces this process or raises


if __name__ == "__main__":
    sys.exit(main())
