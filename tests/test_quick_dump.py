"""`QuickDump` gives marshmallow's own output (velferd.api.quick_dump): the same keys, in the same
order, with the same values — compared with marshmallow's ``Schema._serialize`` on the same schema
instance, for made-up objects that reach every branch and for the API's real cases and persons."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import marshmallow as ma
import pytest
import sqlalchemy as sa
from marshmallow import fields

from tests.helpers import add_person, open_case
from velferd.api import person_schemas, schemas
from velferd.api.quick_dump import QuickDump
from velferd.cases import list_cases
from velferd.db import db
from velferd.models import Person
from velferd.tenancy import tenant_scope


def marshmallows_own(schema: ma.Schema, obj, many: bool = False):
    return ma.Schema._serialize(schema, obj, many=many)


class Upper(fields.String):
    """A field with its own ``serialize``: read the usual way."""

    def serialize(self, attr, obj, accessor=None, **kwargs):
        return super().serialize(attr, obj, accessor, **kwargs).upper()


class Inner(QuickDump):
    n = fields.Integer()


class Everything(QuickDump):
    id = fields.Integer()
    name = fields.String(data_key="displayName")
    renamed = fields.String(attribute="original")
    dotted = fields.Integer(attribute="inner.n")
    absent = fields.String()
    defaulted = fields.String(dump_default="fallback")
    called_default = fields.Integer(dump_default=lambda: 7)
    when = fields.AwareDateTime(allow_none=True)
    computed = fields.Function(lambda obj: f"#{obj['id'] if isinstance(obj, dict) else obj.id}")
    method = fields.Method("twice")
    shouted = Upper()
    inner = fields.Nested(Inner, allow_none=True)
    inners = fields.List(fields.Nested(Inner))
    tags = fields.List(fields.String())
    secret = fields.String(load_only=True)

    def twice(self, obj):
        return 2 * (obj["id"] if isinstance(obj, dict) else obj.id)


WHEN = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.timezone.utc)


def made_up_objects():
    full = dict(id=1, name="Kari", original="o", inner=SimpleNamespace(n=5), when=WHEN, shouted="hei",
                inners=[SimpleNamespace(n=1), {"n": 2}], tags=["a", "b"], secret="never", absent="here")
    sparse = dict(id=2, name=None, original=None, inner=None, when=None, shouted="x", inners=[], tags=[])
    yield SimpleNamespace(**full)
    yield SimpleNamespace(**sparse)
    yield full  # a mapping: items, not attributes
    yield sparse


@pytest.mark.parametrize("obj", list(made_up_objects()), ids=["object", "sparse object", "dict", "sparse dict"])
def test_every_kind_of_field_gives_marshmallows_output_in_its_order(obj):
    schema = Everything()
    ours, theirs = schema.dump(obj), marshmallows_own(schema, obj)
    assert ours == theirs
    assert list(ours) == list(theirs)
    assert "secret" not in ours  # load_only stays out
    assert ("absent" in ours) == ("absent" in theirs)


def test_many_only_and_exclude_are_marshmallows():
    objects = list(made_up_objects())
    assert Everything(many=True).dump(objects) == marshmallows_own(Everything(), objects, many=True)
    narrowed = Everything(only=("id", "computed"))
    assert narrowed.dump(objects[0]) == {"id": 1, "computed": "#1"}
    assert list(Everything(exclude=("name",)).dump(objects[0])) == list(marshmallows_own(
        Everything(exclude=("name",)), objects[0]))


def test_the_apis_cases_and_persons_dump_as_marshmallow_dumps_them(app, client, bergen):
    for _ in range(3):
        person = add_person(client, bergen)
        open_case(client, bergen, person["id"])
        open_case(client, bergen, person["id"], assigned_to_id=bergen.caseworker.user_id)
    quick_schemas = [cls for module in (schemas, person_schemas) for cls in vars(module).values()
                     if isinstance(cls, type) and issubclass(cls, QuickDump) and cls is not QuickDump]
    assert schemas.CaseSchema in quick_schemas and schemas.CasePageSchema in quick_schemas
    with app.app_context(), tenant_scope(bergen.tenant):
        page = list_cases(limit=50)
        persons = db.session.scalars(sa.select(Person)).all()
        for schema, obj in [(schemas.CaseSchema(), page[0]), (schemas.CaseDetailSchema(), page[-1]),
                            (schemas.CasePageSchema(), {"items": page, "next_after_id": None})]:
            assert schema.dump(obj) == marshmallows_own(schema, obj)
        person_out = next(cls for cls in quick_schemas if cls.__name__ == "PersonSchema")()
        for person in persons:
            assert person_out.dump(person) == marshmallows_own(person_out, person)
