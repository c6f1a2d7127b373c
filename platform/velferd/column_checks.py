"""Every value is checked against its column before it is flushed, so the database never
sees one it would refuse — and SQLite, which refuses almost nothing, gets the same answer as
PostgreSQL: a 422 naming the field, not a 500 there and a silently stored value here.

The column is the one source of truth: `String(n)` bounds the length (a single line, no
control characters), `Text` is free text (tabs and line breaks allowed), `JSON` holds only
finite numbers and safe strings (velferd.input_rules), integers fit their column, `Numeric(p,
s)` has at most p - s digits before the point, and a timestamp must be expressible in UTC
(``9999-12-31T23:59:59-05:00`` is not). The check runs for every mapped class, core and
plugin alike, whatever schema (or none) let the value in.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any, Iterator

import sqlalchemy as sa
from sqlalchemy.orm import Session

from velferd.db import TenantSession
from velferd.errors import ValidationFailed
from velferd.input_rules import json_problems, text_problem

_INTEGER_LIMITS = {sa.SmallInteger: 2**15 - 1, sa.BigInteger: 2**63 - 1, sa.Integer: 2**31 - 1}


def value_problems(column: sa.Column, key: str, value: Any) -> Iterator[tuple[str, str]]:
    """(field, reason) for each way `value` does not fit `column` (nothing when it fits)."""
    if value is None:
        return
    kind = column.type
    if isinstance(kind, sa.JSON):
        yield from json_problems(value, key)
    elif isinstance(value, str):
        length = getattr(kind, "length", None)
        if length is not None and len(value) > length:
            yield key, f"is too long: at most {length} characters, not {len(value)}"
        if problem := text_problem(value, multiline=length is None):
            yield key, problem
    elif isinstance(value, bool):
        return
    elif isinstance(value, int) and isinstance(kind, sa.Integer):
        limit = next(limit for cls, limit in _INTEGER_LIMITS.items() if isinstance(kind, cls))
        if not -limit - 1 <= value <= limit:
            yield key, f"is out of range: at most {limit}"
    elif isinstance(value, (Decimal, int)) and isinstance(kind, sa.Numeric):
        yield from _numeric_problems(kind, key, Decimal(value))
    elif isinstance(value, dt.datetime) and value.tzinfo is not None:
        try:
            value.astimezone(dt.timezone.utc)
        except OverflowError:
            yield key, "is out of range: it has no UTC time between the years 1 and 9999"


def _numeric_problems(kind: sa.Numeric, key: str, value: Decimal) -> Iterator[tuple[str, str]]:
    if not value.is_finite():
        yield key, "is not a finite number"
    elif kind.precision is not None:
        whole_digits = kind.precision - (kind.scale or 0)
        if abs(value) >= Decimal(10) ** whole_digits:
            yield key, f"is out of range: at most {whole_digits} digits before the decimal point"


def _changed_values(session: Session) -> Iterator[tuple[sa.Column, str, Any]]:
    for instance in itertools.chain(session.new, session.dirty):
        state = sa.inspect(instance)
        for attr in state.mapper.column_attrs:
            if attr.key not in state.dict:  # not loaded, so not changed
                continue
            if not state.pending and not state.attrs[attr.key].history.added:
                continue
            yield attr.columns[0], attr.key, state.dict[attr.key]


@sa.event.listens_for(TenantSession, "before_flush")
def refuse_values_the_columns_cannot_hold(session: Session, flush_context, instances) -> None:
    fields: dict[str, list[str]] = {}
    for column, key, value in _changed_values(session):
        for field, reason in value_problems(column, key, value):
            fields.setdefault(field, []).append(reason)
    if fields:
        first = next(iter(fields))
        raise ValidationFailed(f"{first} {fields[first][0]}" + (" (and more)" if len(fields) > 1 else ""), fields)
