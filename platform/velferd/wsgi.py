"""The WSGI entry point for production servers: ``gunicorn 'velferd.wsgi:app'``.

The one module that builds an app at import time, from ``VELFERD_*`` variables; a production
configuration that is incomplete stops the server here, naming what is missing.
"""

from velferd.app import create_app

app = create_app()
