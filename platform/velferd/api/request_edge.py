"""The first look at every request, before any view, schema or database sees it.

- A body larger than ``MAX_REQUEST_BYTES`` (Flask's ``MAX_CONTENT_LENGTH``) is a 413, also one
  sent without a length (chunked) once it reaches the limit.
- The path and the query string hold no control characters: ``GET /api/t/%00`` is a 400
  before the tenant is looked up, ``?q=%00`` a 422 naming ``q``.
- A JSON body is parsed strictly once, here: ``NaN``/``Infinity``, numbers that overflow to
  infinity (``1e400``), nesting deeper than the limit (a ``RecursionError`` otherwise) and
  invalid UTF-8 are a 400; control characters and lone surrogates in any string or key are a
  422 naming the field path (velferd.input_rules). Views then parse the same, now safe, body.
"""

from __future__ import annotations

import json
import math
from typing import Any

from flask import Flask, current_app, request

from velferd.api.errors import error_response
from velferd.input_rules import json_problems, text_problem


class _NotJson(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NotJson(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _NotJson(f"the number {text[:40]} is too large")
    return number


def strict_json_loads(data: bytes | str) -> Any:
    """Standard JSON only: finite numbers, bounded nesting (checked by the caller)."""
    return json.loads(data, parse_constant=_refuse_constant, parse_float=_finite_float)


def _check_size_path_and_query():
    if problem := text_problem(request.path, multiline=False):
        return error_response(400, f"the URL {problem}")
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and limit is not None and request.content_length > limit:
        return _too_large(limit)
    fields = {}
    for name, value in request.args.items(multi=True):
        if problem := text_problem(name, multiline=False):
            fields.setdefault("_query", []).append(f"a parameter name {problem}")
        elif problem := text_problem(value, multiline=False):
            fields.setdefault(name, []).append(problem)
    if fields:
        return _invalid("query string", fields)
    return None


def _check_json_body():
    if not request.is_json:
        return None
    data = request.get_data(cache=True)
    if not data:
        return None
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is None and limit is not None and len(data) >= limit:
        # A body without a length (chunked) is read up to the limit and silently cut there.
        return _too_large(limit)
    try:
        body = strict_json_loads(data)
    except RecursionError:
        return _not_json("it is nested too deeply")
    except ValueError as error:  # JSONDecodeError, _NotJson, UnicodeDecodeError, too many digits
        return _not_json(str(error).split(":")[0] if isinstance(error, json.JSONDecodeError) else str(error))
    problems: dict[str, list[str]] = {}
    for path, reason in json_problems(body):
        if reason.startswith("is nested deeper"):
            return _not_json(f"it {reason}")
        problems.setdefault(path, []).append(reason)
    if problems:
        return _invalid("body", problems)
    return None


def _invalid(where: str, fields: dict[str, list[str]]):
    """A 422 naming every field; the message spells out the first one."""
    first = sorted(fields)[0]
    return error_response(422, f"the request {where} is invalid: {first} {fields[first][0]}", fields)


def _too_large(limit: int):
    return error_response(413, f"the request body is larger than {limit} bytes (VELFERD_MAX_REQUEST_BYTES)")


def _not_json(reason: str):
    return error_response(400, f"the request body is not valid JSON: {reason}", {"json": [reason]})


def init_app_before_tenant(app: Flask) -> None:
    """Size, path and query: checked before the tenant is looked up or the caller known."""
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None: no limit
        app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_REQUEST_BYTES"]
    app.before_request(_check_size_path_and_query)


def init_app_after_tenant(app: Flask) -> None:
    """The JSON body: checked once the caller is known (a stranger gets a 401, not a parse error)."""
    app.before_request(_check_json_body)
