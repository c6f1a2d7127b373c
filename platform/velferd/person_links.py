"""Which rows are about a person, declared by the data model: a row is *person-linked* when it is
a `Person`, or has a foreign key to a person-linked table (a case's ``person_id``, a meeting's
``case_id``, a complaint's ``forum_decision_id`` …), found by following the foreign keys, so a
plugin's new table is covered the day it is added. A model can say otherwise with
``__audit_person_link__ = "<column>"`` (the key to follow) or ``None`` (not person-linked).

One declaration for everything that must know whose data a row is: the read audit
(velferd.read_audit), need to know (velferd.need_to_know) and the citizen's exports.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sqlalchemy as sa

from velferd.db import Base
from velferd.models import Person

_UNSET = object()


@dataclass(frozen=True)
class PersonLink:
    """How a model's row leads to a person: its `column` holds the id of a `target` row (None:
    the column is the person's id itself)."""

    column: str
    target: type | None


def audit_name(model: type) -> str:
    """The name audit rows use for a model's records: ``__audit_name__``, else its table."""
    return getattr(model, "__audit_name__", None) or model.__tablename__


def _models_by_table() -> dict[str, type]:
    """Not cached: a plugin imported later adds tables (`person_link` caches its own answers)."""
    return {mapper.local_table.name: mapper.class_ for mapper in Base.registry.mappers}


@functools.cache
def person_link(model: type, _seen: frozenset = frozenset()) -> PersonLink | None:
    """The model's way to a person, or None when its rows are about no one."""
    if model is Person:
        return PersonLink("id", None)
    declared = model.__dict__.get("__audit_person_link__", _UNSET)
    columns = sa.inspect(model).columns
    candidates = [columns[declared]] if isinstance(declared, str) else [] if declared is None else list(columns)
    for column in candidates:
        for key in column.foreign_keys:
            target = _models_by_table().get(key.column.table.name)
            if target is None or target is model or target in _seen:
                continue
            if person_link(target, _seen | {model}) is not None:
                return PersonLink(sa.inspect(model).get_property_by_column(column).key, target)
    return None
