"""Marshmallow fields the API's input schemas share."""

from __future__ import annotations

import datetime as dt

import marshmallow as ma
from marshmallow import fields


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
