"""gunicorn's configuration for the web process: ``gunicorn -c python:velferd.gunicorn_conf``.

The container image's ``web`` command (`velferd.entrypoint`) starts gunicorn with this module, so
every deployment serves with the same settings, tuned by a few environment variables. Each
variable is checked when gunicorn loads the module: a bad one stops the start naming it.

Processes and threads
    ``VELFERD_WEB_WORKERS`` (default 2) processes, each with ``VELFERD_WEB_THREADS`` (default 4)
    threads (the ``gthread`` worker). Never derived from the CPU count: in a container
    ``os.cpu_count()`` is the node's, not the pod's CPU limit, so a 64-core node would start 129
    workers, each with its own database pool. Scale out with more pods (the chart's autoscaler),
    not bigger ones. Threads suit the app: a request mostly waits on PostgreSQL.
    ``preload_app`` stays off: each worker builds its app after the fork, so its start checks
    (`velferd.start_checks`, exit 3 halts the master) and its database pool are its own
    (`velferd.fork_safety` would cope with a preloaded pool, but nothing is gained by sharing one).

Bind
    ``VELFERD_BIND`` (``host:port``), else ``0.0.0.0:$PORT``, else ``0.0.0.0:8000`` (the image's
    ``EXPOSE``). ``PORT`` and not ``VELFERD_PORT``: Kubernetes' service links put
    ``VELFERD_PORT=tcp://10.0.0.1:80`` into every pod of a namespace with a Service named
    ``velferd``, which would be read as the port.

Timeouts
    ``timeout`` (``VELFERD_WEB_TIMEOUT``, 30 s): a worker whose main loop has not checked in for
    this long is killed and replaced. With ``gthread`` the main loop keeps checking in while a
    thread serves a slow request, so this catches a hung process, not a slow page; a request's
    own limit is the proxy's read timeout.
    ``graceful_timeout`` (``VELFERD_WEB_GRACEFUL_TIMEOUT``, 25 s): after SIGTERM a worker stops
    accepting and finishes the requests it has for this long. Below Kubernetes' default
    ``terminationGracePeriodSeconds`` of 30, so requests finish before the kubelet's SIGKILL.
    ``keepalive`` (``VELFERD_WEB_KEEPALIVE``, 75 s): longer than the idle timeout of the proxy in
    front (ingress-nginx and cloud load balancers keep idle upstream connections 60 s). If
    gunicorn closed an idle connection first, the proxy could send the next request down a
    socket that is closing and answer the client 502. gthread parks idle connections in its
    poller, so they do not hold a thread.

``worker_tmp_dir = /dev/shm``
    Each worker's heartbeat is a file it touches; on the container's disk (overlayfs, or a
    read-only root file system) that write can stall or fail and get healthy workers killed.
    ``/dev/shm`` is memory (a tmpfs in Docker and Kubernetes alike). Where it does not exist
    (macOS), gunicorn's default is kept.

Proxies: the same rule as ``ProxyFix`` (`velferd.proxies`)
    The app believes ``X-Forwarded-For/-Proto/-Host/-Port`` only through ProxyFix, and only from
    as many proxies as ``VELFERD_TRUSTED_PROXIES`` says, counting from the right. gunicorn would
    otherwise apply a second, different rule (it sets ``wsgi.url_scheme`` from
    ``X-Forwarded-Proto`` whenever the peer is in ``forwarded_allow_ips``, and never believes
    ``X-Forwarded-For``). So gunicorn trusts no peer (``forwarded_allow_ips = ""``), reads no
    scheme header (``secure_scheme_headers = {}``, which also covers a UNIX socket, where gunicorn
    trusts every peer) and no forwarded ``SCRIPT_NAME``/``PATH_INFO`` (``forwarder_headers = ""``):
    the headers reach the app untouched and ``VELFERD_TRUSTED_PROXIES`` is the one setting.
    ProxyFix rewrites ``REMOTE_ADDR`` in the request's environ, so the access log's
    ``remote_addr`` is the client ProxyFix found, not the proxy.

Logs: one JSON object per line (`velferd.log_config`, `velferd.log_format`)
    The request line is the app's own (`velferd.request_log`, on stdout): it knows what gunicorn
    cannot — the route, the tenant, the user, the request id it hands on to the jobs the request
    enqueues. gunicorn's access log is therefore off (``accesslog = None``): one line per request,
    not two. gunicorn's own messages and the app's warnings go to stderr as JSON lines too,
    through ``logconfig_dict``. ``VELFERD_WEB_LOG_LEVEL`` (default ``info``) is gunicorn's level
    and that of velferd's own loggers.

``control_socket_disable``
    gunicorn 25.1 added a control socket under ``$HOME``; the image's user has no writable home
    (read-only root file system) and nothing uses it. Older gunicorn ignores the name.

This module imports nothing of gunicorn's: it ships in the wheel, which installs and imports
without gunicorn (`.ci/smoke-install`), and gunicorn is the ``server`` extra's. Importing
`velferd.log_config` loads the velferd package (and Flask) in the master too; the workers, forked
from it, would load it anyway, and no app, engine or connection is built at import.
"""

from __future__ import annotations

import os

from velferd.log_config import logging_config


def _integer(variable: str, default: int, minimum: int) -> int:
    """An integer setting from the environment; a bad one stops gunicorn naming the variable."""
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise RuntimeError(f"{variable} must be a whole number, not {text!r}") from None
    if value < minimum:
        raise RuntimeError(f"{variable} must be at least {minimum}, not {value}")
    return value


def _bind() -> str:
    bind = os.environ.get("VELFERD_BIND", "").strip()
    if bind:
        return bind
    return f"0.0.0.0:{_integer('PORT', 8000, 1)}"


wsgi_app = "velferd.wsgi:app"
bind = _bind()
workers = _integer("VELFERD_WEB_WORKERS", 2, 1)
threads = _integer("VELFERD_WEB_THREADS", 4, 1)
worker_class = "gthread"
preload_app = False
timeout = _integer("VELFERD_WEB_TIMEOUT", 30, 1)
graceful_timeout = _integer("VELFERD_WEB_GRACEFUL_TIMEOUT", 25, 0)
keepalive = _integer("VELFERD_WEB_KEEPALIVE", 75, 0)
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}
forwarder_headers = ""

proc_name = "velferd-web"
control_socket_disable = True

loglevel = os.environ.get("VELFERD_WEB_LOG_LEVEL", "info").strip().lower() or "info"
if loglevel not in ("debug", "info", "warning", "error", "critical"):
    raise RuntimeError(f"VELFERD_WEB_LOG_LEVEL must be debug, info, warning, error or critical, not {loglevel!r}")
accesslog = None  # the app writes the request line (velferd.request_log)
errorlog = "-"
logconfig_dict = logging_config(loglevel, loggers={
    "gunicorn.error": {"level": loglevel.upper(), "handlers": ["messages"], "propagate": False},
    "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
})


def child_exit(server, worker) -> None:
    """A worker ended: with ``PROMETHEUS_MULTIPROC_DIR`` set, its gauges' files are dropped, so
    /metrics stops reporting a dead process (its counters stay in the sums: `velferd.metrics`)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def on_starting(server) -> None:
    """The master starts: with ``PROMETHEUS_MULTIPROC_DIR`` set, the files of an earlier run are
    removed first. A container restarted inside its pod keeps its emptyDir, and the dead
    processes' counts would otherwise be added to the new ones' (prometheus_client's rule: the
    folder is emptied between runs)."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder and os.path.isdir(folder):
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))
