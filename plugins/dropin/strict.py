"""The base of every input schema of the plugin's API and pages."""

from __future__ import annotations

from velferd.toolkit import ma


class Strict(ma.Schema):
    """Unknown fields are a 422 naming them, not silently ignored (a misspelt field would
    otherwise be dropped and the person told their change was saved)."""

    class Meta:
        unknown = ma.RAISE
