"""The entry module of the worker and the scheduler::

    celery -A velferd.worker worker --loglevel=INFO
    celery -A velferd.worker beat --loglevel=INFO      # the scheduler: velferd.jobs.beat

Both build the Flask app from the same ``VELFERD_*`` environment as the web process (the
broker is ``VELFERD_REDIS_URL``) and use its Celery app, so they know the same plugins, tasks
and periodic entries. Both refuse to start, in one line, as the web app does
(`velferd.start_checks`: the database unreachable, a role that bypasses row-level security, a
schema behind this version), and without a broker. Run exactly one beat; a second one waits on
redbeat's Redis lock.

Their logs are the web process's JSON lines (`velferd.log_config`): one per job run on stdout,
everything else on stderr. Connecting Celery's ``setup_logging`` signal is how Celery is told
to leave logging alone; its ``--loglevel`` becomes velferd's own loggers' level.
"""

from __future__ import annotations

import logging

from celery.signals import setup_logging
from flask import Flask

from velferd.app import create_app
from velferd.config import ConfigurationError
from velferd.log_config import configure
from velferd.start_checks import start_or_refuse


def refuse_without_broker(app: Flask) -> None:
    if "celery" not in app.extensions:
        raise ConfigurationError("no broker configured: set VELFERD_REDIS_URL (e.g. redis://localhost:6379/0) for "
                                 "the worker and the scheduler; without it jobs run inside the web process")


#: Celery's own progress (connected, ready, beat's "Scheduler: Sending due task") is logged at the
#: level asked for; its line per task received and succeeded is left out: the job's line says it.


@setup_logging.connect(weak=False)
def _json_lines(loglevel=None, **kwargs) -> None:
    level = (loglevel if isinstance(loglevel, str) else logging.getLevelName(loglevel or logging.INFO)).upper()
    own, per_task = {"level": level, "handlers": ["messages"], "propagate": False}, {"level": "WARNING"}
    configure(level.lower(), loggers={"celery": own, "celery.app.trace": per_task, "celery.worker.strategy": per_task})


flask_app = start_or_refuse(create_app, refuse_without_broker)
celery = app = flask_app.extensions["celery"]
