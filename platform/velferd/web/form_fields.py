"""One form renderer for every schema the pages show: a transition's payload, and later a
plugin's form and settings schema. `form_fields` describes a marshmallow schema's fields for the
``web/_fields.html`` macros; `submitted_data` turns a posted form back into the JSON shape the
schema loads, so the service that loads it (the API's) is the only validation; `errors_by_input`
lays the 422's field messages out by input name for the inline errors and the summary, in the
page's language.

Why the form is only coerced here and never checked: a field typed wrong (``12a`` for a number)
is passed on as typed, so marshmallow's message for it is the one the API would give.

The texts are English in the schemas (a plugin's too) and translated here, as drawn: a label and
a hint with gettext, a choice with pgettext("choice", value) while the value posted stays the
value, marshmallow's messages through velferd.web.validation_messages. `label_of` and
`choices_of` are also what velferd.web.plugin_texts lists for a plugin's catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import marshmallow as ma
from flask_babel import gettext, pgettext
from marshmallow import fields, validate

from velferd.web.validation_messages import translated

#: A String field whose longest allowed length passes this is a textarea, not a one-line input.
LONG_TEXT = 200
#: The blank rows a List of Nested gets (a fixed number: no JavaScript adds rows).
NESTED_ROWS = 3


@dataclass(frozen=True)
class FormField:
    """One input (or a fieldset of inputs) as the macros draw it. `input_name` is the name the
    form posts (``group.place``, ``goals.1.text``); `key` is the field's key in the JSON."""

    key: str
    input_name: str
    label: str
    hint: str | None
    required: bool
    widget: str  # text, textarea, number, date, checkbox, select, lines, checkboxes, fieldset
    choices: tuple[str, ...] = ()
    children: tuple["FormField", ...] = ()
    rows: tuple[tuple["FormField", ...], ...] = ()  # a List of Nested: each row's fields
    group: str = ""  # a nested input's fieldset (``Contact``, ``Tasks 2``), for the error summary

    @property
    def input_id(self) -> str:
        return "field-" + self.input_name.replace(".", "-").replace("_", "-")

    def choice_title(self, choice: str) -> str:
        """A choice as shown (its value, translated in the "choice" context); the form posts the value."""
        return pgettext("choice", choice)


def humanised(name: str) -> str:
    """``priority_exception_reason`` → ``Priority exception reason``."""
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def label_of(name: str, field: fields.Field) -> str:
    """A field's English label: its metadata's "title", else its humanised name."""
    return field.metadata.get("title") or humanised(name)


def choices_of(field: fields.Field) -> tuple[str, ...]:
    for validator in field.validators:
        if isinstance(validator, validate.OneOf):
            return tuple(str(choice) for choice in validator.choices)
    return ()


def _longest(field: fields.Field) -> int | None:
    for validator in field.validators:
        if isinstance(validator, validate.Length) and validator.max is not None:
            return validator.max
    return None


def _schema_of(field: fields.Nested) -> ma.Schema:
    return field.schema if isinstance(field.schema, ma.Schema) else field.nested()


def _widget(field: fields.Field) -> str:
    if isinstance(field, fields.Boolean):
        return "checkbox"
    if isinstance(field, fields.Date):
        return "date"
    if isinstance(field, (fields.Integer, fields.Decimal, fields.Float)):
        return "number"
    if choices_of(field):
        return "select"
    if isinstance(field, fields.List):
        return "checkboxes" if choices_of(field.inner) else "lines"
    if isinstance(field, fields.String):
        longest = _longest(field)
        return "textarea" if longest is None or longest > LONG_TEXT else "text"
    return "text"


def _described(name: str, field: fields.Field, prefix: str, labels: Mapping[str, str], group: str) -> FormField:
    input_name = f"{prefix}{name}"
    label = labels.get(input_name) or gettext(label_of(name, field))
    hint = field.metadata.get("description")
    common = {"key": name, "input_name": input_name, "required": field.required, "label": label,
              "hint": gettext(hint) if hint else None, "group": group}
    if isinstance(field, fields.Nested) and not field.many:
        children = tuple(_fields_of(_schema_of(field), f"{input_name}.", labels, nested=label))
        return FormField(widget="fieldset", children=children, **common)
    if isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
        inner = _schema_of(field.inner)
        rows = tuple(tuple(_fields_of(inner, f"{input_name}.{row}.", labels, nested=f"{label} {row + 1}"))
                     for row in range(NESTED_ROWS))
        return FormField(widget="fieldset", rows=rows, **common)
    inner = field.inner if isinstance(field, fields.List) else field
    return FormField(widget=_widget(field), choices=choices_of(inner), **common)


