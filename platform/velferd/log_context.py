"""What every log line of a request or a job carries: its request id, tenant and user.

A request binds its fields when it starts (`velferd.request_log`), a job when it runs
(`velferd.jobs.runner`), and `velferd.log_format.JsonFormatter` adds them to every line written
meanwhile — the request's own line, a job's line, a warning from deep inside either. The fields
live in a ``ContextVar``, so gunicorn's threads and an in-process job run inside a request each
see their own, and a job run inside a request gets the request's id back when it ends.

Standard library only, like the formatter that reads it.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterator
from contextvars import ContextVar, Token
from typing import Any

_FIELDS: ContextVar[dict[str, Any]] = ContextVar("velferd_log_fields", default={})

#: A request id handed to us (the proxy's ``X-Request-ID``) is kept only if it looks like one:
#: letters, digits and ``. _ : -``, at most 200 characters. Anything else — a newline that would
#: forge a line, a national id somebody typed into a header — is replaced by an id of our own.
_ACCEPTABLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,200}")
_DIGIT_RUN = re.compile(r"\d{6}")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(offered: str | None) -> str:
    """`offered` if it is a plausible request id (and no run of six digits: never a birth date
    or national id), else a new one."""
    if offered and _ACCEPTABLE_REQUEST_ID.fullmatch(offered) and not _DIGIT_RUN.search(offered):
        return offered
    return new_request_id()


def current_fields() -> dict[str, Any]:
    """The fields bound for the current request or job (a copy)."""
    return dict(_FIELDS.get())


def current_request_id() -> str | None:
    return _FIELDS.get().get("request_id")


def bind(**fields: Any) -> Token:
    """Add `fields` to those bound now; `unbind` with the returned token restores the previous."""
    return _FIELDS.set({**_FIELDS.get(), **fields})


def unbind(token: Token) -> None:
    _FIELDS.reset(token)


@contextlib.contextmanager
def bound(**fields: Any) -> Iterator[None]:
    token = bind(**fields)
    try:
        yield
    finally:
        unbind(token)
