"""Every label, hint and choice an aftercare page draws from the API's schemas is in the plugin's
catalogue (marked in page_texts.py), so a Norwegian or Danish page shows no English field."""

from __future__ import annotations

import velferd_aftercare
from velferd_aftercare.page_texts import DRAWN_SCHEMAS

from velferd.web.plugin_texts import catalogue_texts, schema_texts


def test_the_pages_drawn_schemas_texts_are_all_in_the_catalogue():
    drawn = set().union(*(schema_texts(schema) for schema in DRAWN_SCHEMAS))
    assert drawn - catalogue_texts(velferd_aftercare.PLUGIN) == set()
