"""Overwriting what a row says about a person with neutral values.

The columns are those the model declares personal (``column.info["personal_data"]`` is
``"personal"`` or ``"special"``, velferd.personal_data) — read from the declaration, never
listed here. A neutral value keeps the table's constraints: a nullable column becomes NULL; a
NOT NULL one a fixed placeholder of its type; a column in a unique constraint a placeholder
made unique by the row's id (a person's national id becomes ``X`` and the id, which no
validator accepts as a national id).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from velferd.personal_data import PERSONAL_DATA_KEY

ANONYMISED = "anonymised"
KINDS = ("personal", "special")  # the marks of velferd.personal_data
NEUTRAL_DATE = dt.date(1900, 1, 1)
NEUTRAL_MOMENT = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)


def personal_columns(model: type) -> list[sa.Column]:
    """The columns of `model` declared to hold personal data."""
    return [attribute.columns[0] for attribute in sa.inspect(model).column_attrs
            if attribute.columns[0].info.get(PERSONAL_DATA_KEY) in KINDS]


def _unique_columns(table: sa.Table) -> set[str]:
    names = {column.name for column in table.columns if column.unique}
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint):
            names |= {column.name for column in constraint.columns}
    for index in table.indexes:
        if index.unique:
            names |= {column.name for column in index.columns}
    return names


def neutral_value(column: sa.Column, row_id: int, current: Any, unique: bool) -> Any:
    if column.nullable and not unique:
        return None
    python_type = _python_type(column)
    if python_type is str:
        text = f"X{row_id}" if unique else ANONYMISED
        length = getattr(column.type, "length", None)
        return text[:length] if length else text
    if python_type is dt.datetime:
        return NEUTRAL_MOMENT
    if python_type is dt.date:
        return NEUTRAL_DATE
    if python_type is bool:
        return False
    if python_type in (int, float, Decimal):
        return python_type(row_id if unique else 0)
    if isinstance(current, list):
        return []
    if isinstance(current, dict) or python_type is dict:
        return {}
    return None if column.nullable else current


def _python_type(column: sa.Column) -> type | None:
    try:
        return column.type.python_type
    except NotImplementedError:
        return None


def anonymise_row(row: Any) -> list[str]:
    """Overwrite `row`'s personal columns in place; returns the column names overwritten."""
    model = type(row)
    unique = _unique_columns(model.__table__)
    written = []
    for column in personal_columns(model):
        key = sa.inspect(model).get_property_by_column(column).key
        current = getattr(row, key)
        value = neutral_value(column, row.id, current, column.name in unique)
        if current != value:
            setattr(row, key, value)
            written.append(column.name)
    return written
