"""The entry module of the worker and the scheduler::

    celery -A velferd.worker worker --loglevel=INFO
    celery -A velferd.worker beat -S redbeat.RedBeatScheduler --loglevel=INFO

Both build the Flask app from the same ``VELFERD_*`` environment as the web process (the
broker is ``VELFERD_REDIS_URL``) and use its Celery app, so they know the same plugins, tasks
and periodic entries; both refuse a database role that bypasses row-level security. Run
exactly one beat; a second one waits on redbeat's Redis lock.
"""

from __future__ import annotations

from velferd.app import create_app
from velferd.database_role import refuse_privileged_role

flask_app = create_app()
refuse_privileged_role(flask_app)
if "celery" not in flask_app.extensions:
    raise SystemExit("no broker configured: set VELFERD_REDIS_URL (e.g. redis://localhost:6379/0) "
                     "for the worker and the scheduler; without it jobs run inside the web process")
celery = app = flask_app.extensions["celery"]
