"""Where the processes' log lines go, as one ``logging.config.dictConfig`` for web, worker and beat.

stdout carries the structured lines an operator queries — one per request (``velferd.requests``)
and one per job run (``velferd.jobs.runs``); stderr everything else, as JSON too: warnings and
errors from any logger (the root at WARNING), gunicorn's and Celery's own messages. Both streams
are what a container runtime collects; nothing is written to a file (the root file system is
read-only in the chart).

gunicorn takes this through ``logconfig_dict`` (`velferd.gunicorn_conf`), the worker and beat
through Celery's ``setup_logging`` signal (`velferd.worker`), so Celery leaves logging to us.
Under ``flask run`` and in tests nothing is configured here: the records propagate to whatever
the caller set up (pytest's capture, the test run's log scan).
"""

from __future__ import annotations

import logging.config
from typing import Any

REQUEST_LOGGER = "velferd.requests"
JOB_LOGGER = "velferd.jobs.runs"
FORMATTER = "velferd.log_format.JsonFormatter"


def logging_config(level: str = "info", loggers: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The configuration; `level` is that of velferd's own loggers, `loggers` a process's extra ones
    (gunicorn's) by handler name ``lines`` (stdout) or ``messages`` (stderr)."""
    lines = {"level": "INFO", "handlers": ["lines"], "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": FORMATTER}},
        "handlers": {
            "lines": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
            "messages": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
        },
        "loggers": {
            REQUEST_LOGGER: lines,
            JOB_LOGGER: lines,
            "velferd": {"level": level.upper(), "handlers": ["messages"], "propagate": False},
            **(loggers or {}),
        },
        "root": {"level": "WARNING", "handlers": ["messages"]},
    }


def configure(level: str = "info", loggers: dict[str, dict[str, Any]] | None = None) -> None:
    logging.config.dictConfig(logging_config(level, loggers))
