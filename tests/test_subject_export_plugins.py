"""The art. 15 export over the four real programmes and their demo data: for a person each
programme has rows about, the export holds every one of those rows — each plugin's own tables, and
the forms and decisions the programme recorded in the core's (nav_split's demo records only
those) — and no row that leads to anyone else."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import sqlalchemy as sa

from tests.helpers import add_staff
from tests.test_need_to_know_plugins import TOWN_OF, demo_world, persons_reached, plugin_models  # noqa: F401
from velferd.db import db
from velferd.models import Decision, FormSubmission
from velferd.person_links import person_link
from velferd.read_audit import persons_shown
from velferd.tenancy import tenant_scope


#: the core's tables a programme writes its records to (their ``plugin`` column says whose)
CORE_RECORDS = (FormSubmission, Decision)


def rows_about(model, person_id: int, plugin: str) -> set[int]:
    """The ids of `model`'s rows (the programme's, in a core table) that lead to `person_id` (the
    read audit's own tracing)."""
    link = person_link(model)
    column = getattr(model, link.column) if link.target is not None else model.id
    query = sa.select(model.id, column)
    if model in CORE_RECORDS:
        query = query.where(model.plugin == plugin)
    rows = dict(db.session.execute(query).tuples().all())
    shown = persons_shown({model: rows})
    return set(shown.get(person_id, {}).get(model, []))


def rows_about_anyone(model, row_id: int) -> int | None:
    link = person_link(model)
    value = db.session.scalar(sa.select(getattr(model, link.column)).where(model.id == row_id))
    shown = persons_shown({model: {row_id: value}})
    return next(iter(shown), None)


@pytest.mark.parametrize("plugin", sorted(TOWN_OF))
def test_the_export_holds_each_programmes_rows_about_the_person_and_nothing_else(demo_world, plugin):  # noqa: F811
    app, towns = demo_world
    town, _ = towns[plugin]
    if "privacy_officer" not in town.staff:
        add_staff(app, town, "privacy_officer", ["auditor"])
    models = [*plugin_models(plugin), *CORE_RECORDS]
    with app.app_context(), tenant_scope(town.tenant):
        reached = {p: {m for m in models if rows_about(m, p, plugin)} for p in persons_reached(models)}
        person_id = max(reached, key=lambda p: len(reached[p]))  # the one with rows in most tables
        expected = {m.__tablename__: rows_about(m, person_id, plugin) for m in models}
    expected = {table: ids for table, ids in expected.items() if ids}
    assert expected, f"{plugin}'s demo has rows about someone"

    r = app.test_client().get(town.url(f"/persons/{person_id}/export"), headers=town.privacy_officer.headers)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    archive = zipfile.ZipFile(io.BytesIO(r.data))
    manifest = json.loads(archive.read("manifest.json"))
    files = {f["table"]: f for f in manifest["files"]}
    for table, ids in expected.items():
        assert table in files, f"{plugin}: {table} is not in the export"
        exported = json.loads(archive.read(files[table]["file"]))
        exported_ids = {row["id"] for row in exported}
        assert ids <= exported_ids, f"{plugin}: {table} lacks {sorted(ids - exported_ids)}"
        with app.app_context(), tenant_scope(town.tenant):
            model = next(m for m in models if m.__tablename__ == table)
            strangers = {i for i in exported_ids if i not in rows_about(model, person_id, plugin)}
            if model in CORE_RECORDS:  # the person's rows of other programmes are theirs too
                strangers -= {i for i in strangers if rows_about_anyone(model, i) == person_id}
        if table != "dropin_contact":  # dropin adds the anonymous contacts made under the person's code
            assert not strangers, f"{plugin}: {table} rows {sorted(strangers)} are about someone else"
