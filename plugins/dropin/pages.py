"""Every page of the plugin (``WebPages.blueprint``): importing this module imports each part's
page module, which adds its routes to `page_kit.blp` — the centres and their agreements
(`centre_pages`)."""

from __future__ import annotations

from . import (
    activity_pages,  # noqa: F401
    centre_pages,  # noqa: F401
    contact_pages,  # noqa: F401
    cost_pages,  # noqa: F401
    evaluation_pages,  # noqa: F401
    implementation_pages,  # noqa: F401
    meeting_pages,  # noqa: F401
    presence_pages,  # noqa: F401
    survey_pages,  # noqa: F401
)
from .page_kit import blp

__all__ = ["blp"]
