"""Dumping many objects through a schema with less of marshmallow's per-field machinery.

A page of 50 cases is 650 field values. For each, marshmallow's ``Field.serialize`` goes through
the schema's accessor and ``Field.get_value`` before it calls the field's ``_serialize`` — the
method every marshmallow field type implements, where a value becomes JSON. That path was 40 % of
dumping a page. `QuickDump` replaces only the schema's loop over its fields (``Schema._serialize``):
it looks each value up once, as marshmallow's ``get_value`` does (an item of a mapping, else an
attribute; a dotted attribute step by step), applies ``dump_default`` and leaves out a missing
value as marshmallow does, and calls the same ``_serialize``. Dump hooks, ``only``/``exclude`` and
``many`` stay marshmallow's (``Schema.dump`` is not touched), and a field or schema that changes
how values are read (its own ``serialize``, ``get_value`` or ``get_attribute``) is dumped the
usual way. The schema stays the one description of the output and of the OpenAPI document.
tests/test_quick_dump.py checks the output is marshmallow's, key for key and in order.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow.utils import missing

_PLAN_KEY = "_velferd_quick_fields"


class QuickDump(ma.Schema):
    """A schema that serializes each object with marshmallow's fields, but not its look-ups."""

    def _serialize(self, obj: Any, *, many: bool = False):
        if many and obj is not None:
            return [self._serialize(each, many=False) for each in obj]
        plan = self.__dict__.get(_PLAN_KEY)
        if plan is None:
            plan = self.__dict__[_PLAN_KEY] = _plan(self)
        out = self.dict_class()
        for key, attribute, name, field, quick in plan:
            if not quick:
                value = field.serialize(name, obj, accessor=self.get_attribute)
            elif field._CHECK_ATTRIBUTE:
                value = _value(obj, attribute)
                if value is missing:
                    default = field.dump_default
                    value = default() if callable(default) else default
                    if value is missing:
                        continue
                value = field._serialize(value, name, obj)
            else:
                value = field._serialize(None, name, obj)  # a Function or Method field
            if value is not missing:
                out[key] = value
        return out


def _plan(schema: ma.Schema) -> tuple[tuple[str, str, str, ma.fields.Field, bool], ...]:
    """Per dump field: its key in the output, the attribute it reads, its name, the field, and
    whether its value may be read here rather than by marshmallow's accessors."""
    schema_reads_as_usual = type(schema).get_attribute is ma.Schema.get_attribute
    plan = []
    for name, field in schema.dump_fields.items():
        kind = type(field)
        quick = (schema_reads_as_usual and kind.serialize is ma.fields.Field.serialize
                 and kind.get_value is ma.fields.Field.get_value)
        plan.append((field.data_key if field.data_key is not None else name, field.attribute or name, name,
                     field, quick))
    return tuple(plan)


def _value(obj: Any, attribute: str) -> Any:
    """marshmallow's ``utils.get_value``: each step an item of a mapping, else an attribute."""
    for key in attribute.split(".") if "." in attribute else (attribute,):
        if not hasattr(obj, "__getitem__"):
            obj = getattr(obj, key, missing)
        else:
            try:
                obj = obj[key]
            except (KeyError, IndexError, TypeError, AttributeError):
                obj = getattr(obj, key, missing)
    return obj
