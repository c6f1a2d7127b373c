"""Statements built once per process, and the options the session's listeners add to them, once too.

Every ORM statement gets the tenant's criteria (velferd.tenancy) and, for a member, need to
know's (velferd.need_to_know) as options in ``do_orm_execute``. Adding an option makes a new
statement, whose cache key SQLAlchemy then computes by walking the whole statement and its
options — on every execution. For the queries every request makes (a case by id, a page of
cases) that walk, and building the statement itself, were a third of the query's time in
Python. So those statements are built once with bound parameters (`prebuilt`), and for a
prebuilt statement `with_option` keeps the statement-with-option it made, so its cache key is
computed once (SQLAlchemy memoizes it on the object) and every later execution skips the walk.

This is safe because every value in these statements and options is a bound parameter read at
execution — the tenant, the member's scope and the moment are ``bindparam(callable_=…)``, the
query's own values are parameters passed to ``execute`` — never a value frozen into the
statement. Only statements marked `prebuilt` are kept (a bounded set: module constants), never
one built per request.
"""

from __future__ import annotations

import threading
from typing import Any, TypeVar

from sqlalchemy.sql import Executable

S = TypeVar("S", bound=Executable)

MARK = "velferd_prebuilt"
_with_options: dict[tuple[Any, Any], Any] = {}
_lock = threading.Lock()


def prebuilt(statement: S) -> S:
    """Mark `statement` as a constant of the process: executed with parameters, never changed."""
    return statement.execution_options(**{MARK: True})


def is_prebuilt(statement: Any) -> bool:
    return bool(getattr(statement, "get_execution_options", None) and statement.get_execution_options().get(MARK))


def with_option(statement: S, option: Any) -> S:
    """``statement.options(option)``, made once per pair for a prebuilt statement (the result is
    prebuilt too, so the next listener's option is kept the same way)."""
    if not is_prebuilt(statement):
        return statement.options(option)
    key = (statement, option)
    found = _with_options.get(key)
    if found is None:
        with _lock:
            found = _with_options.setdefault(key, statement.options(option))
    return found
