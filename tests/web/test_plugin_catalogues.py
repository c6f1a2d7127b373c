"""Each plugin's own catalogue (docs/plugins.md, "Texts and translations"): the bundled plugins'
hold exactly the texts they declare and mark (velferd.web.plugin_texts), translated into
Norwegian and Danish; the core merges a plugin's catalogue into the pages' language, its own
wording winning a clash; the declared texts (states, moves, field labels, choices) and
marshmallow's messages show translated on the pages, while the API keeps its English."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
import velferd_aftercare
import velferd_dropin
import velferd_due
import velferd_nav_split
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po
from marshmallow import Schema, fields, validate

from tests.helpers import add_person, open_case
from tests.plugins.example import WORKFLOW, ExamplePlugin
from tests.web.pages import log_in
from velferd.toolkit import WebPages, hookimpl
from velferd.web.i18n import LANGUAGES, catalogue_files
from velferd.web.plugin_texts import catalogue_texts, declared_texts, extracted_texts, kept_texts
from velferd.web.validation_messages import MESSAGES, translated

BUNDLED = {"velferd_due": velferd_due, "velferd_nav_split": velferd_nav_split, "velferd_aftercare": velferd_aftercare,
           "velferd_dropin": velferd_dropin}


# --- the checks, on any plugin's catalogue -------------------------------------------------------

def _key(message) -> tuple:
    msgid = message.id if isinstance(message.id, str) else tuple(message.id[:2])
    return message.context, msgid


def plugin_catalogue(plugin, language: str) -> Catalog:
    with catalogue_files(language, plugin.web.translations)[0].open("rb") as source:
        return read_po(source, locale=language)


def held(plugin, language: str) -> set[tuple]:
    return {_key(m) for m in plugin_catalogue(plugin, language) if m.id}


def catalogue_missing(plugin) -> str | None:
    """Why `plugin` has no catalogue to check, or None."""
    if plugin.web is None or not plugin.web.translations:
        return "declares no WebPages(translations=…)"
    absent = [str(po) for po in (catalogue_files(language, plugin.web.translations)[0] for language in LANGUAGES)
              if not po.exists()]
    return f"has no {', '.join(absent)}" if absent else None


def problems(plugin, package: str | None = None) -> dict[str, list]:
    """Everything wrong with `plugin`'s catalogue, by kind (empty lists: all is well); `package`
    is the plugin's importable package, whose schemas' texts are in use too."""
    needed = catalogue_texts(plugin)
    found: dict[str, list] = {"missing": [], "stale": [], "untranslated": [], "placeholders": [], "compiled": []}
    for language in LANGUAGES:
        catalogue = plugin_catalogue(plugin, language)
        keys = {_key(m) for m in catalogue if m.id}
        found["missing"] += [(language, *key) for key in sorted(needed - keys, key=str)]
        # a reason written as it stands in the plugin's Python, a form only its pages draw: in use
        found["stale"] += [(language, *key) for key in sorted(keys - needed - kept_texts(plugin, package, keys), key=str)]
        for m in catalogue:
            if not m.id:
                continue
            strings = list(m.string) if m.pluralizable else [m.string]
            if language != "en" and (not all(strings) or m.fuzzy):
                found["untranslated"].append((language, *_key(m)))
            names = _placeholders(m.id[-1] if m.pluralizable else m.id)
            if any(_placeholders(text) != names for text in strings if text):
                found["placeholders"].append((language, *_key(m)))
        compiled = io.BytesIO()
        write_mo(compiled, catalogue)
        mo_path = catalogue_files(language, plugin.web.translations)[1]
        if not mo_path.exists() or _compiled(mo_path.read_bytes()) != _compiled(compiled.getvalue()):
            found["compiled"].append(str(mo_path))
    return found


def _placeholders(text: str) -> list[str]:
    return sorted(part.split(")")[0] for part in text.split("%(")[1:])


def _compiled(data: bytes) -> dict:
    return {_key(m): m.string if isinstance(m.string, str) else tuple(m.string)
            for m in read_mo(io.BytesIO(data)) if m.id}


@pytest.mark.parametrize("module", sorted(BUNDLED))
def test_a_bundled_plugin_has_a_complete_translated_catalogue(module):
    plugin = BUNDLED[module].velferd_plugin()
    why = catalogue_missing(plugin)
    assert why is None, (f"{module} {why}: its catalogue (plugins/<plugin>/translations/{{nb,da,en}}/LC_MESSAGES/"
                         "messages.po and .mo) is written with its pages; this fails until it lands")
    found = problems(plugin, module)
    assert found["missing"] == [], f"{module}: declared or marked texts missing from its catalogue"
    assert found["untranslated"] == [], f"{module}: texts not translated into nb/da (or fuzzy)"
    assert found["stale"] == [], f"{module}: entries no longer used: remove them"
    assert found["placeholders"] == [], f"{module}: a translation lost or renamed a %(placeholder)s"
    assert found["compiled"] == [], f"{module}: recompile (pybabel compile -d …/translations)"


# --- a plugin with a catalogue of its own, written here ------------------------------------------

class Review(Schema):
    hours = fields.Integer(required=True, validate=validate.Range(min=1, max=40))
    track = fields.String(required=True, validate=validate.OneOf(("school", "work")),
                          metadata={"description": "What the youth goes on to"})


ASSESS = dataclasses.replace(WORKFLOW.transition("assess"), title="Assess the referral", payload=Review)
REVIEW_WORKFLOW = dataclasses.replace(
    WORKFLOW, transitions=tuple(ASSESS if t.name == "assess" else t for t in WORKFLOW.transitions))

#: The test plugin's Norwegian texts; "Caseload" is also the core's (which must win).
NB = {("state", "referred"): "Henvist", ("state", "assessed"): "Vurdert", (None, "Assess the referral"): "Vurder henvisningen",
      (None, "Hours"): "Timer", (None, "Track"): "Retning", (None, "What the youth goes on to"): "Hva ungdommen går videre til",
      ("choice", "school"): "Skole", ("choice", "work"): "Arbeid", (None, "Example programme"): "Eksempelprogrammet",
      (None, "Caseload"): "Pluginens saksliste",
      (None, "no eligibility decision is recorded for the case"): "ingen vedtak om rett til tiltaket er registrert"}


def write_catalogue(folder: Path, language: str, texts: dict) -> None:
    catalogue = Catalog(locale=language, domain="messages")
    for (context, msgid), text in texts.items():
        catalogue.add(msgid, text, context=context)
    po_path = catalogue_files(language, folder)[0]
    po_path.parent.mkdir(parents=True, exist_ok=True)
    with po_path.open("wb") as target:
        write_po(target, catalogue)


class TranslatedExample(ExamplePlugin):
    """The example plugin with a payload on ``assess`` and its own catalogue (nb only: Danish
    and English fall back to the English msgids)."""

    def __init__(self, translations: Path):
        super().__init__()
        self.translations = translations

    @hookimpl
    def velferd_plugin(self):
        return dataclasses.replace(super().velferd_plugin(), workflow=REVIEW_WORKFLOW,
                                   web=WebPages(translations=str(self.translations)))


@pytest.fixture
def example_plugin(tmp_path):
    folder = tmp_path / "example_translations"
    write_catalogue(folder, "nb", NB)
    return TranslatedExample(folder)


def test_the_plugins_catalogue_is_compiled_at_start(app):
    assert catalogue_files("nb", app.extensions["velferd.plugins"].web["example"].translations)[1].exists()


def test_the_caseload_names_states_and_programmes_from_the_plugins_catalogue(client, bergen):
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    log_in(client, bergen.caseworker.email)
    page = client.get("/t/bergen/cases").get_data(as_text=True)
    row = page.split(f"/t/bergen/cases/{case['id']}")[1].split("</tr>")[0]
    assert "<td>Henvist</td>" in row and "<td>Eksempelprogrammet</td>" in row
    assert "<h1>Saksliste</h1>" in page  # the core's wording wins a clash
    assert "Pluginens saksliste" not in page


def test_the_case_page_draws_the_move_in_nb_and_posts_the_choice_value(client, bergen):
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    log_in(client, bergen.caseworker.email)
    page = client.get(f"/t/bergen/cases/{case['id']}").get_data(as_text=True)
    assert '<h3 id="move-assess-title">Vurder henvisningen</h3>' in page
    assert "Fra Henvist til Vurdert" in page and "<dd>Henvist</dd>" in page  # the states by their titles
    assert ">Timer <span" in page and "Hva ungdommen går videre til" in page
    assert '<option value="work">Arbeid</option>' in page  # shown translated, posted as the value
    r = client.post(f"/t/bergen/cases/{case['id']}/moves/assess", data={"hours": "12", "track": "work"})
    assert r.status_code == 302
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Saken er flyttet: Vurder henvisningen." in page
    journal_entry = page.split('id="journal-title"')[1]
    assert "Henvist" in journal_entry and "Vurdert (Vurder henvisningen)" in journal_entry  # the journal's move too
    journal = client.get(bergen.url(f"/cases/{case['id']}/journal"), headers=bergen.caseworker.headers).json
    assert journal[-1]["data"] == {"hours": 12, "track": "work"}


def test_a_422_page_in_nb_shows_marshmallows_messages_in_norwegian(client, bergen):
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    log_in(client, bergen.caseworker.email)
    r = client.post(f"/t/bergen/cases/{case['id']}/moves/assess", data={"hours": "12a"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    summary = page.split('id="errors"')[1].split("</div>")[0]
    assert "Timer: Må være et helt tall." in summary
    assert "Retning: Feltet må fylles ut." in summary
    assert "Not a valid integer." not in page and "Missing data for required field." not in page
    r = client.post(f"/t/bergen/cases/{case['id']}/moves/assess", data={"hours": "0", "track": "sea"})
    summary = r.get_data(as_text=True).split('id="errors"')[1].split("</div>")[0]
    assert "Timer: Må være mellom 1 og 40." in summary
    assert "Retning: Må være en av: Skole, Arbeid." in summary  # the choices as the form shows them
    assert client.get(bergen.url(f"/cases/{case['id']}"), headers=bergen.caseworker.headers).json["state"] == "referred"


def test_a_guards_refusal_shows_in_nb_from_the_plugins_catalogue(client, bergen):
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    log_in(client, bergen.caseworker.email)
    assert client.post(f"/t/bergen/cases/{case['id']}/moves/assess", data={"hours": "12", "track": "work"}).status_code == 302
    r = client.post(f"/t/bergen/cases/{case['id']}/moves/accept", data={})
    assert r.status_code == 409
    summary = r.get_data(as_text=True).split('id="errors"')[1].split("</div>")[0]
    assert "ingen vedtak om rett til tiltaket er registrert" in summary and 'href="#move-accept"' in summary


def test_the_api_keeps_marshmallows_english(client, bergen):
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    r = client.post(bergen.url(f"/cases/{case['id']}/transitions"), headers=bergen.caseworker.headers,
                    json={"transition": "assess", "data": {"hours": "12a"}})
    assert r.status_code == 422
    assert "Not a valid integer." in str(r.json) and "Missing data for required field." in str(r.json)


def test_danish_falls_back_to_the_english_text_where_the_plugin_has_no_catalogue(client, bergen):
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    log_in(client, bergen.caseworker.email)
    client.post("/language", data={"lang": "da"})
    page = client.get(f"/t/bergen/cases/{case['id']}").get_data(as_text=True)
    assert '<h3 id="move-assess-title">Assess the referral</h3>' in page  # no da catalogue: as declared
    r = client.post(f"/t/bergen/cases/{case['id']}/moves/assess", data={"hours": "12a", "track": "work"})
    assert "Hours: Skal være et helt tal." in r.get_data(as_text=True)  # the core's Danish


def test_a_stranger_gets_404_for_another_towns_case_and_a_role_without_cases_read_403(client, bergen, alta):
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    log_in(client, alta.caseworker.email)
    assert client.get(f"/t/bergen/cases/{case['id']}").status_code == 404
    assert client.post(f"/t/bergen/cases/{case['id']}/moves/assess", data={"hours": "12a"}).status_code == 404
    client.post("/logout")
    log_in(client, bergen.finance.email)
    assert client.post(f"/t/bergen/cases/{case['id']}/moves/assess", data={"hours": "12a"}).status_code == 403


# --- the checks themselves, on a plugin written here --------------------------------------------

def test_the_checks_find_a_missing_an_untranslated_and_a_stale_text(tmp_path):
    folder = tmp_path / "velferd_tiny"
    (folder / "templates").mkdir(parents=True)
    (folder / "templates" / "panel.html").write_text('<p>{{ _("%(count)s waiting", count=n) }}</p>\n')
    (folder / "pages.py").write_text('from velferd.toolkit import gettext\nTITLE = gettext("Waiting list")\n'
                                     'REASON = "no place is free"  # a guard\'s refusal, shown translated\n')
    plugin = dataclasses.replace(TranslatedExample(folder / "translations").velferd_plugin(), forms=(), rules=())
    needed = catalogue_texts(plugin)
    assert {(None, "%(count)s waiting"), (None, "Waiting list"), ("state", "referred"), (None, "Assess the referral"),
            (None, "Hours"), ("choice", "work"), (None, "What the youth goes on to"), (None, "Example programme"),
            (None, "Min age")} <= needed  # the settings' labels too
    assert extracted_texts(folder) == {(None, "%(count)s waiting"), (None, "Waiting list")}
    assert (None, "decline") in declared_texts(plugin)  # a move without a title: its name

    complete = {key: f"[{key[1]}]" for key in needed}
    complete[(None, "%(count)s waiting")] = "%(count)s venter"
    complete[(None, "no place is free")] = "ingen plass er ledig"  # written in its Python: not stale
    for language in LANGUAGES:
        write_catalogue(folder / "translations", language, complete)
        po_path, mo_path = catalogue_files(language, folder / "translations")
        with po_path.open("rb") as source, mo_path.open("wb") as target:
            write_mo(target, read_po(source, locale=language))
    assert catalogue_missing(plugin) is None
    assert problems(plugin) == {"missing": [], "stale": [], "untranslated": [], "placeholders": [], "compiled": []}

    broken = {key: text for key, text in complete.items() if key != ("state", "referred")}
    broken[(None, "Hours")] = ""
    broken[(None, "Gone")] = "Borte"
    broken[(None, "%(count)s waiting")] = "%(antall)s venter"
    write_catalogue(folder / "translations", "nb", broken)
    found = problems(plugin)
    assert found["missing"] == [("nb", "state", "referred")]
    assert found["stale"] == [("nb", None, "Gone")]
    assert found["untranslated"] == [("nb", None, "Hours")]
    assert found["placeholders"] == [("nb", None, "%(count)s waiting")]
    assert found["compiled"] == [str(catalogue_files("nb", folder / "translations")[1])]


def test_a_plugin_without_a_catalogue_is_named_so():
    assert catalogue_missing(ExamplePlugin().velferd_plugin()) == "declares no WebPages(translations=…)"


# --- marshmallow's messages, every one our table knows --------------------------------------------

class Everything(Schema):
    text = fields.String(required=True, validate=validate.Length(max=3))
    short = fields.String(validate=validate.Length(min=2))
    between = fields.String(validate=validate.Length(min=2, max=4))
    exact = fields.String(validate=validate.Length(equal=2))
    code = fields.String(validate=validate.Regexp(r"^\d+$"))
    number = fields.Integer(validate=validate.Range(min=1))
    amount = fields.Decimal(validate=validate.Range(min=0, max=10, max_inclusive=False))
    day = fields.Date()
    flag = fields.Boolean()
    email = fields.Email()
    track = fields.String(validate=validate.OneOf(("school", "work")))
    nothing = fields.String(allow_none=False)
    items = fields.List(fields.String())


def test_every_message_our_schemas_can_produce_is_in_norwegian(app):
    errors = Everything().validate({"text": "long", "short": "x", "between": "x", "exact": "xyz", "code": "a1",
                                    "number": "x", "amount": "10.5", "day": "2026-13-01", "flag": "maybe",
                                    "email": "nobody", "track": "sea", "nothing": None, "items": "a", "extra": 1})
    more = Everything().validate({"number": 0, "amount": "12"})  # Range's other messages, and "required"
    raised = {message for found in (errors, more) for messages in found.values() for message in messages}
    with app.test_request_context("/"):
        from flask import session
        session["lang"] = "nb"
        shown = {message: translated(message) for message in raised}
        assert translated("Must be greater than or equal to 0.5 and less than or equal to 60.") == "Må være mellom 0,5 og 60."
    untranslated = sorted(message for message, text in shown.items() if text == message)
    assert untranslated == []
    assert len(shown) >= 16
    assert shown["Not a valid integer."] == "Må være et helt tall."
    assert shown["Missing data for required field."] == "Feltet må fylles ut."


def test_every_marshmallow_template_in_the_table_becomes_its_msgid():
    """A template read from marshmallow, filled in, is translated back to its own msgid (English
    with no catalogue in the way): the patterns do not swallow one another."""
    for template, msgid in MESSAGES:
        filled = template.replace("{choices}", "a, b").replace("{min}", "1").replace("{max}", "5").replace("{equal}", "3")
        expected = msgid % {"choices": "a, b", "min": "1", "max": "5", "equal": "3"}
        assert translated(filled) == expected, template
