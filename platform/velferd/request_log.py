"""One structured line per request, and the request id that follows the request into its jobs.

Each request gets an id: the ``X-Request-ID`` the proxy in front set (ingress-nginx does), if it
looks like one (`velferd.log_context.accepted_request_id`), else a new one. It is bound for the
request's duration, so every line written meanwhile carries it, recorded on every job the
request enqueues (`velferd.jobs.outbox`), and sent back in the response's ``X-Request-ID`` — what a
user quotes to support, and what finds the request's line and its jobs' lines in the logs.

When the response is ready one line goes to ``velferd.requests``: method, route (the URL rule,
``/api/t/<tenant>/people/<int:person_id>``, which groups requests and names nobody), path (with
ids, never the query string, which may carry a search term or a token), status, duration, bytes,
the client's address (after ProxyFix) and user agent, tenant slug and user id. Never a name, a national id, a
cookie or a header's value. Health probes get their line too (two per pod every ten seconds
with the chart's probes): one line per request, without exceptions to remember.
"""

from __future__ import annotations

import logging
import time

import sqlalchemy as sa
from flask import Flask, Response, g, request

from velferd import log_context
from velferd.log_config import REQUEST_LOGGER
from velferd.log_format import LOG_FIELDS

log = logging.getLogger(REQUEST_LOGGER)

REQUEST_ID_HEADER = "X-Request-ID"
USER_AGENT_MAX_LENGTH = 200  # a caller's header: its size is the caller's choice


def init_app(app: Flask) -> None:
    """Registered first in `velferd.app.create_app`, so the id is bound before any other hook runs."""
    app.before_request(_start)
    app.after_request(_write_line)
    app.teardown_request(_end)


def _start() -> None:
    g.velferd_request_started = time.perf_counter()
    request_id = log_context.accepted_request_id(request.headers.get(REQUEST_ID_HEADER))
    g.velferd_log_token = log_context.bind(request_id=request_id)


def _write_line(response: Response) -> Response:
    fields = log_context.current_fields()
    started = g.get("velferd_request_started")
    duration_ms = round((time.perf_counter() - started) * 1000, 3) if started is not None else None
    fields.update(
        type="request", method=request.method, route=request.url_rule.rule if request.url_rule else None,
        path=request.path, status=response.status_code, duration_ms=duration_ms,
        bytes=response.content_length, remote_addr=request.remote_addr,
        user_agent=request.user_agent.string[:USER_AGENT_MAX_LENGTH] or None,
        tenant=_loaded(g.get("velferd_tenant"), "slug"), user_id=_identity(g.get("velferd_user")),
    )
    log.info("%s %s %s", request.method, fields["route"] or request.path, response.status_code,
            extra={LOG_FIELDS: fields})
    if "request_id" in fields:
        response.headers[REQUEST_ID_HEADER] = fields["request_id"]
    return response


def _end(_error: BaseException | None) -> None:
    token = g.pop("velferd_log_token", None)
    if token is not None:
        log_context.unbind(token)


def _loaded(row, attribute: str):
    """An attribute already loaded on `row`, without a query: after a rollback the row is expired,
    and reloading it here would need the tenant in scope (and could fail the response)."""
    return sa.inspect(row).dict.get(attribute) if row is not None else None


def _identity(row) -> int | None:
    identity = sa.inspect(row).identity if row is not None else None
    return identity[0] if identity else None
