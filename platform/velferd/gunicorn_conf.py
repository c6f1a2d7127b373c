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

Logs: one JSON object per line, on stdout (access) and stderr (everything else)
    The access log has one line per request: ``method``, ``path`` (without the query string,
    which may carry a token or a search term), ``status``, ``duration_ms``, ``bytes``,
    ``remote_addr``, ``user_agent``, ``request_id`` (the ``X-Request-ID`` request header a proxy
    sets, such as ingress-nginx, else the response's own), ``pid``. Never the referrer (another
    URL with its query string), a cookie or an ``Authorization`` header. It is written by
    :class:`AccessJsonFormatter` from gunicorn's own access record (its atoms), through
    ``logconfig_dict``, so every value is escaped by ``json.dumps``: a header holding a quote or
    a newline cannot break or forge a line, as it could in an ``access_log_format`` written to
    look like JSON. gunicorn's own messages and the app's warnings (the root logger, WARNING and
    up: what Python printed on stderr before) are JSON lines too (:class:`JsonFormatter`).
    ``VELFERD_WEB_LOG_LEVEL`` (default ``info``) is gunicorn's level.

``control_socket_disable``
    gunicorn 25.1 added a control socket under ``$HOME``; the image's user has no writable home
    (read-only root file system) and nothing uses it. Older gunicorn ignores the name.

This module imports only the standard library: it ships in the wheel, which installs and
imports without gunicorn (`.ci/smoke-install`), and gunicorn is the ``server`` extra's.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from typing import Any

#: The request header carrying a request id set by the proxy in front (ingress-nginx sets it).
REQUEST_ID_HEADER = "X-Request-ID"
#: A request id longer than this is cut: it is a caller's header, so its size is the caller's choice.
REQUEST_ID_MAX_LENGTH = 200


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


def _utc(created: float) -> str:
    return datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """Any record as one JSON line: time (UTC), level, logger, process and the message."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {"time": _utc(record.created), "level": record.levelname.lower(),
                                 "logger": record.name, "pid": record.process, "message": record.getMessage()}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class AccessJsonFormatter(JsonFormatter):
    """gunicorn's access record as one JSON line.

    gunicorn logs each request as ``access_log.info(access_log_format, atoms)``: the record's
    ``args`` is its mapping of atoms (``m`` method, ``U`` path without the query, ``s`` status,
    ``D`` microseconds, ``B`` bytes, ``h`` remote address, ``a`` user agent, ``{name}i`` a request
    header, ``{name}o`` a response header; ``-`` for what is missing). The fields are picked from
    it, so the query string (atoms ``q``, ``r``) and the referrer (``f``) are never written.
    """

    def format(self, record: logging.LogRecord) -> str:
        atoms = record.args
        if not isinstance(atoms, dict):  # not gunicorn's access record: log it as any other
            return super().format(record)

        def atom(key: str) -> str | None:
            value = atoms.get(key, "-")  # gunicorn escaped each '"' as '\\"' for its quoted format
            return None if value in ("-", None) else str(value).replace('\\"', '"')

        header = "{" + REQUEST_ID_HEADER.lower() + "}"
        request_id = atom(header + "i") or atom(header + "o")
        status = atom("s")
        entry = {
            "time": _utc(record.created), "type": "access", "method": atom("m"), "path": atom("U"),
            "status": int(status) if status and status.isdigit() else status,
            "duration_ms": round(int(atoms.get("D") or 0) / 1000, 3),
            "bytes": int(atoms.get("B") or 0), "remote_addr": atom("h"), "user_agent": atom("a"),
            "request_id": request_id[:REQUEST_ID_MAX_LENGTH] if request_id else None, "pid": record.process,
        }
        return json.dumps(entry, ensure_ascii=False)


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
accesslog = "-"
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": f"{__name__}.JsonFormatter"},
        "access_json": {"()": f"{__name__}.AccessJsonFormatter"},
    },
    "handlers": {
        "access": {"class": "logging.StreamHandler", "formatter": "access_json", "stream": "ext://sys.stdout"},
        "errors": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
    },
    "loggers": {
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["errors"], "propagate": False},
    },
    "root": {"level": "WARNING", "handlers": ["errors"]},
}
