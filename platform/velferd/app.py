"""The application factory: a short list of init_app calls, nothing clever at import time."""

from __future__ import annotations

import os
from typing import Any, Iterable, Mapping

from flask import Flask

from velferd import api, audit, column_checks, commands, config, health, jobs, tenancy  # noqa: F401  (audit, column_checks, tenancy: session listeners)
from velferd import commits, connection_check, fork_safety, origin_check, passwords, proxies, read_audit, request_log, security_headers, throttle
from velferd import metrics, web
from velferd.db import db
from velferd.plugins.manager import build_registry
from velferd.retention import read_only  # noqa: F401  (a session listener: deposited cases are read-only)
from velferd.url_rules import LazyBuilderRule


def create_app(config_overrides: Mapping[str, Any] | None = None, plugins: Iterable[Any] = ()) -> Flask:
    """Build the app. `plugins` are extra plugin objects (tests); installed plugins are found
    through the ``velferd.plugins`` entry points unless ``LOAD_PLUGIN_ENTRY_POINTS`` is false."""
    app = Flask("velferd", instance_path=os.environ.get("VELFERD_INSTANCE_PATH", os.path.abspath("instance")))
    app.url_rule_class = LazyBuilderRule
    config.load(app, config_overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    request_log.init_app(app)  # first: every later hook's log lines carry the request id
    security_headers.init_app(app)
    proxies.init_app(app)
    origin_check.init_app(app)
    db.init_app(app)
    with app.app_context():
        commits.init_app(app, db.engines.values())
        for engine in db.engines.values():
            connection_check.init_engine(engine)
    fork_safety.init_app(app)
    registry = build_registry(plugins, load_entry_points=app.config["LOAD_PLUGIN_ENTRY_POINTS"])
    app.extensions["velferd.plugins"] = registry
    jobs.init_app(app)
    throttle.init_app(app)
    passwords.init_app(app)
    app.register_blueprint(health.blp)
    metrics.init_app(app)  # /metrics, and the request counts of every later blueprint
    api.init_app(app, registry)
    read_audit.init_app(app)
    web.init_app(app)
    commands.init_app(app)
    return app
