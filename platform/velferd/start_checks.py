"""A bad deploy fails at start, in one line, instead of serving 500s: the web app
(``velferd.wsgi``), the worker and beat (``velferd.worker``) refuse to start when the settings
are invalid, the database cannot be reached or refuses the login, the database role bypasses
row-level security, or the schema is not at the head of the core's and every installed plugin's
branch (`velferd.schema_state`, which names what is pending).

The refusal is one line on stderr and exit status 3, which is gunicorn's "worker failed to boot":
its master stops instead of restarting the worker for ever, so the deployment (Kubernetes, systemd)
sees the failed start and shows the line. `StartRefused` is a `SystemExit` and nothing else: gunicorn
passes a worker's SystemExit through untouched, but turns any other exception into a logged
traceback, and one deriving from RuntimeError (as ConfigurationError does) into exit status 1,
which its master answers by booting the worker again, for ever.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from flask import Flask
from sqlalchemy import exc

from velferd.config import ConfigurationError
from velferd.database_outage import connection_failure_reason
from velferd.database_role import refuse_privileged_role
from velferd.db import db
from velferd.schema_state import schema_problem

#: gunicorn's exit status for a worker that cannot boot (its master then halts, see Arbiter).
WORKER_BOOT_ERROR = 3


class StartRefused(SystemExit):
    """The process must not start; ``str()`` is the one line saying why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.code = WORKER_BOOT_ERROR


def refuse_unready_database(app: Flask) -> None:
    """Raise ConfigurationError when the app's database would fail every request."""
    try:
        refuse_privileged_role(app)
    except (exc.OperationalError, exc.InterfaceError) as error:
        raise ConfigurationError(f"cannot connect to the database of VELFERD_DATABASE_URL: "
                                 f"{connection_failure_reason(error)}") from None
    problem = schema_problem(app)
    with app.app_context():
        db.engine.dispose()  # no connection survives into forked server or pool processes
    if problem:
        raise ConfigurationError(problem)


def start_or_refuse(build: Callable[[], Flask], *more_checks: Callable[[Flask], None]) -> Flask:
    """The app `build` makes, with its database checked, then `more_checks` (each raising
    ConfigurationError); or one line on stderr and exit 3."""
    try:
        app = build()
        for check in (refuse_unready_database, *more_checks):
            check(app)
    except ConfigurationError as error:
        print(f"velferd: not starting: {error}", file=sys.stderr, flush=True)
        raise StartRefused(str(error)) from None
    return app
