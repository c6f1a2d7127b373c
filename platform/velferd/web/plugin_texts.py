"""The texts a plugin's catalogue must hold (docs/plugins.md, "Texts and translations").

Two kinds, keyed as a catalogue keys them, ``(context or None, msgid)`` (a plural's msgid the
pair ``(singular, plural)``):

- `declared_texts`: the English the plugin *declares* as data and the core draws on its pages,
  looking it up in the catalogues: each workflow state (context "state"), each move's title,
  the manifest's title and description, the titles of forms, rules, menu entries, case panels
  and dashboard widgets, and for every schema those draw (a move's payload, a form, a rule's
  inputs, the settings) each field's label and hint and each choice (context "choice"), as
  velferd.web.form_fields draws them;
- `extracted_texts`: what the plugin's own templates and Python mark with ``_()``, ``gettext``,
  ``lazy_gettext``, ``ngettext``, ``pgettext`` or the no-op marker ``N_`` (for a fixed text the
  core shows as written: a ``ValidationError``'s or a guard's message), found as ``pybabel
  extract`` finds them.

tests/web/test_plugin_catalogues.py compares both with each bundled plugin's catalogue: each must
be there, and an entry that is neither must at least be written in the plugin's Python as it
stands (`source_strings`: a fixed reason or refusal the plugin shows translated) or be a text of
one of its schemas (`defined_schema_texts`: a form only its pages draw), else it is stale.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import sys
from collections.abc import Iterator
from pathlib import Path

import marshmallow as ma
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po
from marshmallow import fields

from velferd.plugins.specs import Plugin
from velferd.web.form_fields import choices_of, label_of
from velferd.web.i18n import EXTRACTION_KEYWORDS

Text = tuple[str | None, str | tuple[str, str]]

#: The method map of ``pybabel extract`` for a plugin's folder (as web/babel.cfg for the core).
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
#: Folders of a plugin that are not its pages' code (its Alembic revisions, caches).
SKIPPED = ("migrations", "__pycache__", "translations")


def _schema_of(field: fields.Nested) -> ma.Schema:
    return field.schema if isinstance(field.schema, ma.Schema) else field.nested()


def schema_texts(schema: type[ma.Schema] | ma.Schema | None) -> set[Text]:
    """Each field's label and hint and each choice of `schema`, nested schemas opened."""
    if schema is None:
        return set()
    instance = schema() if isinstance(schema, type) else schema
    texts: set[Text] = set()
    for name, field in instance.fields.items():
        if field.dump_only:
            continue
        texts.add((None, label_of(field.data_key or name, field)))
        if field.metadata.get("description"):
            texts.add((None, field.metadata["description"]))
        inner = field.inner if isinstance(field, fields.List) else field
        texts.update(("choice", choice) for choice in choices_of(inner))
        if isinstance(inner, fields.Nested):
            texts.update(schema_texts(_schema_of(inner)))
    return texts


def _titled(*titles: str) -> set[Text]:
    return {(None, title) for title in titles if title}


def declared_texts(plugin: Plugin) -> set[Text]:
    """The English texts `plugin` declares and the core looks up in its catalogue."""
    manifest = plugin.manifest
    texts = _titled(manifest.title, manifest.description) | schema_texts(manifest.settings_schema)
    if plugin.workflow is not None:
        texts.update(("state", state) for state in plugin.workflow.states)
        for transition in plugin.workflow.transitions:
            texts |= _titled(transition.title or transition.name) | schema_texts(transition.payload)
    for form in plugin.forms:
        texts |= _titled(form.title) | schema_texts(form.schema)
    for rule in plugin.rules:
        texts |= _titled(rule.title) | schema_texts(rule.inputs_schema)
    if plugin.web is not None:
        texts |= _titled(*(link.title for link in plugin.web.menu),
                         *(panel.title for panel in plugin.web.case_panels),
                         *(widget.title for widget in plugin.web.dashboard_widgets))
    return texts


def _skipped(filename: str) -> bool:
    return any(part in SKIPPED for part in Path(filename).parts)


def _messages(folder: Path) -> Iterator[tuple[str | None, str | tuple[str, str]]]:
    for filename, _line, message, _comments, context in extract_from_dir(str(folder), METHODS, keywords=EXTRACTION_KEYWORDS):
        if _skipped(filename):
            continue
        yield context, message if isinstance(message, str) else tuple(message[:2])


def extracted_texts(folder: Path | str) -> set[Text]:
    """The texts marked for translation in the templates and Python under `folder` (a plugin's
    package), its migrations left out."""
    return set(_messages(Path(folder)))


