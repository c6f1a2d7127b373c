# syntax=docker/dockerfile:1
#
# Velferd's one image: its command selects the process (velferd.entrypoint):
#   web (gunicorn, the default), worker (Celery), beat (the scheduler: exactly one), migrate
#   (velferd db upgrade, as the schema owner), or `velferd ...` (any CLI command).
#
#   docker build -t velferd .
#   docker run --rm -e VELFERD_DATABASE_URL=... velferd migrate
#   docker run -p 8000:8000 -e VELFERD_ENV=production -e VELFERD_SECRET_KEY=... velferd
#
# At the repository root, not under deploy/: the build context is the whole source tree (the
# wheel needs pyproject.toml, README.md, platform/ and plugins/), and Docker reads .dockerignore
# only at the context's root, so `docker build .` here needs neither `-f` nor a second ignore file.
# .dockerignore lets through only what the wheel is built from (no .venv, instance, databases).
#
# Not built in this repository's CI (no Docker daemon there): hadolint lints this file and
# tests/test_container_image.py checks its shape, the context and the entry point's commands.

ARG PYTHON_IMAGE=python:3.11-slim

# --- build: the wheel, exactly as `python -m build --wheel` makes it for PyPI -----------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN pip install --no-cache-dir build==1.6.1
WORKDIR /src
COPY . .
RUN python -m build --wheel --outdir /dist

# --- runtime: the wheel and its [server] extra (gunicorn, psycopg) only -------------------------
# No test extra, no compilers, no build tools: every dependency installs from a binary wheel.
FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH \
    VELFERD_INSTANCE_PATH=/var/lib/velferd \
    PORT=8000

# A fixed, numeric uid/gid (10001), so Kubernetes' runAsNonRoot can check it and a volume's
# fsGroup can match it; no home directory and no login shell.
RUN groupadd --system --gid 10001 velferd \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin velferd \
    && mkdir -p /var/lib/velferd \
    && chown 10001:10001 /var/lib/velferd

# The wheel comes from the build stage through a bind mount: it is installed, never copied
# into a layer of this image.
RUN --mount=type=bind,from=build,source=/dist,target=/dist \
    python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir "$(ls /dist/velferd-*.whl)[server]"

# Nothing is written here: the sources are in the venv, read-only to the app's user.
WORKDIR /opt/velferd

# The instance folder (VELFERD_INSTANCE_PATH, read by velferd.app): the invoice outbox, exports
# and, without VELFERD_DATABASE_URL, the SQLite database. The only place the app writes, so the
# root file system can be read-only; Kubernetes mounts a PersistentVolumeClaim here.
VOLUME ["/var/lib/velferd"]

USER 10001:10001
EXPOSE 8000

# Kubernetes ignores HEALTHCHECK (its probes call /healthz and /readyz, see helm/velferd), and
# in this one image for four processes an HTTP check would call the worker and beat unhealthy.
HEALTHCHECK NONE

ENTRYPOINT ["python", "-m", "velferd.entrypoint"]
CMD ["web"]
