"""The WSGI entry point for production servers: ``gunicorn 'velferd.wsgi:app'``.

The one module that builds an app at import time, from ``VELFERD_*`` variables. An invalid
setting, a production configuration that is incomplete, a database that cannot be reached, a
database role that bypasses row-level security or a schema behind this version stops the server
here with one line naming what to fix (`velferd.start_checks`).
"""

from velferd.app import create_app
from velferd.start_checks import start_or_refuse

app = start_or_refuse(create_app)