def source_strings(folder: Path | str) -> set[str]:
    """Every string literal in the Python under `folder` (its migrations aside). A text the
    plugin shows as it is written and translates without a marker (an Outcome's reason, a guard's
    refusal, a choice of a schema only its own pages draw) is one of these, so a catalogue entry
    found here is still in use; one found nowhere is stale."""
    found: set[str] = set()
    for path in Path(folder).rglob("*.py"):
        if _skipped(str(path.relative_to(folder))):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found.update(node.value for node in ast.walk(tree)
                     if isinstance(node, ast.Constant) and isinstance(node.value, str))
    return found


def defined_schema_texts(package: str) -> set[Text]:
    """The labels, hints and choices of every marshmallow schema defined in the modules of
    `package` (a plugin's, e.g. ``velferd_due``), its migrations aside: a schema only the
    plugin's own pages draw (a filter, a page's form) is not declared anywhere, so its texts in
    the catalogue are in use though `declared_texts` cannot name them."""
    root = importlib.import_module(package)
    names = [package] + [info.name for info in pkgutil.walk_packages(root.__path__, f"{package}.")
                         if not _skipped(info.name.replace(".", "/"))]
    texts: set[Text] = set()
    for name in names:
        for value in vars(importlib.import_module(name)).values():
            if isinstance(value, type) and issubclass(value, ma.Schema) and value.__module__.startswith(package):
                texts |= schema_texts(value)
    return texts


def plugin_folder(plugin: Plugin) -> Path | None:
    """The plugin's package folder: the parent of its catalogue folder (the convention puts it
    at ``Path(__file__).parent / "translations"``), None for a plugin without a catalogue."""
    if plugin.web is None or not plugin.web.translations:
        return None
    return Path(plugin.web.translations).parent


def catalogue_texts(plugin: Plugin) -> set[Text]:
    """Everything `plugin`'s catalogue must hold: its declared and its extracted texts."""
    folder = plugin_folder(plugin)
    return declared_texts(plugin) | (extracted_texts(folder) if folder is not None else set())


def kept_texts(plugin: Plugin, package: str | None, held: set[Text]) -> set[Text]:
    """Of a catalogue's entries `held`, those in use though neither declared nor marked: written
    as they stand in the plugin's Python (`source_strings`) or texts of one of the schemas of its
    importable `package` (`defined_schema_texts`; None: none looked at)."""
    folder = plugin_folder(plugin)
    written = source_strings(folder) if folder is not None else set()
    drawn = defined_schema_texts(package) if package else set()
    return {key for key in held if key in drawn or (key[1] if isinstance(key[1], str) else key[1][0]) in written}


def held_texts(catalogue: Catalog) -> set[Text]:
    """A catalogue's entries, keyed as `catalogue_texts` keys them."""
    return {(m.context, m.id if isinstance(m.id, str) else tuple(m.id[:2])) for m in catalogue if m.id}


def catalogue_template(plugin: Plugin, package: str | None = None, catalogue: Path | str | None = None) -> Catalog:
    """A ``.pot`` for ``pybabel update`` (make catalogues): everything `plugin`'s catalogue must
    hold, and the entries its Norwegian catalogue (in the folder `catalogue`, else the declared
    one) has that are still in use (`kept_texts`), so an update does not drop a reason the
    plugin shows as written."""
    texts = catalogue_texts(plugin)
    folder = catalogue or (plugin.web.translations if plugin.web is not None else None)
    po_path = Path(folder or ".") / "nb" / "LC_MESSAGES" / "messages.po"
    if folder and po_path.exists():
        with po_path.open("rb") as source:
            texts |= kept_texts(plugin, package, held_texts(read_po(source)))
    template = Catalog(project=plugin.manifest.id, version=plugin.manifest.version)
    for context, msgid in sorted(texts, key=lambda text: (text[0] or "", str(text[1]))):
        template.add(msgid, context=context)
    return template


def main(argv: list[str] | None = None) -> None:
    """``python -m velferd.web.plugin_texts velferd_due [catalogue folder] out.pot``: the
    template of the plugin in that package, its catalogue (for the entries kept) the declared
    one unless a folder is given."""
    module_name, *folder, target = (argv if argv is not None else sys.argv[1:])
    plugin = importlib.import_module(module_name).velferd_plugin()
    with open(target, "wb") as out:
        write_po(out, catalogue_template(plugin, module_name, folder[0] if folder else None))


if __name__ == "__main__":
    main()
