"""Marshmallow fields and field rules the API's input schemas share."""

from __future__ import annotations

import datetime as dt
from typing import Callable, TypeVar

import marshmallow as ma
import sqlalchemy as sa
from marshmallow import fields, validate

S = TypeVar("S", bound=type)


class UtcDateTime(fields.AwareDateTime):
    """A timestamp with its zone, loaded as UTC (how it is stored). One that has no UTC time
    within years 1-9999 (``9999-12-31T23:59:59-05:00``) is a 422 naming the field, not an
    overflow when it is written."""

    def _deserialize(self, value, attr, data, **kwargs) -> dt.datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            return moment.astimezone(dt.timezone.utc)
        except OverflowError:
            raise ma.ValidationError("is out of range: it has no UTC time between the years 1 and 9999") from None


#: Fields stored normalised (``"010180 12345"`` → 11 digits): what is typed may be longer than
#: the column, and their own validation says what is wrong more precisely than a length would.
NORMALISED_FIELDS = frozenset({"national_id", "organisation_number", "ehf_endpoint"})


def column_limits(model: type) -> Callable[[type[S]], type[S]]:
    """Class decorator for an input schema: each string field bound to a ``String(n)`` column
    of `model` (same name, or the field's ``attribute``) gets ``Length(max=n)`` unless it
    already has a tighter one — so the limit is the column's, stated once, refused as a 422
    naming the field, and shown as ``maxLength`` in the OpenAPI document. (The flush check in
    velferd.column_checks enforces the same limits for values that come in another way.)"""

    def apply(schema: type[S]) -> type[S]:
        columns = sa.inspect(model).columns
        for name, field in schema._declared_fields.items():
            if name in NORMALISED_FIELDS:
                continue
            column = columns.get(field.attribute or name)
            limit = getattr(column.type, "length", None) if column is not None else None
            if limit is None or not isinstance(field, fields.String):
                continue
            if not any(isinstance(v, validate.Length) and v.max is not None and v.max <= limit
                       for v in field.validators):
                field.validators.append(validate.Length(max=limit))
        return schema

    return apply
