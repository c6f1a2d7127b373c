"""The WSGI entry point for production servers: ``gunicorn 'velferd.wsgi:app'``.

The one module that builds an app at import time, from ``VELFERD_*`` variables; an invalid
setting, a production configuration that is incomplete, or a database role that bypasses
row-level security stops the server here, naming what to fix.
"""

from velferd.app import create_app
from velferd.database_role import refuse_privileged_role

app = create_app()
refuse_privileged_role(app)
