"""Database connections never cross a fork.

A process that forks (Celery's prefork pool, gunicorn's workers, anything using
``multiprocessing`` with fork) hands its children copies of its open sockets. If the parent had
a pooled PostgreSQL connection — the worker's start-up sweep opens one — two processes then talk
over one socket, and the next child fails with ``can't change 'autocommit' now: connection in
transaction status INTRANS`` or reads another process's results.

So right after every fork, in the child, each app's engines drop the pool they inherited without
closing its connections (``engine.dispose(close=False)``: closing would end the parent's session
too) and open their own. This is SQLAlchemy's documented recipe for forked processes; it is
hooked on ``os.register_at_fork`` (every fork, whoever makes it) and on Celery's
``worker_process_init`` (a pool child about to take tasks).
"""

from __future__ import annotations

import os
import weakref

from flask import Flask

_apps: weakref.WeakSet[Flask] = weakref.WeakSet()
_hooked = False


def init_app(app: Flask) -> None:
    """Make `app`'s engines fork-safe (the hooks are installed once per process)."""
    global _hooked
    _apps.add(app)
    if _hooked:
        return
    os.register_at_fork(after_in_child=dispose_inherited_connections)
    from celery.signals import worker_process_init

    worker_process_init.connect(_on_worker_process_init, weak=False)
    _hooked = True


def dispose_inherited_connections() -> None:
    """In a freshly forked child: forget every connection the parent's pools held."""
    from velferd.db import db

    for app in list(_apps):
        if "sqlalchemy" not in app.extensions:
            continue
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)


def _on_worker_process_init(**kwargs) -> None:
    dispose_inherited_connections()
