"""Every column that holds personal data is declared on its model (velferd.personal_data), so the
citizen's export, retention's anonymisation and the log scan read one declaration.

The check that keeps it so: a model whose rows lead to a person (velferd.read_audit's
`person_link`: the core's and the bundled plugins') says of each of its text and JSON columns
either that it is personal (``info=PERSONAL`` / ``info=SPECIAL``) or that it is not
(``__not_personal__``). A new table or column that says neither fails here, naming it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
import velferd_aftercare  # noqa: F401  (their models, mapped on import)
import velferd_dropin  # noqa: F401
import velferd_due  # noqa: F401
import velferd_nav_split  # noqa: F401

from tests.log_scan import remembered_values
from velferd.db import Base
from velferd.models import CaseEvent, Decision, Invitation, Meeting, Person, User
from velferd.personal_data import (
    PERSONAL,
    declared_columns,
    not_personal,
    personal_models,
    strings_in,
    undeclared_columns,
    wrongly_listed_columns,
)
from velferd.read_audit import person_link


def shipped_models() -> list[type]:
    """The core's and the bundled plugins' models (a test module's own plugins are not shipped)."""
    return sorted((m.class_ for m in Base.registry.mappers if m.class_.__module__.startswith("velferd")),
                  key=lambda m: m.__tablename__)


PERSON_LINKED = [m for m in shipped_models() if person_link(m) is not None]


def test_the_bundled_plugins_person_linked_tables_are_checked():
    tables = {m.__tablename__ for m in PERSON_LINKED}
    assert {"person", "case_file", "case_event", "meeting", "decision", "form_submission", "invoice_line",
            "due_referral", "nav_split_forum_decision", "aftercare_stay", "dropin_contact"} <= tables


@pytest.mark.parametrize("model", PERSON_LINKED, ids=lambda m: m.__tablename__)
def test_every_text_and_json_column_of_a_person_linked_model_is_declared_one_way_or_the_other(model):
    missing = undeclared_columns(model)
    assert not missing, (
        f"{model.__module__}.{model.__name__} ({model.__tablename__}) has text/JSON columns {missing} that are "
        "neither marked info=PERSONAL / info=SPECIAL nor listed in its __not_personal__ (velferd.personal_data)")
    assert not wrongly_listed_columns(model), (
        f"{model.__name__}.__not_personal__ names {wrongly_listed_columns(model)}: no such column, or one marked personal")


def test_a_new_table_that_forgets_is_named():
    """The check is not vacuous: a plugin's table about a case with a free-text note and no word on it."""
    metadata = sa.MetaData()
    sa.Table("case_file", metadata, sa.Column("id", sa.Integer, primary_key=True))

    class Scratch(sa.orm.DeclarativeBase):
        pass

    class Note(Scratch):
        __tablename__ = "forgetful_note"
        id = sa.orm.mapped_column(sa.Integer, primary_key=True)
        note = sa.orm.mapped_column(sa.Text)
        kind = sa.orm.mapped_column(sa.String(20))
        name = sa.orm.mapped_column(sa.String(200), info=PERSONAL)
        __not_personal__ = ("kind", "colour")

    assert undeclared_columns(Note) == ["note"]
    assert wrongly_listed_columns(Note) == ["colour"]
    assert declared_columns(Note) == {"name": "personal"}


def test_what_the_core_declares():
    assert {"national_id": "personal", "birth_date": "personal", "given_name": "personal",
            "family_name": "personal"}.items() <= declared_columns(Person).items()
    assert declared_columns(CaseEvent) == {"text": "special", "data": "special"}
    assert declared_columns(Meeting) == {"place": "personal", "minutes": "special", "participants": "special"}
    assert declared_columns(Decision) == {"inputs": "special", "reasons": "special", "override_reason": "special"}
    assert "kind" in not_personal(CaseEvent)
    # staff: names and e-mail addresses are personal data too, though no citizen's
    assert declared_columns(User) == {"email": "personal", "name": "personal"}
    assert declared_columns(Invitation) == {"email": "personal", "name": "personal"}


def test_personal_models_are_every_model_with_a_declared_column():
    models = set(personal_models())
    assert {Person, CaseEvent, Meeting, User, Invitation} <= models
    assert all(declared_columns(m) for m in models)
    assert velferd_due.models.Referral in models and velferd_dropin.contact_models.Contact in models


def test_strings_in_a_json_value_are_found_at_any_depth():
    assert strings_in({"a": ["Kari", {"b": "Holm"}], "n": 3}) == ["Kari", "Holm"]


def test_the_log_scan_looks_for_the_declared_values_of_a_row():
    """tests/log_scan.py reads the declaration: a person's id, name and address, a journal note."""
    person = Person(national_id="01019012345", given_name="Kari", family_name="Holm", address="Strandgaten 12")
    ids, names = remembered_values(person)
    assert ids == {"01019012345"}
    assert {"Kari Holm", "Strandgaten 12"} <= names
    assert "Kari" not in names  # too short to search alone; with the family name it is
    note = CaseEvent(kind="note", text="Talked about the new school.")
    assert remembered_values(note) == (set(), {"Talked about the new school."})
