"""Every label, hint and choice a presence page draws from the API's schemas is marked for the
plugin's catalogue (presence_texts.py), so the lead's extraction puts them in nb and da."""

from __future__ import annotations

from velferd_dropin import presence_texts

from velferd.web.plugin_texts import schema_texts


def test_the_presence_pages_drawn_texts_are_all_marked():
    drawn = set().union(*(schema_texts(schema) for schema in presence_texts.DRAWN_SCHEMAS))
    marked = {(None, text) for text in presence_texts.LABELS_AND_HINTS} | {
        ("choice", text) for text in presence_texts.CHOICES}
    assert drawn - marked == set()
