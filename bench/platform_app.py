"""The platform as the benches run it: velferd's own app with the ``example`` plugin of the tests.

Two ways in, both building the app the same way (`_build`):

* `platform_app(database)`: in-process, with its settings given here (bench_cases.py,
  bench_invoices.py, and bench_load.py for issuing tokens and migrating);
* ``gunicorn -c python:velferd.gunicorn_conf 'bench.platform_app:from_environment()'``: what
  `velferd.wsgi` does in production — settings from the ``VELFERD_*`` environment (the database
  URL from ``VELFERD_DATABASE_URL``, the app role's), then the start checks — with the plugin added,
  for bench/bench_load.py. The plugin is an object of the tests, not an installed entry point,
  so this module and not `velferd.wsgi` is the gunicorn app.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy.engine import make_url


def platform_app(database) -> Flask:
    """The app on `database` (a `bench.bench_cases.Database`), connecting as the app role under
    row-level security; the owner's URL is for migrations. The app role is the app URL's user."""
    return _build({
        "SECRET_KEY": "bench", "DATABASE_URL": database.app_url, "MIGRATION_DATABASE_URL": database.owner_url,
        "DB_APP_ROLE": make_url(database.app_url).username,
        # no background sweeper thread in a process that counts statements and times requests
        "JOBS_EMBEDDED_SWEEP_INTERVAL_SECONDS": 0,
    })


def from_environment() -> Flask:
    """gunicorn's app factory, called in each worker after the fork (``preload_app`` is off); a bad
    setting, an unreachable database or a schema behind stops the worker with exit 3 as in
    production (`velferd.start_checks`)."""
    from velferd.start_checks import start_or_refuse

    return start_or_refuse(lambda: _build({}))


def _build(settings: dict[str, Any]) -> Flask:
    """Only the bench's plugin: entry points are not loaded, so plugins installed in the
    virtualenv neither join in nor need their migrations in the bench database."""
    from tests.plugins.example import ExamplePlugin
    from velferd import create_app

    return create_app({**settings, "LOAD_PLUGIN_ENTRY_POINTS": False}, plugins=[ExamplePlugin()])
