"""Keeping national ids, password hashes and tokens out of logs and stored error text.

The database engine hides SQL parameters (``hide_parameters=True`` in velferd.db), but a
driver's own message can still quote a row (PostgreSQL: ``Key (tenant_id, national_id)=(1,
…) already exists``), and so can any exception a plugin raises. Everything that writes an
exception's text somewhere lasting — the 500 handler's log line, a failed job's log line and its
``job_run.error``, Celery's task-failure log — passes it through `redact` first.
"""

from __future__ import annotations

import logging
import re
import traceback

#: An 11-digit Norwegian fødselsnummer/D-number or a 10-digit Danish CPR number, also typed
#: with a space or dash after the birth date. Longer digit runs are left alone.
_NATIONAL_ID = re.compile(r"(?<!\d)\d{6}[ -]?\d{4,5}(?!\d)")
#: A bearer token (``vf.<tenant>.<secret>``), an invitation token (``vi.<tenant>.<secret>``,
#: velferd.invitations) and any argon2 hash.
_TOKEN = re.compile(r"\bv[fi]\.[a-z0-9-]+\.[A-Za-z0-9_\-]{8,}")
_ARGON2_HASH = re.compile(r"\$argon2(?:id|i|d)\$[^\s'\",)]+")

REDACTED = "[redacted]"


def redact(text: str) -> str:
    """`text` with every national id, token and password hash replaced by ``[redacted]``."""
    for pattern in (_ARGON2_HASH, _TOKEN, _NATIONAL_ID):
        text = pattern.sub(REDACTED, text)
    return text


def describe_error(error: BaseException) -> str:
    """One line for a stored error record: the exception's type and its redacted message."""
    return redact(f"{type(error).__name__}: {error}")


def describe_traceback(error: BaseException) -> str:
    """The full traceback (with chained causes) for the log, redacted."""
    return redact("".join(traceback.format_exception(error)).rstrip())


class RedactingFilter(logging.Filter):
    """Rewrites a record's message and traceback through `redact`, for loggers whose records
    we do not format ourselves (Celery's task-failure log)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            message = f"{message}\n{describe_traceback(record.exc_info[1])}"
            record.exc_info, record.exc_text = None, None
        record.msg, record.args = redact(message), None
        return True


_REDACT = RedactingFilter()


def redacting_logger(name: str) -> logging.Logger:
    """``logging.getLogger(name)`` whose every record (message, arguments and traceback) is
    redacted before any handler sees it: for modules that log exceptions they did not raise."""
    logger = logging.getLogger(name)
    if _REDACT not in logger.filters:
        logger.addFilter(_REDACT)
    return logger
