"""/metrics in the Prometheus text format: requests by route, and the database's figures.

Requests are counted (``velferd_http_requests_total``) and timed
(``velferd_http_request_duration_seconds``) by route *template* (``/api/t/<slug>/jobs/<int:job_id>``),
method and status — never the raw path, which holds ids and slugs (a series each, and personal
data in the labels); a request no route matched is ``unmatched``. /metrics, /healthz and /readyz
are not counted: the scraper and the probes would be most of the traffic, and say nothing
about the users'. The database's figures come from `velferd.metrics_collector` at scrape time.

Access (the figures are an operator's, across tenants): ``VELFERD_METRICS_TOKEN`` (the scraper
sends ``Authorization: Bearer <token>``) and/or ``VELFERD_METRICS_ALLOWED_NETWORKS``
(comma-separated CIDRs, matched against the client address ProxyFix found). Either admits.
Neither set: /metrics does not exist (404). Otherwise a caller admitted by neither gets a 401.

gunicorn runs several processes, each counting its own requests. With ``PROMETHEUS_MULTIPROC_DIR``
set, prometheus_client keeps each process's values in files there and a scrape adds them up
(multiprocess mode; `velferd.gunicorn_conf`'s ``child_exit`` marks a dead worker's files).
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.exposition import choose_encoder

from velferd.api.errors import error_response
from velferd.config import ConfigurationError
from velferd.metrics_collector import DatabaseCollector, DatabaseReadings

EXTENSION = "velferd.metrics"
UNMATCHED_ROUTE = "unmatched"
NOT_COUNTED = frozenset({"/metrics", "/healthz", "/readyz"})
#: A method outside these is counted as ``other``: the method is the caller's choice, a label each would be theirs too.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

blp = Blueprint("metrics", __name__)


class AppMetrics:
    """One app's request counter and histogram, in its own registry (tests build many apps), and
    its last reading of the database."""

    def __init__(self, database_seconds: float) -> None:
        self.database = DatabaseReadings(database_seconds)
        self.registry = CollectorRegistry(auto_describe=True)
        labels = ["route", "method", "status"]
        self.requests = Counter("velferd_http_requests", "HTTP requests answered, by route template, method and "
                                "status", labels, registry=self.registry)
        self.duration = Histogram("velferd_http_request_duration_seconds", "Time to answer an HTTP request, by "
                                  "route template, method and status", labels, registry=self.registry)

    def scrape_registry(self) -> CollectorRegistry:
        """What one scrape reads: every process's request figures in multiprocess mode, this
        process's otherwise; then the database's."""
        registry = CollectorRegistry()
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            multiprocess.MultiProcessCollector(registry)
        else:
            registry.register(self.registry)  # a registry is a collector of its metrics
        registry.register(DatabaseCollector(self.database))
        return registry


def networks(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    try:
        return [ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise ConfigurationError(f"invalid configuration: VELFERD_METRICS_ALLOWED_NETWORKS: {error}") from None


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = AppMetrics(app.config["METRICS_DATABASE_SECONDS"])
    app.config["METRICS_NETWORKS"] = networks(app.config["METRICS_ALLOWED_NETWORKS"])
    app.before_request(_start_clock)
    app.after_request(_count)
    app.register_blueprint(blp)


def _start_clock() -> None:
    g.metrics_started = time.perf_counter()


def _count(response: Response) -> Response:
    started = g.pop("metrics_started", None)
    if started is None or request.path in NOT_COUNTED:
        return response
    route = request.url_rule.rule if request.url_rule is not None else UNMATCHED_ROUTE
    method = request.method if request.method in KNOWN_METHODS else "other"
    labels = (route, method, str(response.status_code))
    metrics: AppMetrics = current_app.extensions[EXTENSION]
    metrics.requests.labels(*labels).inc()
    metrics.duration.labels(*labels).observe(time.perf_counter() - started)
    return response


def _admitted() -> bool:
    token = current_app.config["METRICS_TOKEN"]
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return True
    address = request.remote_addr
    if not address or not current_app.config["METRICS_NETWORKS"]:
        return False
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(client in network for network in current_app.config["METRICS_NETWORKS"])


@blp.get("/metrics")
def metrics():
    if not current_app.config["METRICS_TOKEN"] and not current_app.config["METRICS_NETWORKS"]:
        return error_response(404, "metrics are off (set VELFERD_METRICS_TOKEN or VELFERD_METRICS_ALLOWED_NETWORKS)")
    if not _admitted():
        return error_response(401, "send the metrics token as 'Authorization: Bearer <token>'", None,
                              {"WWW-Authenticate": 'Bearer realm="metrics"'})
    registry = current_app.extensions[EXTENSION].scrape_registry()
    encode, content_type = choose_encoder(request.headers.get("Accept"))  # OpenMetrics when the scraper asks
    return Response(encode(registry), content_type=content_type)
