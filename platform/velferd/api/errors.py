"""Every error leaves the API as JSON: status, a sentence a person can act on, and the fields.

Never a stack trace: an unexpected exception is logged with an id and answered with a 500 that
names the id, so the operator can find it without the caller seeing internals.
"""

from __future__ import annotations

import uuid
from typing import Any, Mapping

from flask import Flask, current_app, jsonify
from sqlalchemy.exc import DataError, IntegrityError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from velferd.database_outage import is_database_unavailable, retry_after_seconds
from velferd.db import db
from velferd.errors import VelferdError
from velferd.redaction import describe_traceback


def error_response(status: int, message: str, fields: Mapping[str, Any] | None = None, headers=None):
    body = {"status": status, "error": HTTP_STATUS_CODES.get(status, "Error"), "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _webargs_fields(messages: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """webargs nests errors by location ({"json": {"field": [...]}}); say where and which."""
    fields: dict[str, Any] = {}
    places = []
    for location, errors in messages.items():
        places.append(location)
        if isinstance(errors, Mapping):
            fields.update(errors)
        else:
            fields[location] = errors
    names = ", ".join(sorted(str(k) for k in fields))
    message = f"the request {' and '.join(places)} is invalid: {names}"
    first = fields[sorted(fields, key=str)[0]] if fields else None
    if isinstance(first, list) and first and isinstance(first[0], str):
        message += f" ({first[0].rstrip('.')})"  # the first reason, so the sentence alone says what to fix
    return message, fields


def handle_http_exception(error: HTTPException):
    if error.code is not None and error.code >= 500:
        return handle_unexpected(error)
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    if messages:
        message, fields = _webargs_fields(messages)
        if error.code == 400 and "json" in messages and not isinstance(messages["json"], Mapping):
            message = "the request body is not valid JSON"
        return error_response(error.code or 400, message, fields, data.get("headers"))
    return error_response(error.code or 400, data.get("message") or error.description or error.name, None,
                          data.get("headers"))


def handle_velferd_error(error: VelferdError):
    db.session.rollback()
    return error_response(error.status, error.message, error.fields)


def handle_integrity_error(error: IntegrityError):
    db.session.rollback()
    return error_response(409, "the change conflicts with a record that already exists")


def handle_data_error(error: DataError):
    """The database refused a value the edge let through (too long, out of range, a byte it
    cannot store): the caller's input, so a 422 — the same answer SQLite gets from the flush
    check (velferd.db_checks). The driver's text is not echoed: it can quote the value."""
    db.session.rollback()
    return error_response(422, "a value in the request cannot be stored (too long, out of range or "
                               "containing a character the database refuses)")


def handle_unexpected(error: Exception):
    if is_database_unavailable(error):
        return handle_database_unavailable(error)
    db.session.rollback()
    incident = uuid.uuid4().hex[:12]
    # The traceback is logged redacted: a driver's message can quote a row's national id.
    current_app.logger.error("unexpected error %s\n%s", incident, describe_traceback(error))
    return error_response(500, f"an unexpected error occurred; quote incident {incident} to the operator")


def handle_database_unavailable(error: Exception):
    """The database cannot be reached (velferd.database_outage): try again later, not a bug."""
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; the pool replaces it on the next checkout
        db.session.close()
    current_app.logger.warning("database unavailable: %s", type(getattr(error, "original_exception", None) or error).__name__)
    return error_response(503, "the database cannot be reached just now; try again shortly",
                          headers={"Retry-After": str(retry_after_seconds())})


def init_app(app: Flask) -> None:
    app.register_error_handler(VelferdError, handle_velferd_error)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
