"""A PATCH schema made from its POST schema: the same fields, validators and column limits, none
required and none defaulted, so only the fields given change and a typo is still a 422 naming it.
Written once here so an input's rules are stated once (in the POST schema)."""

from __future__ import annotations

import copy

from velferd.toolkit import ma

from .strict import Strict


def changes_of(schema: type[ma.Schema], name: str, doc: str) -> type[ma.Schema]:
    """`schema`'s fields, each optional and without a default, as a Strict schema called `name`."""
    declared = {}
    for key, field in schema._declared_fields.items():
        copied = copy.copy(field)
        copied.required = False
        copied.load_default = ma.missing
        declared[key] = copied
    return type(name, (Strict,), {**declared, "__doc__": doc, "__module__": schema.__module__})
