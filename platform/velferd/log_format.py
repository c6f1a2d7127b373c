"""One JSON object per log line, for every process: web (gunicorn), worker and beat.

A line is ``{"time", "level", "logger", "pid", <the request's or job's fields>, "message"}``
(`velferd.log_context`), plus what the call passed as ``extra={"log_fields": {...}}`` — the
request line and the job line are records of that kind. Everything is written with
``json.dumps``, so a value holding a quote or a newline cannot break or forge a line.

The message, the traceback and every text field pass through `velferd.redaction.redact` here, the last step before
anything is written: a national id, token or password hash that reached a log call by any road
(an exception's text quoting a row, a plugin's careless f-string) is written as ``[redacted]``.
Names cannot be recognised by a pattern; they are kept out at the source and the test run's
logs are scanned for the names and ids it created (``tests/log_scan.py``).

Standard library only (and velferd's stdlib-only helpers); gunicorn's configuration module
(`velferd.gunicorn_conf`) uses it through `velferd.log_config`.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from velferd.log_context import current_fields
from velferd.redaction import redact

#: ``extra={LOG_FIELDS: {...}}``: fields of a structured line (the request line, the job line).
LOG_FIELDS = "log_fields"
#: Fields whose value is ours, not a caller's text: not redacted (a uuid's hex can hold a run of
#: ten digits, which would read as a CPR number). An offered request id with a run of six digits
#: is never accepted (`velferd.log_context.accepted_request_id`).
OWN_FIELDS = frozenset({"request_id"})


def utc_time(created: float) -> str:
    return datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """Any record as one JSON line, redacted, with the current request's or job's fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {"time": utc_time(record.created), "level": record.levelname.lower(),
                                 "logger": record.name, "pid": record.process}
        fields = {**current_fields(), **(getattr(record, LOG_FIELDS, None) or {})}
        entry.update((name, redact(value) if isinstance(value, str) and name not in OWN_FIELDS else value)
                     for name, value in fields.items())
        entry["message"] = redact(record.getMessage())
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)
