"""Counting the round trips this process makes to PostgreSQL: for tests/test_round_trips.py and
bench/bench_cases.py alike.

Each message the process sends and waits for is one of: a psycopg cursor execute (a statement, a
pool's ping), a command psycopg sends itself (the BEGIN before a transaction's first statement,
COMMIT, ROLLBACK), or a transaction start velferd sends (`velferd.driver_sql.begin_with`: BEGIN with
the RLS setting in one message). `RoundTripCounter` wraps those three functions — wraps, not
replaces: every message still reaches the real server — and notes each call while counting.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from typing import Iterator


class RoundTripCounter:
    """Installed on creation; `uninstall` puts the three functions back."""

    def __init__(self) -> None:
        import psycopg

        from velferd import driver_sql

        self.sent: list[str] | None = None
        self._replaced: list[tuple[object, str, object]] = []
        self._wrap(psycopg.Cursor, "execute", lambda args: args[1])
        self._wrap(psycopg.Connection, "_exec_command", lambda args: args[1])
        self._wrap(driver_sql, "begin_with", lambda args: f"BEGIN; {args[1]}")

    def _wrap(self, owner, name: str, text_of) -> None:
        real = getattr(owner, name)
        counter = self

        @functools.wraps(real)
        def counted(*args, **kwargs):
            if counter.sent is not None:
                counter.sent.append(shown(text_of(args)))
            return real(*args, **kwargs)

        self._replaced.append((owner, name, real))
        setattr(owner, name, counted)

    def uninstall(self) -> None:
        for owner, name, real in reversed(self._replaced):
            setattr(owner, name, real)
        self._replaced.clear()

    @contextmanager
    def counting(self) -> Iterator[list[str]]:
        """The messages sent inside the block, one entry each, in order."""
        self.sent = []
        try:
            yield self.sent
        finally:
            self.sent = None


def shown(query) -> str:
    """A message's text on one line, cut to 110 characters."""
    text = query.decode() if isinstance(query, bytes) else str(query)
    return " ".join(text.split())[:110]
