"""The Celery app a test's worker or beat subprocess runs (``celery -A tests.worker_app …``).

It is `velferd.worker` as the test suite builds apps: entry points off, plugins given by
``VELFERD_TEST_WORKER_PLUGINS`` (``module`` or ``module:Class``, comma-separated; a class is
instantiated), configuration from ``VELFERD_TEST_WORKER_CONFIG`` (JSON, as passed to create_app).
"""

from __future__ import annotations

import importlib
import json
import os

from velferd import create_app


def _plugin(spec: str):
    module_name, _, attribute = spec.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute)() if attribute else module


plugins = [_plugin(s) for s in os.environ.get("VELFERD_TEST_WORKER_PLUGINS", "").split(",") if s]
flask_app = create_app(json.loads(os.environ["VELFERD_TEST_WORKER_CONFIG"]), plugins=plugins)
celery = app = flask_app.extensions["celery"]
