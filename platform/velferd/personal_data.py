"""Which columns hold personal data, declared on the model, so that the citizen's export, the
anonymisation of retention and the log scanner read one declaration instead of hand-kept lists.

A column is marked in its ``mapped_column(..., info=PERSONAL)`` (personal data, GDPR art. 4) or
``info=SPECIAL`` (a special category, art. 9: health, substance use, child welfare — most free
text a caseworker writes about a citizen). A column without a mark holds none.

Forgetting a mark is what the declaration must make hard, so a model whose rows lead to a person
(`velferd.read_audit.person_link`) says of each of its text and JSON columns either that it is
personal (the mark) or that it is not: ``__not_personal__ = ("plugin", "state", …)`` names the
columns that hold only codes, states and the platform's own vocabulary. A text or JSON column in
neither is *undeclared* (`undeclared_columns`), and tests/test_personal_data.py fails on it, so a
plugin's new table, or a new column, cannot be added without someone deciding. The list is on the
model, beside the columns, where the person adding one sees it; an allow-list elsewhere would be
a second place to forget.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from typing import Any

import sqlalchemy as sa

from velferd.db import Base

PERSONAL_DATA_KEY = "personal_data"
#: art. 4: identifies or describes a person (name, national id, contact, birth date)
PERSONAL = {PERSONAL_DATA_KEY: "personal"}
#: art. 9: special categories — health, substance use, child welfare, a caseworker's notes
SPECIAL = {PERSONAL_DATA_KEY: "special"}
KINDS = ("personal", "special")
#: the column types a person's data can hide in unnoticed: free text and JSON
TEXT_TYPES = (sa.String, sa.JSON)
NOT_PERSONAL_ATTRIBUTE = "__not_personal__"


def declared_columns(model: type) -> dict[str, str]:
    """Column key → ``"personal"`` or ``"special"``, for each column of `model` that is marked,
    in the model's column order."""
    declared = {}
    for attribute in sa.inspect(model).column_attrs:
        kind = attribute.columns[0].info.get(PERSONAL_DATA_KEY)
        if kind is not None:
            declared[attribute.key] = kind
    return declared


def not_personal(model: type) -> frozenset[str]:
    """The column keys `model` says hold no personal data (``__not_personal__``)."""
    return frozenset(getattr(model, NOT_PERSONAL_ATTRIBUTE, ()))


def text_columns(model: type) -> list[str]:
    """The keys of `model`'s free-text and JSON columns (where personal data can hide)."""
    return [a.key for a in sa.inspect(model).column_attrs if isinstance(a.columns[0].type, TEXT_TYPES)]


def undeclared_columns(model: type) -> list[str]:
    """Text and JSON columns of `model` neither marked nor listed in ``__not_personal__``."""
    declared, listed = declared_columns(model), not_personal(model)
    return [key for key in text_columns(model) if key not in declared and key not in listed]


def wrongly_listed_columns(model: type) -> list[str]:
    """Names in ``__not_personal__`` that are no column of `model`, or are marked personal too."""
    keys = {a.key for a in sa.inspect(model).column_attrs}
    declared = declared_columns(model)
    return sorted(name for name in not_personal(model) if name not in keys or name in declared)


def mapped_models() -> list[type]:
    """Every mapped model, core and plugins (those imported so far), by table name."""
    return sorted((mapper.class_ for mapper in Base.registry.mappers), key=lambda m: m.__tablename__)


def personal_models() -> list[type]:
    """Every mapped model with at least one declared column."""
    return [model for model in mapped_models() if declared_columns(model)]


def personal_values(row: Any) -> dict[str, Any]:
    """The values of `row`'s declared columns (None left out), keyed by column."""
    values = {key: getattr(row, key) for key in declared_columns(type(row))}
    return {key: value for key, value in values.items() if value is not None}


def strings_in(value: Any) -> list[str]:
    """Every string in a column's value: the value itself, or each one nested in its JSON."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings_in(v)]
    return []


#: on the session while a retention disposal anonymises rows: history that is otherwise never
#: changed (a person's corrections, velferd.people) may then lose its personal values
ANONYMISING_KEY = "velferd.anonymising"


@contextlib.contextmanager
def anonymising(session) -> Iterator[None]:
    """Mark `session` as anonymising for a block (velferd.retention's disposal): a guard that
    keeps history unchanged lets the personal values go, and nothing else."""
    session.info[ANONYMISING_KEY] = True
    try:
        yield
    finally:
        session.info.pop(ANONYMISING_KEY, None)


def is_anonymising(session) -> bool:
    return bool(session.info.get(ANONYMISING_KEY))
