"""A form prefilled with what is stored (a plugin's settings, a unit, the billing profile), for the
form renderer's macros (velferd.web.form_fields)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werkzeug.datastructures import MultiDict

from velferd.web.form_fields import FormField


def form_values(described: list[FormField], data: Mapping[str, Any]) -> MultiDict:
    """The inputs' values for a form prefilled from `data` (a schema's dump: the current
    settings, a unit, the billing profile), in the shape a posted form has, so the macros draw
    it as they draw a form posted back: the reverse of `submitted_data`."""
    values = MultiDict()

    def fill(fields_: tuple[FormField, ...] | list[FormField], source: Mapping[str, Any]) -> None:
        for field in fields_:
            value = source.get(field.key) if isinstance(source, Mapping) else None
            if field.widget == "fieldset":
                if field.rows:
                    for row, item in zip(field.rows, value or (), strict=False):
                        fill(row, item)
                else:
                    fill(field.children, value or {})
            elif value is None:
                continue
            elif field.widget == "checkbox":
                if value:
                    values.add(field.input_name, "on")
            elif field.widget == "checkboxes":
                for item in value:
                    values.add(field.input_name, str(item))
            elif field.widget == "lines":
                values.add(field.input_name, "\n".join(str(item) for item in value))
            else:
                values.add(field.input_name, str(value))

    fill(described, data)
    return values