def _fields_of(schema: ma.Schema, prefix: str, labels: Mapping[str, str], nested: str = "") -> list[FormField]:
    """`nested` is the label of the fieldset these fields are in ("" at the top)."""
    described = []
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        if nested and isinstance(field, fields.Nested) or nested and isinstance(
                field, fields.List) and isinstance(field.inner, fields.Nested):
            continue  # one level of nesting only: a deeper one is for the API
        described.append(_described(field.data_key or name, field, prefix, labels, nested))
    return described


def form_fields(schema_class: type[ma.Schema] | None, labels: Mapping[str, str] | None = None) -> list[FormField]:
    """The inputs for `schema_class`'s fields, in its order. `labels` (by input name) are the
    core's own translated labels; other fields' labels are looked up in the catalogues (a
    plugin's in its own)."""
    if schema_class is None:
        return []
    return _fields_of(schema_class(), "", labels or {})


def _value(described: FormField, form: Mapping[str, Any]) -> Any:
    """The JSON value of one input, or `_MISSING` when it was left empty (so a required field
    is reported missing and a default applies, as when the API's caller leaves the key out)."""
    if described.widget == "checkbox":
        return described.input_name in form
    if described.widget == "checkboxes":
        return form.getlist(described.input_name) if hasattr(form, "getlist") else list(form.get(described.input_name, []))
    raw = form.get(described.input_name, "")
    if described.widget == "lines":
        lines = [line.strip() for line in raw.splitlines() if line.strip()]
        return lines or _MISSING
    text = raw.strip()
    if text == "":
        return _MISSING
    if described.widget == "number" and text.lstrip("-").isdigit():
        return int(text)
    return text


_MISSING = object()


def _data_of(described: list[FormField] | tuple[FormField, ...], form: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in described:
        if field.rows:
            rows = [row for row in (_data_of(cells, form) for cells in field.rows) if row]
            if rows:
                data[field.key] = rows
        elif field.widget == "fieldset":
            inner = _data_of(field.children, form)
            if inner:
                data[field.key] = inner
        elif (value := _value(field, form)) is not _MISSING:
            data[field.key] = value
    return data


def submitted_data(schema_class: type[ma.Schema] | None, form: Mapping[str, Any]) -> dict[str, Any]:
    """The posted `form` in the JSON shape `schema_class` loads: numbers as numbers when they
    are whole, lists from one line each (or the boxes ticked), a checkbox as true/false, empty
    inputs left out."""
    return _data_of(form_fields(schema_class), form)


def _inputs(described: list[FormField] | tuple[FormField, ...]) -> list[FormField]:
    """Every input, fieldsets opened."""
    flat: list[FormField] = []
    for field in described:
        if field.widget == "fieldset":
            flat.extend(_inputs(field.children + tuple(cell for row in field.rows for cell in row)))
        else:
            flat.append(field)
    return flat


def _flattened(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(messages, (list, tuple)):
        return {prefix.rstrip("."): [translated(str(message)) for message in messages]}
    flat: dict[str, list[str]] = {}
    for key, inner in (messages or {}).items():
        for name, texts in _flattened(inner, f"{prefix}{key}.").items():
            flat.setdefault(name, []).extend(texts)
    return flat


def errors_by_input(described: list[FormField], messages: Any) -> dict[str, list[str]]:
    """marshmallow's nested messages (``{"group": {"place": [...]}}``) by input name
    (``group.place``). A message for a list's item (``reasons.0``) belongs to the list's
    input; one for no input (``_schema``, an unknown key) is kept under ``""``, for the form."""
    names = {field.input_name for field in _inputs(described)}
    by_input: dict[str, list[str]] = {}
    for name, texts in _flattened(messages).items():
        owner = name
        while owner and owner not in names:
            owner = owner.rpartition(".")[0]
        by_input.setdefault(owner, []).extend(texts)
    return by_input


def error_summary(described: list[FormField], errors: Mapping[str, list[str]], form_id: str) -> list[tuple[str, str]]:
    """The summary's links, in the form's order: (the input's id, "Label: message", a nested
    input's fieldset first: "Contact – Name: …")."""
    entries = [(f"{form_id}-{field.input_id}", f"{field.group} – {field.label}: {text}" if field.group
                else f"{field.label}: {text}")
               for field in _inputs(described) for text in errors.get(field.input_name, ())]
    return [(form_id, text) for text in errors.get("", ())] + entries
