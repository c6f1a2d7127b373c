"""Every route of the plugin's API (`Plugin.blueprints`): importing this module imports each
part's API module, which adds its routes to `api_kit.blp`: centres and their cooperation
agreements (`api_centres`)."""

from __future__ import annotations

from . import (
    api_activities,  # noqa: F401
    api_centres,  # noqa: F401
    api_contacts,  # noqa: F401
    api_costs,  # noqa: F401
    api_evaluation,  # noqa: F401
    api_implementation,  # noqa: F401
    api_meetings,  # noqa: F401
    api_presence,  # noqa: F401
    api_surveys,  # noqa: F401
)
from .api_kit import blp

__all__ = ["blp"]
