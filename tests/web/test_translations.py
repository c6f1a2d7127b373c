"""Every string of the pages is in the catalogues, translated into Norwegian and Danish, and the
compiled catalogues the app (and the wheel) use say the same as the ``.po`` files."""

from __future__ import annotations

import io

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from velferd.web.i18n import EXTRACTION_KEYWORDS, LANGUAGES, catalogue_files

WEB = catalogue_files("nb")[0].parents[3]  # platform/velferd/web
#: The same method map as web/babel.cfg (pybabel extract -F …).
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def catalogue(language: str):
    with catalogue_files(language)[0].open("rb") as source:
        return read_po(source, locale=language)


def extracted_ids() -> set:
    """The msgids the pages' code and templates use (plural forms as a pair)."""
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(WEB), METHODS, keywords=EXTRACTION_KEYWORDS):
        ids.add(message if isinstance(message, str) else tuple(message[:2]))
    return ids


def _hashable(text):
    return text if isinstance(text, str) else tuple(text)


def catalogue_ids(language: str) -> set:
    return {_hashable(m.id) for m in catalogue(language) if m.id}


def compiled_messages(data: bytes) -> dict:
    return {_hashable(m.id): _hashable(m.string) for m in read_mo(io.BytesIO(data)) if m.id}


@pytest.mark.parametrize("language", ["nb", "da"])
def test_every_message_is_translated(language):
    untranslated = [m.id for m in catalogue(language) if m.id and (
        not m.string or (not isinstance(m.string, str) and not all(m.string)))]
    assert untranslated == []
    fuzzy = [m.id for m in catalogue(language) if m.id and m.fuzzy]
    assert fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_holds_exactly_the_strings_the_pages_use(language):
    used = extracted_ids()
    assert len(used) > 40  # the extraction found the templates too, not only the Python
    held = catalogue_ids(language)
    assert sorted(map(str, used - held)) == [], "missing from the catalogue: run pybabel extract/update"
    assert sorted(map(str, held - used)) == [], "no longer used: remove from the catalogue"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language):
    po_path, mo_path = catalogue_files(language)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(language))
    expected = compiled_messages(compiled.getvalue())
    assert len(expected) == len(catalogue_ids(language))
    assert compiled_messages(mo_path.read_bytes()) == expected, f"recompile {mo_path.name}: pybabel compile -d platform/velferd/web/translations"


def _placeholders(text: str) -> list[str]:
    return sorted(part.split(")")[0] for part in text.split("%(")[1:])


@pytest.mark.parametrize("language", ["nb", "da"])
def test_a_placeholder_is_kept_in_every_translation(language):
    for m in catalogue(language):
        if not m.id:
            continue
        names = _placeholders(_hashable(m.id)[-1] if m.pluralizable else m.id)
        for translation in (m.string if m.pluralizable else [m.string]):
            assert _placeholders(translation) == names, (language, m.id)
